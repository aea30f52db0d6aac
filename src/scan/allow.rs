//! Allowlists and inline markers: the user's ways of saying "this is not a secret".

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexSet};

use std::sync::Arc;

use super::usage::{AllowEntry, Usage};
use crate::config::spec::{AllowSpec, Condition};

/// Markers that, on the line of a finding, allow it. `gitleaks:allow` and
/// `pragma: allowlist secret` (detect-secrets) are honoured so migrating teams keep theirs.
const INLINE_MARKERS: &[&[u8]] = &[
    b"leakward:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];

/// True if `line` carries an inline allow marker.
pub(crate) fn has_inline_marker(line: &[u8]) -> bool {
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
pub(crate) struct Allowlist {
    all: bool,
    paths: GlobSet,
    path_regexes: RegexSet,
    secrets: RegexSet,
    matches: RegexSet,
    lines: RegexSet,
    stopwords: Vec<Vec<u8>>,
    /// The entries as written, named when listing unused ones.
    spec: Arc<AllowSpec>,
    /// One flag per entry, in [`Allowlist::entries`] order.
    usage: Usage,
}

impl Allowlist {
    /// Compiles an allowlist; the error names the entry that is not valid.
    pub(crate) fn new(spec: &AllowSpec) -> Result<Self, crate::error::Reason> {
        let allowlist = Allowlist {
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
            spec: Arc::new(spec.clone()),
            usage: Usage::new(0),
        };
        let usage = Usage::new(allowlist.entries().count());
        Ok(Allowlist { usage, ..allowlist })
    }

    /// Every entry but commits (which git scans apply after attribution), as (kind, value),
    /// in a fixed order: the order of [`Allowlist::matching`]'s indices.
    fn entries(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let spec = &*self.spec;
        let kinds: [(&'static str, &Vec<String>); 6] = [
            ("path glob", &spec.paths),
            ("path regex", &spec.path_regexes),
            ("secret regex", &spec.regexes),
            ("match regex", &spec.matches),
            ("line regex", &spec.lines),
            ("stopword", &spec.stopwords),
        ];
        kinds
            .into_iter()
            .flat_map(|(kind, values)| values.iter().map(move |v| (kind, v.as_str())))
    }

    fn path_set(&self) -> bool {
        !self.paths.is_empty() || !self.path_regexes.is_empty()
    }

    fn path_matches(&self, path: &str) -> bool {
        self.paths.is_match(path) || self.path_regexes.is_match(path.as_bytes())
    }

    /// True if the path alone is allowed, so the whole file need not be scanned.
    pub(crate) fn allows_path(&self, path: &str) -> bool {
        let only_paths = self.secrets.is_empty()
            && self.matches.is_empty()
            && self.lines.is_empty()
            && self.stopwords.is_empty();
        let allowed = self.path_set() && (only_paths || !self.all) && self.path_matches(path);
        if allowed {
            for index in self.path_hits(path) {
                self.usage.mark(index);
            }
        }
        allowed
    }

    /// Indices of the path entries that match `path`.
    fn path_hits(&self, path: &str) -> Vec<usize> {
        let globs = self.paths.matches(path);
        let regexes = self.path_regexes.matches(path.as_bytes());
        let offset = self.spec.paths.len();
        globs
            .into_iter()
            .chain(regexes.into_iter().map(|i| offset + i))
            .collect()
    }

    /// Indices (in [`Allowlist::entries`] order) of every entry that matches `candidate`.
    fn matching(&self, candidate: &Candidate) -> Vec<usize> {
        let mut hits = self.path_hits(candidate.path);
        let mut offset = self.spec.paths.len() + self.spec.path_regexes.len();
        for (set, text) in [
            (&self.secrets, candidate.secret),
            (&self.matches, candidate.matched),
            (&self.lines, candidate.line),
        ] {
            hits.extend(set.matches(text).into_iter().map(|i| offset + i));
            offset += set.len();
        }
        let lower = candidate.secret.to_ascii_lowercase();
        for (i, word) in self.stopwords.iter().enumerate() {
            if contains_word(&lower, word) {
                hits.push(offset + i);
            }
        }
        hits
    }

    /// Why a candidate is allowed, if it is. Marks the entries that allowed it as used.
    pub(crate) fn reason(&self, candidate: &Candidate) -> Option<AllowReason> {
        let reason = self.decide(candidate);
        if reason.is_some() {
            for index in self.matching(candidate) {
                self.usage.mark(index);
            }
        }
        reason
    }

    /// The entries that allow `candidate`, as `kind `value``; empty if it is not allowed.
    pub(crate) fn describe_match(&self, candidate: &Candidate) -> Vec<String> {
        if self.decide(candidate).is_none() {
            return Vec::new();
        }
        let hits = self.matching(candidate);
        self.entries()
            .enumerate()
            .filter(|(index, _)| hits.contains(index))
            .map(|(_, (kind, value))| format!("{kind} `{value}`"))
            .collect()
    }

    /// The user's entries that have allowed nothing so far (built-in ones are never listed).
    pub(crate) fn unused(&self, rule: Option<&str>) -> Vec<AllowEntry> {
        let Some(origin) = &self.spec.origin else {
            return Vec::new();
        };
        self.entries()
            .enumerate()
            .filter(|(index, _)| !self.usage.is_used(*index))
            .map(|(_, (kind, value))| AllowEntry {
                file: origin.to_string(),
                rule: rule.map(str::to_string),
                kind,
                value: value.to_string(),
                line: None,
            })
            .collect()
    }

    fn decide(&self, candidate: &Candidate) -> Option<AllowReason> {
        let lower;
        let stopword = if self.stopwords.is_empty() {
            None
        } else {
            lower = candidate.secret.to_ascii_lowercase();
            Some(self.stopwords.iter().any(|w| contains_word(&lower, w)))
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

/// True if the lower-cased `secret` contains the (lower-cased, non-empty) stopword.
fn contains_word(secret: &[u8], word: &[u8]) -> bool {
    !word.is_empty() && secret.windows(word.len()).any(|x| x == word)
}

fn nonempty(set: &RegexSet) -> Option<&RegexSet> {
    (!set.is_empty()).then_some(set)
}

/// Several allowlists; any one that allows a candidate allows it.
#[derive(Debug, Clone, Default)]
pub struct Allowlists(Vec<Allowlist>);

impl Allowlists {
    pub fn new(specs: &[AllowSpec]) -> Result<Self, crate::error::Reason> {
        specs
            .iter()
            .map(Allowlist::new)
            .collect::<Result<_, _>>()
            .map(Allowlists)
    }

    pub fn allows_path(&self, path: &str) -> bool {
        // Every allowlist is asked, not only the first that allows: each one that does has
        // been used.
        let mut allowed = false;
        for allowlist in &self.0 {
            allowed |= allowlist.allows_path(path);
        }
        allowed
    }

    /// Why a candidate is allowed, if it is: the reason of the first allowlist that allows
    /// it. Every allowlist that allows it marks its entries as used.
    pub fn reason(&self, candidate: &Candidate) -> Option<AllowReason> {
        self.0
            .iter()
            .map(|a| a.reason(candidate))
            .fold(None, |first, reason| first.or(reason))
    }

    /// The entries that allow `candidate`, for `explain`.
    pub fn describe_match(&self, candidate: &Candidate) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|a| a.describe_match(candidate))
            .collect()
    }

    /// The user's entries that have allowed nothing so far; `rule` names a rule's own.
    pub fn unused(&self, rule: Option<&str>) -> Vec<AllowEntry> {
        self.0.iter().flat_map(|a| a.unused(rule)).collect()
    }
}

/// The glob a `paths` entry means: one with a `/` is relative to the root (a leading `/`
/// dropped), one without matches a file of that name anywhere (`**/` before it).
pub(crate) fn glob_pattern(glob: &str) -> String {
    if glob.contains('/') {
        glob.trim_start_matches('/').to_string()
    } else {
        format!("**/{glob}")
    }
}

/// Compiles path globs. A glob without a `/` matches the file name in any directory,
/// as in `.gitignore`.
pub(crate) fn compile_globs(globs: &[String]) -> Result<GlobSet, crate::error::Reason> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let pattern = glob_pattern(glob);
        let compiled =
            Glob::new(&pattern).map_err(|e| format!("invalid path glob `{glob}`: {e}"))?;
        builder.add(compiled);
    }
    builder
        .build()
        .map_err(|e| format!("invalid path globs: {e}").into())
}

fn compile_set(patterns: &[String], field: &str) -> Result<RegexSet, crate::error::Reason> {
    for pattern in patterns {
        Regex::new(pattern).map_err(|e| {
            format!(
                "{field}: invalid regex `{pattern}`: {}",
                one_line(&e.to_string())
            )
        })?;
    }
    RegexSet::new(patterns).map_err(|e| format!("{field}: {}", one_line(&e.to_string())).into())
}

/// Regex errors span several lines with a caret diagram; keep the last, explanatory line.
pub(crate) fn one_line(message: &str) -> String {
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
mod tests;
