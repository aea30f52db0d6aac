//! The audit as one self-contained HTML page a responder can hand on: inline style, no
//! script, no external asset. Every string that comes from the repository is escaped, and
//! secrets are redacted unless `--show-secrets`. The markup is well-formed XML (void
//! elements self-closed) so tools and tests can parse it.

use std::io::{self, Write};

use super::{Audit, Secret};
use crate::chunk::Commit;
use crate::report::Context;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;\
text-align:left;vertical-align:top}code{font-family:ui-monospace,monospace}\
section{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;margin:1em 0}\
.high{border-left:6px solid #c00}.medium{border-left:6px solid #e90}.low{border-left:6px solid #09c}\
.warn{background:#fee;padding:.5em 1em}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push_str("&#xFFFD;");
            }
            c => out.push(c),
        }
    }
    out
}

/// Writes the whole page.
pub fn write(audit: &Audit, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let repo = escape(&audit.repository);
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"en\"><head><meta charset=\"utf-8\" />")?;
    writeln!(out, "<title>leakward audit of {repo}</title>")?;
    writeln!(out, "<style>{STYLE}</style></head><body>")?;
    writeln!(out, "<h1>leakward audit of <code>{repo}</code></h1>")?;
    writeln!(
        out,
        "<p>{} distinct secret(s) in {} objects ({} blobs, {} commits). Secrets are {}.</p>",
        audit.secrets.len(),
        audit.objects,
        audit.blobs,
        audit.commits,
        if ctx.show_secrets {
            "shown in full: handle this report as a secret"
        } else {
            "redacted"
        }
    )?;
    if !audit.unreadable.is_empty() {
        writeln!(
            out,
            "<div class=\"warn\"><h2>Incomplete: could not read everything</h2><ul>"
        )?;
        for (what, why) in &audit.unreadable {
            writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape(what),
                escape(why)
            )?;
        }
        writeln!(out, "</ul></div>")?;
    }
    writeln!(
        out,
        "<table><thead><tr><th>#</th><th>rule</th><th>confidence</th><th>status</th>\
         <th>introduced</th><th>paths</th><th>commits</th><th>places</th></tr></thead><tbody>"
    )?;
    for (n, s) in audit.secrets.iter().enumerate() {
        writeln!(
            out,
            "<tr><td><a href=\"#s{n}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            n + 1,
            escape(&s.finding.rule_id),
            s.finding.confidence,
            s.status.describe(),
            s.first.as_deref().map_or(String::new(), |c| escape(&c.date)),
            code_list(&s.paths[..s.paths.len().min(SUMMARY_PATHS)], s.path_count),
            s.commit_count,
            s.location_count
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    for (n, s) in audit.secrets.iter().enumerate() {
        write_secret(n, s, ctx, out)?;
    }
    writeln!(out, "</body></html>")
}

fn write_secret(n: usize, s: &Secret, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let f = &s.finding;
    writeln!(out, "<section id=\"s{n}\" class=\"{}\">", f.confidence)?;
    writeln!(
        out,
        "<h2>{}. {} <small>({} confidence{})</small></h2>",
        n + 1,
        escape(&f.rule_id),
        f.confidence,
        if f.confidence >= ctx.block_on {
            ", blocking"
        } else {
            ""
        }
    )?;
    writeln!(out, "<table><tbody>")?;
    let mut row =
        |key: &str, value: String| writeln!(out, "<tr><th>{key}</th><td>{value}</td></tr>");
    if let Some(rule) = ctx.rule(&f.rule_id) {
        row("description", escape(&rule.description))?;
    }
    row(
        "secret",
        format!("<code>{}</code>", escape(&f.shown_secret(ctx.show_secrets))),
    )?;
    row("fingerprint", format!("<code>{}</code>", f.fingerprint))?;
    row("status", s.status.describe().to_string())?;
    if let Some(c) = &s.first {
        row("introduced", commit_html(c))?;
    }
    if let Some(c) = &s.last {
        row("last seen", commit_html(c))?;
    }
    row(
        "paths",
        format!("{}: {}", s.path_count, code_list(&s.paths, s.path_count)),
    )?;
    let commits: Vec<String> = s
        .commits
        .iter()
        .map(|c| c[..c.len().min(12)].to_string())
        .collect();
    row(
        "commits",
        format!(
            "{}: {}",
            s.commit_count,
            code_list(&commits, s.commit_count)
        ),
    )?;
    let reach: Vec<String> = s.reached_by.iter().map(|r| escape(&r.label)).collect();
    row("reached by", reach.join(", "))?;
    row("remediation", escape(&s.remediation))?;
    writeln!(out, "</tbody></table>")?;
    writeln!(
        out,
        "<table><caption>places (path, line and commit)</caption><thead><tr><th>path</th><th>line</th><th>commit</th><th>blob</th></tr></thead><tbody>"
    )?;
    for at in &s.locations {
        writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            escape(&at.path),
            at.line,
            escape(at.commit.as_deref().unwrap_or("(no commit)")),
            escape(&at.blob)
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    let more = s.location_count - s.locations.len();
    if more > 0 {
        writeln!(out, "<p>… and {more} more place(s).</p>")?;
    }
    writeln!(out, "</section>")
}

/// Paths shown in a summary row; the secret's own section lists more.
const SUMMARY_PATHS: usize = 3;

/// Escaped items in `<code>`, comma-separated, with `and N more` when `count` exceeds them.
fn code_list(items: &[String], count: usize) -> String {
    let mut text = items
        .iter()
        .map(|i| format!("<code>{}</code>", escape(i)))
        .collect::<Vec<_>>()
        .join(", ");
    if count > items.len() {
        text.push_str(&format!(" and {} more", count - items.len()));
    }
    text
}

fn commit_html(c: &Commit) -> String {
    format!(
        "<code>{}</code> {} &lt;{}&gt; {} <q>{}</q>",
        escape(&c.id),
        escape(&c.author_name),
        escape(&c.author_email),
        escape(&c.date),
        escape(&c.summary)
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_quotes_are_escaped() {
        let cases: &[(&str, &str)] = &[
            ("plain", "plain"),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("a&b", "a&amp;b"),
            ("\"'", "&quot;&#39;"),
            ("bell\u{7}", "bell&#xFFFD;"),
        ];
        for &(input, want) in cases {
            assert_eq!(escape(input), want, "{input:?}");
        }
    }
}
