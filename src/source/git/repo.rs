//! Small questions about a repository that commands ask: where its files and hooks live,
//! whether an object is a commit, what a boundary commit lacks, a commit's metadata. Each
//! answers with plain data, so commands never call gix themselves.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gix::hash::ObjectId;

use crate::chunk::Commit;
use crate::error::{Error, Result};

/// Where `.leakward.toml` and `.leakwardignore` are looked up: the work tree, or the git
/// directory of a bare repository.
pub(crate) fn root_of(repo: &gix::Repository) -> PathBuf {
    repo.workdir().unwrap_or(repo.git_dir()).to_path_buf()
}

/// The top of the work tree; `None` for a bare repository.
pub(crate) fn workdir(repo: &gix::Repository) -> Option<&Path> {
    repo.workdir()
}

/// The git directory linked worktrees share (where `modules/` and `hooks/` live).
pub(crate) fn common_dir(repo: &gix::Repository) -> &Path {
    repo.common_dir()
}

/// Where git looks for the hooks of the repository at `path`: `core.hooksPath` if set
/// (relative to the top of the work tree, as git runs hooks there), else `hooks` in the
/// common git directory, which linked worktrees share.
pub(crate) fn hooks_dir(path: &Path) -> Result<PathBuf> {
    let repo = super::open(path)?;
    let configured = repo
        .config_snapshot()
        .trusted_path("core.hooksPath")
        .map_err(|e| Error::git("cannot read core.hooksPath", e))?;
    Ok(match configured {
        Some(path) if path.is_absolute() => path,
        Some(path) => root_of(&repo).join(path),
        None => repo.common_dir().join("hooks"),
    })
}

/// True if the repository holds `id` and it is a commit.
pub(crate) fn is_commit(repo: &gix::Repository, id: ObjectId) -> bool {
    repo.find_header(id)
        .is_ok_and(|h| h.kind() == gix::object::Kind::Commit)
}

/// The first missing parent of a boundary commit among `commits`, if the walk reached one.
pub(crate) fn missing_parent(
    repo: &gix::Repository,
    commits: &[ObjectId],
    boundary: &HashSet<ObjectId>,
) -> Option<ObjectId> {
    commits
        .iter()
        .filter(|id| boundary.contains(*id))
        .filter_map(|&id| repo.find_commit(id).ok())
        .flat_map(|commit| commit.parent_ids().map(|p| p.detach()).collect::<Vec<_>>())
        .find(|&parent| repo.find_header(parent).is_err())
}

/// The metadata of commit `id`; a commit that cannot be read keeps at least its id
/// (attribution is best-effort, the finding itself is not).
pub(crate) fn commit_meta_of(repo: &gix::Repository, id: ObjectId) -> Arc<Commit> {
    match repo.find_commit(id) {
        Ok(commit) => super::commit_meta(&commit),
        Err(_) => Arc::new(Commit {
            id: id.to_string(),
            author_name: String::new(),
            author_email: String::new(),
            date: String::new(),
            summary: String::new(),
        }),
    }
}

/// A handle that worker threads can share, over the same object store as `repo`.
pub(crate) fn shared(repo: &gix::Repository) -> gix::ThreadSafeRepository {
    repo.clone().into_sync()
}

/// A handle for the calling thread over the shared repository `repo`.
pub(crate) fn local(repo: &gix::ThreadSafeRepository) -> gix::Repository {
    repo.to_thread_local()
}
