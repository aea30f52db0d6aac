//! What the tree diffs of a history scan need from each commit: its tree, its parents and
//! its commit time, read once for every commit, in parallel.

use gix::hash::ObjectId;
use rayon::prelude::*;

use super::blobs;
use crate::scan::allow::one_line;

/// An object that could not be read: (object id, reason).
pub(crate) type Failure = (String, String);

/// One commit's tree, parents (in parent order) and committer time (seconds since the
/// Unix epoch; 0 when the committer line cannot be parsed).
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    pub time: i64,
}

/// Commits are small and mostly stored whole: a small delta-base cache is enough.
const PACK_CACHE_BYTES: usize = 1 << 20;

/// The header of each of `commits`, in the same order, or the object that could not be
/// read and why. After a signal the rest are left unread and the result is partial:
/// callers check [`crate::interrupt`] before using it.
pub(crate) fn read(
    repo: &gix::ThreadSafeRepository,
    commits: &[ObjectId],
) -> Vec<Result<Header, Failure>> {
    commits
        .par_iter()
        .map_init(
            || blobs::worker_handle(repo, PACK_CACHE_BYTES, 0),
            |handle, &id| {
                if crate::interrupt::requested() {
                    return Err((id.to_string(), "interrupted".into()));
                }
                header(handle, id)
            },
        )
        .collect()
}

fn header(repo: &gix::Repository, id: ObjectId) -> Result<Header, Failure> {
    let failure = |e: &dyn std::fmt::Display| (id.to_string(), one_line(&e.to_string()));
    let commit = repo.find_commit(id).map_err(|e| failure(&e))?;
    let tree = commit.tree_id().map_err(|e| failure(&e))?.detach();
    let parents = commit.parent_ids().map(|p| p.detach()).collect();
    let time = commit.time().map_or(0, |t| t.seconds);
    Ok(Header {
        tree,
        parents,
        time,
    })
}
