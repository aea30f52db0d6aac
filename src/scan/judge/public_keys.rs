//! Private keys that are already public: shipped in the test suites and documentation of
//! published packages, recognised by the SHA-256 of their decoded body.
//!
//! The list (`public_keys.txt`) is built by `benches/public-keys.sh` from packages
//! downloaded from the registries (crates.io, npm, PyPI), so anyone can rebuild and audit it.
//! It holds digests and where each key was published, never a key. A key on it is known to
//! the world, so it cannot be leaked again; it is reported only on request
//! (`report_public_keys = true`). The list ships in the binary and is not configurable, so
//! a repository cannot add its own key to it to hide the key. See: issue 18, item 4.

use std::sync::OnceLock;

use crate::scan::checksum::pem_digest;

/// `<sha256 hex> <where it was published>` per line; `#` starts a comment.
const LIST: &str = include_str!("public_keys.txt");

/// The parsed list, sorted by digest.
fn list() -> &'static [([u8; 32], &'static str)] {
    static PARSED: OnceLock<Vec<([u8; 32], &'static str)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let mut entries: Vec<([u8; 32], &'static str)> = LIST
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|line| {
                let (hex, source) = line.split_once(' ').unwrap_or((line, ""));
                let digest = parse_hex(hex)
                    .unwrap_or_else(|| panic!("public_keys.txt holds a malformed digest: {hex}"));
                (digest, source.trim())
            })
            .collect();
        entries.sort_unstable();
        entries
    })
}

fn parse_hex(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Where the private key whose body is `secret` was published, if it is on the list.
pub(super) fn published_at(secret: &[u8]) -> Option<&'static str> {
    let digest = pem_digest(secret)?;
    let entries = list();
    entries
        .binary_search_by(|(d, _)| d.cmp(&digest))
        .ok()
        .map(|i| entries[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_list_parses() {
        let count = LIST
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(list().len(), count);
        assert!(list().iter().all(|(_, source)| !source.is_empty()));
    }

    #[test]
    fn a_key_that_is_not_on_the_list_is_not_public() {
        // A freshly generated body: 64 random-looking bytes in a DER sequence.
        let mut der = vec![0x30, 0x40];
        der.extend((0u8..64).map(|i| i.wrapping_mul(97).wrapping_add(13)));
        use base64::Engine;
        let body = base64::engine::general_purpose::STANDARD.encode(&der);
        assert!(pem_digest(body.as_bytes()).is_some());
        assert_eq!(published_at(body.as_bytes()), None);
    }
}
