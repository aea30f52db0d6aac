//! A keyword search for small inputs that costs almost nothing to build.
//!
//! Building the Aho-Corasick automaton over the catalog's ~700 keywords takes a few
//! milliseconds, most of a pre-commit hook's scan of a few KB. This table is built in tens of
//! microseconds: keywords are bucketed by their first two bytes (ASCII lower-cased), a bit set
//! of those pairs rejects almost every position at once, and the few survivors are compared in
//! full. It costs a little per byte where the automaton costs nothing, so the prefilter uses it
//! only until enough bytes have been scanned to pay for the automaton. It reports exactly what
//! an overlapping, ASCII case-insensitive automaton reports: every (start, keyword) pair.

use std::collections::HashMap;

/// Keywords bucketed by their first two lower-cased bytes.
#[derive(Debug)]
pub struct KeywordTable {
    /// Lower-cased keywords, indexed like the automaton's patterns.
    keywords: Vec<Vec<u8>>,
    /// One bit per two-byte prefix that some keyword starts with.
    pairs: Box<[u64; 1024]>,
    by_pair: HashMap<u16, Vec<usize>>,
}

fn pair(a: u8, b: u8) -> u16 {
    u16::from_le_bytes([a.to_ascii_lowercase(), b.to_ascii_lowercase()])
}

impl KeywordTable {
    /// Builds the table, or `None` if a keyword is shorter than two bytes (config validation
    /// demands three, so only a hand-built rule set can have one).
    pub fn new(keywords: &[String]) -> Option<KeywordTable> {
        if keywords.iter().any(|k| k.len() < 2) {
            return None;
        }
        let mut table = KeywordTable {
            keywords: keywords
                .iter()
                .map(|k| k.as_bytes().to_ascii_lowercase())
                .collect(),
            pairs: Box::new([0; 1024]),
            by_pair: HashMap::new(),
        };
        for (index, keyword) in table.keywords.iter().enumerate() {
            let key = pair(keyword[0], keyword[1]);
            table.pairs[usize::from(key) / 64] |= 1 << (key % 64);
            table.by_pair.entry(key).or_default().push(index);
        }
        Some(table)
    }

    /// Calls `hit(start, keyword index)` for every occurrence of every keyword in `bytes`,
    /// overlapping ones included, ignoring ASCII case.
    pub fn for_each_hit(&self, bytes: &[u8], mut hit: impl FnMut(usize, usize)) {
        for (start, window) in bytes.windows(2).enumerate() {
            let key = pair(window[0], window[1]);
            if self.pairs[usize::from(key) / 64] & (1 << (key % 64)) == 0 {
                continue;
            }
            for &index in &self.by_pair[&key] {
                let keyword = &self.keywords[index];
                if bytes[start..]
                    .get(..keyword.len())
                    .is_some_and(|text| text.eq_ignore_ascii_case(keyword))
                {
                    hit(start, index);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// The table must find exactly what the overlapping automaton finds.
    #[test]
    fn finds_what_the_automaton_finds() {
        let keywords: Vec<String> = ["ghp_", "xox", "aaa", "AKIA", "password", "pass", "ss"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)
            .unwrap();
        let table = KeywordTable::new(&keywords).unwrap();
        assert!(KeywordTable::new(&["x".to_string()]).is_none());
        let inputs: &[&[u8]] = &[
            b"",
            b"a",
            b"aaaaa",
            b"my PASSWORD is ghp_x and xoxb-1",
            b"akia\xff\x00AKIAakiA",
            b"passpassword",
            b"\xe2\x82\xac ss",
        ];
        for &input in inputs {
            let mut want: Vec<(usize, usize)> = automaton
                .find_overlapping_iter(input)
                .map(|m| (m.start(), m.pattern().as_usize()))
                .collect();
            let mut got = Vec::new();
            table.for_each_hit(input, |start, index| got.push((start, index)));
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(input));
        }
    }
}
