//! Allowlists and inline markers: the user's ways of saying "this is not a secret".

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexSet};

use crate::config::spec::{AllowSpec, Condition};

/// Markers that, on the line of a finding, allow it. `gitleaks:allow` and
/// `pragma: allowlist secret` (detect-secrets) are honoured so migrating teams keep theirs.
const INLINE_MARKERS: &[&[u8]] = &[
    b"leakward:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];

/// True if `line` carries an inline allow marker.
pub fn has_inline_marker(line: &[u8]) -> bool {
    INLINE_MARKERS
        .iter()
        .any(|marker| line.windows(marker.len()).any(|w| w == *marker))
}

/// Which allowlist entry suppressed a finding; `explain` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowReason {
    Path,
    SecretRegex,
    MatchRegex,
    LineRegex,
    Stopword,
    /// Several kinds of entry together (`condition = "all"`).
    All,
}

/// What an allowlist looks at for one candidate.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub path: &'a str,
    pub secret: &'a [u8],
    /// The whole text the rule's regex matched.
    pub matched: &'a [u8],
    /// The line the secret starts on.
    pub line: &'a [u8],
}

/// A compiled [`AllowSpec`].
#[derive(Debug, Clone)]
pub struct Allowlist {
    all: bool,
    paths: GlobSet,
    path_regexes: RegexSet,
    secrets: RegexSet,
    matches: RegexSet,
    lines: RegexSet,
    stopwords: Vec<Vec<u8>>,
    /// Commit ids or prefixes; applied after attribution, by the git sources' callers.
    pub commits: Vec<String>,
}

impl Allowlist {
    /// Compiles an allowlist; the error names the entry that is not valid.
    pub fn new(spec: &AllowSpec) -> Result<Self, String> {
        Ok(Allowlist {
            all: spec.condition == Condition::All,
            paths: compile_globs(&spec.paths)?,
            path_regexes: compile_set(&spec.path_regexes, "allow.path_regexes")?,
            secrets: compile_set(&spec.regexes, "allow.regexes")?,
            matches: compile_set(&spec.matches, "allow.matches")?,
            lines: compile_set(&spec.lines, "allow.lines")?,
            stopwords: spec
                .stopwords
                .iter()
                .map(|w| w.to_ascii_lowercase().into_bytes())
                .collect(),
            commits: spec.commits.clone(),
        })
    }

    fn path_set(&self) -> bool {
        !self.paths.is_empty() || !self.path_regexes.is_empty()
    }

    fn path_matches(&self, path: &str) -> bool {
        self.paths.is_match(path) || self.path_regexes.is_match(path.as_bytes())
    }

    /// True if the path alone is allowed, so the whole file need not be scanned.
    pub fn allows_path(&self, path: &str) -> bool {
        let only_paths = self.secrets.is_empty()
            && self.matches.is_empty()
            && self.lines.is_empty()
            && self.stopwords.is_empty();
        self.path_set() && (only_paths || !self.all) && self.path_matches(path)
    }

    /// Why a candidate is allowed, if it is.
    pub fn reason(&self, candidate: &Candidate) -> Option<AllowReason> {
        let lower;
        let stopword = if self.stopwords.is_empty() {
            None
        } else {
            lower = candidate.secret.to_ascii_lowercase();
            Some(
                self.stopwords
                    .iter()
                    .any(|w| !w.is_empty() && lower.windows(w.len()).any(|x| x == w.as_slice())),
            )
        };
        let checks = [
            (
                self.path_set().then(|| self.path_matches(candidate.path)),
                AllowReason::Path,
            ),
            (
                nonempty(&self.secrets).map(|s| s.is_match(candidate.secret)),
                AllowReason::SecretRegex,
            ),
            (
                nonempty(&self.matches).map(|s| s.is_match(candidate.matched)),
                AllowReason::MatchRegex,
            ),
            (
                nonempty(&self.lines).map(|s| s.is_match(candidate.line)),
                AllowReason::LineRegex,
            ),
            (stopword, AllowReason::Stopword),
        ];
        let set: Vec<(bool, AllowReason)> = checks
            .into_iter()
            .filter_map(|(hit, reason)| hit.map(|hit| (hit, reason)))
            .collect();
        if self.all {
            let all_hit = !set.is_empty() && set.iter().all(|(hit, _)| *hit);
            all_hit.then_some(AllowReason::All)
        } else {
            set.into_iter()
                .find(|(hit, _)| *hit)
                .map(|(_, reason)| reason)
        }
    }
}

fn nonempty(set: &RegexSet) -> Option<&RegexSet> {
    (!set.is_empty()).then_some(set)
}

/// Several allowlists; any one that allows a candidate allows it.
#[derive(Debug, Clone, Default)]
pub struct Allowlists(Vec<Allowlist>);

impl Allowlists {
    pub fn new(specs: &[AllowSpec]) -> Result<Self, String> {
        specs
            .iter()
            .map(Allowlist::new)
            .collect::<Result<_, _>>()
            .map(Allowlists)
    }

    pub fn allows_path(&self, path: &str) -> bool {
        self.0.iter().any(|a| a.allows_path(path))
    }

    pub fn reason(&self, candidate: &Candidate) -> Option<AllowReason> {
        self.0.iter().find_map(|a| a.reason(candidate))
    }

    /// Commit ids or prefixes allowed by any of the allowlists.
    pub fn commits(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .flat_map(|a| a.commits.iter().map(String::as_str))
    }
}

/// Compiles path globs. A glob without a `/` matches the file name in any directory,
/// as in `.gitignore`.
pub fn compile_globs(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let pattern = if glob.contains('/') {
            glob.trim_start_matches('/').to_string()
        } else {
            format!("**/{glob}")
        };
        let compiled =
            Glob::new(&pattern).map_err(|e| format!("invalid path glob `{glob}`: {e}"))?;
        builder.add(compiled);
    }
    builder
        .build()
        .map_err(|e| format!("invalid path globs: {e}"))
}

fn compile_set(patterns: &[String], field: &str) -> Result<RegexSet, String> {
    for pattern in patterns {
        Regex::new(pattern).map_err(|e| {
            format!(
                "{field}: invalid regex `{pattern}`: {}",
                one_line(&e.to_string())
            )
        })?;
    }
    RegexSet::new(patterns).map_err(|e| format!("{field}: {}", one_line(&e.to_string())))
}

/// Regex errors span several lines with a caret diagram; keep the last, explanatory line.
pub fn one_line(message: &str) -> String {
    message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn check(allow: &Allowlist, path: &str, secret: &str, line: &str) -> Option<AllowReason> {
        allow.reason(&Candidate {
            path,
            secret: secret.as_bytes(),
            matched: secret.as_bytes(),
            line: line.as_bytes(),
        })
    }

    #[test]
    fn each_kind_of_entry_allows() {
        let allow = Allowlist::new(&AllowSpec {
            paths: own(&["testdata/**", "*.lock"]),
            path_regexes: own(&[r"\.snap$"]),
            regexes: own(&["^sk_test_"]),
            lines: own(&["(?i)nosec"]),
            stopwords: own(&["Sample"]),
            ..AllowSpec::default()
        })
        .unwrap();
        let cases: &[(&str, &str, &str, Option<AllowReason>)] = &[
            ("testdata/a.txt", "x", "", Some(AllowReason::Path)),
            ("deep/dir/Cargo.lock", "x", "", Some(AllowReason::Path)),
            ("ui/__snapshots__/a.snap", "x", "", Some(AllowReason::Path)),
            (
                "src/a.rs",
                "sk_test_123",
                "",
                Some(AllowReason::SecretRegex),
            ),
            (
                "src/a.rs",
                "k",
                "key = k # NOSEC",
                Some(AllowReason::LineRegex),
            ),
            ("src/a.rs", "mysampletoken", "", Some(AllowReason::Stopword)),
            ("src/a.rs", "sk_live_123", "key = sk_live_123", None),
        ];
        for &(path, secret, line, want) in cases {
            assert_eq!(
                check(&allow, path, secret, line),
                want,
                "{path} {secret} {line}"
            );
        }
    }

    #[test]
    fn condition_all_needs_every_kind_set() {
        let allow = Allowlist::new(&AllowSpec {
            condition: Condition::All,
            paths: own(&["tests/**"]),
            regexes: own(&["^fake_"]),
            ..AllowSpec::default()
        })
        .unwrap();
        assert_eq!(
            check(&allow, "tests/a.rs", "fake_1", ""),
            Some(AllowReason::All)
        );
        assert_eq!(check(&allow, "src/a.rs", "fake_1", ""), None);
        assert_eq!(check(&allow, "tests/a.rs", "real_1", ""), None);
        assert!(
            !allow.allows_path("tests/a.rs"),
            "a path alone is not enough"
        );
    }

    #[test]
    fn invalid_entries_are_named() {
        let bad_regex = AllowSpec {
            regexes: own(&["(unclosed"]),
            ..AllowSpec::default()
        };
        let err = Allowlist::new(&bad_regex).unwrap_err();
        assert!(
            err.contains("allow.regexes") && err.contains("(unclosed"),
            "{err}"
        );
        let bad_glob = AllowSpec {
            paths: own(&["a[b"]),
            ..AllowSpec::default()
        };
        assert!(Allowlist::new(&bad_glob).unwrap_err().contains("a[b"));
    }

    #[test]
    fn inline_markers() {
        assert!(has_inline_marker(b"key = 'abc' # leakward:allow"));
        assert!(has_inline_marker(b"key = 'abc' // gitleaks:allow"));
        assert!(has_inline_marker(
            b"key = 'abc'  # pragma: allowlist secret"
        ));
        assert!(!has_inline_marker(b"key = 'abc'"));
    }
}
