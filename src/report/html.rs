//! Findings as one self-contained HTML page (every scanning command; `audit` writes its own
//! page, [`super::audit::html`]), and what both pages share.
//!
//! The markup is built with `maud`, which escapes every spliced value: repository text can
//! only become markup through [`maud::PreEscaped`], used here for constants alone. Control
//! characters, which XML forbids, become U+FFFD ([`Clean`]). The page has an inline style,
//! no script and no external asset, secrets are redacted unless `--show-secrets`, and it is
//! well-formed XML (the one void element is self-closed) so tools and tests can parse it.

use std::io::{self, Write};

use maud::{html, Markup, PreEscaped, Render, DOCTYPE};

use super::Context;
use crate::finding::Finding;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;\
text-align:left;vertical-align:top}code{font-family:ui-monospace,monospace}\
section{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;margin:1em 0}\
.high{border-left:6px solid #c00}.medium{border-left:6px solid #e90}.low{border-left:6px solid #09c}\
.warn{background:#fee;padding:.5em 1em}";

/// Text from the repository or the user, escaped by `maud` with control characters shown
/// as U+FFFD (line feeds and tabs kept).
pub(crate) struct Clean<'a>(pub &'a str);

impl Render for Clean<'_> {
    fn render_to(&self, buffer: &mut String) {
        let mut rest = self.0;
        while let Some(at) = rest.find(|c: char| c.is_control() && c != '\n' && c != '\t') {
            rest[..at].render_to(buffer);
            buffer.push_str("&#xFFFD;");
            let width = rest[at..].chars().next().map_or(1, char::len_utf8);
            rest = &rest[at + width..];
        }
        rest.render_to(buffer);
    }
}

/// A whole page: doctype, head with `title` and the style, and `body`.
pub(crate) fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                (PreEscaped("<meta charset=\"utf-8\" />"))
                title { (Clean(title)) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
}

/// The box that says a run is incomplete, listing what it could not read; nothing for a
/// complete run. Accepted limits (`--allow-shallow`) follow as notes.
pub(crate) fn coverage(ctx: &Context) -> Markup {
    let coverage = &ctx.coverage;
    html! {
        @if !coverage.complete() {
            div class="warn" {
                h2 { "Incomplete: could not read everything" }
                ul {
                    @for (what, why) in coverage.unreadable {
                        li { code { (Clean(what)) } ": " (Clean(why)) }
                    }
                }
            }
        }
        @for warning in coverage.warnings {
            p { "Note: " (Clean(warning)) }
        }
    }
}

/// Whether secrets are shown, as the page's opening paragraph ends.
pub(crate) fn secrets_are(show_secrets: bool) -> &'static str {
    if show_secrets {
        "shown in full: handle this report as a secret"
    } else {
        "redacted"
    }
}

/// Writes the findings of `scan`, `staged`, `history` or `pre-push` as one page: a table
/// with one row per finding.
pub(crate) fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let blocking = findings
        .iter()
        .filter(|f| f.confidence >= ctx.block_on)
        .count();
    let body = html! {
        h1 { "leakward report" }
        p {
            (findings.len()) " finding(s), " (blocking) " blocking (at or above "
            (ctx.block_on) " confidence). Secrets are " (secrets_are(ctx.show_secrets)) "."
        }
        (coverage(ctx))
        table {
            thead {
                tr {
                    th { "#" } th { "place" } th { "rule" } th { "confidence" } th { "secret" }
                    th { "commit" } th { "fingerprint" }
                }
            }
            tbody {
                @for (n, f) in findings.iter().enumerate() {
                    tr class=(f.confidence) {
                        td { (n + 1) }
                        td { code { (Clean(&f.place())) ":" (f.line) ":" (f.column) } }
                        td {
                            (Clean(&f.rule_id))
                            @if let Some(rule) = ctx.rule(&f.rule_id) {
                                ": " (Clean(&rule.description))
                            }
                        }
                        td {
                            (f.confidence)
                            @if f.confidence >= ctx.block_on { ", blocking" }
                        }
                        td { code { (Clean(&f.shown_secret(ctx.show_secrets))) } }
                        td {
                            @if let Some(c) = &f.commit {
                                code { (Clean(&c.id[..c.id.len().min(12)])) } " "
                                (Clean(&c.author_name)) " <" (Clean(&c.author_email)) "> "
                                (Clean(&c.date))
                            }
                        }
                        td { code { (f.fingerprint) } }
                    }
                }
            }
        }
    };
    let page = page("leakward report", body);
    out.write_all(page.into_string().as_bytes())?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        let cases: &[(&str, &str)] = &[
            ("plain", "plain"),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("a&b", "a&amp;b"),
            ("\"'", "&quot;'"),
            ("bell\u{7}", "bell&#xFFFD;"),
            ("\u{1b}[31mé\u{7f}", "&#xFFFD;[31mé&#xFFFD;"),
            ("line\nfeed\tkept", "line\nfeed\tkept"),
        ];
        for &(input, want) in cases {
            assert_eq!(html! { (Clean(input)) }.into_string(), want, "{input:?}");
        }
    }
}
