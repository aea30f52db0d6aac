//! Decoding layers: values that are clearly an encoding of text, decoded so the detectors
//! can read what they hold.
//!
//! A Kubernetes Secret's `data:`, a docker `config.json` `auth`, a kubeconfig
//! `client-key-data`, `Authorization: Basic …` and base64-wrapped keys or `.env` payloads in
//! variables are base64 of text. A base64 run (standard or URL-safe, padded or not) counts
//! only when it decodes to printable text, so images, hashes, DER and random data are
//! left alone. Every decoded byte maps to the whole encoded run: findings are reported there.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use super::logical::Derived;

/// Shorter runs are words and identifiers more often than encodings.
const MIN_RUN: usize = 16;

/// Longer runs are not decoded (a 1 MB data URI is an image, not a credential).
pub const MAX_RUN: usize = 64 * 1024;

/// Decoded text shorter than this holds no credential worth a second look.
const MIN_DECODED: usize = 6;

const STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The decoded text of every base64 run in `bytes` that decodes to printable text: a
/// one-line value after the text before it on its line (its key, `Basic `), a multi-line one
/// on lines of its own. `None` when there is none.
pub fn derive(bytes: &[u8]) -> Option<Derived> {
    let mut out = Derived::default();
    let mut at = 0;
    while at < bytes.len() {
        if !is_base64(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_base64(bytes[at]) {
            at += 1;
        }
        let mut end = at;
        while end < bytes.len() && end - at < 2 && bytes[end] == b'=' {
            end += 1;
        }
        // A run inside a word or a path is not a value.
        let glued = start > 0 && matches!(bytes[start - 1], b'%' | b'\\' | b'.');
        if end - start < MIN_RUN || end - start > MAX_RUN || glued {
            continue;
        }
        let Some(decoded) = decode(&bytes[start..end]) else {
            continue;
        };
        if decoded.contains(&b'\n') {
            out.push_all(&decoded, start..end);
        } else {
            let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |nl| nl + 1);
            for (i, &b) in bytes[line_start..start].iter().enumerate() {
                out.push(b, line_start + i..line_start + i + 1);
            }
            out.push_all(&decoded, start..end);
        }
        out.push(b'\n', end..end);
        if out.text.len() > bytes.len() {
            return None;
        }
    }
    (!out.text.is_empty()).then_some(out)
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// The text a run encodes, if it is base64 of printable text.
fn decode(run: &[u8]) -> Option<Vec<u8>> {
    // A run of one case or without digits and symbols is a word, not an encoding.
    let varied = run.iter().any(u8::is_ascii_uppercase)
        && run.iter().any(u8::is_ascii_lowercase)
        && run.iter().any(|b| !b.is_ascii_alphabetic());
    if !varied || run.len() % 4 == 1 {
        return None;
    }
    let url_safe = run.iter().any(|b| matches!(b, b'-' | b'_'));
    if url_safe && run.iter().any(|b| matches!(b, b'+' | b'/')) {
        return None;
    }
    let engine = if url_safe { &URL_SAFE } else { &STANDARD };
    let decoded = engine.decode(run).ok()?;
    let printable = decoded
        .iter()
        .all(|&b| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7e));
    (printable && decoded.len() >= MIN_DECODED).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str) -> String {
        STANDARD.encode(text)
    }

    fn decoded(text: &str) -> String {
        derive(text.as_bytes()).map_or_else(String::new, |d| {
            String::from_utf8_lossy(&d.text).into_owned()
        })
    }

    #[test]
    fn base64_of_text_is_decoded_after_its_key() {
        let value = encode("user:s3cr3t-passw0rd");
        assert_eq!(
            decoded(&format!("  password: {value}\n")),
            "  password: user:s3cr3t-passw0rd\n"
        );
        let url_safe = URL_SAFE.encode("Key?>>~~ 42 ?>>Z");
        assert!(url_safe.contains(['-', '_']), "{url_safe}");
        assert_eq!(decoded(&format!("v={url_safe}")), "v=Key?>>~~ 42 ?>>Z\n");
        let multi = encode("A=1\nB=two\n");
        assert_eq!(decoded(&format!("X={multi}")), "A=1\nB=two\n\n");
    }

    #[test]
    fn binary_words_and_hashes_are_not_decoded() {
        let binary = STANDARD.encode([0x89, b'P', b'N', b'G', 0, 1, 2, 3, 200, 201, 202, 203]);
        for text in [
            format!("icon = \"{binary}\""),
            "getElementByIdAndClassName".to_string(),
            "integrity sha512-q1w2e3r4t5y6u7i8o9p0ASDFGHJKLzxcvbnm".to_string(),
            "path/to/some/Deeply/nested/File2.txt".to_string(),
        ] {
            assert_eq!(decoded(&text), "", "{text}");
        }
    }

    #[test]
    fn decoded_ranges_map_to_the_whole_encoded_run() {
        let value = encode("token-value-12345");
        let text = format!("k: {value}\n");
        let derived = derive(text.as_bytes()).unwrap();
        let logical = String::from_utf8_lossy(&derived.text).into_owned();
        let at = logical.find("value").unwrap();
        assert_eq!(&text[derived.original(at..at + 5)], value);
        assert_eq!(&text[derived.original(0..1)], "k");
    }
}
