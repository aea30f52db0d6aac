//! Keyboard mashing: values typed along a row of the keyboard (`ASDFLASDF`, `qwertyuiop`),
//! as documentation and tests fill a field with something that only looks random
//! (`AKIAJHTMIQ2ASDFLASDF` in an SDK's docstrings).
//!
//! A run of four keys along a row turns up in random base62 text about once in 50,000
//! windows, so one run says nothing, nor do two different ones (`QwErTy…uIoP` is typed, but
//! typed as a stand-in for a random token); the same run twice, or one of seven keys or
//! more, practically never happens by chance.

/// The letter rows of a QWERTY keyboard, left to right.
const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// Runs of at least this many keys count when repeated.
const RUN: usize = 4;

/// One run of at least this many keys decides alone.
const LONG_RUN: usize = 7;

/// True if `secret` holds the same run of [`RUN`] keys along a keyboard row twice
/// (`ASDF…ASDF`), or one run of [`LONG_RUN`] keys (letters compared case-insensitively).
pub(super) fn is_keyboard_mash(secret: &[u8]) -> bool {
    let lower = secret.to_ascii_lowercase();
    let mut runs: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    for end in 1..=lower.len() {
        if end < lower.len() && is_next_key(lower[end - 1], lower[end]) {
            continue;
        }
        let run = &lower[start..end];
        if run.len() >= LONG_RUN || (run.len() >= RUN && runs.contains(&run)) {
            return true;
        }
        if run.len() >= RUN {
            runs.push(run);
        }
        start = end;
    }
    false
}

/// True if `next` is the key right of `key` on the same letter row.
fn is_next_key(key: u8, next: u8) -> bool {
    ROWS.iter()
        .any(|row| row.windows(2).any(|pair| pair[0] == key && pair[1] == next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyboard_runs_are_told_from_random_text() {
        for mashed in [
            "AKIAJHTMIQ2ASDFLASDF",
            "qwertyuiop",
            "xASDFGHJx",
            "zxcv-1-ZXCV",
        ] {
            assert!(is_keyboard_mash(mashed.as_bytes()), "{mashed}");
        }
        for random in [
            "aB3cToken9xYz2QwErTy7uIoP",
            "Zq3RkT9vWm2XyPb7",
            "asdf1234",
            "poiuytre",
            "zxcv-1-qwer",
        ] {
            assert!(!is_keyboard_mash(random.as_bytes()), "{random}");
        }
    }

    #[test]
    fn random_tokens_almost_never_look_mashed() {
        // xorshift draws of 40 base62 characters, the shape of API tokens.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let base62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut hits = 0;
        for _ in 0..200_000 {
            let token: Vec<u8> = (0..40)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    base62[(state >> 11) as usize % base62.len()]
                })
                .collect();
            hits += usize::from(is_keyboard_mash(&token));
        }
        assert_eq!(hits, 0, "{hits} of 200,000 random tokens look mashed");
    }
}
