//! Which user allowlist entries suppressed something, for `--list-unused-allowlist`.
//!
//! Entries that no longer match anything silently widen what is ignored; listing them lets a
//! user prune them. Every clone of a scanner shares one set of flags, so worker threads mark
//! the same entries; a flag is set only when a candidate is suppressed, which is rare, so
//! the bookkeeping costs nothing on the hot path.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;

use super::allow::Candidate;
use super::lines::Lines;
use super::{Examined, Scanner, Suppression};
use crate::chunk::Chunk;

/// One entry a user wrote (an allowlist pattern, an ignore-file line, a baseline
/// fingerprint), named so that the user can find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowEntry {
    /// The file that holds the entry.
    pub file: String,
    /// The rule whose own allowlist holds it; `None` for global entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// What kind of entry it is: `path glob`, `secret regex`, `baseline fingerprint`...
    pub kind: &'static str,
    /// The pattern, stopword, commit or fingerprint as written.
    pub value: String,
    /// The 1-based line in `file`, where it can be found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl AllowEntry {
    /// One line naming the entry: `file:line: rule `id`: kind `value``.
    pub fn describe(&self) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        let rule = match &self.rule {
            Some(rule) => format!(" rule `{rule}`:"),
            None => String::new(),
        };
        format!("{place}:{rule} {} `{}`", self.kind, self.value)
    }
}

/// One flag per entry: has it suppressed a candidate yet.
#[derive(Debug, Clone)]
pub(crate) struct Usage(Arc<[AtomicBool]>);

impl Usage {
    pub(crate) fn new(entries: usize) -> Self {
        Usage((0..entries).map(|_| AtomicBool::new(false)).collect())
    }

    /// Records that entry `index` suppressed a candidate.
    pub(crate) fn mark(&self, index: usize) {
        if let Some(flag) = self.0.get(index) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    pub(crate) fn is_used(&self, index: usize) -> bool {
        self.0.get(index).is_some_and(|f| f.load(Ordering::Relaxed))
    }
}

impl Scanner {
    /// The user's allowlist entries (global and per rule) that have allowed nothing in what
    /// this scanner and its clones scanned so far. Built-in entries are not listed.
    pub fn unused_allow_entries(&self) -> Vec<AllowEntry> {
        let mut unused = self.inner.allow.unused(None);
        for rule in &self.inner.rules {
            if rule.has_user_allowlist() {
                unused.extend(rule.allowlist().unused(Some(&rule.id)));
            }
        }
        unused
    }

    /// The allowlist entries that allow an examined match, as `kind `value`` (for `explain`).
    pub fn allow_entries_of(&self, chunk: &Chunk, examined: &Examined) -> Vec<String> {
        let lines = Lines::new(chunk.bytes);
        let line = lines.line_bytes(lines.line_of(examined.secret.start));
        let is_file_rule = self.inner.rules[examined.rule].is_file_rule();
        let candidate = Candidate {
            path: &chunk.origin.path,
            secret: &chunk.bytes[examined.secret.clone()],
            matched: &chunk.bytes[examined.matched.clone()],
            line: if is_file_rule { b"" } else { line },
        };
        match examined.verdict {
            Err(Suppression::GlobalAllowlist(_)) => self.inner.allow.describe_match(&candidate),
            Err(Suppression::RuleAllowlist(_)) => self.inner.rules[examined.rule]
                .allowlist()
                .describe_match(&candidate),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_their_marks() {
        let usage = Usage::new(3);
        let clone = usage.clone();
        clone.mark(1);
        clone.mark(7);
        let marks: Vec<bool> = (0..3).map(|i| usage.is_used(i)).collect();
        assert_eq!(marks, [false, true, false]);
    }

    #[test]
    fn entries_are_described_with_their_place() {
        let mut entry = AllowEntry {
            file: ".leakward.toml".into(),
            rule: Some("internal-token".into()),
            kind: "secret regex",
            value: "^itk_test_".into(),
            line: Some(7),
        };
        assert_eq!(
            entry.describe(),
            ".leakward.toml:7: rule `internal-token`: secret regex `^itk_test_`"
        );
        entry.rule = None;
        entry.line = None;
        assert_eq!(
            entry.describe(),
            ".leakward.toml: secret regex `^itk_test_`"
        );
    }
}
