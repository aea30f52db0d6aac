//! Which four bytes of a keyword the keyword table looks for: the ones least likely to occur
//! in ordinary text, so that fewer positions of a chunk pass the table's set and get compared.
//!
//! A keyword's first four bytes are often a common word's (`serv` of `service_key`, `acce` of
//! `access_token`); on 6 MB of crates.io sources the four-byte prefixes of the catalog's
//! keywords occur at 82,000 positions, their least common four-byte substrings (ranked as
//! below) at about 43,000. The rank is fixed, not learned from the scanned text: bytes ranked by how
//! often they occur in English prose and source code, and common English letter pairs counted
//! against a substring that holds them.

/// Bytes (lower-case) from the most to the least frequent in source code and English text;
/// a byte not listed is rarer than all of them.
const BY_FREQUENCY: &[u8] =
    b" etasriolncdupm\nfh_.gb(),;y=\"vwk/:-x012{}'*#><jqz3456789[]&|!+%$@\\?^~`";

/// Letter pairs frequent in English and in code, and runs of the punctuation that rules and
/// banners repeat: a substring holding one is more common than its bytes alone say.
const COMMON_PAIRS: &[&[u8; 2]] = &[
    b"th", b"he", b"in", b"er", b"an", b"re", b"on", b"at", b"en", b"nd", b"ti", b"es", b"or",
    b"te", b"of", b"ed", b"is", b"it", b"al", b"ar", b"st", b"to", b"nt", b"ng", b"se", b"ha",
    b"as", b"ou", b"io", b"le", b"ve", b"co", b"me", b"de", b"hi", b"ri", b"ro", b"ic", b"ne",
    b"ea", b"ra", b"ce", b"li", b"ch", b"ll", b"be", b"ma", b"si", b"om", b"ur", b":/", b"//",
    b".c", b"m/", b"ht", b"tt", b"tp", b"--", b"==", b"**", b"##", b"  ",
];

/// How much a common pair lowers a substring's rarity, in the units of [`Rarity`].
const PAIR_WEIGHT: f64 = 1.5;

/// `RANKS[byte]`: the byte's position in [`BY_FREQUENCY`], or its length for a byte not
/// listed. Worked out when the binary is built: the keyword table asks for the rank of every
/// byte of ~770 keywords on every start-up, a pre-commit hook's included.
const RANKS: [u8; 256] = {
    let mut ranks = [BY_FREQUENCY.len() as u8; 256];
    let mut rank = BY_FREQUENCY.len();
    // From the least frequent, so that a byte listed twice keeps its first place.
    while rank > 0 {
        rank -= 1;
        ranks[BY_FREQUENCY[rank] as usize] = rank as u8;
    }
    ranks
};

/// One bit per pair of bytes (first byte × 256 + second): set for the [`COMMON_PAIRS`].
const IS_COMMON_PAIR: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let mut at = 0;
    while at < COMMON_PAIRS.len() {
        let pair = (COMMON_PAIRS[at][0] as usize) << 8 | COMMON_PAIRS[at][1] as usize;
        bits[pair / 64] |= 1 << (pair % 64);
        at += 1;
    }
    bits
};

fn is_common_pair(first: u8, second: u8) -> bool {
    let pair = (first as usize) << 8 | second as usize;
    IS_COMMON_PAIR[pair / 64] & (1 << (pair % 64)) != 0
}

/// How rare bytes (lower-case) are: higher is rarer. Each byte adds the logarithm of its
/// frequency rank (as if frequencies fell off as one over the rank), each common pair takes
/// off [`PAIR_WEIGHT`]. Holds each rank's logarithm, worked out once for a whole keyword set.
pub(super) struct Rarity {
    /// `weight[rank]`: `ln(rank + 2)`.
    weight: [f64; BY_FREQUENCY.len() + 1],
}

impl Rarity {
    pub(super) fn new() -> Rarity {
        Rarity {
            weight: std::array::from_fn(|rank| ((rank + 2) as f64).ln()),
        }
    }

    fn of(&self, bytes: &[u8]) -> f64 {
        let ranks: f64 = bytes
            .iter()
            .map(|&b| self.weight[usize::from(RANKS[usize::from(b)])])
            .sum();
        let pairs = bytes
            .windows(2)
            .filter(|pair| is_common_pair(pair[0], pair[1]))
            .count();
        ranks - PAIR_WEIGHT * pairs as f64
    }

    /// The offset of the rarest four bytes of `keyword` (lower-case, at least four bytes);
    /// the earliest of equally rare ones.
    pub(super) fn anchor(&self, keyword: &[u8]) -> usize {
        let mut best = (0, f64::NEG_INFINITY);
        for (offset, window) in keyword.windows(4).enumerate() {
            let score = self.of(window);
            if score > best.1 {
                best = (offset, score);
            }
        }
        best.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_built_with_the_binary_say_what_the_lists_say() {
        for byte in 0..=255u8 {
            let rank = BY_FREQUENCY
                .iter()
                .position(|&f| f == byte)
                .unwrap_or(BY_FREQUENCY.len());
            assert_eq!(usize::from(RANKS[usize::from(byte)]), rank, "{byte}");
            for second in 0..=255u8 {
                let common = COMMON_PAIRS.contains(&&[byte, second]);
                assert_eq!(is_common_pair(byte, second), common, "{byte} {second}");
            }
        }
    }

    #[test]
    fn anchors_fall_on_the_rarest_bytes() {
        let cases: &[(&str, &str)] = &[
            ("ghp_", "ghp_"),
            ("access_token", "_tok"),
            ("password", "sswo"),
            ("xoxb-", "xoxb"),
            ("sk_live_", "sk_l"),
            ("-----begin", "---b"),
            ("github_pat", "hub_"),
        ];
        for &(keyword, want) in cases {
            let at = Rarity::new().anchor(keyword.as_bytes());
            assert_eq!(&keyword[at..at + 4], want, "{keyword}");
        }
    }
}
