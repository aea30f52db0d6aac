//! The audit as CSV: one row per distinct secret, for spreadsheets. Cells a spreadsheet
//! would evaluate are defused as in the findings CSV.

use std::io::{self, Write};

use super::Audit;
use crate::report::csv::{defuse, writer};
use crate::report::Context;

const HEADER: &[&str] = &[
    "fingerprint",
    "rule_id",
    "confidence",
    "blocking",
    "status",
    "secret",
    "first_commit",
    "first_author_name",
    "first_author_email",
    "first_date",
    "last_commit",
    "last_date",
    "location_count",
    "path_count",
    "commit_count",
    "paths",
    "reached_by",
    "remediation",
];

/// Writes a header row and one row per secret. `paths` and `reached_by` are `; `-separated.
pub(crate) fn write(audit: &Audit, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let mut table = writer(out);
    table.write_record(HEADER)?;
    for s in &audit.secrets {
        let f = &s.finding;
        let first = s.first.as_deref();
        let last = s.last.as_deref();
        let reach: Vec<&str> = s.reached_by.iter().map(|r| r.label.as_str()).collect();
        let cells = [
            f.fingerprint.to_string(),
            f.rule_id.to_string(),
            f.confidence.to_string(),
            (f.confidence >= ctx.block_on).to_string(),
            s.status.as_str().to_string(),
            f.shown_secret(ctx.show_secrets),
            first.map(|c| c.id.clone()).unwrap_or_default(),
            first.map(|c| c.author_name.clone()).unwrap_or_default(),
            first.map(|c| c.author_email.clone()).unwrap_or_default(),
            first.map(|c| c.date.clone()).unwrap_or_default(),
            last.map(|c| c.id.clone()).unwrap_or_default(),
            last.map(|c| c.date.clone()).unwrap_or_default(),
            s.location_count.to_string(),
            s.path_count.to_string(),
            s.commit_count.to_string(),
            // Every distinct path, not only those of the listed locations.
            s.paths.join("; ") + &more(s.paths.len(), s.path_count),
            reach.join("; "),
            s.remediation.clone(),
        ];
        table.write_record(cells.iter().map(|c| defuse(c)))?;
    }
    table.flush()
}

/// ` and N more` when a list of `listed` items was capped below `count`.
fn more(listed: usize, count: usize) -> String {
    if count > listed {
        format!(" and {} more", count - listed)
    } else {
        String::new()
    }
}
