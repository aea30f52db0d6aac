//! JSON and JSON Lines reports. The schema is documented in the README and versioned.

use std::io::{self, Write};

use serde::Serialize;

use super::coverage::{EndRecord, UnitRecord, Unreadable};
use super::{Context, SCHEMA_VERSION};
use crate::chunk::Commit;
use crate::finding::{Confidence, Finding};
use crate::scan::usage::AllowEntry;

/// The whole JSON document.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    /// False if anything could not be read: the findings are then only those of what was.
    complete: bool,
    unreadable: Vec<Unreadable<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
    findings: Vec<Entry<'a>>,
    /// In a multi-repository run: what each repository's scan covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    repositories: Option<&'a [UnitRecord]>,
    /// Only with `--list-unused-allowlist`.
    #[serde(skip_serializing_if = "Option::is_none")]
    unused_allowlist: Option<&'a [AllowEntry]>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One finding, as both formats write it.
#[derive(Serialize)]
pub(crate) struct Entry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<u32>,
    rule_id: &'a str,
    description: &'a str,
    confidence: Confidence,
    blocking: bool,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    /// Redacted unless `--show-secrets`.
    secret: String,
    redacted: bool,
    line_text: String,
    fingerprint: String,
    commit: Option<&'a Commit>,
    blob: Option<&'a str>,
    /// Why the finding is less sure than its rule (`encrypted with a passphrase`), or null.
    note: Option<&'a str>,
    /// How the secret was found through decoding layers (`base64 → private-key`), or null.
    decoding: Option<String>,
    /// The repository, in a multi-repository run (`history --repos`, `merge`).
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
}

impl<'a> Entry<'a> {
    pub(crate) fn new(finding: &'a Finding, ctx: &'a Context) -> Self {
        Entry {
            version: None,
            rule_id: &finding.rule_id,
            description: ctx
                .rule(&finding.rule_id)
                .map_or("", |r| r.description.as_str()),
            confidence: finding.confidence,
            blocking: finding.confidence >= ctx.block_on,
            path: &finding.path,
            line: finding.line,
            column: finding.column,
            end_line: finding.end_line,
            secret: finding.shown_secret(ctx.show_secrets),
            redacted: !ctx.show_secrets,
            line_text: finding.shown_line(ctx.show_secrets),
            fingerprint: finding.fingerprint.to_string(),
            commit: finding.commit.as_deref(),
            blob: finding.blob.as_deref(),
            note: finding.note,
            decoding: finding.decoding(),
            repository: finding.repository.as_deref(),
        }
    }
}

/// Writes one JSON document with every finding.
pub(crate) fn write<'a>(
    findings: &'a [Finding],
    ctx: &'a Context,
    out: &mut dyn Write,
) -> io::Result<()> {
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "leakward",
            version: env!("CARGO_PKG_VERSION"),
        },
        complete: ctx.coverage.complete(),
        unreadable: ctx.coverage.unreadable_entries(),
        warnings: ctx.coverage.warnings,
        findings: findings.iter().map(|f| Entry::new(f, ctx)).collect(),
        repositories: ctx.coverage.units.map(|units| units.records.as_slice()),
        unused_allowlist: ctx.unused_allowlist,
    };
    write_value(out, &document, true)?;
    writeln!(out)
}

/// Writes one JSON object per finding per line, each with the schema version, and after
/// them the `"kind": "incomplete"` record if the run could not read everything.
pub(crate) fn write_lines(
    findings: &[Finding],
    ctx: &Context,
    out: &mut dyn Write,
) -> io::Result<()> {
    for finding in findings {
        let mut entry = Entry::new(finding, ctx);
        entry.version = Some(SCHEMA_VERSION);
        write_value(out, &entry, false)?;
        writeln!(out)?;
    }
    if let Some(units) = ctx.coverage.units {
        for record in &units.records {
            write_value(out, &Tagged::coverage(record), false)?;
            writeln!(out)?;
        }
    }
    write_coverage_record(ctx, SCHEMA_VERSION, out)?;
    if let Some(units) = ctx.coverage.units {
        let end = EndRecord {
            version: SCHEMA_VERSION,
            kind: "end".into(),
            repositories: units.records.len() as u64,
            findings: findings.len() as u64,
            tool_version: env!("CARGO_PKG_VERSION").into(),
            rules: units.rules.clone(),
            block_on: units.block_on,
        };
        write_value(out, &end, false)?;
        writeln!(out)?;
    }
    Ok(())
}

/// A coverage record as a JSON Lines record: the schema version and its kind first.
#[derive(Serialize)]
struct Tagged<'a> {
    version: u32,
    kind: &'static str,
    #[serde(flatten)]
    record: &'a UnitRecord,
}

impl<'a> Tagged<'a> {
    fn coverage(record: &'a UnitRecord) -> Self {
        Tagged {
            version: SCHEMA_VERSION,
            kind: "coverage",
            record,
        }
    }
}

/// Ends a JSON Lines report with the run's coverage record, if it is incomplete.
pub(crate) fn write_coverage_record(
    ctx: &Context,
    version: u32,
    out: &mut dyn Write,
) -> io::Result<()> {
    if let Some(record) = ctx.coverage.record(version) {
        write_value(out, &record, false)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes `value` as JSON (indented if `pretty`) with every control character escaped.
///
/// serde_json escapes U+0000 to U+001F but writes DEL and the C1 controls (U+007F to
/// U+009F) raw, and some terminals run U+009B as an escape sequence: `cat report.json`
/// must not. Those characters can only occur inside strings, where `\u00XX` means the same.
pub(crate) fn write_value(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
    pretty: bool,
) -> io::Result<()> {
    let text = if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    let mut rest = text.as_str();
    // Below U+0020 only the layout's own line breaks remain: serde_json escaped the rest.
    while let Some(at) = rest.find(|c: char| c.is_control() && c >= '\u{7f}') {
        let c = rest[at..].chars().next().unwrap_or_default();
        out.write_all(&rest.as_bytes()[..at])?;
        write!(out, "\\u{:04x}", u32::from(c))?;
        rest = &rest[at + c.len_utf8()..];
    }
    out.write_all(rest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::write_value;

    #[test]
    fn every_control_character_is_escaped_and_the_value_survives() {
        let value = serde_json::json!({ "path": "a\u{7f}b\u{9b}c\u{1b}d\ne", "n": [1, 2] });
        for pretty in [false, true] {
            let mut out = Vec::new();
            write_value(&mut out, &value, pretty).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(text.contains("a\\u007fb\\u009bc"), "{text}");
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, value);
        }
    }
}
