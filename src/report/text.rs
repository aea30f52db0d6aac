//! The human report: one block per finding, colored only on a terminal.

use std::io::{self, Write};

use super::{allow_hint, Context};
use crate::finding::{Confidence, Finding};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

/// Writes one block per finding.
pub fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &str| {
        if ctx.color {
            code.to_string()
        } else {
            String::new()
        }
    };
    for finding in findings {
        let blocks = finding.confidence >= ctx.block_on;
        let color = match finding.confidence {
            Confidence::High => "\x1b[31m",
            Confidence::Medium => "\x1b[33m",
            Confidence::Low => "\x1b[36m",
        };
        writeln!(
            out,
            "{}{}:{}:{}{}  {}{}{} ({} confidence{}{})",
            paint(BOLD),
            safe(&finding.path),
            finding.line,
            finding.column,
            paint(RESET),
            paint(color),
            finding.rule_id,
            paint(RESET),
            finding.confidence,
            if blocks { ", blocking" } else { "" },
            finding
                .note
                .map_or_else(String::new, |note| format!(": {note}")),
        )?;
        if let Some(decoding) = finding.decoding() {
            writeln!(out, "  found:   through {decoding}")?;
        }
        if let Some(commit) = &finding.commit {
            writeln!(
                out,
                "  commit:  {} {} <{}> {}",
                &commit.id[..commit.id.len().min(12)],
                safe(&commit.author_name),
                safe(&commit.author_email),
                commit.date
            )?;
            writeln!(out, "           {}", safe(&commit.summary))?;
        }
        writeln!(
            out,
            "  secret:  {}",
            safe(&finding.shown_secret(ctx.show_secrets))
        )?;
        writeln!(
            out,
            "  line:    {}",
            safe(finding.shown_line(ctx.show_secrets).trim())
        )?;
        let remediation = ctx
            .rule(&finding.rule_id)
            .and_then(|r| r.remediation.clone())
            .unwrap_or_else(|| {
                "revoke and rotate this credential, then remove it from the code".into()
            });
        // The hint names the path and a user config can set the remediation: both come
        // from the scanned repository.
        writeln!(out, "  {}fix:     {}", paint(DIM), safe(&remediation))?;
        writeln!(
            out,
            "  allow:   {}{}",
            safe(&allow_hint(finding)),
            paint(RESET)
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// Makes repository-controlled text safe for a terminal: control characters (escape
/// sequences among them) are shown as `\u{..}` escapes instead of being interpreted.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_neutralised() {
        assert_eq!(safe("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(safe("plain/path.rs"), "plain/path.rs");
        assert_eq!(safe("line\nbreak"), "line\\u{a}break");
    }
}
