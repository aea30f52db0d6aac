//! Keyword windows for rules whose matches can cross lines: how far a match can reach from
//! the keyword it holds, so that the regex runs around keyword hits instead of over the chunk.
//!
//! A regex like `key["']?\s*[:=]\s*["']?([A-Za-z0-9]{40})` has no maximum length (`\s*`), but
//! every byte beyond a fixed budget comes from an unbounded repetition, and those can only
//! match a few bytes (here whitespace). So a match holds at most `budget` bytes outside the
//! *stretch* set (the bytes unbounded repetitions can match), and a match that holds a keyword
//! hit lies inside the window found by walking out from the hit until `budget + 1` bytes
//! outside the stretch set have been passed on each side. Windows that overlap are merged, so
//! no match can cross a window's edge, and searching each window from its start (with the
//! whole chunk as context for look-arounds) finds exactly the matches of a whole-chunk search.
//! See: issue 16, item 3.

use std::ops::Range;

use regex_syntax::hir::{Class, Hir, HirKind};

use super::stretch::Stretch;

/// Above this budget a window is too wide to pay: the rule is searched over the whole chunk.
const MAX_BUDGET: usize = 4096;

/// Bytes of context kept after a window's end, for look-arounds at a match's end (a Unicode
/// word boundary reads one whole character).
const LOOK_AHEAD: usize = 4;

/// How far the matches of a regex can reach: at most `budget` bytes outside `stretch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    budget: usize,
    /// `stretch[b]`: byte `b` can be matched by an unbounded repetition.
    stretch: Box<[bool; 256]>,
    /// The same set, in the form the walks test fastest.
    walker: Stretch,
}

impl Reach {
    /// The reach of `hir`, or `None` when windows would not pay (a budget over
    /// `MAX_BUDGET`, or an unbounded repetition that can match any byte).
    pub fn of(hir: &Hir) -> Option<Reach> {
        let mut stretch = [false; 256];
        let budget = budget(hir, &mut stretch)?;
        (budget <= MAX_BUDGET && stretch.iter().any(|&s| !s))
            .then(|| Reach::from_parts(budget, stretch))
    }

    /// The budget and the stretch set (`stretch[b]`: byte `b` can be matched by an unbounded
    /// repetition), to store a reach worked out ahead of time.
    pub fn parts(&self) -> (usize, &[bool; 256]) {
        (self.budget, &self.stretch)
    }

    /// A reach stored as its [`Reach::parts`].
    pub fn from_parts(budget: usize, stretch: [bool; 256]) -> Reach {
        Reach {
            budget,
            walker: Stretch::new(&stretch),
            stretch: Box::new(stretch),
        }
    }

    /// The merged windows around keyword hits (`(start, end)` byte offsets, in any order), or
    /// `None` when walking out from the hits would cost more than searching the whole chunk.
    pub fn windows(
        &self,
        bytes: &[u8],
        mut hits: Vec<(usize, usize)>,
    ) -> Option<Vec<Range<usize>>> {
        hits.sort_unstable();
        let mut windows: Vec<Range<usize>> = Vec::new();
        let mut walked = 0usize;
        let walk_limit = bytes.len().saturating_mul(2).max(1 << 16);
        // The end of the latest-ending hit of the last window whose walk forward is still to
        // do. A walk forward ends later the later it starts, so a window's end is the walk
        // from its latest hit alone: walking from every hit of a dense run (most of a curl
        // history's time, issue 16) is skipped while a hit surely joins the window.
        let mut pending: Option<usize> = None;
        for (start, end) in hits {
            if let Some(last_end) = pending {
                // Every walk forward passes at least `budget` bytes (or reaches the end).
                let surely = last_end.saturating_add(self.budget).min(bytes.len());
                if start.saturating_sub(self.budget) <= surely {
                    pending = Some(last_end.max(end));
                    continue;
                }
                walked += self.settle(bytes, &mut windows, last_end);
            }
            let current_end = windows.last().map_or(0, |w| w.end);
            // A walk back covers at least `budget` bytes, so a hit this close to the last
            // window's end joins it without walking.
            let joins = !windows.is_empty() && start.saturating_sub(self.budget) <= current_end;
            let begin = if joins {
                current_end
            } else {
                // A walk that reaches the last window's end merges with it wherever it would
                // have stopped: walking further back is wasted.
                let floor = if windows.is_empty() { 0 } else { current_end };
                let begin = self.walk_back(bytes, start, floor);
                walked += start - begin;
                begin
            };
            if walked > walk_limit {
                return None;
            }
            match windows.last_mut() {
                Some(last) if begin <= last.end => last.end = last.end.max(end),
                _ => windows.push(begin..end),
            }
            pending = Some(end);
        }
        if let Some(last_end) = pending {
            walked += self.settle(bytes, &mut windows, last_end);
        }
        (walked <= walk_limit).then_some(windows)
    }

    /// Extends the last window to where a match holding a keyword that ends at `end` can
    /// end; returns the bytes walked.
    fn settle(&self, bytes: &[u8], windows: &mut [Range<usize>], end: usize) -> usize {
        let finish = self.walk_forward(bytes, end);
        if let Some(last) = windows.last_mut() {
            last.end = last.end.max(finish);
        }
        finish - end
    }

    /// The earliest offset a match holding a keyword at `at` can start at, or `floor` if
    /// that is earlier.
    fn walk_back(&self, bytes: &[u8], at: usize, floor: usize) -> usize {
        self.walker.walk_back(bytes, at, floor, self.budget)
    }

    /// The latest offset a match holding a keyword that ends at `at` can end at.
    fn walk_forward(&self, bytes: &[u8], at: usize) -> usize {
        self.walker.walk_forward(bytes, at, self.budget)
    }
}

/// The end of the haystack to search a window ending at `end` in: a little context after
/// it, so look-arounds at a match's end see the bytes a whole-chunk search sees.
pub(crate) fn context_end(bytes: &[u8], end: usize) -> usize {
    (end + LOOK_AHEAD).min(bytes.len())
}

/// The most bytes a match of `hir` holds outside the bytes its unbounded repetitions can
/// match, which are added to `stretch`.
fn budget(hir: &Hir, stretch: &mut [bool; 256]) -> Option<usize> {
    Some(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(literal) => literal.0.len(),
        HirKind::Class(Class::Bytes(_)) => 1,
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .last()
            .map_or(0, |range| range.end().len_utf8()),
        HirKind::Repetition(repetition) => match repetition.max {
            Some(max) => budget(&repetition.sub, stretch)?.checked_mul(max as usize)?,
            None => {
                add_bytes(&repetition.sub, stretch);
                0
            }
        },
        HirKind::Capture(capture) => budget(&capture.sub, stretch)?,
        HirKind::Concat(parts) => parts
            .iter()
            .try_fold(0usize, |sum, part| sum.checked_add(budget(part, stretch)?))?,
        HirKind::Alternation(parts) => parts
            .iter()
            .try_fold(0usize, |most, part| Some(most.max(budget(part, stretch)?)))?,
    })
}

/// Marks every byte a match of `hir` can hold.
fn add_bytes(hir: &Hir, bytes: &mut [bool; 256]) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => literal.0.iter().for_each(|&b| bytes[usize::from(b)] = true),
        HirKind::Class(Class::Bytes(class)) => {
            for range in class.ranges() {
                (range.start()..=range.end()).for_each(|b| bytes[usize::from(b)] = true);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            for range in class.ranges() {
                let ascii_end = u32::from(range.end()).min(0x7f);
                (u32::from(range.start())..=ascii_end).for_each(|b| bytes[b as usize] = true);
                if u32::from(range.end()) > 0x7f {
                    // Every byte of a multi-byte UTF-8 character is 0x80 or above.
                    (0x80..=0xff).for_each(|b| bytes[b] = true);
                }
            }
        }
        HirKind::Repetition(repetition) => add_bytes(&repetition.sub, bytes),
        HirKind::Capture(capture) => add_bytes(&capture.sub, bytes),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().for_each(|part| add_bytes(part, bytes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::bytes::Regex;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
            .unwrap()
    }

    #[test]
    fn budgets_count_the_bytes_outside_unbounded_repetitions() {
        let cases: &[(&str, Option<usize>)] = &[
            (r"(?-u)key\s*=\s*(\w{8})", Some(12)),
            (r"(?-u)a(?:bc|d){2}", Some(5)),
            (r"(?-u)(?s:.){0,600}?x", Some(601)),
            (r"(?s-u)key.*", None),
            (r"(?-u)x{0,5000}", None),
            (r"é+k", Some(1)),
        ];
        for &(pattern, want) in cases {
            assert_eq!(
                Reach::of(&parse(pattern)).map(|r| r.budget),
                want,
                "{pattern}"
            );
        }
    }

    /// Windows around the keyword hits find exactly what a whole-chunk search finds, for
    /// matches that span lines and blank runs of any length.
    #[test]
    fn windows_find_what_a_whole_search_finds() {
        let pattern = r"(?-u)key[ \t]*=\s*([a-z]{4,8})\b";
        let regex = Regex::new(pattern).unwrap();
        let reach = Reach::of(&parse(pattern)).unwrap();
        let mut text = b"key =\n\n\n   abcdef and keykey= ghij; key=".to_vec();
        text.extend(std::iter::repeat_n(b'\n', 10_000));
        text.extend(std::iter::repeat_n(b'x', 20_000));
        text.extend(b"qrstu key = toolongvalue key=zz key= wxyz");
        let whole: Vec<Range<usize>> = regex.find_iter(&text).map(|m| m.range()).collect();
        let hits = memchr::memmem::find_iter(&text, b"key")
            .map(|at| (at, at + 3))
            .collect();
        let windows = reach.windows(&text, hits).unwrap();
        let mut windowed = Vec::new();
        for window in &windows {
            let haystack = &text[..context_end(&text, window.end)];
            let mut at = window.start;
            while let Some(m) = regex
                .find_at(haystack, at)
                .filter(|m| m.start() < window.end)
            {
                windowed.push(m.range());
                at = m.end();
            }
        }
        assert_eq!(windowed, whole);
        assert_eq!(whole.len(), 3);
        assert!(windows.iter().map(|w| w.len()).sum::<usize>() < text.len() / 2);
    }

    /// The windows are the merged spans of a full walk out from every hit, however dense the
    /// hits: skipping the walks of hits that surely join a window changes nothing.
    #[test]
    fn windows_are_the_merged_walks_from_every_hit() {
        let reach = Reach::of(&parse(r"(?-u)key[ \t]*=\s*([a-z]{4,30})")).unwrap();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..200 {
            let len = 1 + (next() % 3000) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| match next() % 8 {
                    0 => b'\n',
                    1 | 2 => b' ',
                    _ => b'a' + (next() % 26) as u8,
                })
                .collect();
            let every = 1 + (next() % 200) as usize;
            let hits: Vec<(usize, usize)> = (0..len)
                .filter(|_| (next() as usize).is_multiple_of(every))
                .map(|at| (at, (at + 3).min(len)))
                .collect();
            let mut want: Vec<Range<usize>> = Vec::new();
            for &(start, end) in &hits {
                let span = reach.walk_back(&text, start, 0)..reach.walk_forward(&text, end);
                match want.last_mut() {
                    Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                    _ => want.push(span),
                }
            }
            assert_eq!(reach.windows(&text, hits), Some(want), "round {round}");
        }
    }
}
