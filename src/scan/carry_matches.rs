//! Carrying the regex stage's matches from a chunk to a copy of it (a git delta's target),
//! window by window: where a target's window and the bytes its search reads lie inside one
//! copy, and the base searched the same window at the same place of the copied range, the
//! base's matches are the target's, and the regex does not run.
//!
//! The matches a rule's regex gives in one window (`window::matches_in_window`) depend only
//! on the bytes from `window::LOOK_BEHIND` before the window's start (or the chunk's start) to
//! `reach::context_end` of its end, and on where the window starts and ends in them. So when
//! those bytes of the target are one copy of the base's, the window starts no nearer the
//! chunk's start than `LOOK_BEHIND` unless the copy keeps its offset, and the base's record
//! holds a window of the same rule at the copied place with the same length and the same
//! context end, the target's matches are the base's moved by the copy's shift. The windows
//! themselves are still worked out on the target, and every carried match is judged again
//! in the target (line, file-level signals, allowlists), so the findings cannot differ from
//! a search of every window.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use regex::bytes::Regex;

use super::carry::Copied;
use super::reach::context_end;
use super::window::{self, Match, LOOK_BEHIND};

/// Windows whose matches were carried, and windows searched or carried, in scans that
/// carry or record (for `LEAKWARD_CARRY_STATS`).
static WINDOWS: [AtomicU64; 2] = [const { AtomicU64::new(0) }; 2];

/// (windows whose matches were carried, windows of scans that carry or record) so far.
pub(crate) fn window_stats() -> (u64, u64) {
    let [carried, all] = WINDOWS.each_ref().map(|w| w.load(Ordering::Relaxed));
    (carried, all)
}

/// Windows recorded per chunk at most: past this a chunk's deltas search the rest again.
const MAX_WINDOWS: usize = 1 << 16;

/// The windows a chunk's rules searched and the matches each gave, to carry into the chunks
/// that copy it. Filled while the chunk is scanned, read (sorted) by its copies after.
#[derive(Debug, Default)]
pub(crate) struct WindowMatches {
    searched: Vec<Searched>,
    /// Every window's matches, one after another (`Searched::matches` indexes them).
    matches: Vec<Match>,
    sorted: bool,
    /// How many of the windows recorded here had their matches carried from a base.
    carried: usize,
}

/// One window of one rule: where it starts, how long it is, how far past its start its
/// search read, and its matches.
#[derive(Debug, Clone)]
struct Searched {
    rule: usize,
    start: usize,
    len: usize,
    read: usize,
    matches: Range<usize>,
}

/// A shared, growing record (the chunk is scanned once per path it was committed at).
pub(crate) type SharedMatches = Arc<Mutex<WindowMatches>>;

/// The record of the chunk a target's hits were carried from, and the target's copies of it
/// (merged, in target order).
#[derive(Debug)]
pub(crate) struct CarriedFrom {
    pub(crate) base: SharedMatches,
    pub(crate) copies: Vec<Copied>,
}

impl WindowMatches {
    /// Bytes of memory the record holds, for a cache's bound.
    pub(crate) fn footprint(&self) -> usize {
        self.searched.capacity() * std::mem::size_of::<Searched>()
            + self.matches.capacity() * std::mem::size_of::<Match>()
    }

    /// How many of the windows recorded here had their matches carried from a base.
    #[cfg(test)]
    pub(crate) fn carried(&self) -> usize {
        self.carried
    }

    fn add(&mut self, rule: usize, window: &Range<usize>, read_end: usize, found: &[Match]) {
        if self.searched.len() >= MAX_WINDOWS {
            return;
        }
        let from = self.matches.len();
        self.matches.extend_from_slice(found);
        self.searched.push(Searched {
            rule,
            start: window.start,
            len: window.len(),
            read: read_end - window.start,
            matches: from..self.matches.len(),
        });
        self.sorted = false;
    }

    /// The window of `rule` that starts at `start`, if this chunk searched one.
    fn find(&mut self, rule: usize, start: usize) -> Option<Searched> {
        if !self.sorted {
            self.searched.sort_by_key(|s| (s.rule, s.start));
            self.searched.dedup_by_key(|s| (s.rule, s.start));
            self.sorted = true;
        }
        let at = self
            .searched
            .binary_search_by_key(&(rule, start), |s| (s.rule, s.start))
            .ok()?;
        Some(self.searched[at].clone())
    }
}

/// What one scan of a chunk carries matches from and records them into.
#[derive(Default)]
pub(crate) struct Carrying<'a> {
    from: Option<(MutexGuard<'a, WindowMatches>, &'a [Copied])>,
    into: Option<MutexGuard<'a, WindowMatches>>,
}

impl<'a> Carrying<'a> {
    /// Carries from `from` (if any) and records into `into` (if any). A record that cannot
    /// be locked (a thread panicked holding it) is not used: the regex runs instead.
    pub(crate) fn new(from: Option<&'a CarriedFrom>, into: Option<&'a SharedMatches>) -> Self {
        let from = from.filter(|f| into.is_none_or(|i| !Arc::ptr_eq(&f.base, i)));
        Carrying {
            from: from.and_then(|f| Some((f.base.lock().ok()?, &f.copies[..]))),
            into: into.and_then(|i| i.lock().ok()),
        }
    }

    /// Whether there is anything to carry or record.
    pub(crate) fn active(&self) -> bool {
        self.from.is_some() || self.into.is_some()
    }

    /// The matches of `rule` in `window` of the target, read up to `read_end`, if the base's
    /// record vouches for them (see the module); appended to `found`.
    pub(crate) fn carried(
        &mut self,
        rule: usize,
        window: &Range<usize>,
        read_end: usize,
        found: &mut Vec<Match>,
    ) -> bool {
        let Some((base, copies)) = self.from.as_mut() else {
            return false;
        };
        let read_from = window.start.saturating_sub(LOOK_BEHIND);
        let at = copies.partition_point(|c| c.target + c.len <= read_from);
        let Some(copy) = copies.get(at) else {
            return false;
        };
        let inside = copy.target <= read_from && read_end <= copy.target + copy.len;
        // A window nearer the chunk's start than LOOK_BEHIND reads the chunk's start: the
        // base's must too, at the same offset.
        if !inside || (window.start < LOOK_BEHIND && copy.base != copy.target) {
            return false;
        }
        let base_start = window.start - copy.target + copy.base;
        let Some(searched) = base.find(rule, base_start) else {
            return false;
        };
        if searched.len != window.len() || searched.read != read_end - window.start {
            return false;
        }
        let shift = |r: &Range<usize>| {
            r.start - base_start + window.start..r.end - base_start + window.start
        };
        found.extend(base.matches[searched.matches].iter().map(|m| Match {
            secret: shift(&m.secret),
            whole: shift(&m.whole),
        }));
        true
    }

    /// Records what `rule`'s search of `window` (read up to `read_end`) found.
    pub(crate) fn record(
        &mut self,
        rule: usize,
        window: &Range<usize>,
        read_end: usize,
        found: &[Match],
    ) {
        if let Some(into) = self.into.as_mut() {
            into.add(rule, window, read_end, found);
        }
    }
}

impl Carrying<'_> {
    /// [`window::matches_in`] for `rule`, carrying each window's matches where the base
    /// vouches for them and recording every window's for the chunks that copy this one.
    pub(crate) fn matches(
        &mut self,
        rule: usize,
        regex: &Regex,
        bytes: &[u8],
        windows: Option<&[Range<usize>]>,
        group: usize,
    ) -> Vec<Match> {
        let Some(windows) = windows.filter(|_| self.active()) else {
            return window::matches_in(regex, bytes, windows, group);
        };
        let mut found = Vec::new();
        let mut locations = None;
        let mut carried = 0;
        for window in windows {
            let read_end = context_end(bytes, window.end);
            let from = found.len();
            if self.carried(rule, window, read_end, &mut found) {
                carried += 1;
            } else {
                let locations = locations.get_or_insert_with(|| regex.capture_locations());
                window::matches_in_window(regex, bytes, window, group, locations, &mut found);
            }
            self.record(rule, window, read_end, &found[from..]);
        }
        if let Some(into) = self.into.as_mut() {
            into.carried += carried;
        }
        WINDOWS[0].fetch_add(carried as u64, Ordering::Relaxed);
        WINDOWS[1].fetch_add(windows.len() as u64, Ordering::Relaxed);
        found
    }
}

#[cfg(test)]
#[path = "carry_matches_tests.rs"]
mod tests;
