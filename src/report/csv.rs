//! CSV report, for spreadsheets. Cells that a spreadsheet would run as a formula are defused.

use std::io::{self, Write};

use super::Context;
use crate::finding::Finding;

const HEADER: &[&str] = &[
    "rule_id",
    "confidence",
    "blocking",
    "path",
    "line",
    "column",
    "secret",
    "fingerprint",
    "commit",
    "author_name",
    "author_email",
    "date",
];

/// Writes a header row and one row per finding.
pub fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", HEADER.join(","))?;
    for f in findings {
        let commit = f.commit.as_deref();
        let cells = [
            f.rule_id.to_string(),
            f.confidence.to_string(),
            (f.confidence >= ctx.block_on).to_string(),
            f.path.clone(),
            f.line.to_string(),
            f.column.to_string(),
            f.shown_secret(ctx.show_secrets),
            f.fingerprint.to_string(),
            commit.map(|c| c.id.clone()).unwrap_or_default(),
            commit.map(|c| c.author_name.clone()).unwrap_or_default(),
            commit.map(|c| c.author_email.clone()).unwrap_or_default(),
            commit.map(|c| c.date.clone()).unwrap_or_default(),
        ];
        let row: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

/// Quotes a cell when needed (RFC 4180) and prefixes `'` to text a spreadsheet would
/// evaluate (`=`, `+`, `-`, `@` at the start), since paths and names come from the repository.
/// Control characters (newlines, terminal escapes) are written as `\u{..}`, as in the text
/// report, so a row is always one line and `cat report.csv` cannot drive the terminal.
pub(crate) fn cell(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_control() {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    let value = escaped;
    let defused = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value
    };
    if defused.contains([',', '"']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_defused() {
        let cases: &[(&str, &str)] = &[
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
            ("-1", "'-1"),
            ("a\nb", "a\\u{a}b"),
            ("\tx", "\\u{9}x"),
            ("a\x1b[31mb", "a\\u{1b}[31mb"),
        ];
        for &(input, want) in cases {
            assert_eq!(cell(input), want, "{input:?}");
        }
    }
}
