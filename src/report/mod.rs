//! Reports: findings in, bytes out. One module per format; the summary goes to stderr.

pub(crate) mod audit;
pub(crate) mod coverage;
pub(crate) mod csv;
pub(crate) mod github;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod progress;
pub(crate) mod redact;
pub(crate) mod sarif;
pub(crate) mod shards;
pub(crate) mod summary;
pub(crate) mod text;

use std::io::{self, Write};

use crate::finding::{Confidence, Finding};

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One readable block per finding.
    Text,
    /// One JSON document (schema version 1).
    Json,
    /// One JSON object per line, one per finding, and a closing record if incomplete.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other CI.
    Sarif,
    /// Comma-separated values with a header row.
    Csv,
    /// GitHub Actions workflow commands: an annotation per finding (`::error file=…`).
    Github,
    /// A self-contained HTML page.
    Html,
}

/// What a report needs to know about a rule.
#[derive(Debug, Clone)]
pub(crate) struct RuleInfo {
    pub id: String,
    pub description: String,
    pub confidence: Confidence,
    pub remediation: Option<String>,
}

/// Everything a report needs besides the findings.
#[derive(Debug, Clone)]
pub(crate) struct Context<'a> {
    pub rules: &'a [RuleInfo],
    /// Print secrets in full (`--show-secrets`).
    pub show_secrets: bool,
    /// Use ANSI colors (text only).
    pub color: bool,
    /// Findings at or above this confidence block.
    pub block_on: Confidence,
    /// With `--list-unused-allowlist`: the user's entries that suppressed nothing. JSON
    /// reports include them.
    pub unused_allowlist: Option<&'a [crate::scan::usage::AllowEntry]>,
    /// Whether the run read everything it was asked to, and if not, what it missed.
    pub coverage: coverage::Coverage<'a>,
}

impl Context<'_> {
    /// The rule with `id`, if it is still configured.
    pub(crate) fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// Version of the JSON, JSONL and CSV schemas; bumped on any incompatible change.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// Writes `findings` (already sorted) in `format`.
pub(crate) fn write(
    format: Format,
    findings: &[Finding],
    ctx: &Context,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(findings, ctx, out),
        Format::Json => json::write(findings, ctx, out),
        Format::Jsonl => json::write_lines(findings, ctx, out),
        Format::Sarif => sarif::write(findings, ctx, out),
        Format::Csv => csv::write(findings, ctx, out),
        Format::Github => github::write(findings, ctx, out),
        Format::Html => html::write(findings, ctx, out),
    }
}

/// How to make a finding go away when it is not a real secret, in one sentence.
pub(crate) fn allow_hint(finding: &Finding) -> String {
    // A multi-repository run applies no repository's ignore file: only the operator's baseline.
    if finding.repository.is_some() {
        return format!(
            "if this is not a secret, add its fingerprint {} to the --baseline of the organisation's scan (`--write-baseline` writes one)",
            finding.fingerprint
        );
    }
    format!(
        "if this is not a secret, add `leakward:allow` in a comment on the line, or add `{} {}` to .leakwardignore",
        finding.fingerprint, finding.path
    )
}
