//! A keyword search for small inputs that costs almost nothing to build.
//!
//! Building the Aho-Corasick automaton over the catalog's ~700 keywords takes a few
//! milliseconds, most of a pre-commit hook's scan of a few KB. This table is built in tens of
//! microseconds: keywords are bucketed by their first two bytes (ASCII lower-cased), two bit
//! sets of byte pairs reject almost every position at once, and the few survivors are
//! compared in full. It costs a little per byte where the automaton costs nothing, so the prefilter uses it
//! only until enough bytes have been scanned to pay for the automaton. It reports exactly what
//! an overlapping, ASCII case-insensitive automaton reports: every (start, keyword) pair.

/// Keywords bucketed by their first two lower-cased bytes.
#[derive(Debug)]
pub(super) struct KeywordTable {
    /// Lower-cased keywords, indexed like the automaton's patterns.
    keywords: Vec<Vec<u8>>,
    /// One bit per two-byte prefix that some keyword starts with.
    first_pairs: Bits,
    /// One bit per pair of second and third bytes (or second byte and any byte, for a
    /// two-byte keyword): a second cheap test before a bucket is read.
    next_pairs: Bits,
    /// `order[bucket_start[p]..bucket_start[p + 1]]`: the keywords whose prefix is pair `p`.
    bucket_start: Vec<u32>,
    order: Vec<u32>,
}

/// A set of two-byte pairs.
#[derive(Debug)]
struct Bits(Box<[u64; 1024]>);

impl Bits {
    fn new() -> Bits {
        Bits(Box::new([0; 1024]))
    }
    fn insert(&mut self, pair: u16) {
        self.0[usize::from(pair) / 64] |= 1 << (pair % 64);
    }
    fn contains(&self, pair: u16) -> bool {
        self.0[usize::from(pair) / 64] & (1 << (pair % 64)) != 0
    }
}

fn pair(a: u8, b: u8) -> u16 {
    u16::from_le_bytes([a.to_ascii_lowercase(), b.to_ascii_lowercase()])
}

impl KeywordTable {
    /// Builds the table, or `None` if a keyword is shorter than two bytes (config validation
    /// demands three, so only a hand-built rule set can have one).
    pub(super) fn new(keywords: &[String]) -> Option<KeywordTable> {
        if keywords.iter().any(|k| k.len() < 2) {
            return None;
        }
        let keywords: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.as_bytes().to_ascii_lowercase())
            .collect();
        let mut first_pairs = Bits::new();
        let mut next_pairs = Bits::new();
        let mut bucket_start = vec![0u32; 65537];
        for keyword in &keywords {
            let first = pair(keyword[0], keyword[1]);
            first_pairs.insert(first);
            match keyword.get(2) {
                Some(&third) => next_pairs.insert(pair(keyword[1], third)),
                None => (0..=255).for_each(|any| next_pairs.insert(pair(keyword[1], any))),
            }
            bucket_start[usize::from(first) + 1] += 1;
        }
        for at in 1..bucket_start.len() {
            bucket_start[at] += bucket_start[at - 1];
        }
        let mut filled = bucket_start.clone();
        let mut order = vec![0u32; keywords.len()];
        for (index, keyword) in keywords.iter().enumerate() {
            let slot = &mut filled[usize::from(pair(keyword[0], keyword[1]))];
            order[*slot as usize] = index as u32;
            *slot += 1;
        }
        Some(KeywordTable {
            keywords,
            first_pairs,
            next_pairs,
            bucket_start,
            order,
        })
    }

    /// Calls `hit(start, keyword index)` for every occurrence of every keyword in `bytes`,
    /// overlapping ones included, ignoring ASCII case.
    pub(super) fn for_each_hit(&self, bytes: &[u8], mut hit: impl FnMut(usize, usize)) {
        for start in 0..bytes.len().saturating_sub(1) {
            let first = pair(bytes[start], bytes[start + 1]);
            if !self.first_pairs.contains(first) {
                continue;
            }
            // A keyword that ends at the chunk's end has no third byte to test.
            if let Some(&third) = bytes.get(start + 2) {
                if !self.next_pairs.contains(pair(bytes[start + 1], third)) {
                    continue;
                }
            }
            let bucket = usize::from(first);
            let range = self.bucket_start[bucket] as usize..self.bucket_start[bucket + 1] as usize;
            for &index in &self.order[range] {
                let keyword = &self.keywords[index as usize];
                if bytes[start..]
                    .get(..keyword.len())
                    .is_some_and(|text| text.eq_ignore_ascii_case(keyword))
                {
                    hit(start, index as usize);
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
