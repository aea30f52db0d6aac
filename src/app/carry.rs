//! Scanning a pack's deltas by what they change: each worker keeps the keyword hits of the
//! delta bases it has scanned, and a blob stored as a delta of one of them gets its hits
//! carried from its base's (`scan::carry`), searching only its inserted bytes and the edges
//! of its copies. A base's scan records the regex matches of its windows, and its deltas'
//! windows that lie inside one copy take them instead of running the regex
//! (`scan::carry_matches`); the windows, judging and everything else run on the whole blob,
//! so the findings are the same as a whole-blob scan's by construction; setting `LEAKWARD_WHOLE_BLOBS` (an
//! internal switch, for the tests and benches that compare the two) searches every blob whole.
//! With `LEAKWARD_CARRY_STATS` set, a history scan ends by printing to standard error how
//! many blobs and bytes the keyword search read, against how many it would have, and in how
//! many of the regex's windows the matches were carried.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::scan::text_runs::looks_binary;
use crate::scan::{BaseHits, KeywordHits, Scanner};
use crate::source::git::pack_delta::Decoded;

/// Bytes of base hits a worker keeps. A base's deltas come right after it in the traversal
/// (depth first), and an entry leaves as soon as its last delta has read it, so this bounds
/// only what deltas stolen by another worker leave behind.
const BASE_HITS_BYTES: usize = 16 << 20;

/// Whether history and audit carry hits through deltas (unless `LEAKWARD_WHOLE_BLOBS` is set).
pub(crate) fn enabled() -> bool {
    std::env::var_os("LEAKWARD_WHOLE_BLOBS").is_none()
}

/// Blobs whose hits were found, blobs whose hits were carried, their bytes, and the bytes
/// the keyword search read.
static STATS: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

/// Counts one text blob of `len` bytes whose keyword search read `searched` of them.
fn count(carried: bool, len: usize, searched: usize) {
    STATS[0].fetch_add(1, Ordering::Relaxed);
    STATS[1].fetch_add(u64::from(carried), Ordering::Relaxed);
    STATS[2].fetch_add(len as u64, Ordering::Relaxed);
    STATS[3].fetch_add(searched as u64, Ordering::Relaxed);
}

/// With `LEAKWARD_CARRY_STATS` set, prints what the keyword search read (see the module).
pub(crate) fn print_stats() {
    if std::env::var_os("LEAKWARD_CARRY_STATS").is_none() {
        return;
    }
    let [blobs, carried, bytes, searched] = STATS.each_ref().map(|s| s.load(Ordering::Relaxed));
    let (windows_carried, windows) = crate::scan::carry_matches::window_stats();
    eprintln!(
        "carry: {carried} of {blobs} blobs carried; keyword search read {searched} of {bytes} bytes; \
         regex matches carried in {windows_carried} of {windows} windows of blobs in delta chains"
    );
}

/// One worker's scanner and the hits of the bases it has scanned. A clone shares the
/// scanner and starts with no hits (each traversal thread of each batch gets one).
pub(crate) struct Worker {
    pub scanner: Scanner,
    carry: bool,
    bases: Bases,
}

impl Clone for Worker {
    fn clone(&self) -> Self {
        Worker::new(self.scanner.clone(), self.carry)
    }
}

impl Worker {
    /// A worker that carries hits if `carry`, and otherwise lets every blob be searched whole.
    pub(crate) fn new(scanner: Scanner, carry: bool) -> Self {
        Worker {
            scanner,
            carry,
            bases: Bases::default(),
        }
    }

    /// The keyword hits of `blob`, carried from its base's where this worker holds them,
    /// and kept for its own deltas; `None` when the blob is to be scanned whole (carrying is
    /// off, it looks binary, or it is over `max_size` bytes).
    pub(crate) fn hits(&mut self, blob: &mut Decoded<'_>, max_size: u64) -> Option<KeywordHits> {
        let bytes = blob.bytes;
        if bytes.len() as u64 > max_size || looks_binary(bytes) {
            return None;
        }
        if !self.carry {
            count(false, bytes.len(), bytes.len());
            return None;
        }
        // The last blob kept has been scanned since: its recorded matches count now.
        self.bases.settle();
        let entry = blob.entry.as_mut();
        let carried = entry.and_then(|entry| {
            let at = entry.base?;
            let base = self.bases.get(at)?;
            let copies = entry.copies(base.chunk_len(), bytes.len());
            let carried = copies.and_then(|c| self.scanner.carry_hits(base, bytes, &c));
            self.bases.read(at);
            carried
        });
        let was_carried = carried.is_some();
        let mut hits = carried.unwrap_or_else(|| self.scanner.keyword_hits(bytes));
        count(was_carried, bytes.len(), hits.searched());
        if let Some(entry) = blob.entry.as_ref().filter(|e| e.children > 0) {
            self.bases
                .keep(entry.offset, hits.for_copies(), entry.children);
        }
        Some(hits)
    }
}

/// Base hits by pack offset, each with how many deltas may still read it and the bytes it
/// was counted at, within a bound of [`BASE_HITS_BYTES`] (oldest out first).
#[derive(Default)]
struct Bases {
    held: HashMap<u64, (BaseHits, u32, usize)>,
    order: VecDeque<u64>,
    bytes: usize,
    /// The entry kept last: its matches are recorded after it is kept, while it is scanned.
    last: Option<u64>,
}

impl Bases {
    fn keep(&mut self, offset: u64, hits: BaseHits, readers: u32) {
        let footprint = hits.footprint();
        self.bytes += footprint;
        if let Some((_, _, old)) = self.held.insert(offset, (hits, readers, footprint)) {
            self.bytes -= old;
        }
        self.order.push_back(offset);
        self.last = Some(offset);
        self.shrink();
    }

    /// Counts the matches the last entry kept recorded while it was scanned.
    fn settle(&mut self) {
        let Some(offset) = self.last.take() else {
            return;
        };
        if let Some((hits, _, counted)) = self.held.get_mut(&offset) {
            let now = hits.footprint();
            self.bytes = self.bytes - *counted + now;
            *counted = now;
        }
        self.shrink();
    }

    fn shrink(&mut self) {
        while self.bytes > BASE_HITS_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.forget(oldest);
        }
    }

    /// The hits of the base at `offset`, if held.
    fn get(&self, offset: u64) -> Option<&BaseHits> {
        self.held.get(&offset).map(|(hits, _, _)| hits)
    }

    /// One delta of the base at `offset` has read its hits; the last lets them go.
    fn read(&mut self, offset: u64) {
        if let Some((_, readers, _)) = self.held.get_mut(&offset) {
            *readers = readers.saturating_sub(1);
            if *readers == 0 {
                self.forget(offset);
            }
        }
    }

    fn forget(&mut self, offset: u64) {
        if let Some((_, _, counted)) = self.held.remove(&offset) {
            self.bytes -= counted;
        }
    }
}
