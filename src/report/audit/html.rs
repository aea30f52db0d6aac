//! The audit as one self-contained HTML page a responder can hand on: a summary table, then
//! one section per secret with its lifecycle. Built with `maud` like the findings page
//! ([`crate::report::html`]), so every string from the repository is escaped by
//! construction; secrets are redacted unless `--show-secrets`.

use std::io::{self, Write};

use maud::{html, Markup};

use super::{Audit, Secret};
use crate::chunk::Commit;
use crate::report::html::{coverage, page, secrets_are, Clean};
use crate::report::Context;

/// Writes the whole page.
pub(crate) fn write(audit: &Audit, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let title = format!("leakward audit of {}", audit.repository);
    let body = html! {
        h1 { "leakward audit of " code { (Clean(&audit.repository)) } }
        p {
            (audit.secrets.len()) " distinct secret(s) in " (audit.objects) " objects ("
            (audit.blobs) " blobs, " (audit.commits) " commits). Secrets are "
            (secrets_are(ctx.show_secrets)) "."
        }
        (coverage(ctx))
        table {
            thead {
                tr {
                    th { "#" } th { "rule" } th { "confidence" } th { "status" }
                    th { "introduced" } th { "paths" } th { "commits" } th { "places" }
                }
            }
            tbody {
                @for (n, s) in audit.secrets.iter().enumerate() {
                    tr {
                        td { a href={ "#s" (n) } { (n + 1) } }
                        td { (Clean(&s.finding.rule_id)) }
                        td { (s.finding.confidence) }
                        td { (s.status.describe()) }
                        td { @if let Some(c) = &s.first { (Clean(&c.date)) } }
                        td { (code_list(&s.paths[..s.paths.len().min(SUMMARY_PATHS)], s.path_count)) }
                        td { (s.commit_count) }
                        td { (s.location_count) }
                    }
                }
            }
        }
        @for (n, s) in audit.secrets.iter().enumerate() {
            (secret(n, s, ctx))
        }
    };
    out.write_all(page(&title, body).into_string().as_bytes())?;
    writeln!(out)
}

fn secret(n: usize, s: &Secret, ctx: &Context) -> Markup {
    let f = &s.finding;
    let commits: Vec<String> = s
        .commits
        .iter()
        .map(|c| c[..c.len().min(12)].to_string())
        .collect();
    let more = s.location_count - s.locations.len();
    html! {
        section id={ "s" (n) } class=(f.confidence) {
            h2 {
                (n + 1) ". " (Clean(&f.rule_id)) " "
                small {
                    "(" (f.confidence) " confidence"
                    @if f.confidence >= ctx.block_on { ", blocking" }
                    ")"
                }
            }
            table {
                tbody {
                    @if let Some(rule) = ctx.rule(&f.rule_id) {
                        tr { th { "description" } td { (Clean(&rule.description)) } }
                    }
                    tr { th { "secret" } td { code { (Clean(&f.shown_secret(ctx.show_secrets))) } } }
                    tr { th { "fingerprint" } td { code { (f.fingerprint) } } }
                    tr { th { "status" } td { (s.status.describe()) } }
                    @if let Some(c) = &s.first {
                        tr { th { "introduced" } td { (commit(c)) } }
                    }
                    @if let Some(c) = &s.last {
                        tr { th { "last seen" } td { (commit(c)) } }
                    }
                    tr { th { "paths" } td { (s.path_count) ": " (code_list(&s.paths, s.path_count)) } }
                    tr { th { "commits" } td { (s.commit_count) ": " (code_list(&commits, s.commit_count)) } }
                    tr {
                        th { "reached by" }
                        td {
                            @for (i, r) in s.reached_by.iter().enumerate() {
                                @if i > 0 { ", " }
                                (Clean(&r.label))
                            }
                        }
                    }
                    tr { th { "remediation" } td { (Clean(&s.remediation)) } }
                }
            }
            table {
                caption { "places (path, line and commit)" }
                thead { tr { th { "path" } th { "line" } th { "commit" } th { "blob" } } }
                tbody {
                    @for at in &s.locations {
                        tr {
                            td { code { (Clean(&at.path)) } }
                            td { (at.line) }
                            td { code { (Clean(at.commit.as_deref().unwrap_or("(no commit)"))) } }
                            td { code { (Clean(&at.blob)) } }
                        }
                    }
                }
            }
            @if more > 0 {
                p { "… and " (more) " more place(s)." }
            }
        }
    }
}

/// Paths shown in a summary row; the secret's own section lists more.
const SUMMARY_PATHS: usize = 3;

/// Items in `<code>`, comma-separated, with `and N more` when `count` exceeds them.
fn code_list(items: &[String], count: usize) -> Markup {
    html! {
        @for (i, item) in items.iter().enumerate() {
            @if i > 0 { ", " }
            code { (Clean(item)) }
        }
        @if count > items.len() {
            " and " (count - items.len()) " more"
        }
    }
}

fn commit(c: &Commit) -> Markup {
    html! {
        code { (Clean(&c.id)) } " " (Clean(&c.author_name)) " <" (Clean(&c.author_email)) "> "
        (Clean(&c.date)) " " q { (Clean(&c.summary)) }
    }
}
