//! CSV report, for spreadsheets. Cells that a spreadsheet would run as a formula are defused.
//!
//! The `csv` crate writes the rows (RFC 4180 quoting); this module only decides what goes in
//! a cell.

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
pub(crate) fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let mut table = writer(out);
    table.write_record(HEADER)?;
    for f in findings {
        let commit = f.commit.as_deref();
        let cells = [
            f.rule_id.to_string(),
            f.confidence.to_string(),
            (f.confidence >= ctx.block_on).to_string(),
            f.place().into_owned(),
            f.line.to_string(),
            f.column.to_string(),
            f.shown_secret(ctx.show_secrets),
            f.fingerprint.to_string(),
            commit.map(|c| c.id.clone()).unwrap_or_default(),
            commit.map(|c| c.author_name.clone()).unwrap_or_default(),
            commit.map(|c| c.author_email.clone()).unwrap_or_default(),
            commit.map(|c| c.date.clone()).unwrap_or_default(),
        ];
        table.write_record(cells.iter().map(|c| defuse(c)))?;
    }
    table.flush()
}

/// A CSV writer with `\n` line ends (the `csv` crate's default is `\r\n`), as the report
/// has always had.
pub(crate) fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// Prefixes `'` to text a spreadsheet would evaluate (`=`, `+`, `-`, `@` at the start), since
/// paths and names come from the repository. Control characters (newlines, terminal
/// escapes) are written as `\u{..}`, as in the text report, so a row is always one line and
/// `cat report.csv` cannot drive the terminal.
pub(crate) fn defuse(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() + 1);
    if value.starts_with(['=', '+', '-', '@']) {
        escaped.push('\'');
    }
    for c in value.chars() {
        if c.is_control() {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One cell as the report writes it.
    fn cell(value: &str) -> String {
        let mut bytes = Vec::new();
        let mut table = writer(&mut bytes);
        table.write_record([defuse(value)]).unwrap();
        table.flush().unwrap();
        drop(table);
        String::from_utf8(bytes)
            .unwrap()
            .trim_end_matches('\n')
            .to_string()
    }

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

    #[test]
    fn rows_end_with_a_line_feed() {
        let mut bytes = Vec::new();
        let mut table = writer(&mut bytes);
        table.write_record(["a", "b"]).unwrap();
        table.write_record(["c", "d"]).unwrap();
        table.flush().unwrap();
        drop(table);
        assert_eq!(bytes, b"a,b\nc,d\n");
    }
}
