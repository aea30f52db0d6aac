//! BIP39 mnemonic checksum: a seed phrase of 12 to 24 words from the English word list, whose
//! last `words / 3` bits are the first bits of the SHA-256 of the entropy the other bits hold.
//!
//! The word list is BIP39's (`bip39_english.txt`, 2048 sorted words, SHA-256
//! 2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda).

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

const WORD_LIST: &str = include_str!("bip39_english.txt");

fn words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| WORD_LIST.lines().collect())
}

/// True if `secret` is a valid BIP39 English mnemonic (12, 15, 18, 21 or 24 words).
pub(super) fn mnemonic_ok(secret: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(secret) else {
        return false;
    };
    let phrase: Vec<&str> = text.split_ascii_whitespace().collect();
    if !matches!(phrase.len(), 12 | 15 | 18 | 21 | 24) {
        return false;
    }
    let mut bits: Vec<bool> = Vec::with_capacity(phrase.len() * 11);
    for word in &phrase {
        let Ok(index) = words().binary_search(word) else {
            return false;
        };
        bits.extend((0..11).rev().map(|bit| index >> bit & 1 == 1));
    }
    let checksum_bits = phrase.len() / 3;
    let (entropy_bits, checksum) = bits.split_at(bits.len() - checksum_bits);
    let entropy: Vec<u8> = entropy_bits
        .chunks(8)
        .map(|byte| byte.iter().fold(0u8, |acc, &bit| acc << 1 | u8::from(bit)))
        .collect();
    let hash = Sha256::digest(&entropy);
    checksum
        .iter()
        .enumerate()
        .all(|(at, &bit)| (hash[at / 8] >> (7 - at % 8) & 1 == 1) == bit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_list_is_bip39_english() {
        assert_eq!(words().len(), 2048);
        assert!(words().windows(2).all(|w| w[0] < w[1]), "sorted");
        assert_eq!((words()[0], words()[2047]), ("abandon", "zoo"));
    }

    #[test]
    fn mnemonics_validate_by_their_checksum() {
        // The first BIP39 test vectors (entropy 00…00 and 7f…7f).
        let good = [
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
            "legal winner thank year wave sausage worth useful legal winner thank yellow",
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
        ];
        for phrase in good {
            assert!(mnemonic_ok(phrase.as_bytes()), "{phrase}");
        }
        let bad = [
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon",
            "legal winner thank year wave sausage worth useful legal winner thank year",
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon xyzzy",
            "",
        ];
        for phrase in bad {
            assert!(!mnemonic_ok(phrase.as_bytes()), "{phrase}");
        }
    }
}
