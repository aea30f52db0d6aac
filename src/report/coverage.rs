//! What a run covered: complete, or incomplete with what could not be read and why. One
//! notion for every command and format, so no report passes a partial scan off as clean.
//!
//! - JSON documents carry `complete`, `unreadable` and `warnings` at the top.
//! - JSON Lines end with one `{"kind": "incomplete", ...}` record when the run is incomplete;
//!   a complete run writes findings only, so a clean run still prints nothing.
//! - SARIF carries `invocations[0].executionSuccessful` and one tool execution notification
//!   per unreadable item (level `error`) and per warning (level `warning`).
//! - GitHub annotations end with one `error` per unreadable item and one `warning` per
//!   warning; HTML pages open with an "Incomplete" box listing what could not be read.
//! - A multi-repository run (`history --repos`, `merge`) also records each repository it
//!   covered ([`UnitRecord`]): JSON documents list them under `repositories`; JSON Lines
//!   write one `{"kind": "coverage", ...}` record per repository after the findings and end
//!   with one `{"kind": "end", ...}` record that counts what came before it, so that `merge`
//!   can tell a whole shard report from a cut-off one.
//! - CSV is a table of findings and nothing else: a row of another kind would be summed and
//!   filtered as a finding by every spreadsheet. Its completeness is the exit code (2) and
//!   the summary on standard error, as for text.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::finding::Confidence;

/// What a run could not read, and what it read only in part.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Coverage<'a> {
    /// Items that could not be read: (path or id, reason). Any makes the run incomplete.
    pub unreadable: &'a [(String, String)],
    /// Limits of the scan the user accepted (`--allow-shallow`), one sentence each.
    pub warnings: &'a [String],
    /// In a multi-repository run: what each repository's scan covered.
    pub units: Option<&'a Units>,
}

/// What a multi-repository run covered, repository by repository.
#[derive(Debug, Clone)]
pub(crate) struct Units {
    pub records: Vec<UnitRecord>,
    /// The hash of the effective rule set ([`crate::config::Config::rule_set_hash`]).
    pub rules: String,
    /// The lowest confidence that blocked in the run.
    pub block_on: Confidence,
}

/// One repository of a multi-repository run: what was scanned of it, and whether all of it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnitRecord {
    /// Its name: the label of its list line, or its path as listed.
    pub repository: String,
    /// Whether every commit of every ref was scanned.
    pub complete: bool,
    /// Why not, when it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The refs scanned, with the commit each pointed at.
    pub refs: Vec<RefHead>,
    pub commits: u64,
    /// Unique blobs scanned, and their bytes.
    pub blobs: u64,
    pub bytes: u64,
    /// Of the blobs, how many an earlier run's `--cache` had found clean.
    #[serde(default)]
    pub cached: u64,
    /// Blobs not scanned, by reason.
    pub skipped: Vec<Skipped>,
    /// What could not be read, and why.
    pub unreadable: Vec<UnreadableItem>,
    /// Limits the operator accepted (`--allow-shallow`).
    pub warnings: Vec<String>,
    pub duration_ms: u64,
    pub tool_version: String,
    /// The hash of the effective rule set: shards merge only when theirs agree.
    pub rules: String,
}

/// A ref and its head commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefHead {
    pub name: String,
    pub head: String,
}

/// How many blobs were skipped for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Skipped {
    pub why: String,
    pub count: u64,
}

/// One unreadable item, owned (a [`UnitRecord`] is read back by `merge`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnreadableItem {
    pub what: String,
    pub why: String,
}

/// The record that ends a multi-repository run's JSON Lines: what came before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EndRecord {
    pub version: u32,
    pub kind: String,
    pub repositories: u64,
    pub findings: u64,
    pub tool_version: String,
    pub rules: String,
    pub block_on: Confidence,
}

/// One item that could not be read, as JSON writes it.
#[derive(Serialize)]
pub(crate) struct Unreadable<'a> {
    pub what: &'a str,
    pub why: &'a str,
}

impl<'a> Coverage<'a> {
    /// True if everything the run was asked to scan was read.
    pub(crate) fn complete(&self) -> bool {
        self.unreadable.is_empty()
    }

    /// The unreadable items for a JSON document.
    pub(crate) fn unreadable_entries(&self) -> Vec<Unreadable<'a>> {
        self.unreadable
            .iter()
            .map(|(what, why)| Unreadable { what, why })
            .collect()
    }

    /// The JSON Lines record that ends an incomplete run's report; none for a complete one.
    pub(crate) fn record(&self, version: u32) -> Option<Value> {
        (!self.complete()).then(|| {
            json!({
                "version": version,
                "kind": "incomplete",
                "complete": false,
                "unreadable": self.unreadable_entries(),
                "warnings": self.warnings,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_incomplete_run_gets_a_closing_record() {
        let unreadable = [("a.txt".to_string(), "permission denied".to_string())];
        let warnings = ["shallow".to_string()];
        let complete = Coverage {
            unreadable: &[],
            warnings: &warnings,
            units: None,
        };
        let incomplete = Coverage {
            unreadable: &unreadable,
            warnings: &[],
            units: None,
        };
        assert!(complete.record(1).is_none());
        let record = incomplete.record(1).unwrap();
        assert_eq!(record["kind"], "incomplete");
        assert_eq!(record["unreadable"][0]["what"], "a.txt");
    }
}
