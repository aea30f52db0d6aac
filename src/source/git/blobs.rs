//! Reading blobs for history scans: one repository handle per worker, with bounded caches.

use gix::hash::ObjectId;
use gix::odb::pack::cache::lru::MemoryCappedHashmap;

/// Bytes of delta bases a worker that reads objects by id keeps decoded: a capped cache was
/// faster than gix's default on a 40k-commit repository, and keeps memory bounded.
pub(crate) const PACK_CACHE_BYTES: usize = 64 << 20;

/// A thread-local handle for one worker, with a delta-base cache of `pack_cache_bytes` and an
/// object cache of `object_cache_bytes` (0 for none, right when every object is read once).
pub(crate) fn worker_handle(
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

/// Reads blob `id` whatever its size or content, for diffing.
pub(crate) fn read(repo: &gix::Repository, id: ObjectId) -> Result<Vec<u8>, crate::error::Reason> {
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
