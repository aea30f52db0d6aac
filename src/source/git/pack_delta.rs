//! What a pack traversal can tell about a blob beyond its content: where it sits in its pack,
//! which entry is its delta base, how many deltas use it as theirs, and, read on demand, what
//! its delta copies from that base (so a scan can carry the base's keyword hits).
//!
//! The traversal inflates a delta's instructions and applies them, but hands over only the
//! result; reading the copies inflates the delta's entry again (its compressed bytes are in
//! the mapped pack), which costs a small fraction of what the blob's own search would.

use std::ops::Range;

use gix::hash::ObjectId;

use super::delta;
use crate::scan::Copied;

/// A blob handed over by [`super::packs::decode_each_entry`].
pub(crate) struct Decoded<'a> {
    pub(crate) id: ObjectId,
    pub(crate) bytes: &'a [u8],
    /// Where the blob sits in its pack; `None` for a blob read by id (loose, or from a pack
    /// that could not be traversed).
    pub(crate) entry: Option<PackEntry<'a>>,
}

/// A blob's entry in the pack being traversed. Offsets are keys within one batch of one
/// pack: the bases of a batch's deltas are in the same batch.
pub(crate) struct PackEntry<'a> {
    /// Where the entry starts in the pack.
    pub(crate) offset: u64,
    /// The offset of its delta base, `None` if it is stored whole.
    pub(crate) base: Option<u64>,
    /// How many entries of the batch are deltas of it.
    pub(crate) children: u32,
    delta: Option<DeltaAt<'a>>,
}

/// Where a delta's compressed instructions are, and the worker's buffers to inflate them.
struct DeltaAt<'a> {
    pack: &'a gix::odb::pack::data::File,
    compressed: Range<u64>,
    size: u64,
    scratch: &'a mut Scratch,
}

/// A worker's buffers for inflating deltas. A clone starts empty (each traversal thread
/// gets its own).
#[derive(Default)]
pub(crate) struct Scratch {
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Scratch::default()
    }
}

impl<'a> PackEntry<'a> {
    /// The entry of a node of the traversal: `context` is what gix says about it.
    pub(crate) fn new(
        node: &super::pack_plan::Node,
        pack: &'a gix::odb::pack::data::File,
        context: &gix::odb::pack::cache::delta::traverse::Context<'_>,
        scratch: &'a mut Scratch,
    ) -> Self {
        let delta = node.base.map(|_| DeltaAt {
            pack,
            compressed: context.entry.data_offset..context.entry_end,
            size: context.entry.decompressed_size,
            scratch,
        });
        PackEntry {
            offset: node.offset,
            base: node.base,
            children: node.children,
            delta,
        }
    }

    /// What the delta copies from its base of `base_len` bytes into the blob of
    /// `result_len` bytes, in result order; `None` for a whole object, or if the delta
    /// cannot be read again or does not fit those sizes (the caller then reads the blob
    /// whole).
    pub(crate) fn copies(&mut self, base_len: usize, result_len: usize) -> Option<Vec<Copied>> {
        let at = self.delta.as_mut()?;
        let range = at.compressed.start..at.compressed.end;
        let compressed = at.pack.entry_slice(range)?;
        let scratch = &mut *at.scratch;
        scratch.delta.clear();
        scratch.delta.resize(usize::try_from(at.size).ok()?, 0);
        scratch.inflate.reset();
        let (_, _, written) = scratch.inflate.once(compressed, &mut scratch.delta).ok()?;
        if written != scratch.delta.len() {
            return None;
        }
        delta::copies(&scratch.delta, base_len, result_len)
    }
}
