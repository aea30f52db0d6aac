//! Decoding each wanted blob once, as fast as the repository allows: through each pack's own
//! delta-tree traversal, then one lookup per id for whatever no pack held.
//!
//! Fetching blobs one id at a time makes the delta-base cache thrash (every lookup re-decodes
//! its chain); the pack traversal decodes every base once and hands each object over as soon
//! as it is whole, on several threads. It decodes only the wanted blobs and their delta bases,
//! in batches of bounded mapped size ([`pack_plan`]), so neither the commits and trees nor the
//! whole pack's pages are ever in memory. Loose objects, alternates and packs that fail to
//! open are not lost: anything wanted and not seen in a traversal is looked up by id
//! afterwards.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use gix::hash::ObjectId;
use gix::odb::pack::cache::delta::traverse::{self, Context};
use gix::odb::pack::cache::delta::Tree;
use rayon::prelude::*;

use super::pack_delta::{Decoded, PackEntry, Scratch};
use super::{blobs, pack_plan};
use crate::interrupt;

/// A blob that could not be read: (object id, reason).
pub(crate) type Failure = (String, String);

/// What [`decode_each`] could not hand to `visit`.
#[derive(Debug, Default)]
pub struct Undecoded {
    /// Wanted blobs that could not be read.
    pub failures: Vec<Failure>,
    /// Wanted blobs over the size limit, known from their headers and never decoded.
    pub too_large: u64,
}

/// What became of a blob read by id.
enum ById {
    Visited,
    TooLarge,
    Failed(Failure),
}

/// Calls `visit` once for every blob in `wanted` of at most `max_size` bytes, with its
/// content, from several threads. Each worker thread gets its own clone of `state` (a
/// scanner, say) to pass to `visit`.
pub fn decode_each<S, V>(
    repo: &gix::ThreadSafeRepository,
    wanted: &[ObjectId],
    threads: usize,
    max_size: u64,
    state: &S,
    visit: &V,
) -> Undecoded
where
    S: Clone + Send + Sync,
    V: Fn(&mut S, ObjectId, &[u8]) + Sync,
{
    let visit = |state: &mut S, blob: Decoded<'_>| visit(state, blob.id, blob.bytes);
    decode_each_entry(repo, wanted, threads, max_size, state, &visit)
}

/// [`decode_each`], handing `visit` each blob with where it sits in its pack and, for a
/// delta, what it copies from its base ([`Decoded`]). Within one pack's batch, a delta's
/// base is handed over before the delta (on the same worker, unless another stole it).
pub(crate) fn decode_each_entry<S, V>(
    repo: &gix::ThreadSafeRepository,
    wanted: &[ObjectId],
    threads: usize,
    max_size: u64,
    state: &S,
    visit: &V,
) -> Undecoded
where
    S: Clone + Send + Sync,
    V: Fn(&mut S, Decoded<'_>) + Sync,
{
    let wanted_set: HashSet<ObjectId> = wanted.iter().copied().collect();
    let seen = Mutex::new(HashSet::with_capacity(wanted.len()));
    let local = repo.to_thread_local();
    for index in pack_indices(local.objects.store_ref().path()) {
        if seen.lock().map_or(0, |s| s.len()) == wanted.len() || interrupt::requested() {
            break;
        }
        // A pack that cannot be traversed is not fatal: its blobs are looked up by id below.
        let _ = traverse(
            &index,
            local.object_hash(),
            &wanted_set,
            (threads, max_size),
            state,
            &|state, blob: Decoded<'_>| {
                if !wanted_set.contains(&blob.id) {
                    return;
                }
                let first = seen.lock().is_ok_and(|mut s| s.insert(blob.id));
                if first {
                    visit(state, blob);
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
    let outcomes: Vec<ById> = rest
        .par_iter()
        .map_init(
            || {
                (
                    state.clone(),
                    blobs::worker_handle(repo, blobs::PACK_CACHE_BYTES, 0),
                )
            },
            |(state, handle), &id| {
                if interrupt::requested() {
                    return None;
                }
                // Loose objects and blobs the pack plan left out for their size: the header
                // tells the size without decoding the object.
                if handle.find_header(id).is_ok_and(|h| h.size() > max_size) {
                    return Some(ById::TooLarge);
                }
                Some(match blobs::read(handle, id) {
                    Ok(bytes) => {
                        let blob = Decoded {
                            id,
                            bytes: &bytes,
                            entry: None,
                        };
                        visit(state, blob);
                        ById::Visited
                    }
                    Err(reason) => ById::Failed((id.to_string(), reason.to_string())),
                })
            },
        )
        .while_some()
        .collect();
    let mut undecoded = Undecoded::default();
    for outcome in outcomes {
        match outcome {
            ById::TooLarge => undecoded.too_large += 1,
            ById::Failed(failure) => undecoded.failures.push(failure),
            ById::Visited => {}
        }
    }
    undecoded
}

/// Decodes the blobs in `ids` of at most `max_size` bytes into memory, as [`decode_each`]
/// reads them: for the few blobs a scan must hold at once, such as the versions attribution
/// diffs. Blobs over the limit are absent from the map and counted in the second value.
pub(crate) fn decode_to_map(
    repo: &gix::ThreadSafeRepository,
    ids: &[ObjectId],
    threads: usize,
    max_size: u64,
) -> (HashMap<ObjectId, Vec<u8>>, Undecoded) {
    let decoded = Mutex::new(HashMap::with_capacity(ids.len()));
    let keep = |_: &mut (), id: ObjectId, bytes: &[u8]| {
        if let Ok(mut decoded) = decoded.lock() {
            decoded.insert(id, bytes.to_vec());
        }
    };
    let undecoded = decode_each(repo, ids, threads, max_size, &(), &keep);
    (decoded.into_inner().unwrap_or_default(), undecoded)
}

/// The `.idx` files of the packs in the object directory `objects_dir`, sorted for
/// reproducible runs.
pub(crate) fn pack_indices(objects_dir: &Path) -> Vec<PathBuf> {
    let dir = objects_dir.join("pack");
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

/// Decodes the wanted blobs of one pack, batch by batch (see [`pack_plan`]), calling `visit`
/// with each and the calling thread's clone of `state` (gix clones the inspector once per
/// thread). Each batch maps the pack afresh, so its pages leave memory with it.
fn traverse<S, V>(
    index_path: &Path,
    hash: gix::hash::Kind,
    wanted: &HashSet<ObjectId>,
    (threads, max_size): (usize, u64),
    state: &S,
    visit: &V,
) -> Result<(), crate::error::Reason>
where
    S: Clone + Send,
    V: Fn(&mut S, Decoded<'_>) + Sync,
{
    let index = gix::odb::pack::index::File::at(index_path, hash).map_err(|e| e.to_string())?;
    let pack_path = index_path.with_extension("pack");
    let batches = pack_plan::batches(&index, &pack_path, wanted, pack_plan::BATCH_BYTES, max_size)?;
    for batch in batches {
        let tree = Tree::from_offsets_in_pack(
            &pack_path,
            batch.into_iter(),
            &|node: &pack_plan::Node| node.offset,
            &|id| Ok(index.lookup(id).map(|at| index.pack_offset_at_index(at))),
            &mut gix::progress::Discard,
            interrupt::flag(),
            hash,
        )
        .map_err(|e| e.to_string())?;
        let pack = gix::odb::pack::data::File::at(&pack_path, hash).map_err(|e| e.to_string())?;
        let mut state = state.clone();
        let mut scratch = Scratch::default();
        let pack_ref = &pack;
        let inspect = move |node: &mut pack_plan::Node,
                            _: &dyn gix::progress::Progress,
                            context: Context<'_>| {
            if let (Some(id), Some(gix::object::Kind::Blob)) =
                (node.id, context.entry.header.as_kind())
            {
                let entry = PackEntry::new(node, pack_ref, &context, &mut scratch);
                let blob = Decoded {
                    id,
                    bytes: context.decompressed,
                    entry: Some(entry),
                };
                visit(&mut state, blob);
            }
            Ok(())
        };
        tree.traverse(
            |range, pack: &gix::odb::pack::data::File| pack.entry_slice(range),
            &pack,
            pack.pack_end() as u64,
            inspect,
            traverse::Options {
                object_progress: Box::new(gix::progress::Discard),
                size_progress: &mut gix::progress::Discard,
                thread_limit: Some(threads.max(1)),
                should_interrupt: interrupt::flag(),
                object_hash: hash,
                alloc_limit_bytes: None,
            },
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}
