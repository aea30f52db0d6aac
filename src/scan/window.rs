//! Line windows: a rule whose regex cannot match a line break runs only on the lines where
//! its keywords occur, not over the whole chunk.
//!
//! Every match of a built-in rule holds one of its keywords (the catalog's examples, run
//! through the scanner, check it), so a match of a rule that cannot cross a line lies on a
//! line with a keyword hit. Searching those lines alone, each with the bytes around it as
//! context for `^`, `$` and `\b`, finds exactly the matches a search of the whole chunk finds.
//! Generic rules are the ones that gain: their keywords (`password`, `token`) occur every few
//! lines of ordinary code, and their line-anchored regexes have no literal the regex engine
//! could skip ahead with, so a whole-chunk search walks every byte.

use std::ops::Range;

use regex::bytes::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A match of a rule: the bytes of its secret group and of the whole match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    pub secret: Range<usize>,
    pub whole: Range<usize>,
}

/// True if `hir` could match a `\\n` byte.
pub(crate) fn matches_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(literal) => literal.0.contains(&b'\n'),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .any(|r| (r.start()..=r.end()).contains(&b'\n')),
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .any(|r| (r.start()..=r.end()).contains(&'\n')),
        HirKind::Repetition(repetition) => matches_newline(&repetition.sub),
        HirKind::Capture(capture) => matches_newline(&capture.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(matches_newline),
    }
}

/// The lines that hold a byte offset of `starts`, each with its line break, in order and
/// without repeats.
pub(crate) fn lines_holding(bytes: &[u8], mut starts: Vec<usize>) -> Vec<Range<usize>> {
    starts.sort_unstable();
    let mut lines: Vec<Range<usize>> = Vec::new();
    for start in starts {
        if lines.last().is_some_and(|line| start < line.end) {
            continue;
        }
        let begin = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |nl| nl + 1);
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |nl| start + nl + 1);
        lines.push(begin..end);
    }
    lines
}

/// Every match of `regex` in `bytes`, or with `windows` (in order, not overlapping) only
/// those that start inside one of them, searched with the whole chunk before a window and a
/// few bytes after it as context for look-arounds (see `reach::context_end`). `group`
/// is the secret's capture group; a match where it did not take part is skipped.
pub(crate) fn matches_in(
    regex: &Regex,
    bytes: &[u8],
    windows: Option<&[Range<usize>]>,
    group: usize,
) -> Vec<Match> {
    let whole_chunk = 0..bytes.len();
    let windows = windows.unwrap_or(std::slice::from_ref(&whole_chunk));
    let mut found = Vec::new();
    let mut locations = regex.capture_locations();
    for window in windows {
        matches_in_window(regex, bytes, window, group, &mut locations, &mut found);
    }
    found
}

/// The matches of `regex` that start inside `window`, added to `found` in order; see
/// [`matches_in`]. They depend only on the bytes from [`LOOK_BEHIND`] before the window's
/// start (or the chunk's start) to [`super::reach::context_end`] of its end, and on where
/// those bytes stand relative to the window: what `carry_matches` relies on.
pub(crate) fn matches_in_window(
    regex: &Regex,
    bytes: &[u8],
    window: &Range<usize>,
    group: usize,
    locations: &mut regex::bytes::CaptureLocations,
    found: &mut Vec<Match>,
) {
    let haystack = &bytes[..super::reach::context_end(bytes, window.end)];
    let mut at = window.start;
    while at < window.end {
        let Some(whole) = regex
            .captures_read_at(locations, haystack, at)
            .filter(|whole| whole.start() < window.end)
        else {
            break;
        };
        // An empty secret is no secret: rules that allow one are refused when loaded, and
        // a built-in rule that slipped through must not flood the report.
        if let Some((start, end)) = locations.get(group).filter(|(s, e)| s < e) {
            found.push(Match {
                secret: start..end,
                whole: whole.range(),
            });
        }
        // An empty match would find itself again; step past it.
        at = whole.end().max(whole.start() + 1);
    }
}

/// The most bytes before a search's start that a look-behind assertion reads: `^` and
/// `(?m)^` read one, a Unicode `\b` the whole character before (at most four bytes).
pub(crate) const LOOK_BEHIND: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    /// True if `pattern` could match a `\n` byte, or if that cannot be told (it does not parse
    /// with the default syntax): [`matches_newline`] on a pattern's syntax tree.
    fn can_match_newline(pattern: &str) -> bool {
        // The syntax `regex::bytes` parses with: classes may match bytes that are not UTF-8.
        match regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
        {
            Ok(hir) => matches_newline(&hir),
            Err(_) => true,
        }
    }

    #[test]
    fn patterns_that_can_cross_a_line_are_told_apart() {
        let cases: &[(&str, bool)] = &[
            (
                r"(?m-u)^[ \t]*password[ \t]*=[ \t]*([^\s'\x22]{8,})[ \t]*\r?$",
                false,
            ),
            (r"(?-u)\bghp_[A-Za-z0-9]{36}\b", false),
            (r"(?i)token\s*=\s*(\w+)", true),
            (r"key(?:[^A-Za-z0-9]|$)", true),
            (r"(?s)BEGIN.{0,64}END", true),
            (r"a\nb", true),
            (r"(?-u)secret[^\x00-\x09\x0b-\xff]", true),
            (r"unclosed(", true),
        ];
        for &(pattern, want) in cases {
            assert_eq!(can_match_newline(pattern), want, "{pattern}");
        }
    }

    #[test]
    fn lines_holding_offsets_are_found_once_each() {
        let text = b"one\ntwo token token\nthree\nfour token";
        let starts = vec![31, 8, 14];
        let lines = lines_holding(text, starts);
        assert_eq!(lines, vec![4..20, 26..36]);
        assert_eq!(&text[lines[0].clone()], b"two token token\n");
    }

    #[test]
    fn windows_find_what_a_whole_search_finds() {
        let regex = Regex::new(r"(?m-u)^[ \t]*(?:pwd|password)[ \t]*=[ \t]*(\w{4,})\b").unwrap();
        let text = b"x\npassword = abcdef\n  pwd=ghijkl and more\npassword = no\nlast pwd=zzzz";
        let whole: Vec<Range<usize>> = regex
            .captures_iter(text)
            .map(|c| c.get(1).unwrap().range())
            .collect();
        let starts = memchr::memmem::find_iter(text, b"pwd")
            .chain(memchr::memmem::find_iter(text, b"password"))
            .collect();
        let windows = lines_holding(text, starts);
        let windowed: Vec<Range<usize>> = matches_in(&regex, text, Some(&windows), 1)
            .into_iter()
            .map(|m| m.secret)
            .collect();
        assert_eq!(windowed, whole);
        assert_eq!(windowed.len(), 2);
    }

    /// A built-in rule is not checked when loaded (it compiles on first use): an empty
    /// secret is dropped where it is found.
    #[test]
    fn empty_secrets_are_not_matches() {
        let regex = Regex::new(r"token=(\w*)").unwrap();
        let secrets: Vec<Range<usize>> = matches_in(&regex, b"token= token=ab x", None, 1)
            .into_iter()
            .map(|m| m.secret)
            .collect();
        assert_eq!(secrets, vec![Range { start: 13, end: 15 }]);
        assert!(matches_in(&Regex::new("x*").unwrap(), b"abc", None, 0).is_empty());
    }
}
