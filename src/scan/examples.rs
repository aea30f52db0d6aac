//! The rules' own examples, as one text that a candidate secret is looked up in: a secret
//! quoted verbatim from the catalog is test data that ships in the binary, not a leak.
//!
//! Every candidate that survives the earlier filters is looked up, so a file dense with
//! secrets makes thousands of lookups. A substring search through the whole text (about
//! 90 KB) for each would dominate the scan, so a bit set of the text's 8-byte windows
//! answers most lookups first: a secret whose first or last 8 bytes occur nowhere in the
//! text cannot occur in it.

/// Bytes per window; secrets shorter than this are always searched for.
const WINDOW: usize = 8;
/// Bits in the window set: about 20 per window of the built-in catalog, so a random
/// 8-byte string is in it by chance about once in 20, and a secret passes both checks by
/// chance about once in 400.
const BITS: u32 = 21;

/// Example text with a set of the 8-byte windows it holds.
#[derive(Debug)]
pub(super) struct Examples {
    text: Vec<u8>,
    windows: Vec<u64>,
}

impl Examples {
    /// Indexes `text` (every example, one per line).
    pub(super) fn new(text: Vec<u8>) -> Self {
        let mut windows = vec![0u64; (1 << BITS) / 64];
        for window in text.windows(WINDOW) {
            let bit = slot(window);
            windows[bit / 64] |= 1 << (bit % 64);
        }
        Examples { text, windows }
    }

    /// True if `secret` occurs verbatim in the text.
    pub(super) fn contains(&self, secret: &[u8]) -> bool {
        if secret.len() >= WINDOW {
            let held = |window: &[u8]| {
                let bit = slot(window);
                self.windows[bit / 64] & (1 << (bit % 64)) != 0
            };
            if !held(&secret[..WINDOW]) || !held(&secret[secret.len() - WINDOW..]) {
                return false;
            }
        }
        memchr::memmem::find(&self.text, secret).is_some()
    }
}

/// The bit of an 8-byte window: Fibonacci hashing of its bytes.
fn slot(window: &[u8]) -> usize {
    let mut word = [0u8; WINDOW];
    word.copy_from_slice(window);
    (u64::from_le_bytes(word).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BITS)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_the_substrings_of_the_text() {
        let text = b"token = q8Zr2LmVx0Pw7TnK\nshort\nthe last line of the text".to_vec();
        let examples = Examples::new(text.clone());
        for start in 0..text.len() {
            for end in start + 1..=text.len().min(start + 30) {
                assert!(examples.contains(&text[start..end]), "{start}..{end}");
            }
        }
        let absent: &[&[u8]] = &[
            b"q8Zr2LmVx0Pw7TnX",
            b"the last line of the texts",
            b"Xtoken = q8Zr2LmVx0Pw7TnK",
            b"shorter",
        ];
        for &secret in absent {
            assert!(!examples.contains(secret), "{secret:?}");
        }
    }
}
