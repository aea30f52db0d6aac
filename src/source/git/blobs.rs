//! Reading blobs for history scans: one repository handle per worker, with bounded caches.

use gix::hash::ObjectId;
use gix::odb::pack::cache::lru::MemoryCappedHashmap;

use crate::chunk::Scope;
use crate::source::{Loaded, Skip};

/// Bytes of delta bases a worker that reads objects by id keeps decoded: a capped cache was
/// faster than gix's default on a 40k-commit repository, and keeps memory bounded.
pub const PACK_CACHE_BYTES: usize = 64 << 20;

/// A thread-local handle for one worker, with a delta-base cache of `pack_cache_bytes` and an
/// object cache of `object_cache_bytes` (0 for none, right when every object is read once).
pub fn worker_handle(
    repo: &gix::ThreadSafeRepository,
    pack_cache_bytes: usize,
    object_cache_bytes: usize,
) -> gix::Repository {
    let mut local = repo.to_thread_local();
    local
        .objects
        .set_pack_cache(move || Box::new(MemoryCappedHashmap::new(pack_cache_bytes)));
    local.object_cache_size(object_cache_bytes);
    local
}

/// Reads blob `id` unless it is larger than `max_size` bytes.
pub fn load(repo: &gix::Repository, id: ObjectId, max_size: u64) -> Loaded {
    match repo.find_object(id) {
        Ok(object) if object.kind != gix::object::Kind::Blob => {
            Loaded::Failed(format!("expected a blob, found a {}", object.kind))
        }
        Ok(object) => classify(object.detach().data, max_size),
        Err(e) => Loaded::Failed(failure(repo, id, &e)),
    }
}

/// Reads blob `id` whatever its size or content, for diffing.
pub fn read(repo: &gix::Repository, id: ObjectId) -> Result<Vec<u8>, crate::error::Reason> {
    match repo.find_object(id) {
        Ok(object) => Ok(object.detach().data),
        Err(e) => Err(failure(repo, id, &e).into()),
    }
}

/// Why object `id` could not be read, and for a missing one what to do about it.
fn failure(repo: &gix::Repository, id: ObjectId, error: &dyn std::fmt::Display) -> String {
    if repo.has_object(id) {
        crate::scan::allow::one_line(&error.to_string())
    } else {
        "missing from the object database: the repository is damaged or partial (`git fsck` lists what is missing; fetch or restore it)".into()
    }
}

/// Applies the size limit to decoded content.
pub fn classify(bytes: Vec<u8>, max_size: u64) -> Loaded {
    if bytes.len() as u64 > max_size {
        Loaded::Skipped(Skip::TooLarge)
    } else {
        Loaded::Bytes(bytes, Scope::All)
    }
}
