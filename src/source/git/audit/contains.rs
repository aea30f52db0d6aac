//! Which commits hold which blobs: for a few paths of interest, the blob each commit's tree
//! has there. Only paths where secrets were found are looked up, so this stays cheap.

use std::collections::HashSet;
use std::sync::Arc;

use gix::hash::ObjectId;
use rayon::prelude::*;

use crate::source::git::blobs;

/// A commit holding a blob of interest at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    /// Index into the commits looked at.
    pub commit: u32,
    /// Index into the paths looked up.
    pub path: u32,
    pub blob: ObjectId,
}

/// For every commit of `commits` and every path of `paths`, the blob at that path if it is
/// one of `wanted`. Commits or trees that cannot be read hold nothing here; the inventory
/// has already listed them.
pub fn holdings(
    repo: &gix::ThreadSafeRepository,
    commits: &[ObjectId],
    paths: &[Arc<str>],
    wanted: &HashSet<ObjectId>,
) -> Vec<Holding> {
    if paths.is_empty() {
        return Vec::new();
    }
    commits
        .par_iter()
        .enumerate()
        .map_init(
            || blobs::worker_handle(repo, 16 << 20),
            |handle, (at, &id)| {
                let Ok(tree) = handle.find_commit(id).and_then(|c| c.tree()) else {
                    return Vec::new();
                };
                let mut found = Vec::new();
                for (p, path) in paths.iter().enumerate() {
                    let entry = tree.lookup_entry(path.split('/').map(str::as_bytes));
                    if let Ok(Some(entry)) = entry {
                        let blob = entry.object_id();
                        if entry.mode().is_blob() && wanted.contains(&blob) {
                            found.push(Holding {
                                commit: at as u32,
                                path: p as u32,
                                blob,
                            });
                        }
                    }
                }
                found
            },
        )
        .flatten_iter()
        .collect()
}
