//! Carrying the keyword stage's hits from a chunk to a copy of it (a git delta's target):
//! where the target copies its base, the base's hits are the target's, so only the bytes a
//! copy does not vouch for are searched again.
//!
//! A keyword hit is a fact about the bytes it covers alone: the table reports every
//! occurrence of every keyword, overlapping ones included, ASCII case ignored
//! (`keyword_table`). So a hit that lies wholly inside one copied range of the target is the
//! base's hit at the same place of the copied range, and every base hit wholly inside a copied
//! range is a target hit. Every other hit holds a byte that no copy at least K − 1 bytes wide
//! on both sides of it covers (K the longest keyword): the *interior* of a copy, its bytes at
//! least K − 1 from either end, can only be touched by hits wholly inside that copy. The
//! search therefore runs over each stretch between interiors (inserted bytes, copy edges,
//! the boundary of two copies from different places of the base, short copies) and keeps
//! what it finds there that is not wholly inside one copy. The two sets are disjoint and
//! together are exactly what a search of the whole target finds; the later stages (windows,
//! regexes, judging) then run on the target itself, so the findings cannot differ.
//!
//! The regex stage's matches carry the same way, window by window (`carry_matches`): a base
//! kept for its copies records what each window's search found, and a carried target's
//! windows that lie inside one copy take those matches instead of running the regex.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use super::carry_matches::{CarriedFrom, Carrying, SharedMatches};
use super::prefilter::Candidates;
use super::{Scanned, Scanner};
use crate::chunk::Chunk;

/// One copy instruction of a delta: `len` bytes of the target from byte offset `target` are
/// the base's bytes from byte offset `base`. A delta's copies are listed in target order; the
/// bytes between them are inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub target: usize,
    pub base: usize,
    pub len: usize,
}

/// The keyword stage's result for one chunk, to scan it with ([`Scanner::scan_with_hits`])
/// and to carry into the chunks that copy it ([`Scanner::carry_hits`]).
#[derive(Debug, Clone)]
pub struct KeywordHits {
    pub(super) candidates: Candidates,
    /// The length of the chunk the hits were found in.
    len: usize,
    /// How many of its bytes the keyword search read (all of them, unless carried).
    searched: usize,
    /// Where the scan records its windows' matches, once the hits are kept for copies.
    pub(super) record: Option<SharedMatches>,
    /// The record of the chunk the hits were carried from, and the copies of it.
    pub(super) from: Option<Arc<CarriedFrom>>,
}

/// A chunk's hits as (start, pattern), sorted by start: the form a copy reads them in.
#[derive(Debug, Clone, Default)]
pub struct BaseHits {
    by_start: Vec<(usize, usize)>,
    len: usize,
    /// The regex matches the chunk's scan records (see `carry_matches`).
    pub(super) matches: SharedMatches,
}

impl KeywordHits {
    /// How many bytes the keyword search read to find these hits: the chunk's length, or
    /// for carried hits the stretches their copies did not vouch for.
    pub fn searched(&self) -> usize {
        self.searched
    }

    /// The hits by start, to keep for the chunks that copy this one; from now on, a scan
    /// with these hits records its regex matches for them too.
    pub fn for_copies(&mut self) -> BaseHits {
        let mut by_start: Vec<(usize, usize)> = self
            .candidates
            .hits()
            .iter()
            .map(|&(pattern, start)| (start, pattern))
            .collect();
        by_start.sort_unstable();
        let matches = self
            .record
            .get_or_insert_with(SharedMatches::default)
            .clone();
        BaseHits {
            by_start,
            len: self.len,
            matches,
        }
    }
}

impl BaseHits {
    /// The length of the chunk the hits were found in.
    pub fn chunk_len(&self) -> usize {
        self.len
    }

    /// Bytes of memory the hits and the matches recorded so far hold, for a cache's bound.
    pub fn footprint(&self) -> usize {
        let matches = self.matches.lock().map_or(0, |m| m.footprint());
        self.by_start.capacity() * std::mem::size_of::<(usize, usize)>() + matches + 64
    }
}

impl Scanner {
    /// What the keyword stage finds in `bytes`.
    pub fn keyword_hits(&self, bytes: &[u8]) -> KeywordHits {
        KeywordHits {
            candidates: self.inner.prefilter.candidates(bytes),
            len: bytes.len(),
            searched: bytes.len(),
            record: None,
            from: None,
        }
    }

    /// What the keyword stage finds in `target`, a copy of the chunk whose hits are `base`
    /// as `copies` (in target order, inside both chunks) say, searching only what the copies
    /// do not vouch for. Exactly [`Scanner::keyword_hits`] of `target`; `None` if the copies
    /// do not fit the two chunks (the caller then searches the whole target).
    pub fn carry_hits(
        &self,
        base: &BaseHits,
        target: &[u8],
        copies: &[Copied],
    ) -> Option<KeywordHits> {
        let prefilter = &self.inner.prefilter;
        let copies = merged(copies, base.len, target.len())?;
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for copy in &copies {
            let from = base
                .by_start
                .partition_point(|&(start, _)| start < copy.base);
            for &(start, pattern) in &base.by_start[from..] {
                if start >= copy.base + copy.len {
                    break;
                }
                if start + prefilter.keyword_len(pattern) <= copy.base + copy.len {
                    hits.push((pattern, start - copy.base + copy.target));
                }
            }
        }
        let margin = prefilter.longest_keyword() - 1;
        let mut searched = 0;
        for stretch in uncovered(&copies, target.len(), margin) {
            searched += stretch.len();
            prefilter.search_within(target, stretch, |start, pattern| {
                let end = start + prefilter.keyword_len(pattern);
                if !inside_one(&copies, start..end) {
                    hits.push((pattern, start));
                }
            });
        }
        Some(KeywordHits {
            candidates: prefilter.candidates_of(hits),
            len: target.len(),
            searched,
            record: None,
            from: Some(Arc::new(CarriedFrom {
                base: base.matches.clone(),
                copies,
            })),
        })
    }

    /// [`Scanner::scan`] with the keyword stage's result already known: `hits` must be
    /// [`Scanner::keyword_hits`] of `chunk.bytes` (a chunk that looks binary is scanned as
    /// [`Scanner::scan_binary`] does, without them).
    pub fn scan_with_hits(&self, chunk: &Chunk, hits: &KeywordHits) -> Scanned {
        debug_assert_eq!(hits.len, chunk.bytes.len());
        let mut carrying = Carrying::new(hits.from.as_deref(), hits.record.as_ref());
        self.scan_given(chunk, Some(Cow::Borrowed(&hits.candidates)), &mut carrying)
    }
}

/// `copies` with each run of copies that continue one another in both chunks made one, or
/// `None` if they are out of order, overlap, or reach past either chunk.
fn merged(copies: &[Copied], base_len: usize, target_len: usize) -> Option<Vec<Copied>> {
    let mut out: Vec<Copied> = Vec::with_capacity(copies.len());
    for &copy in copies {
        let fits = copy.base.checked_add(copy.len)? <= base_len
            && copy.target.checked_add(copy.len)? <= target_len;
        if !fits || out.last().is_some_and(|l| l.target + l.len > copy.target) {
            return None;
        }
        match out.last_mut() {
            Some(last)
                if last.target + last.len == copy.target && last.base + last.len == copy.base =>
            {
                last.len += copy.len;
            }
            _ if copy.len > 0 => out.push(copy),
            _ => {}
        }
    }
    Some(out)
}

/// The stretches of a target of `len` bytes outside every copy's interior (its bytes at
/// least `margin` from both its ends), in order and disjoint.
fn uncovered(copies: &[Copied], len: usize, margin: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    for copy in copies {
        let interior = copy.target + margin..(copy.target + copy.len).saturating_sub(margin);
        if interior.start >= interior.end {
            continue;
        }
        if from < interior.start {
            out.push(from..interior.start);
        }
        from = interior.end;
    }
    if from < len {
        out.push(from..len);
    }
    out
}

/// True if `hit` lies wholly inside one of `copies` (merged, in target order).
fn inside_one(copies: &[Copied], hit: Range<usize>) -> bool {
    let at = copies.partition_point(|c| c.target + c.len <= hit.start);
    copies
        .get(at)
        .is_some_and(|c| c.target <= hit.start && hit.end <= c.target + c.len)
}

#[cfg(test)]
#[path = "carry_tests.rs"]
mod tests;
