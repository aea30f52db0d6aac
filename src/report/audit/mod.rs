//! Audit reports: one entry per distinct secret with its lifecycle, in text, JSON, JSON
//! Lines, CSV and self-contained HTML. The app builds the [`Audit`]; these modules only write.

pub(crate) mod csv;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod text;

use std::io::{self, Write};
use std::sync::Arc;

use super::{Context, Format};
use crate::chunk::Commit;
use crate::finding::Finding;

/// Version of the audit JSON, JSON Lines and CSV schemas; bumped on any incompatible change.
pub(crate) const AUDIT_SCHEMA_VERSION: u32 = 1;

/// Everything an audit report shows.
#[derive(Debug, Default)]
pub(crate) struct Audit {
    /// The repository as given on the command line.
    pub repository: String,
    /// Objects in the database, all kinds.
    pub objects: u64,
    /// Blobs read and scanned.
    pub blobs: u64,
    pub commits: u64,
    /// Sorted by confidence (highest first), then most recent last appearance.
    pub secrets: Vec<Secret>,
    /// What could not be read, or read as git shows it: (what, why). Any makes the audit
    /// incomplete.
    pub unreadable: Vec<(String, String)>,
}

/// Where a secret stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// In the tree HEAD points at.
    AtHead,
    /// Not at HEAD, but a branch, tag or other ref still reaches it: any clone gets it.
    Reachable,
    /// Only in objects no ref reaches: reflog entries, stashes, dangling commits or blobs.
    Unreachable,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::AtHead => "at-head",
            Status::Reachable => "reachable",
            Status::Unreachable => "unreachable",
        }
    }

    /// A sentence for human reports.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Status::AtHead => "still at HEAD",
            Status::Reachable => "removed from HEAD, still in history that refs reach",
            Status::Unreachable => "only in objects no branch or tag reaches",
        }
    }
}

/// One distinct secret (one fingerprint) and its lifecycle.
#[derive(Debug, Clone)]
pub(crate) struct Secret {
    /// One finding of the secret: rule, confidence, secret and line text for display.
    pub finding: Finding,
    pub status: Status,
    /// The earliest commit (by author date) whose tree holds it and whose parents' do not.
    pub first: Option<Arc<Commit>>,
    /// The latest commit (by author date) whose tree holds it.
    pub last: Option<Arc<Commit>>,
    /// Where it appears, oldest commit first, capped.
    pub locations: Vec<Location>,
    /// How many locations (path, line, commit) there are in all.
    pub location_count: usize,
    /// The distinct paths it appears at, sorted, capped; `path_count` counts them all.
    pub paths: Vec<String>,
    pub path_count: usize,
    /// The distinct commits that hold it, oldest first, capped; `commit_count` counts them all.
    pub commits: Vec<String>,
    pub commit_count: usize,
    /// What reaches it: refs first, then stashes, reflog entries, dangling commits and
    /// unreferenced blobs.
    pub reached_by: Vec<Reach>,
    /// What to do about it.
    pub remediation: String,
}

/// One place a secret appears: a path in a commit, or a blob no commit holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Location {
    /// Empty for a blob that no commit holds.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    pub commit: Option<String>,
    pub blob: String,
}

/// One thing that reaches a secret.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Reach {
    /// `head`, `branch`, `tag`, `remote`, `notes`, `pull-request`, `ref`, `stash`, `reflog`,
    /// `dangling-commit` or `unreferenced-blob`.
    pub kind: &'static str,
    /// How a responder names it: `branch main`, `stash@{0}`, `dangling commit 1a2b…`.
    pub label: String,
}

/// Writes `audit` in `format`. SARIF and GitHub annotations get one result per secret, at
/// its first location.
pub(crate) fn write(
    format: Format,
    audit: &Audit,
    ctx: &Context,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(audit, ctx, out),
        Format::Json => json::write(audit, ctx, out),
        Format::Jsonl => json::write_lines(audit, ctx, out),
        Format::Csv => csv::write(audit, ctx, out),
        Format::Html => html::write(audit, ctx, out),
        Format::Sarif => super::sarif::write(&first_findings(audit), ctx, out),
        Format::Github => super::github::write(&first_findings(audit), ctx, out),
    }
}

/// One finding per secret, each at its first location and commit.
fn first_findings(audit: &Audit) -> Vec<Finding> {
    audit.secrets.iter().map(first_finding).collect()
}

/// The secret's finding placed at its first location in a commit (a blob no commit holds
/// has no path to show, so it comes only when there is nothing else) and its first commit.
fn first_finding(secret: &Secret) -> Finding {
    let mut finding = secret.finding.clone();
    let committed = secret.locations.iter().find(|at| at.commit.is_some());
    if let Some(at) = committed.or(secret.locations.first()) {
        finding.path.clone_from(&at.path);
        finding.line = at.line;
        finding.blob = Some(at.blob.clone());
    }
    finding.commit = secret.first.clone();
    finding
}

/// What to do after a leak, for one rule: its own advice, then how to purge history.
pub(crate) fn remediation(rule: Option<&str>) -> String {
    let rotate = match rule.map(str::trim) {
        Some(text) if text.ends_with(['.', '!', '?']) => text.to_string(),
        Some(text) if !text.is_empty() => format!("{text}."),
        _ => "Revoke and rotate the credential at its issuer.".to_string(),
    };
    format!(
        "{rotate} After rotating, purge it from history: git filter-repo --replace-text FILE \
         (or --invert-paths --path PATH for a file that is only secrets), force-push every \
         branch and tag, then expire reflogs and prune (git reflog expire --expire=now --all && \
         git gc --prune=now) in every clone and mirror, and ask the host to drop cached refs \
         (pull requests, forks)."
    )
}
