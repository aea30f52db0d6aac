//! Private key blocks (PEM, OpenSSH, OpenPGP armor): whether a block's body is a key, and
//! which key it is.
//!
//! A body is read two ways. As written, each line is base64 as it stands: what a key file
//! holds, and what a match must be to validate (a key behind comment markers is found,
//! cleaned, through the logical-text layer). By payload, each line counts for its longest run
//! of base64, so however source code holds a key (comment prefixes, quotes, string
//! concatenation) it decodes to the same bytes: that decides whether a block holds a key at
//! all and gives its fingerprint for the list of published keys (see `judge::public_keys`).

use base64::Engine;

/// The decoded bytes of a private key body (headers, base64 lines, optional OpenPGP
/// checksum line, possibly with its line breaks escaped as `\\n` inside a string literal),
/// whether a `DEK-Info` header says it is encrypted, and the armor checksum if any.
struct PemBody {
    der: Vec<u8>,
    encrypted: bool,
    armor_crc: Option<String>,
}

/// How the lines of a key body are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyLines {
    /// Each line is base64 as it stands, as a key file holds it: whether a match is a
    /// key as written (a key behind comment markers is found, cleaned, through layers).
    AsWritten,
    /// Each line counts for its payload (see [`line_payload`]): whether the bytes hold a
    /// key however source code holds it, and which key it is.
    Payload,
}

fn pem_body(secret: &[u8], read: BodyLines) -> Option<PemBody> {
    let text = String::from_utf8_lossy(secret)
        .replace("\\r", "")
        .replace("\\n", "\n");
    let mut base64_text = String::new();
    let mut encrypted = false;
    let mut armor_crc: Option<String> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.contains(':') {
            encrypted |= line.contains("DEK-Info");
        } else {
            let payload = match read {
                BodyLines::AsWritten => line,
                BodyLines::Payload => line_payload(line),
            };
            if payload.len() == 5 && payload.starts_with('=') {
                armor_crc = Some(payload[1..].to_string());
            } else {
                base64_text.push_str(payload);
            }
        }
    }
    let der = pem_engine().decode(base64_text.as_bytes()).ok()?;
    (!der.is_empty()).then_some(PemBody {
        der,
        encrypted,
        armor_crc,
    })
}

/// The base64 payload of one body line as source code holds it: its longest run of base64
/// characters, so a comment prefix (`//`, `#`, ` * `, `///`), quotes, a string prefix (`b"`),
/// a leftover backslash of a doubly escaped `\\n` and the `+` or `,` that joins string
/// literals do not change the key's bytes. A run of only `/`, `+` or `=` is a comment marker
/// or an operator, never a line of a key. Keep `benches/public-keys.sh` in step: the list's
/// digests are computed the same way.
fn line_payload(line: &str) -> &str {
    let is_base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    line.split(|c: char| !is_base64(c))
        .filter(|run| run.chars().any(|c| c.is_ascii_alphanumeric()))
        .fold("", |longest, run| {
            if run.len() > longest.len() {
                run
            } else {
                longest
            }
        })
}

fn pem_engine() -> base64::engine::GeneralPurpose {
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    )
}

/// SHA-256 of a private key's decoded body: the same key gives the same digest however it
/// is wrapped, indented or escaped. `None` if the body does not decode.
pub(crate) fn pem_digest(secret: &[u8]) -> Option<[u8; 32]> {
    use sha2::{Digest, Sha256};
    pem_body(secret, BodyLines::Payload).map(|body| Sha256::digest(&body.der).into())
}

/// True if `secret` holds a key structure however source code holds its lines (comment
/// markers, quotes, string concatenation; see [`line_payload`]): a block that fails even
/// this is no key at all, cut short or made up.
pub(crate) fn pem_holds_key(secret: &[u8]) -> bool {
    pem_structure(secret, BodyLines::Payload)
}

/// A private key body that decodes to a key structure (see [`pem_body`]).
pub(super) fn pem_ok(secret: &[u8]) -> bool {
    pem_structure(secret, BodyLines::AsWritten)
}

fn pem_structure(secret: &[u8], read: BodyLines) -> bool {
    let Some(PemBody {
        der,
        encrypted,
        armor_crc,
    }) = pem_body(secret, read)
    else {
        return false;
    };
    if let Some(crc) = armor_crc {
        let value = crc24(&der).to_be_bytes();
        return pem_engine().encode(&value[1..]) == crc;
    }
    encrypted && der.len() % 8 == 0
        || der.starts_with(b"openssh-key-v1\0")
        || der.starts_with(&[0x3f, 0x6f, 0xf9, 0xeb])
        || der_sequence_fills(&der)
}

/// True if `der` is exactly one DER SEQUENCE: tag 0x30 and a length that covers the rest.
fn der_sequence_fills(der: &[u8]) -> bool {
    let (Some(&0x30), Some(&first)) = (der.first(), der.get(1)) else {
        return false;
    };
    let (len, header) = match first {
        0..=0x7f => (usize::from(first), 2),
        0x81..=0x84 => {
            let count = usize::from(first & 0x7f);
            let Some(bytes) = der.get(2..2 + count) else {
                return false;
            };
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
            (len, 2 + count)
        }
        _ => return false,
    };
    header + len == der.len()
}

/// The CRC-24 of OpenPGP ASCII armor (RFC 4880, section 6.1).
pub(super) fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00b7_04ce;
    for &byte in data {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4cfb;
            }
        }
    }
    crc & 0x00ff_ffff
}
