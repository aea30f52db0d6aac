//! Decoding each wanted blob once, as fast as the repository allows: through each pack's own
//! delta-tree traversal, then one lookup per id for whatever no pack held.
//!
//! Fetching blobs one id at a time makes the delta-base cache thrash (every lookup re-decodes
//! its chain); the pack traversal decodes every base once and hands each object over as soon
//! as it is whole, on several threads. Loose objects, alternates and packs that fail to open
//! are not lost: anything wanted and not seen in a traversal is looked up by id afterwards.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use gix::hash::ObjectId;
use gix::odb::pack::index::traverse::{with_index, SafetyCheck};
use rayon::prelude::*;

use super::blobs;
use crate::interrupt;

/// A blob that could not be read: (object id, reason).
pub type Failure = (String, String);

/// Calls `visit` once for every blob in `wanted`, with its content, from several threads;
/// returns the wanted blobs that could not be read. Each worker thread gets its own clone of
/// `state` (a scanner, say) to pass to `visit`.
pub fn decode_each<S, V>(
    repo: &gix::ThreadSafeRepository,
    wanted: &[ObjectId],
    threads: usize,
    state: &S,
    visit: &V,
) -> Vec<Failure>
where
    S: Clone + Send + Sync,
    V: Fn(&mut S, ObjectId, &[u8]) + Sync,
{
    let wanted_set: HashSet<ObjectId> = wanted.iter().copied().collect();
    let seen = Mutex::new(HashSet::with_capacity(wanted.len()));
    let local = repo.to_thread_local();
    for index in pack_indices(&local) {
        if seen.lock().map_or(0, |s| s.len()) == wanted.len() || interrupt::requested() {
            break;
        }
        // A pack that cannot be traversed is not fatal: its blobs are looked up by id below.
        let _ = traverse(
            &index,
            local.object_hash(),
            threads,
            state.clone(),
            &|state, id, data| {
                if !wanted_set.contains(&id) {
                    return;
                }
                let first = seen.lock().is_ok_and(|mut s| s.insert(id));
                if first {
                    visit(state, id, data);
                }
            },
        );
    }
    let seen = seen.into_inner().unwrap_or_default();
    let rest: Vec<ObjectId> = wanted
        .iter()
        .filter(|id| !seen.contains(*id))
        .copied()
        .collect();
    // After a signal, ids not yet read are left out; the caller reports nothing anyway.
    rest.par_iter()
        .map_init(
            || (state.clone(), blobs::worker_handle(repo, 0)),
            |(state, handle), &id| {
                if interrupt::requested() {
                    return None;
                }
                match blobs::read(handle, id) {
                    Ok(bytes) => {
                        visit(state, id, &bytes);
                        Some(None)
                    }
                    Err(reason) => Some(Some((id.to_string(), reason))),
                }
            },
        )
        .while_some()
        .flatten()
        .collect()
}

/// The `.idx` files of the repository's own packs, sorted for reproducible runs.
fn pack_indices(repo: &gix::Repository) -> Vec<PathBuf> {
    let dir = repo.objects.store_ref().path().join("pack");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "idx"))
        .collect();
    out.sort();
    out
}

/// Decodes every blob of one pack, calling `visit` with each and the calling thread's clone
/// of `state` (gix clones the processor once per thread).
fn traverse<S, V>(
    index: &std::path::Path,
    hash: gix::hash::Kind,
    threads: usize,
    mut state: S,
    visit: &V,
) -> Result<(), String>
where
    S: Clone + Send,
    V: Fn(&mut S, ObjectId, &[u8]) + Sync,
{
    let bundle = gix::odb::pack::Bundle::at(index, hash).map_err(|e| e.to_string())?;
    let processor = move |kind: gix::object::Kind,
                          data: &[u8],
                          entry: &gix::odb::pack::index::Entry,
                          _: &dyn gix::progress::Progress| {
        if kind == gix::object::Kind::Blob {
            visit(&mut state, entry.oid, data);
        }
        Ok(())
    };
    bundle
        .index
        .traverse_with_index(
            &bundle.pack,
            processor,
            &mut gix::progress::Discard,
            interrupt::flag(),
            with_index::Options {
                thread_limit: Some(threads.max(1)),
                // The pack and index checksums cost a full extra read of both files, and
                // the per-object SHA-1 as much as decoding: the scan trusts the index.
                check: SafetyCheck::SkipFileAndObjectChecksumVerification,
                alloc_limit_bytes: None,
            },
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}
