//! The keyword search: every (start, keyword) pair in a chunk, ASCII case ignored, found
//! without an automaton.
//!
//! An Aho-Corasick DFA over the catalog's ~770 keywords walks one state per byte: each step
//! waits for the load before it, which held it near 300-400 MB/s on source code (issue 16,
//! item 3). Here every position is tested on its own, so the processor overlaps the tests:
//! the four bytes from a position, case-folded, are hashed into a 2^21-bit set of the folded
//! four-byte anchors of the keywords: a keyword of four or more bytes is entered by its
//! least common four bytes (`anchor`), a three-byte keyword by its bytes with every value of
//! the missing fourth. A position that passes (a few in a hundred on source code) is compared
//! with the keywords filed under its anchor, each checked whole around it. Keywords shorter
//! than three bytes are found by a separate pass for their first byte. Building takes about
//! 0.8 M instructions (the anchors rank bytes through tables built with the binary; ranking
//! them by searching the lists was 4.6 M, most of a pre-commit hook's start-up).

/// Bits of the window set's hash: 2^21 bits (256 KiB), few enough to stay in cache and many
/// enough that hash collisions add little to the anchors that pass. The three-byte keywords
/// fill about 8,300 bits (one per folded fourth byte); at 2^20 bits those collisions passed
/// about as many positions as real anchors did, and the prefilter ran at ~880 MB per
/// CPU-second on crates.io sources against ~1,000 at 2^21 (2^22 was no faster).
const SET_BITS: u32 = 21;
/// Bits of the hash that files keywords by anchor for the comparison.
const BUCKET_BITS: u32 = 12;
/// Folding every byte with this (per byte) maps an ASCII letter's two cases to one value,
/// and keeps every keyword occurrence's bytes equal to the keyword's: a set test can admit
/// too much, never too little.
const FOLD: u32 = 0x2020_2020;
/// Words of the window set.
const SET_WORDS: usize = (1 << SET_BITS) / 64;

/// The window set, keywords filed by prefix, and the short keywords.
#[derive(Debug)]
pub(super) struct KeywordTable {
    /// Lower-cased keywords, indexed like the prefilter's patterns.
    keywords: Vec<Vec<u8>>,
    /// `anchors[index]`: the offset in the keyword of the four bytes it is looked up by
    /// (zero for keywords shorter than four bytes).
    anchors: Vec<usize>,
    /// One bit per hashed, folded four-byte window that is a keyword's anchor or a
    /// three-byte keyword and a fourth byte.
    windows: Box<[u64; SET_WORDS]>,
    /// Keywords of four or more bytes, by the hash of their folded anchor.
    long: Buckets,
    /// Keywords of three bytes, by the hash of their folded bytes.
    three: Buckets,
    /// Keywords of one or two bytes, and their possible first bytes (both cases).
    short: Vec<u32>,
    short_firsts: Vec<u8>,
}

/// Keyword indices grouped by a hash: `order[start[h]..start[h + 1]]`.
#[derive(Debug)]
struct Buckets {
    start: Vec<u32>,
    order: Vec<u32>,
}

impl Buckets {
    /// Files each `(hash, keyword index)`.
    fn new(entries: &[(usize, u32)]) -> Buckets {
        let mut start = vec![0u32; (1 << BUCKET_BITS) + 1];
        for &(hash, _) in entries {
            start[hash + 1] += 1;
        }
        for at in 1..start.len() {
            start[at] += start[at - 1];
        }
        let mut filled = start.clone();
        let mut order = vec![0u32; entries.len()];
        for &(hash, index) in entries {
            order[filled[hash] as usize] = index;
            filled[hash] += 1;
        }
        Buckets { start, order }
    }

    fn get(&self, hash: usize) -> &[u32] {
        &self.order[self.start[hash] as usize..self.start[hash + 1] as usize]
    }
}

fn set_hash(window: u32) -> usize {
    (window.wrapping_mul(0x9E37_79B1) >> (32 - SET_BITS)) as usize
}

fn bucket_hash(prefix: u32) -> usize {
    (prefix.wrapping_mul(0x9E37_79B1) >> (32 - BUCKET_BITS)) as usize
}

/// Up to four bytes from `at`, little-endian, folded; missing bytes read as folded zeros.
fn window_at(bytes: &[u8], at: usize) -> u32 {
    let mut window = [0u8; 4];
    let available = &bytes[at..bytes.len().min(at + 4)];
    window[..available.len()].copy_from_slice(available);
    u32::from_le_bytes(window) | FOLD
}

impl KeywordTable {
    /// Builds the table; `keywords` are non-empty.
    pub(super) fn new(keywords: &[String]) -> KeywordTable {
        let keywords: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.as_bytes().to_ascii_lowercase())
            .collect();
        let mut windows: Box<[u64; SET_WORDS]> = vec![0u64; SET_WORDS]
            .into_boxed_slice()
            .try_into()
            .expect("SET_WORDS words");
        let mut enter = |window: u32| {
            let bit = set_hash(window | FOLD);
            windows[bit / 64] |= 1 << (bit % 64);
        };
        let (mut long, mut three, mut short) = (Vec::new(), Vec::new(), Vec::new());
        let mut short_firsts = Vec::new();
        let mut anchors = vec![0; keywords.len()];
        let rarity = super::anchor::Rarity::new();
        for (index, keyword) in keywords.iter().enumerate() {
            let prefix = window_at(keyword, 0);
            let (at, index) = (index, index as u32);
            match keyword.len() {
                0 => {}
                1 | 2 => {
                    short.push(index);
                    let first = keyword[0];
                    short_firsts.extend([first, first.to_ascii_uppercase()]);
                }
                3 => {
                    (0..=255u32).for_each(|fourth| enter(prefix & 0x00ff_ffff | fourth << 24));
                    three.push((bucket_hash(prefix & 0x00ff_ffff), index));
                }
                _ => {
                    anchors[at] = rarity.anchor(keyword);
                    let anchor = window_at(keyword, anchors[at]);
                    enter(anchor);
                    long.push((bucket_hash(anchor), index));
                }
            }
        }
        short_firsts.sort_unstable();
        short_firsts.dedup();
        KeywordTable {
            keywords,
            anchors,
            windows,
            long: Buckets::new(&long),
            three: Buckets::new(&three),
            short,
            short_firsts,
        }
    }

    /// Calls `hit(start, keyword index)` for every occurrence of every keyword in `bytes`,
    /// overlapping ones included, ignoring ASCII case, each once and in no particular order.
    pub(super) fn for_each_hit(&self, bytes: &[u8], mut hit: impl FnMut(usize, usize)) {
        // A plain branch per position: it is taken at a few positions in a hundred, so it is
        // nearly always predicted, and it was faster than gathering eight tests into a mask
        // first (843 against 702 MB per CPU-second on crates.io sources).
        for (start, window) in bytes.windows(4).enumerate() {
            let bit = set_hash(u32::from_le_bytes(window.try_into().expect("4 bytes")) | FOLD);
            if self.windows[bit / 64] & (1 << (bit % 64)) != 0 {
                self.compare(bytes, start, &mut hit);
            }
        }
        // The last positions have fewer than four bytes left; `compare` pads them.
        for start in bytes.len().saturating_sub(3)..bytes.len() {
            self.compare(bytes, start, &mut hit);
        }
        if !self.short.is_empty() {
            self.short_hits(bytes, &mut hit);
        }
    }

    /// Reports the keywords of four or more bytes anchored at `at`, and the keywords of
    /// three bytes that start there.
    fn compare(&self, bytes: &[u8], at: usize, hit: &mut impl FnMut(usize, usize)) {
        let window = window_at(bytes, at);
        let long = self.long.get(bucket_hash(window));
        let three = self.three.get(bucket_hash(window & 0x00ff_ffff));
        for &index in long.iter().chain(three) {
            let index = index as usize;
            let keyword = &self.keywords[index];
            let Some(start) = at.checked_sub(self.anchors[index]) else {
                continue;
            };
            if bytes[start..]
                .get(..keyword.len())
                .is_some_and(|text| text.eq_ignore_ascii_case(keyword))
            {
                hit(start, index);
            }
        }
    }

    /// Reports the keywords of one or two bytes, from a search for their first bytes.
    fn short_hits(&self, bytes: &[u8], hit: &mut impl FnMut(usize, usize)) {
        let mut report = |start: usize| {
            for &index in &self.short {
                let keyword = &self.keywords[index as usize];
                if bytes[start..]
                    .get(..keyword.len())
                    .is_some_and(|text| text.eq_ignore_ascii_case(keyword))
                {
                    hit(start, index as usize);
                }
            }
        };
        match self.short_firsts[..] {
            [a] => memchr::memchr_iter(a, bytes).for_each(&mut report),
            [a, b] => memchr::memchr2_iter(a, b, bytes).for_each(&mut report),
            [a, b, c] => memchr::memchr3_iter(a, b, c, bytes).for_each(&mut report),
            _ => (0..bytes.len())
                .filter(|&at| self.short_firsts.binary_search(&bytes[at]).is_ok())
                .for_each(&mut report),
        }
    }

    /// Every `(start, keyword index)` hit, for tests.
    #[cfg(test)]
    fn hits(&self, bytes: &[u8]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        self.for_each_hit(bytes, |start, index| found.push((start, index)));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// The table must find exactly what an overlapping, ASCII case-insensitive Aho-Corasick
    /// automaton finds, on edges of every kind: short keywords, keywords that are prefixes of
    /// others, hits in the last bytes, non-ASCII bytes and bytes that fold together
    /// (`_` and DEL, `@` and a backquote).
    #[test]
    fn finds_what_the_automaton_finds() {
        let sets: &[&[&str]] = &[
            &["ghp_", "xox", "aaa", "AKIA", "password", "pass", "ss", "&#"],
            &["x", "key", "key_", "api_key", "@ab", "_x_", "A1b2C3d4"],
            &["abc", "abcd", "bcd", "cd", "d"],
            &["\u{e9}t\u{e9}", "\u{20ac}uro", "zz"],
            &[
                "access_token",
                "password",
                "pass",
                "sk_live_",
                "-----begin",
                "ss_tok",
            ],
        ];
        let mut inputs: Vec<Vec<u8>> = [
            &b""[..],
            b"a",
            b"aaaaa",
            b"my PASSWORD is ghp_x and xoxb-1 &#x41; &#",
            b"akia\xff\x00AKIAakiA",
            b"passpassword",
            b"\xe2\x82\xac ss \xe2\x82\xacURO \xc3\xa9T\xc3\xa9",
            b"KEY_ api_KEY `AB @ab \x7fx\x7f _x_ a1B2c3D4 x",
            b"abcdabcdbcdcdd",
            b"ACCESS_TOKENaccess_tokenPASSWORDpasswordsk_live_sk_LIVE_-----BEGIN access_tok",
            b"ss_token password -----begin-----begin ccess_token",
        ]
        .iter()
        .map(|b| b.to_vec())
        .collect();
        // Every keyword at every alignment and at the very end of an input.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for set in sets {
            for keyword in *set {
                for pad in 0..13 {
                    let mut input = vec![b'.'; pad];
                    input.extend(keyword.as_bytes());
                    inputs.push(input.clone());
                    input.extend(b"..zz");
                    inputs.push(input);
                }
            }
        }
        // Random text over an alphabet dense in keyword bytes.
        let alphabet = b"aAbBcCdDkKyYeE_xX@`&#\x7fpsPSzZ";
        for _ in 0..300 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 64) as usize;
            let text = (0..len)
                .map(|i| alphabet[((state >> (i % 50)) as usize + i * 7) % alphabet.len()])
                .collect();
            inputs.push(text);
        }
        for set in sets {
            let keywords: Vec<String> = set.iter().map(|s| s.to_string()).collect();
            let automaton = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&keywords)
                .unwrap();
            let table = KeywordTable::new(&keywords);
            for input in &inputs {
                let mut want: Vec<(usize, usize)> = automaton
                    .find_overlapping_iter(input)
                    .map(|m| (m.start(), m.pattern().as_usize()))
                    .collect();
                let mut got = table.hits(input);
                want.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, want, "{set:?} in {:?}", String::from_utf8_lossy(input));
            }
        }
    }
}
