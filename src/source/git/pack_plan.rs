//! Which entries of one pack a scan must decode, in batches whose mapped pages stay bounded.
//!
//! A wanted blob is stored as a delta chain: its entry, its base, that base's base, up to a
//! whole object. Decoding only the wanted entries and their chains skips every commit, tree
//! and unwanted blob, and splitting the chains into batches (a chain never straddles two) lets
//! each batch map the pack, decode, and unmap again: the pages a traversal touches count as
//! resident memory for as long as the pack stays mapped, and a whole-pack traversal would
//! touch all of them. `git repack` writes each delta family together, so a batch of families
//! touches a narrow band of the pack.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::hash::ObjectId;
use gix::odb::pack::data::entry::Header;
use gix::odb::pack::index;

use super::pack_headers::PackHeaders;

/// Bytes of pack a batch may span, counted in whole pages: the bound on what one batch adds
/// to resident memory.
pub(crate) const BATCH_BYTES: u64 = 48 << 20;

const PAGE: u64 = 4096;

/// One pack entry to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// Where the entry starts in the pack.
    pub offset: u64,
    /// The id of the object if the scan wants its content (a base that is only there to
    /// resolve a delta has none).
    pub id: Option<ObjectId>,
    /// The offset of the entry's delta base, `None` for a whole object.
    pub base: Option<u64>,
    /// How many entries of the batch are deltas of this one.
    pub children: u32,
}

/// Groups of entries to decode, each closed under "is the delta base of" and sorted by
/// offset, as `Tree::from_offsets_in_pack` needs them.
pub fn batches(
    index: &index::File,
    pack_path: &Path,
    wanted: &HashSet<ObjectId>,
    batch_bytes: u64,
    max_size: u64,
) -> Result<Vec<Vec<Node>>, crate::error::Reason> {
    // One header per lookup, in no particular order: a window of one header.
    let pack = PackHeaders::open(pack_path, index.object_hash(), 0)?;
    let mut ends = index.sorted_offsets();
    let pack_end = pack
        .file()
        .metadata()
        .map_err(|e| format!("cannot read the pack's size: {e}"))?
        .len()
        .saturating_sub(index.object_hash().len_in_bytes() as u64);
    ends.push(pack_end);
    let mut chains = Chains {
        index,
        pack,
        base_of: HashMap::new(),
    };
    let mut found = Vec::new();
    for id in wanted {
        if let Some(at) = index.lookup(id) {
            let offset = index.pack_offset_at_index(at);
            if chains
                .whole_size(offset)?
                .is_some_and(|size| size > max_size)
            {
                // Never decoded: the caller finds it unseen, reads its size from its header
                // and counts it as too large.
                continue;
            }
            chains.add(offset)?;
            found.push((offset, *id));
        }
    }
    if found.is_empty() {
        // Nothing wanted here: not even the first entry is decoded (a pack that `git add`
        // wrote for one huge file holds only that blob, skipped for its size).
        return Ok(Vec::new());
    }
    // `Tree::from_offsets_in_pack` reads the pack from its first entry on, as if every batch
    // began there: so every batch does, with that entry's own chain.
    let first_entry = gix::odb::pack::data::header::SIZE as u64;
    chains.add(first_entry)?;
    let wanted_at: HashMap<u64, ObjectId> = found.into_iter().collect();
    let mut children: HashMap<u64, u32> = HashMap::new();
    for base in chains.base_of.values().flatten() {
        *children.entry(*base).or_default() += 1;
    }
    let node = |offset: u64| Node {
        offset,
        id: wanted_at.get(&offset).copied(),
        base: chains.base_of.get(&offset).copied().flatten(),
        children: children.get(&offset).copied().unwrap_or(0),
    };
    let mut families: HashMap<u64, Vec<Node>> = HashMap::new();
    let mut roots: HashMap<u64, u64> = HashMap::new();
    for &offset in chains.base_of.keys() {
        let root = chains.root(offset, &mut roots);
        families.entry(root).or_default().push(node(offset));
    }
    let mut families: Vec<(u64, Vec<Node>)> = families.into_iter().collect();
    families.sort_unstable_by_key(|(root, _)| *root);
    let mut out: Vec<Vec<Node>> = Vec::new();
    let mut spanned = 0;
    for (_, mut family) in families {
        family.sort_unstable_by_key(|node| node.offset);
        let pages = pages_spanned(&family, &ends);
        if out.is_empty() || spanned + pages > batch_bytes / PAGE {
            out.push(Vec::new());
            spanned = 0;
        }
        spanned += pages;
        if let Some(batch) = out.last_mut() {
            batch.extend(family);
        }
    }
    let first_root = chains.root(first_entry, &mut roots);
    let first_family: Vec<Node> = chains
        .base_of
        .keys()
        .filter(|&&offset| chains.root(offset, &mut roots) == first_root)
        .map(|&offset| node(offset))
        .collect();
    for batch in &mut out {
        batch.extend(first_family.iter().copied());
        batch.sort_unstable_by_key(|node| node.offset);
        batch.dedup_by_key(|node| node.offset);
    }
    Ok(out)
}

/// The delta bases of the entries seen so far: offset to base offset, `None` for a whole
/// object.
struct Chains<'a> {
    index: &'a index::File,
    pack: PackHeaders,
    base_of: HashMap<u64, Option<u64>>,
}

impl Chains<'_> {
    /// Records the chain from the entry at `offset` up to its whole object.
    fn add(&mut self, mut offset: u64) -> Result<(), crate::error::Reason> {
        while !self.base_of.contains_key(&offset) {
            let base = self.base(offset)?;
            self.base_of.insert(offset, base);
            match base {
                Some(base) => offset = base,
                None => break,
            }
        }
        Ok(())
    }

    /// The size of the object at `offset` if it is stored whole (a delta's result size is
    /// inside its compressed data, so `None` for a delta).
    fn whole_size(&mut self, offset: u64) -> Result<Option<u64>, crate::error::Reason> {
        let entry = self.pack.entry(offset)?;
        Ok(match entry.header {
            Header::OfsDelta { .. } | Header::RefDelta { .. } => None,
            _ => Some(entry.decompressed_size),
        })
    }

    /// The base of the entry at `offset`, read from its header.
    fn base(&mut self, offset: u64) -> Result<Option<u64>, crate::error::Reason> {
        let entry = self.pack.entry(offset)?;
        match entry.header {
            Header::OfsDelta { base_distance } => entry
                .checked_base_pack_offset(base_distance)
                .map(Some)
                .ok_or_else(|| format!("bad delta base distance at offset {offset}").into()),
            Header::RefDelta { base_id } => match self.index.lookup(base_id) {
                Some(at) => Ok(Some(self.index.pack_offset_at_index(at))),
                None => Err(format!(
                    "the delta base {base_id} of the entry at offset {offset} is not in the pack"
                )
                .into()),
            },
            _ => Ok(None),
        }
    }

    /// The whole object at the top of `offset`'s chain, memoised in `roots`.
    fn root(&self, offset: u64, roots: &mut HashMap<u64, u64>) -> u64 {
        let mut path = Vec::new();
        let mut at = offset;
        let root = loop {
            if let Some(&root) = roots.get(&at) {
                break root;
            }
            path.push(at);
            match self.base_of.get(&at).copied().flatten() {
                // A chain that loops back on itself (a corrupt pack) ends where it repeats.
                Some(base) if path.len() <= self.base_of.len() => at = base,
                _ => break at,
            }
        };
        for at in path {
            roots.insert(at, root);
        }
        root
    }
}

/// Pages the entries of `family` (sorted by offset) cover, each entry reaching to the next
/// entry of the pack; `ends` holds every entry's offset and the end of the last one.
fn pages_spanned(family: &[Node], ends: &[u64]) -> u64 {
    let mut pages = 0;
    let mut last_page = None;
    for &Node { offset, .. } in family {
        let end = match ends.binary_search(&offset) {
            Ok(at) => ends.get(at + 1).copied().unwrap_or(offset + 1),
            Err(_) => offset + 1,
        };
        let first = offset / PAGE;
        let last = (end.max(offset + 1) - 1) / PAGE;
        let first = match last_page {
            Some(seen) if seen >= first => seen + 1,
            _ => first,
        };
        if last >= first {
            pages += last - first + 1;
        }
        last_page = Some(last_page.map_or(last, |seen: u64| seen.max(last)));
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_count_once_however_many_entries_share_them() {
        let ends = [0, 100, 5000, 5100, 20_000];
        let cases: &[(&[u64], u64)] = &[
            (&[0], 1),
            (&[0, 100], 2),
            (&[100, 5000], 2),
            (&[5000, 5100], 4),
            (&[5100], 4),
        ];
        for &(offsets, want) in cases {
            let family: Vec<Node> = offsets
                .iter()
                .map(|&offset| Node {
                    offset,
                    id: None,
                    base: None,
                    children: 0,
                })
                .collect();
            assert_eq!(pages_spanned(&family, &ends), want, "{offsets:?}");
        }
    }
}
