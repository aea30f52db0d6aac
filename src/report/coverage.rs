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
//! - CSV is a table of findings and nothing else: a row of another kind would be summed and
//!   filtered as a finding by every spreadsheet. Its completeness is the exit code (2) and
//!   the summary on standard error, as for text.

use serde::Serialize;
use serde_json::{json, Value};

/// What a run could not read, and what it read only in part.
#[derive(Debug, Clone, Copy, Default)]
pub struct Coverage<'a> {
    /// Items that could not be read: (path or id, reason). Any makes the run incomplete.
    pub unreadable: &'a [(String, String)],
    /// Limits of the scan the user accepted (`--allow-shallow`), one sentence each.
    pub warnings: &'a [String],
}

/// One item that could not be read, as JSON writes it.
#[derive(Serialize)]
pub struct Unreadable<'a> {
    pub what: &'a str,
    pub why: &'a str,
}

impl<'a> Coverage<'a> {
    /// True if everything the run was asked to scan was read.
    pub fn complete(&self) -> bool {
        self.unreadable.is_empty()
    }

    /// The unreadable items for a JSON document.
    pub fn unreadable_entries(&self) -> Vec<Unreadable<'a>> {
        self.unreadable
            .iter()
            .map(|(what, why)| Unreadable { what, why })
            .collect()
    }

    /// The JSON Lines record that ends an incomplete run's report; none for a complete one.
    pub fn record(&self, version: u32) -> Option<Value> {
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
        };
        let incomplete = Coverage {
            unreadable: &unreadable,
            warnings: &[],
        };
        assert!(complete.record(1).is_none());
        let record = incomplete.record(1).unwrap();
        assert_eq!(record["kind"], "incomplete");
        assert_eq!(record["unreadable"][0]["what"], "a.txt");
    }
}
