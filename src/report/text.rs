//! The human report: one block per finding, colored only on a terminal.
//!
//! Styles are `anstyle` values; whether to use them is `anstream`'s decision
//! ([`color_wanted`]), which honours `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE` and `TERM=dumb`.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::{allow_hint, Context};
use crate::finding::{Confidence, Finding};

const PLACE: Style = Style::new().bold();
const ADVICE: Style = Style::new().dimmed();

/// Whether a text report on standard output should be colored: not with `--no-color`,
/// nor when `anstream` says the terminal or environment does not want color (standard
/// output not a terminal, `NO_COLOR` set, `TERM=dumb`).
pub(crate) fn color_wanted(no_color: bool) -> bool {
    !no_color && anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

/// Writes one block per finding.
pub(crate) fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    // A plain style renders as nothing, so an uncolored report carries no escapes at all.
    let paint = |style: Style| if ctx.color { style } else { Style::new() };
    for finding in findings {
        let blocks = finding.confidence >= ctx.block_on;
        let rule = paint(
            match finding.confidence {
                Confidence::High => AnsiColor::Red,
                Confidence::Medium => AnsiColor::Yellow,
                Confidence::Low => AnsiColor::Cyan,
            }
            .on_default(),
        );
        let place = paint(PLACE);
        writeln!(
            out,
            "{place}{}:{}:{}{place:#}  {rule}{}{rule:#} ({} confidence{}{})",
            safe(&finding.place()),
            finding.line,
            finding.column,
            finding.rule_id,
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
        let advice = paint(ADVICE);
        writeln!(out, "  {advice}fix:     {}", safe(&remediation))?;
        writeln!(out, "  allow:   {}{advice:#}", safe(&allow_hint(finding)))?;
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
