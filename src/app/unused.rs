//! `--list-unused-allowlist`: the user's allowlist entries that suppressed nothing in a run.
//!
//! Gathers them from every place a user can allow something (config allowlists, allowed
//! commits, ignore files, the baseline), names each by file, line, rule and kind, and prints
//! them after the summary.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::config::{line_of_entry, AllowedCommit};
use crate::finding::Finding;
use crate::report::text::safe;
use crate::scan::usage::AllowEntry;
use crate::scan::Scanner;
use crate::suppress::Suppressions;

/// Every user entry that suppressed nothing: config entries the scanner never used, allowed
/// commits no finding came from, and ignore-file and baseline entries that hid none of
/// `known` (the findings the run hid).
pub(super) fn entries<'a>(
    scanner: &Scanner,
    unused_commits: impl Iterator<Item = &'a AllowedCommit>,
    suppressions: &Suppressions,
    known: &[Finding],
) -> Vec<AllowEntry> {
    let commits = unused_commits.filter_map(|entry| {
        Some(AllowEntry {
            file: entry.origin.as_deref()?.to_string(),
            rule: entry.rule.clone(),
            kind: "commit",
            value: entry.prefix.clone(),
            line: None,
        })
    });
    let mut config_entries: Vec<AllowEntry> = scanner
        .unused_allow_entries()
        .into_iter()
        .chain(commits)
        .collect();
    // Config entries do not record their lines; look each up in its file's text, read once.
    let mut texts: HashMap<String, Option<String>> = HashMap::new();
    for entry in &mut config_entries {
        let text = texts.entry(entry.file.clone()).or_insert_with(|| {
            crate::bounded::read_text(entry.file.as_ref(), crate::bounded::CONFIG_LIMIT).ok()
        });
        entry.line = text.as_deref().and_then(|t| line_of_entry(t, &entry.value));
    }
    config_entries.extend(suppressions.unused(known));
    config_entries
}

/// Writes the entries to standard error, one per line, or says that there are none.
pub(super) fn write(out: &mut dyn Write, entries: &[AllowEntry]) -> io::Result<()> {
    if entries.is_empty() {
        return writeln!(out, "leakward: every allowlist entry suppressed something");
    }
    let (count, it) = match entries.len() {
        1 => ("1 allowlist entry".to_string(), "it"),
        n => (format!("{n} allowlist entries"), "each"),
    };
    writeln!(
        out,
        "leakward: {count} suppressed nothing in this run ({it} still widens what is ignored; remove what is stale):"
    )?;
    for entry in entries {
        writeln!(out, "  {}", safe(&entry.describe()))?;
    }
    Ok(())
}
