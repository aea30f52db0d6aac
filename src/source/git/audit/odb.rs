//! The whole object database, for audits: every object id, packed or loose, reachable or
//! not, with its kind; and whatever about the repository makes an audit incomplete (packs
//! that cannot be read, shallow history, grafts, replaced objects).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::hash::ObjectId;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::scan::allow::one_line;
use crate::source::git::blobs;
use crate::source::git::pack_headers::PackHeaders;

/// Something the audit could not read, or could not read as git shows it: (what, why).
pub(crate) type Problem = (String, String);

/// Every object of the database that an audit reads, by kind.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    /// Every commit object, sorted by id.
    pub commits: Vec<ObjectId>,
    /// Every blob object, sorted by id.
    pub blobs: Vec<ObjectId>,
    /// Objects counted, all kinds.
    pub objects: u64,
    pub problems: Vec<Problem>,
}

/// Opens the repository at (or containing) `path` with object replacements off: an audit
/// reads objects as they are stored, and `refs/replace` must not hide the original.
pub(crate) fn open(path: &Path) -> Result<gix::Repository> {
    let mut trust = gix::sec::trust::Mapping::<gix::open::Options>::default();
    let off = ["core.useReplaceRefs=false"];
    trust.full = trust.full.config_overrides(off);
    trust.reduced = trust.reduced.config_overrides(off);
    gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
        path,
        Default::default(),
        trust,
    )
    .map(Into::into)
    .map_err(|e| {
        Error::git_message(format!(
            "{} is not in a git repository ({}); name the repository: leakward audit DIR",
            crate::path_text::from_path(path),
            one_line(&e.to_string())
        ))
    })
}

/// Lists every object and its kind. An object whose header cannot be read is a problem,
/// not an error: the audit goes on with the rest.
pub(crate) fn inventory(repo: &gix::ThreadSafeRepository) -> Result<Inventory> {
    let local = repo.to_thread_local();
    let mut out = Inventory {
        problems: repository_problems(&local),
        ..Inventory::default()
    };
    let all = local
        .objects
        .iter()
        .map_err(|e| Error::git("cannot list the objects", one_line(&e.to_string())))?;
    let mut ids = Vec::new();
    for id in all {
        match id {
            Ok(id) => ids.push(id),
            Err(e) => out
                .problems
                .push(("loose objects".into(), one_line(&e.to_string()))),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    out.objects = ids.len() as u64;
    let packed = packed_kinds(
        &local.objects.store_ref().path().join("pack"),
        local.object_hash(),
    );
    let kinds: Vec<(
        ObjectId,
        std::result::Result<gix::object::Kind, crate::error::Reason>,
    )> = ids
        .par_iter()
        .map_init(
            || blobs::worker_handle(repo, blobs::PACK_CACHE_BYTES, 0),
            |handle, &id| {
                if let Ok(at) = packed.binary_search_by_key(&id, |(id, _)| *id) {
                    return (id, Ok(packed[at].1));
                }
                // Loose objects, alternates, and packed objects whose header did not resolve.
                let kind = handle
                    .find_header(id)
                    .map(|h| h.kind())
                    .map_err(|e| crate::error::Reason(one_line(&e.to_string())));
                (id, kind)
            },
        )
        .collect();
    for (id, kind) in kinds {
        match kind {
            Ok(gix::object::Kind::Commit) => out.commits.push(id),
            Ok(gix::object::Kind::Blob) => out.blobs.push(id),
            Ok(_) => {}
            Err(reason) => out
                .problems
                .push((format!("object {id}"), reason.to_string())),
        }
    }
    Ok(out)
}

/// The kind of every object of the repository's own packs, sorted by id, read from the
/// entry headers alone: a delta has its base's kind, so nothing is inflated. Objects whose
/// entry cannot be read are left out (and looked up again by id).
fn packed_kinds(dir: &Path, hash: gix::hash::Kind) -> Vec<(ObjectId, gix::object::Kind)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.extension().is_some_and(|e| e == "idx") {
            let index = gix::odb::pack::index::File::at(&path, hash);
            let pack = PackHeaders::open(&path.with_extension("pack"), hash, HEADER_WINDOW);
            if let (Ok(index), Ok(mut pack)) = (index, pack) {
                out.extend(kinds_of(&index, &mut pack));
            }
        }
    }
    out.sort_unstable_by_key(|(id, _)| *id);
    out.dedup_by_key(|(id, _)| *id);
    out
}

/// Bytes of pack read at a time while listing kinds: the headers are read in offset order,
/// so each stretch of the pack is read once, into this buffer and not into a mapping.
const HEADER_WINDOW: usize = 256 << 10;

/// The kinds of one pack's objects, in offset order so that offset deltas find their base's
/// kind already known; reference deltas are resolved afterwards.
fn kinds_of(
    index: &gix::odb::pack::index::File,
    pack: &mut PackHeaders,
) -> Vec<(ObjectId, gix::object::Kind)> {
    use gix::odb::pack::data::entry::Header;
    let mut entries: Vec<(u64, ObjectId)> = index.iter().map(|e| (e.pack_offset, e.oid)).collect();
    entries.sort_unstable();
    let mut by_offset: HashMap<u64, gix::object::Kind> = HashMap::with_capacity(entries.len());
    let mut bases: Vec<(u64, ObjectId, u64)> = Vec::new();
    for &(offset, id) in &entries {
        let Ok(entry) = pack.entry(offset) else {
            continue;
        };
        let base = match entry.header {
            Header::OfsDelta { base_distance } => entry.base_pack_offset(base_distance),
            Header::RefDelta { base_id } => {
                let Some(at) = index.lookup(base_id) else {
                    continue;
                };
                bases.push((offset, id, index.pack_offset_at_index(at)));
                continue;
            }
            header => match header.as_kind() {
                Some(kind) => {
                    by_offset.insert(offset, kind);
                    continue;
                }
                None => continue,
            },
        };
        match by_offset.get(&base) {
            Some(&kind) => {
                by_offset.insert(offset, kind);
            }
            None => bases.push((offset, id, base)),
        }
    }
    // Reference deltas may point forwards; resolve until nothing changes.
    let mut progress = true;
    while progress && !bases.is_empty() {
        progress = false;
        bases.retain(|&(offset, _, base)| match by_offset.get(&base) {
            Some(&kind) => {
                by_offset.insert(offset, kind);
                progress = true;
                false
            }
            None => true,
        });
    }
    entries
        .into_iter()
        .filter_map(|(offset, id)| by_offset.get(&offset).map(|&kind| (id, kind)))
        .collect()
}

/// Packs that cannot be read whole, shallow history, grafts and replace refs.
fn repository_problems(repo: &gix::Repository) -> Vec<Problem> {
    let mut problems = pack_problems(
        &repo.objects.store_ref().path().join("pack"),
        repo.object_hash(),
    );
    let common = repo.common_dir();
    if let Ok(shallow) = std::fs::read_to_string(common.join("shallow")) {
        let boundary = shallow.lines().filter(|l| !l.trim().is_empty()).count();
        problems.push((
            "shallow clone".into(),
            format!("the history behind {boundary} boundary commit(s) was never fetched; audit a full clone (git fetch --unshallow)"),
        ));
    }
    if common.join("info/grafts").is_file() {
        problems.push((
            "info/grafts".into(),
            "grafts rewrite parents; commits are read as stored, and history git shows may differ"
                .into(),
        ));
    }
    if let Ok(refs) = repo.references() {
        if let Ok(replaced) = refs.prefixed("refs/replace/") {
            for reference in replaced.flatten() {
                let name = reference.name().as_bstr().to_string();
                let target = reference
                    .target()
                    .try_id()
                    .map(|id| id.to_string())
                    .unwrap_or_default();
                problems.push((
                    name,
                    format!("replaced by {target}; both objects were scanned as stored, and what git shows differs"),
                ));
            }
        }
    }
    problems
}

/// Checks each pack against its index without reading it whole: a pack that is missing,
/// unreadable or shorter than its index says cannot give all of its objects.
fn pack_problems(dir: &Path, hash: gix::hash::Kind) -> Vec<Problem> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut problems = Vec::new();
    for path in &paths {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let name = || path.display().to_string();
        if ext == "pack" && !path.with_extension("idx").is_file() {
            problems.push((
                name(),
                "pack without an index: its objects were not read".into(),
            ));
        }
        if ext != "idx" {
            continue;
        }
        match gix::odb::pack::Bundle::at(path, hash) {
            Err(e) => problems.push((
                path.with_extension("pack").display().to_string(),
                format!("cannot open the pack: {}", one_line(&e.to_string())),
            )),
            Ok(bundle) => {
                let need = bundle
                    .index
                    .iter()
                    .map(|e| e.pack_offset)
                    .max()
                    .unwrap_or(0);
                let have = bundle.pack.data_len() as u64;
                // The last entry needs at least a byte of header, and the pack a 20-byte trailer.
                if have < need + 1 + 20 {
                    problems.push((
                        path.with_extension("pack").display().to_string(),
                        format!("truncated: {have} bytes, but its index has an object at offset {need}; objects beyond the end could not be read"),
                    ));
                }
            }
        }
    }
    problems
}
