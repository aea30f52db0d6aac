//! GitHub Actions annotations: one workflow command per finding
//! (`::error file=…,line=…,col=…,title=…::…`), shown on the pull request's diff and in the
//! job's summary.
//!
//! A finding that blocks (at or above `--block-on`) is an `error`, any other a `warning`.
//! Secrets are redacted unless `--show-secrets`. Every value is escaped as the runner
//! expects (`%`, CR and LF in the message; also `:` and `,` in properties), so a hostile
//! path cannot end a command early or start another one, and other control characters are
//! shown as `\u{..}`, as in the text report, so nothing in the log drives a terminal.
//! An incomplete run adds one `error` per item it could not read.

use std::io::{self, Write};

use super::{allow_hint, Context};
use crate::finding::Finding;

/// Writes one annotation per finding, then one per item the run could not read and one per
/// accepted limit of the scan (`--allow-shallow`).
pub(crate) fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    for finding in findings {
        annotation(finding, ctx, out)?;
    }
    for (what, why) in ctx.coverage.unreadable {
        writeln!(
            out,
            "::error title={}::{}",
            property("leakward: incomplete scan"),
            data(&format!("cannot read {what}: {why}"))
        )?;
    }
    for warning in ctx.coverage.warnings {
        writeln!(
            out,
            "::warning title={}::{}",
            property("leakward"),
            data(warning)
        )?;
    }
    Ok(())
}

fn annotation(finding: &Finding, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let blocks = finding.confidence >= ctx.block_on;
    let level = if blocks { "error" } else { "warning" };
    let description = ctx
        .rule(&finding.rule_id)
        .map_or(&*finding.rule_id, |r| r.description.as_str());
    let mut message = format!(
        "{description}: {} ({} confidence{}, fingerprint {})",
        finding.shown_secret(ctx.show_secrets),
        finding.confidence,
        if blocks { ", blocking" } else { "" },
        finding.fingerprint,
    );
    if let Some(commit) = &finding.commit {
        message.push_str(&format!(
            "\nadded in commit {} by {} <{}> on {}",
            &commit.id[..commit.id.len().min(12)],
            commit.author_name,
            commit.author_email,
            commit.date
        ));
    }
    message.push('\n');
    message.push_str(&allow_hint(finding));
    let title = property(&format!("leakward: {}", finding.rule_id));
    // A blob that no commit holds (`audit`) has no file to annotate: the annotation goes to
    // the run and names the blob.
    if finding.path.is_empty() {
        let blob = finding.blob.as_deref().unwrap_or("unknown");
        message.push_str(&format!("\nin blob {blob}, which no commit holds"));
        return writeln!(out, "::{level} title={title}::{}", data(&message));
    }
    // A finding of another repository (`history --repos`, `merge`) has no file in the
    // repository the workflow runs in: it goes to the run and names its place.
    if finding.repository.is_some() {
        message.push_str(&format!("\nat {}:{}", finding.place(), finding.line));
        return writeln!(out, "::{level} title={title}::{}", data(&message));
    }
    writeln!(
        out,
        "::{level} file={},line={},endLine={},col={},title={title}::{}",
        property(&finding.path),
        finding.line,
        finding.end_line.max(finding.line),
        finding.column,
        data(&message)
    )
}

/// The message of a workflow command: `%`, CR and LF are percent-encoded (the runner
/// decodes them), other control characters shown as `\u{..}`.
fn data(text: &str) -> String {
    escape(text, false)
}

/// A property value of a workflow command: as [`data`], and `:` and `,` encoded too, since
/// they end a property.
fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, in_property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if in_property => out.push_str("%3A"),
            ',' if in_property => out.push_str("%2C"),
            c if c.is_control() && c != '\t' => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_as_the_runner_decodes_them() {
        let cases: &[(&str, &str, &str)] = &[
            ("plain/path.env", "plain/path.env", "plain/path.env"),
            ("100%", "100%25", "100%25"),
            ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
            ("a:b,c", "a%3Ab%2Cc", "a:b,c"),
            ("x::error::y", "x%3A%3Aerror%3A%3Ay", "x::error::y"),
            ("%0A", "%250A", "%250A"),
            ("esc\x1b[31m", "esc\\u{1b}[31m", "esc\\u{1b}[31m"),
            ("tab\there", "tab\there", "tab\there"),
        ];
        for &(input, as_property, as_data) in cases {
            assert_eq!(property(input), as_property, "property {input:?}");
            assert_eq!(data(input), as_data, "data {input:?}");
        }
    }
}
