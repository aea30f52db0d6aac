//! Trees for the history diffs, read with every delta base along the way kept decoded.
//!
//! gix's own lookup by id caches only the object asked for: reading a tree stored as the
//! 30th delta of a chain inflates and applies all 30, and the next version of that tree,
//! one delta further down the same chain, does it all again. Nearly every tree of a real
//! history is such a delta (160,153 of git/git's 167,745). This reader resolves a chain
//! itself and keeps each object it decodes, the whole one at the top and every
//! intermediate, in a byte-capped least-recently-used cache, so that the diffs of
//! neighbouring commits decode each delta about once. Whatever it cannot read itself (a
//! loose object, another store, a damaged entry) it reads through gix, which then reports
//! the error as it always did.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::rc::Rc;

use gix::hash::oid;
use gix::odb::pack::data::entry::Header;
use gix::odb::pack::{data, index};

use super::delta;

/// Objects larger than this are read through gix, whose allocation limits apply: a pack
/// entry's header may claim any size.
const MAX_OBJECT_BYTES: u64 = 64 << 20;

/// Delta chains longer than this are read through gix (git writes at most 4095; a longer
/// chain is a corrupt pack looping on itself).
const MAX_CHAIN: usize = 10_000;

/// One worker's tree reader over the repository's packs, falling back to `objects`.
pub(crate) struct TreeReader<F> {
    /// Each pack's index path, and the pack mapped.
    packs: Vec<(PathBuf, (index::File, data::File))>,
    objects: F,
    hash: gix::hash::Kind,
    state: RefCell<State>,
}

struct State {
    bases: Bases,
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
}

impl<F: gix::objs::Find> TreeReader<F> {
    /// A reader over the packs of the object directory `objects_dir`, keeping up to
    /// `cache_bytes` of decoded objects. Packs that fail to open are left to `objects`.
    pub(crate) fn new(
        objects_dir: PathBuf,
        hash: gix::hash::Kind,
        objects: F,
        cache_bytes: usize,
    ) -> Self {
        let packs = super::packs::pack_indices(&objects_dir)
            .into_iter()
            .filter_map(|idx| Some((open(&idx, hash)?, idx)))
            .map(|(pack, idx)| (idx, pack))
            .collect();
        TreeReader {
            packs,
            objects,
            hash,
            state: RefCell::new(State {
                bases: Bases::new(cache_bytes),
                inflate: Default::default(),
                delta: Vec::new(),
            }),
        }
    }

    /// Maps every pack afresh, keeping the objects decoded so far: each page of a mapping
    /// that a read touched stays resident until the mapping goes, so a long walk that
    /// calls this now and then holds only the pages of its recent reads. A pack that cannot
    /// be mapped again keeps its old mapping (its content is the same: a pack's name is its
    /// checksum).
    pub(crate) fn remap(&mut self) {
        for (idx, pack) in &mut self.packs {
            if let Some(fresh) = open(idx, self.hash) {
                *pack = fresh;
            }
        }
    }

    /// Puts the content of tree `id` into `buffer`; `false` if this reader cannot read it
    /// or it is not a tree.
    pub(crate) fn read_tree(&self, id: &oid, buffer: &mut Vec<u8>) -> bool {
        match self.read_packed(id) {
            Some((gix::object::Kind::Tree, bytes)) => {
                buffer.clear();
                buffer.extend_from_slice(&bytes);
                true
            }
            _ => false,
        }
    }

    /// The object `id` from the packs this reader resolves itself, or `None` to read it
    /// through gix.
    fn read_packed(&self, id: &oid) -> Option<(gix::object::Kind, Rc<[u8]>)> {
        let (at, (_, (index, _))) = self
            .packs
            .iter()
            .enumerate()
            .find(|(_, (_, (index, _)))| index.lookup(id).is_some())?;
        let offset = index.pack_offset_at_index(index.lookup(id)?);
        let mut state = self.state.borrow_mut();
        self.resolve(&mut state, at, offset)
    }

    /// Decodes the entry at `offset` of pack `at`, from the nearest cached object of its
    /// chain down, caching every object decoded on the way.
    fn resolve(
        &self,
        state: &mut State,
        at: usize,
        offset: u64,
    ) -> Option<(gix::object::Kind, Rc<[u8]>)> {
        let (_, (index, pack)) = &self.packs[at];
        let mut chain: Vec<data::Entry> = Vec::new();
        let mut cursor = offset;
        let (kind, mut object) = loop {
            if let Some(hit) = state.bases.get(at, cursor) {
                break hit;
            }
            if chain.len() > MAX_CHAIN {
                return None;
            }
            let entry = pack.entry(cursor).ok()?;
            if entry.decompressed_size > MAX_OBJECT_BYTES {
                return None;
            }
            match entry.header {
                Header::OfsDelta { base_distance } => {
                    cursor = entry.checked_base_pack_offset(base_distance)?;
                    chain.push(entry);
                }
                Header::RefDelta { base_id } => {
                    cursor = index.pack_offset_at_index(index.lookup(base_id)?);
                    chain.push(entry);
                }
                header => {
                    let kind = header.as_kind()?;
                    let mut whole = vec![0; entry.decompressed_size as usize];
                    pack.decompress_entry(&entry, &mut state.inflate, &mut whole)
                        .ok()?;
                    let whole: Rc<[u8]> = whole.into();
                    state.bases.put(at, cursor, kind, whole.clone());
                    break (kind, whole);
                }
            }
        };
        for entry in chain.iter().rev() {
            state.delta.clear();
            state.delta.resize(entry.decompressed_size as usize, 0);
            pack.decompress_entry(entry, &mut state.inflate, &mut state.delta)
                .ok()?;
            let result = delta::apply(&object, &state.delta, MAX_OBJECT_BYTES)?;
            object = result.into();
            state
                .bases
                .put(at, entry.pack_offset(), kind, object.clone());
        }
        Some((kind, object))
    }
}

impl<F: gix::objs::Find> gix::objs::Find for TreeReader<F> {
    fn try_find<'a>(
        &self,
        id: &oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'a>>> {
        match self.read_packed(id) {
            Some((kind, bytes)) => {
                buffer.clear();
                buffer.extend_from_slice(&bytes);
                Ok(Some(gix::objs::Data {
                    kind,
                    object_hash: self.hash,
                    data: buffer,
                }))
            }
            None => self.objects.try_find(id, buffer),
        }
    }
}

/// The index and data of the pack whose index is `idx`, mapped.
fn open(idx: &std::path::Path, hash: gix::hash::Kind) -> Option<(index::File, data::File)> {
    let index = index::File::at(idx, hash).ok()?;
    let pack = data::File::at(idx.with_extension("pack"), hash).ok()?;
    Some((index, pack))
}

/// A decoded object and when it was last used.
type Cached = (gix::object::Kind, Rc<[u8]>, u64);

/// Decoded objects by (pack, offset), least recently used evicted first once they hold
/// more than a cap of bytes.
struct Bases {
    cap: usize,
    used: usize,
    tick: u64,
    entries: HashMap<(usize, u64), Cached>,
    by_use: BTreeMap<u64, (usize, u64)>,
}

impl Bases {
    fn new(cap: usize) -> Self {
        Bases {
            cap,
            used: 0,
            tick: 0,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
        }
    }

    fn get(&mut self, pack: usize, offset: u64) -> Option<(gix::object::Kind, Rc<[u8]>)> {
        self.tick += 1;
        let (kind, bytes, used) = self.entries.get_mut(&(pack, offset))?;
        self.by_use.remove(used);
        *used = self.tick;
        self.by_use.insert(self.tick, (pack, offset));
        Some((*kind, bytes.clone()))
    }

    fn put(&mut self, pack: usize, offset: u64, kind: gix::object::Kind, bytes: Rc<[u8]>) {
        if bytes.len() > self.cap / 4 {
            return;
        }
        self.tick += 1;
        self.used += bytes.len();
        if let Some((_, old, used)) = self
            .entries
            .insert((pack, offset), (kind, bytes, self.tick))
        {
            self.used -= old.len();
            self.by_use.remove(&used);
        }
        self.by_use.insert(self.tick, (pack, offset));
        while self.used > self.cap {
            let Some((_, key)) = self.by_use.pop_first() else {
                break;
            };
            if let Some((_, old, _)) = self.entries.remove(&key) {
                self.used -= old.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_object_leaves_first() {
        let kind = gix::object::Kind::Tree;
        let bytes = |n: usize| -> Rc<[u8]> { vec![0; n].into() };
        let mut bases = Bases::new(100);
        bases.put(0, 1, kind, bytes(20));
        bases.put(0, 2, kind, bytes(20));
        bases.put(0, 3, kind, bytes(20));
        assert!(bases.get(0, 1).is_some());
        bases.put(0, 4, kind, bytes(25));
        bases.put(0, 5, kind, bytes(25));
        assert!(bases.get(0, 2).is_none(), "least recently used");
        assert!(bases.get(0, 1).is_some(), "used again, so kept");
        assert!(bases.get(0, 5).is_some());
        assert!(bases.used <= 100, "{} bytes held", bases.used);
        bases.put(1, 9, kind, bytes(26));
        assert!(
            bases.get(1, 9).is_none(),
            "over a quarter of the cap: not kept"
        );
    }
}
