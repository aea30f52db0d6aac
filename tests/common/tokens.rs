//! Fake credentials generated at test time: random but well-formed, so the built-in rules
//! report them, and never written out literally in a source file.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use leakward::internals::base62_crc32;
use leakward::internals::shannon;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE32_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

thread_local! {
    static STATE: Cell<u64> = Cell::new(RandomState::new().hash_one(std::process::id()));
}

/// A random 64-bit number (splitmix64 over a per-thread random seed).
fn next_random() -> u64 {
    STATE.with(|state| {
        let mut z = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        state.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// `len` random characters of `alphabet`.
pub fn random_string(alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[(next_random() % alphabet.len() as u64) as usize] as char)
        .collect()
}

/// Keeps drawing until a value is clearly random: high entropy and no accidental word that
/// the placeholder filter looks for, so a test never fails on an unlucky draw.
fn draw(min_entropy: f64, make: impl Fn() -> String) -> String {
    loop {
        let value = make();
        let lower = value.to_ascii_lowercase();
        let wordy = ["xxx", "example", "dummy", "test", "fake", "here"]
            .iter()
            .any(|w| lower.contains(w));
        if shannon(value.as_bytes()) >= min_entropy && !wordy {
            return value;
        }
    }
}

/// A fake GitHub classic token whose CRC32 tail validates: `ghp_` + 30 base62 + 6 checksum,
/// which the built-in rule `github-pat-classic` reports with high confidence.
/// A version-4 UUID whose digits are clearly random (an unlucky draw of hex digits can fall
/// under a generic rule's entropy floor).
pub fn random_uuid() -> String {
    draw(3.7, || {
        let hex = |n| random_string(b"0123456789abcdef", n);
        format!("{}-{}-4{}-a{}-{}", hex(8), hex(4), hex(3), hex(3), hex(12))
    })
}

pub fn github_token() -> String {
    draw(4.0, || {
        let payload = random_string(BASE62, 30);
        let tail = base62_crc32(crc32fast::hash(payload.as_bytes()));
        format!("ghp_{payload}{}", std::str::from_utf8(&tail).unwrap())
    })
}

/// A fake AWS access key id: `AKIA` + 16 characters of `[A-Z2-7]`.
pub fn aws_key_id() -> String {
    draw(3.5, || format!("AKIA{}", random_string(BASE32_UPPER, 16)))
}

/// A random password-like value of base62 characters.
pub fn password_value() -> String {
    draw(3.5, || random_string(BASE62, 20))
}

/// A line that the built-in `generic-password` rule (medium confidence) reports.
pub fn password_line(value: &str) -> String {
    // Split so that this source file never holds the assignment the rule looks for.
    format!("pass{}word = \"{value}\"", "")
}

/// A PKCS#1-shaped `RSA PRIVATE KEY` block whose DER body parses, generated now.
pub fn private_key_block() -> String {
    use base64::Engine;
    let mut der = vec![0x30, 0x82, 0x01, 0x2c];
    der.extend(random_string(b"0123456789abcdef", 0x12c).bytes());
    let body = base64::engine::general_purpose::STANDARD.encode(&der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        lines.join("\n")
    )
}
