//! A rule's path globs, matched without building a `GlobSet` when each is simple.
//!
//! Building a `GlobSet` compiles regexes: in a pre-commit run it was 1.7 M of 29 M
//! instructions, for the few file rules a staged file reaches. The built-in rules' globs are
//! all simple — a name or a path with at most one `*` (`id_rsa`, `*.env`, `.env.*`,
//! `**/etc/shadow*`) — and those are matched here directly, with `globset`'s semantics as
//! `compile_globs` configures it (`*` matches any text, `/` included; `**/` at the start
//! matches at the start or after any `/`; case matters). Anything else (`?`, classes,
//! alternatives, escapes, a second `*`) goes to a `GlobSet`. A test holds the two equal on
//! every built-in glob.

use globset::{Candidate, GlobSet};

use super::allow::{compile_globs, glob_pattern};
use crate::error::Reason;

/// The compiled form of a rule's `paths`.
#[derive(Debug)]
pub(crate) enum PathGlobs {
    Simple(Vec<Simple>),
    Set(GlobSet),
}

impl PathGlobs {
    /// Compiles `globs`: simply when every one is simple, else as a `GlobSet`.
    pub(crate) fn new(globs: &[String]) -> Result<PathGlobs, Reason> {
        match globs.iter().map(|g| Simple::parse(g)).collect() {
            Some(simple) => Ok(PathGlobs::Simple(simple)),
            None => compile_globs(globs).map(PathGlobs::Set),
        }
    }

    /// True if one of the globs matches `path`; `candidate` is `path` prepared for a
    /// `GlobSet`, made only if one is needed.
    pub(crate) fn is_match<'p>(
        &self,
        path: &'p str,
        candidate: &mut Option<Candidate<'p>>,
    ) -> bool {
        match self {
            PathGlobs::Simple(globs) => globs.iter().any(|g| g.matches(path)),
            PathGlobs::Set(set) => {
                set.is_match_candidate(candidate.get_or_insert_with(|| Candidate::new(path)))
            }
        }
    }
}

/// A glob with at most one `*` and no other wildcard: `prefix`, or `prefix*suffix`.
#[derive(Debug)]
pub(crate) struct Simple {
    /// Matches only from the start of the path, not after any `/` (no leading `**/`).
    anchored: bool,
    prefix: String,
    /// After the `*`, if there is one.
    suffix: Option<String>,
}

impl Simple {
    /// The simple form of `glob` as `compile_globs` reads it, or `None` if it is not simple.
    fn parse(glob: &str) -> Option<Simple> {
        let pattern = glob_pattern(glob);
        let (anchored, rest) = match pattern.strip_prefix("**/") {
            Some(rest) => (false, rest),
            None => (true, pattern.as_str()),
        };
        if rest.is_empty()
            || rest.contains(['?', '[', ']', '{', '}', '\\', '!'])
            || rest.matches('*').count() > 1
        {
            return None;
        }
        let (prefix, suffix) = match rest.split_once('*') {
            Some((prefix, suffix)) => (prefix.to_string(), Some(suffix.to_string())),
            None => (rest.to_string(), None),
        };
        Some(Simple {
            anchored,
            prefix,
            suffix,
        })
    }

    fn matches(&self, path: &str) -> bool {
        let tail_matches = |tail: &str| match &self.suffix {
            None => tail == self.prefix,
            Some(suffix) => {
                tail.len() >= self.prefix.len() + suffix.len()
                    && tail.starts_with(self.prefix.as_str())
                    && tail.ends_with(suffix.as_str())
            }
        };
        if tail_matches(path) {
            return true;
        }
        !self.anchored
            && path
                .match_indices('/')
                .any(|(at, _)| tail_matches(&path[at + 1..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths built around `glob`'s own text, so that near misses are tried too.
    fn paths_near(glob: &str) -> Vec<String> {
        let core = glob.trim_start_matches("**/").trim_start_matches('/');
        let fills = ["", "x", "x/y", "-", "."];
        let bodies: Vec<String> = fills.iter().map(|f| core.replace('*', f)).collect();
        let mut paths = Vec::new();
        for before in ["", "a/", "a/b/", "x", "/", ".", "a/x"] {
            for body in &bodies {
                for after in ["", "/z", "x", ".bak", "/"] {
                    paths.push(format!("{before}{body}{after}"));
                }
            }
        }
        paths.push(String::new());
        paths
    }

    #[test]
    fn simple_globs_match_as_a_glob_set_does() {
        let config = crate::config::builtin().unwrap();
        let mut globs: Vec<String> = config
            .rules
            .iter()
            .flat_map(|r| r.spec.paths.iter().cloned())
            .collect();
        globs.extend(
            [
                "/anchored/name",
                "dir/*.key",
                "*",
                "**/a*",
                "name",
                "*suffix",
                "pre*",
            ]
            .map(String::from),
        );
        assert!(globs.len() > 90, "{}", globs.len());
        for glob in &globs {
            let one = std::slice::from_ref(glob);
            let simple = Simple::parse(glob).unwrap_or_else(|| panic!("{glob} is simple"));
            let set = compile_globs(one).unwrap();
            for path in paths_near(glob) {
                assert_eq!(
                    simple.matches(&path),
                    set.is_match(&path),
                    "glob {glob:?} on path {path:?}"
                );
            }
        }
    }

    #[test]
    fn other_globs_go_to_a_glob_set() {
        for glob in [
            "*.{yml,yaml}",
            "id_?sa",
            "[ab].txt",
            "a*b*c",
            "**/x/**/y",
            "a\\*b",
        ] {
            assert!(Simple::parse(glob).is_none(), "{glob}");
            assert!(matches!(
                PathGlobs::new(&[glob.to_string()]).unwrap(),
                PathGlobs::Set(_)
            ));
        }
    }
}
