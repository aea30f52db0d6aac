//! Allowlists and inline markers: the user's ways of saying "this is not a secret".

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexSet};

use crate::config::spec::AllowSpec;

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

/// Which allowlist entry suppressed a finding; reports and `--explain` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowReason {
    Path,
    SecretRegex,
    LineRegex,
    Stopword,
}

/// A compiled [`AllowSpec`].
#[derive(Debug, Clone)]
pub struct Allowlist {
    paths: GlobSet,
    secrets: RegexSet,
    lines: RegexSet,
    stopwords: Vec<Vec<u8>>,
}

impl Allowlist {
    /// Compiles an allowlist; the error names the entry that is not valid.
    pub fn new(spec: &AllowSpec) -> Result<Self, String> {
        Ok(Allowlist {
            paths: compile_globs(&spec.paths)?,
            secrets: compile_set(&spec.regexes, "allow.regexes")?,
            lines: compile_set(&spec.lines, "allow.lines")?,
            stopwords: spec
                .stopwords
                .iter()
                .map(|w| w.to_ascii_lowercase().into_bytes())
                .collect(),
        })
    }

    /// True if the path alone is allowed, so the whole file need not be scanned.
    pub fn allows_path(&self, path: &str) -> bool {
        !self.paths.is_empty() && self.paths.is_match(path)
    }

    /// Why a secret found in `line` of `path` is allowed, if it is.
    pub fn reason(&self, path: &str, secret: &[u8], line: &[u8]) -> Option<AllowReason> {
        if self.allows_path(path) {
            return Some(AllowReason::Path);
        }
        if !self.secrets.is_empty() && self.secrets.is_match(secret) {
            return Some(AllowReason::SecretRegex);
        }
        if !self.lines.is_empty() && self.lines.is_match(line) {
            return Some(AllowReason::LineRegex);
        }
        if !self.stopwords.is_empty() {
            let lower = secret.to_ascii_lowercase();
            let hit = self
                .stopwords
                .iter()
                .any(|w| !w.is_empty() && lower.windows(w.len()).any(|x| x == w.as_slice()));
            if hit {
                return Some(AllowReason::Stopword);
            }
        }
        None
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

    fn spec(paths: &[&str], regexes: &[&str], lines: &[&str], stopwords: &[&str]) -> AllowSpec {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        AllowSpec {
            paths: own(paths),
            regexes: own(regexes),
            lines: own(lines),
            stopwords: own(stopwords),
        }
    }

    #[test]
    fn each_kind_of_entry_allows() {
        let allow = Allowlist::new(&spec(
            &["testdata/**", "*.lock"],
            &["^sk_test_"],
            &["(?i)nosec"],
            &["Sample"],
        ))
        .unwrap();
        let cases: &[(&str, &str, &str, Option<AllowReason>)] = &[
            ("testdata/a.txt", "x", "", Some(AllowReason::Path)),
            ("deep/dir/Cargo.lock", "x", "", Some(AllowReason::Path)),
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
            let got = allow.reason(path, secret.as_bytes(), line.as_bytes());
            assert_eq!(got, want, "{path} {secret} {line}");
        }
    }

    #[test]
    fn invalid_entries_are_named() {
        let err = Allowlist::new(&spec(&[], &["(unclosed"], &[], &[])).unwrap_err();
        assert!(
            err.contains("allow.regexes") && err.contains("(unclosed"),
            "{err}"
        );
        let err = Allowlist::new(&spec(&["a[b"], &[], &[], &[])).unwrap_err();
        assert!(err.contains("a[b"), "{err}");
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
