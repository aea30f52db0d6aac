//! The audit as JSON (one document) or JSON Lines (one secret per line). The schema is
//! documented in the README's "Incident response" section and versioned.

use std::io::{self, Write};

use serde::Serialize;

use super::{Audit, Secret, AUDIT_SCHEMA_VERSION};
use crate::chunk::Commit;
use crate::finding::Confidence;
use crate::report::Context;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    kind: &'static str,
    tool: Tool,
    repository: &'a str,
    complete: bool,
    objects: u64,
    commits: u64,
    blobs: u64,
    unreadable: Vec<Unreadable<'a>>,
    secrets: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Unreadable<'a> {
    what: &'a str,
    why: &'a str,
}

#[derive(Serialize)]
struct Entry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<u32>,
    fingerprint: String,
    rule_id: &'a str,
    description: &'a str,
    confidence: Confidence,
    blocking: bool,
    /// Redacted unless `--show-secrets`.
    secret: String,
    redacted: bool,
    status: &'static str,
    at_head: bool,
    first_commit: Option<&'a Commit>,
    last_commit: Option<&'a Commit>,
    /// Places: path × line × commit.
    location_count: usize,
    locations: Vec<Location<'a>>,
    /// Distinct paths and commits, counted in all and listed up to a cap.
    path_count: usize,
    paths: &'a [String],
    commit_count: usize,
    commits: &'a [String],
    reached_by: Vec<Reach<'a>>,
    remediation: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    line: u32,
    commit: Option<&'a str>,
    blob: &'a str,
}

#[derive(Serialize)]
struct Reach<'a> {
    kind: &'a str,
    label: &'a str,
}

impl<'a> Entry<'a> {
    fn new(secret: &'a Secret, ctx: &'a Context) -> Self {
        let f = &secret.finding;
        Entry {
            version: None,
            fingerprint: f.fingerprint.to_string(),
            rule_id: &f.rule_id,
            description: ctx.rule(&f.rule_id).map_or("", |r| r.description.as_str()),
            confidence: f.confidence,
            blocking: f.confidence >= ctx.block_on,
            secret: f.shown_secret(ctx.show_secrets),
            redacted: !ctx.show_secrets,
            status: secret.status.as_str(),
            at_head: secret.status == super::Status::AtHead,
            first_commit: secret.first.as_deref(),
            last_commit: secret.last.as_deref(),
            location_count: secret.location_count,
            locations: secret
                .locations
                .iter()
                .map(|l| Location {
                    path: &l.path,
                    line: l.line,
                    commit: l.commit.as_deref(),
                    blob: &l.blob,
                })
                .collect(),
            path_count: secret.path_count,
            paths: &secret.paths,
            commit_count: secret.commit_count,
            commits: &secret.commits,
            reached_by: secret
                .reached_by
                .iter()
                .map(|r| Reach {
                    kind: r.kind,
                    label: &r.label,
                })
                .collect(),
            remediation: &secret.remediation,
        }
    }
}

/// Writes one JSON document: the audit's counts, what could not be read, and every secret.
pub(crate) fn write(audit: &Audit, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: AUDIT_SCHEMA_VERSION,
        kind: "audit",
        tool: Tool {
            name: "leakward",
            version: env!("CARGO_PKG_VERSION"),
        },
        repository: &audit.repository,
        complete: audit.unreadable.is_empty(),
        objects: audit.objects,
        commits: audit.commits,
        blobs: audit.blobs,
        unreadable: audit
            .unreadable
            .iter()
            .map(|(what, why)| Unreadable { what, why })
            .collect(),
        secrets: audit.secrets.iter().map(|s| Entry::new(s, ctx)).collect(),
    };
    crate::report::json::write_value(out, &document, true)?;
    writeln!(out)
}

/// Writes one JSON object per secret per line, each with the schema version.
pub(crate) fn write_lines(audit: &Audit, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    for secret in &audit.secrets {
        let mut entry = Entry::new(secret, ctx);
        entry.version = Some(AUDIT_SCHEMA_VERSION);
        crate::report::json::write_value(out, &entry, false)?;
        writeln!(out)?;
    }
    crate::report::json::write_coverage_record(ctx, AUDIT_SCHEMA_VERSION, out)
}
