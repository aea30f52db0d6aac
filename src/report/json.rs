//! JSON and JSON Lines reports. The schema is documented in the README and versioned.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, SCHEMA_VERSION};
use crate::chunk::Commit;
use crate::finding::{Confidence, Finding};
use crate::scan::usage::AllowEntry;

/// The whole JSON document.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<Entry<'a>>,
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
pub struct Entry<'a> {
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
}

impl<'a> Entry<'a> {
    pub fn new(finding: &'a Finding, ctx: &'a Context) -> Self {
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
        }
    }
}

/// Writes one JSON document with every finding.
pub fn write<'a>(findings: &'a [Finding], ctx: &'a Context, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "leakward",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: findings.iter().map(|f| Entry::new(f, ctx)).collect(),
        unused_allowlist: ctx.unused_allowlist,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// Writes one JSON object per finding per line, each with the schema version.
pub fn write_lines(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    for finding in findings {
        let mut entry = Entry::new(finding, ctx);
        entry.version = Some(SCHEMA_VERSION);
        serde_json::to_writer(&mut *out, &entry)?;
        writeln!(out)?;
    }
    Ok(())
}
