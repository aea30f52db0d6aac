//! Git, read in-process through `gix`: no `git` subprocess, so nothing a hostile
//! repository configures (hooks, `core.fsmonitor`, diff drivers) ever runs.

pub(crate) mod added_lines;
pub(crate) mod attribute;
pub(crate) mod attribution;
pub(crate) mod audit;
pub(crate) mod blobs;
mod cache_tree;
mod commit_headers;
mod delta;
pub(crate) mod history;
pub(crate) mod pack_delta;
pub(crate) mod pack_headers;
pub mod pack_plan;
pub(crate) mod packs;
pub(crate) mod policy;
pub(crate) mod repo;
pub(crate) use repo::shared;
pub(crate) mod shallow;
pub(crate) mod staged;
mod tree_reader;
pub(crate) mod walk;

use std::path::Path;
use std::sync::Arc;

/// Object ids and repository handles are the plain data and opaque handles that commands
/// pass back to the functions of this module; commands call no gix function themselves.
pub(crate) use gix::hash::ObjectId;
pub(crate) use gix::{Repository, ThreadSafeRepository};

use crate::chunk::Commit;
use crate::error::{Error, Result};

/// Opens the repository that contains `path`, honouring `GIT_DIR`, `GIT_WORK_TREE` and
/// `GIT_INDEX_FILE` as git sets them for hooks.
pub(crate) fn open(path: &Path) -> Result<gix::Repository> {
    gix::discover_with_environment_overrides(path).map_err(|e| Error::git_message(format!(
            "{} is not in a git repository ({}); run leakward inside a work tree, or name the repository with --repo DIR",
            crate::path_text::from_path(path),
            crate::scan::allow::one_line(&e.to_string())
        )))
}

/// Opens the repository at exactly `path` (a work tree or a bare clone), as a listed unit of
/// a multi-repository run is opened: not a parent directory's repository, and not where
/// `GIT_DIR` points, which would scan one repository in place of every listed one.
pub(crate) fn open_listed(path: &Path) -> Result<gix::Repository> {
    gix::open(path).map_err(|e| {
        Error::git_message(format!(
            "{} is not a git repository ({})",
            crate::path_text::from_path(path),
            crate::scan::allow::one_line(&e.to_string())
        ))
    })
}

/// Opens `repo` again as a new handle with a new object store, dropping the old one. The
/// pages of the packs an object store has read stay mapped, and resident, for as long as any
/// handle on that store lives: a history scan reopens once its tree diffs are done, so the
/// pages of every commit and tree it read leave memory before the blobs are decoded. Every
/// other handle on the old store (clones, thread-safe copies) must be dropped as well.
pub(crate) fn reopen(repo: gix::Repository) -> Result<gix::Repository> {
    let fresh = fresh_store(&repo)?;
    drop(repo);
    Ok(fresh.to_thread_local())
}

/// The repository of `repo` opened again with an object store of its own: whatever pack
/// pages it maps leave memory when it and its handles are dropped, whatever `repo` keeps.
pub(crate) fn fresh_store(repo: &gix::Repository) -> Result<gix::ThreadSafeRepository> {
    let git_dir = repo.git_dir();
    gix::open_opts(git_dir, repo.open_options().clone())
        .map(gix::Repository::into_sync)
        .map_err(|e| {
            Error::git_message(format!(
                "cannot open {} again ({})",
                git_dir.display(),
                crate::scan::allow::one_line(&e.to_string())
            ))
        })
}

/// The metadata findings carry for `commit`. Undecodable fields become empty strings
/// rather than failing: attribution is best-effort, the finding itself is not.
pub(crate) fn commit_meta(commit: &gix::Commit<'_>) -> Arc<Commit> {
    let (author_name, author_email, date) = match commit.author() {
        Ok(author) => (
            author.name.to_string(),
            author.email.to_string(),
            author
                .time()
                .map(|t| format_time(t.seconds))
                .unwrap_or_default(),
        ),
        Err(_) => Default::default(),
    };
    let summary = commit
        .message_raw_sloppy()
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    Arc::new(Commit {
        id: commit.id.to_string(),
        author_name,
        author_email,
        date,
        summary,
    })
}

/// Seconds since the Unix epoch as RFC 3339 in UTC (`2024-05-01T12:00:00Z`).
///
/// A time outside years -9999 to 9999 (a forged commit header) is shown as the epoch, as
/// `git log` shows a date it cannot represent.
pub(crate) fn format_time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn unix_times_format_as_rfc3339() {
        let cases: &[(i64, &str)] = &[
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_714_564_800, "2024-05-01T12:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (i64::MAX, "1970-01-01T00:00:00Z"),
            (i64::MIN, "1970-01-01T00:00:00Z"),
        ];
        for &(seconds, want) in cases {
            assert_eq!(format_time(seconds), want, "{seconds}");
        }
    }
}
