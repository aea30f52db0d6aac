//! The human audit report: one block per distinct secret, most confident and most recent
//! first, and a list of what could not be read.

use std::io::{self, Write};

use super::{Audit, Secret};
use crate::chunk::Commit;
use crate::report::text::safe;
use crate::report::Context;

/// Writes one block per secret, then the unreadable objects.
pub(crate) fn write(audit: &Audit, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "leakward audit of {}: {} distinct secret{} in {} objects ({} blobs, {} commits)",
        safe(&audit.repository),
        audit.secrets.len(),
        if audit.secrets.len() == 1 { "" } else { "s" },
        audit.objects,
        audit.blobs,
        audit.commits
    )?;
    for secret in &audit.secrets {
        writeln!(out)?;
        write_secret(secret, ctx, out)?;
    }
    if !audit.unreadable.is_empty() {
        writeln!(out, "\nINCOMPLETE: could not read everything:")?;
        for (what, why) in &audit.unreadable {
            writeln!(out, "  {}: {}", safe(what), safe(why))?;
        }
    }
    Ok(())
}

fn write_secret(secret: &Secret, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let f = &secret.finding;
    let blocking = if f.confidence >= ctx.block_on {
        ", blocking"
    } else {
        ""
    };
    writeln!(
        out,
        "{} ({} confidence{blocking})  fingerprint {}",
        f.rule_id, f.confidence, f.fingerprint
    )?;
    writeln!(
        out,
        "  secret:      {}",
        safe(&f.shown_secret(ctx.show_secrets))
    )?;
    writeln!(out, "  status:      {}", secret.status.describe())?;
    if let Some(first) = &secret.first {
        writeln!(out, "  introduced:  {}", commit_line(first))?;
    }
    if let Some(last) = &secret.last {
        writeln!(out, "  last seen:   {}", commit_line(last))?;
    }
    let reach: Vec<String> = secret.reached_by.iter().map(|r| safe(&r.label)).collect();
    if !reach.is_empty() {
        writeln!(out, "  reached by:  {}", reach.join(", "))?;
    }
    let paths: Vec<String> = secret.paths.iter().map(|p| safe(p)).collect();
    writeln!(
        out,
        "  paths:       {}{}{}",
        secret.path_count,
        if paths.is_empty() { "" } else { ": " },
        listed(&paths, secret.path_count)
    )?;
    let commits: Vec<String> = secret
        .commits
        .iter()
        .map(|c| short(c).to_string())
        .collect();
    writeln!(
        out,
        "  commits:     {}{}{}",
        secret.commit_count,
        if commits.is_empty() { "" } else { ": " },
        listed(&commits, secret.commit_count)
    )?;
    writeln!(
        out,
        "  appears in:  {} place(s) (path, line and commit)",
        secret.location_count
    )?;
    for at in &secret.locations {
        let commit = at.commit.as_deref().map_or_else(
            || format!("unreferenced blob {}", at.blob),
            |c| short(c).to_string(),
        );
        if at.path.is_empty() {
            writeln!(out, "    line {}  {commit}", at.line)?;
        } else {
            writeln!(out, "    {}:{}  {commit}", safe(&at.path), at.line)?;
        }
    }
    let more = secret.location_count - secret.locations.len();
    if more > 0 {
        writeln!(out, "    … and {more} more")?;
    }
    writeln!(out, "  remediation: {}", safe(&secret.remediation))
}

/// `1a2b3c4d5e6f Alice <alice@example.com> 2024-05-01T12:00:00Z "message"`.
fn commit_line(commit: &Commit) -> String {
    format!(
        "{} {} <{}> {} \"{}\"",
        short(&commit.id),
        safe(&commit.author_name),
        safe(&commit.author_email),
        commit.date,
        safe(&commit.summary)
    )
}

/// `a, b, c`, then `and N more` when the list was capped below `count`.
pub(crate) fn listed(items: &[String], count: usize) -> String {
    let mut text = items.join(", ");
    if count > items.len() {
        text.push_str(&format!(" and {} more", count - items.len()));
    }
    text
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}
