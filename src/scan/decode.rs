//! Decoding layers: values that are clearly an encoding of text, decoded so the detectors
//! can read what they hold.
//!
//! A Kubernetes Secret's `data:`, a docker `config.json` `auth`, a kubeconfig
//! `client-key-data`, `Authorization: Basic …` and base64-wrapped keys or `.env` payloads in
//! variables are base64 of text; so is a long value wrapped over lines of equal width (a YAML
//! `|` block, `base64` output). A run of hex digits that decodes to text is an encoding too.
//! A run (standard or URL-safe base64, padded or not, or hex) counts only when it decodes to
//! printable text, so images, hashes, DER and random data are left alone. Every decoded byte
//! maps to the whole encoded run: findings are reported there.
//!
//! Cost: most chunks hold no such run, so runs are found by looking at every
//! `STRIDE`-th byte only (a run that long holds one of them) and reading around a hit;
//! ordinary code is skipped about `STRIDE` bytes at a time between its identifiers.

use std::ops::Range;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use super::logical::Derived;

/// Shorter runs are words and identifiers more often than encodings.
const MIN_RUN: usize = 16;

/// Longer runs are not decoded (a 1 MB data URI is an image, not a credential).
pub(crate) const MAX_RUN: usize = 64 * 1024;

/// Runs are looked for at every this-many bytes: a run of [`MIN_RUN`] with its padding
/// holds at least this many base64 bytes.
const STRIDE: usize = MIN_RUN - 2;

/// Decoded text shorter than this holds no credential worth a second look.
const MIN_DECODED: usize = 6;

/// A line of a wrapped value is at least this wide; the lines before its last are equal.
const MIN_WRAP: usize = 40;

const STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The bytes of both base64 alphabets (without padding), as a table.
static BASE64: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_');
        b += 1;
    }
    table
};

fn is_base64(b: u8) -> bool {
    BASE64[usize::from(b)]
}

/// The names findings give these layers.
pub(crate) const BASE64_LAYER: &str = "base64";
pub(crate) const HEX_LAYER: &str = "hex";

/// The decoded text of every encoded run that starts in one of `windows` (see `layer_gate`)
/// and decodes to printable text, as a base64 and a hex layer: a one-line value after the
/// text before it on its line (its key, `Basic `), a multi-line one on lines of its own.
pub(crate) fn derive(bytes: &[u8], windows: &[Range<usize>]) -> Vec<(&'static str, Derived)> {
    let mut base64 = Derived::default();
    let mut hex = Derived::default();
    let mut runs = Runs::new(bytes);
    for window in windows {
        runs.skip_to(window.start);
        runs.end = window.end;
        while let Some(run) = runs.next() {
            let (start, mut end) = (run.start, run.end);
            while end < bytes.len() && end - run.end < 2 && bytes[end] == b'=' {
                end += 1;
            }
            // A run inside a word or a path is not a value.
            let glued = start > 0 && matches!(bytes[start - 1], b'%' | b'\\' | b'.');
            if end - start < MIN_RUN || end - start > MAX_RUN || glued {
                continue;
            }
            if let Some(wrapped) = wrapped(bytes, start..end) {
                runs.skip_to(wrapped.span.end);
                if let Some((decoded, is_hex)) = decode(&wrapped.joined) {
                    let out = if is_hex { &mut hex } else { &mut base64 };
                    out.push_all(&decoded, wrapped.span.clone());
                    out.push(b'\n', wrapped.span.end..wrapped.span.end);
                }
            } else if let Some((decoded, is_hex)) = decode(&bytes[start..end]) {
                let out = if is_hex { &mut hex } else { &mut base64 };
                if !decoded.contains(&b'\n') {
                    let line_start = memchr::memrchr(b'\n', &bytes[..start]).map_or(0, |nl| nl + 1);
                    out.push_verbatim(&bytes[line_start..start], line_start);
                }
                out.push_all(&decoded, start..end);
                out.push(b'\n', end..end);
            }
            if base64.len() + hex.len() > bytes.len() {
                return Vec::new();
            }
        }
    }
    [(BASE64_LAYER, base64), (HEX_LAYER, hex)]
        .into_iter()
        .filter(|(_, derived)| !derived.text.is_empty())
        .collect()
}

/// The runs of base64 bytes at least `STRIDE` long, in order.
struct Runs<'a> {
    bytes: &'a [u8],
    /// The next byte to look at; every byte before it is known to be in no run still due.
    probe: usize,
    /// Bytes before this belong to runs already returned.
    done: usize,
    /// Runs are looked for up to here (they may end after it).
    end: usize,
}

impl<'a> Runs<'a> {
    fn new(bytes: &'a [u8]) -> Runs<'a> {
        Runs {
            bytes,
            probe: STRIDE - 1,
            done: 0,
            end: bytes.len(),
        }
    }

    /// Continues at `at` (after a run or block the caller consumed, or at a window).
    fn skip_to(&mut self, at: usize) {
        self.done = self.done.max(at);
        self.probe = self.probe.max(at + STRIDE - 1);
    }
}

impl Iterator for Runs<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.bytes;
        // A run that starts before `end` holds a probe before `end + STRIDE`.
        let last = (self.end + STRIDE).min(bytes.len());
        while self.probe < last {
            let at = self.probe;
            if !is_base64(bytes[at]) {
                // A run of STRIDE bytes after `at` holds the byte STRIDE further on.
                self.probe += STRIDE;
                continue;
            }
            let mut start = at;
            while start > self.done && is_base64(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = at + 1;
            while end < bytes.len() && is_base64(bytes[end]) {
                end += 1;
            }
            self.done = end;
            self.probe = end + STRIDE;
            if end - start >= STRIDE {
                return Some(start..end);
            }
        }
        None
    }
}

/// A value wrapped over lines: the lines' runs joined, and the bytes from its first to its
/// last run.
struct Wrapped {
    joined: Vec<u8>,
    span: Range<usize>,
}

/// The value `run` starts if it fills its line (after indentation), is at least [`MIN_WRAP`]
/// wide, and the next lines continue it at the same width, the last no wider.
fn wrapped(bytes: &[u8], run: Range<usize>) -> Option<Wrapped> {
    let width = run.len();
    let line_end =
        |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |nl| at + nl);
    let fills = |range: &Range<usize>| {
        let line_start = memchr::memrchr(b'\n', &bytes[..range.start]).map_or(0, |nl| nl + 1);
        bytes[line_start..range.start]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'))
            && bytes[range.end..line_end(range.end)]
                .trim_ascii_end()
                .is_empty()
    };
    if width < MIN_WRAP || !fills(&run) {
        return None;
    }
    let mut joined = bytes[run.clone()].to_vec();
    let mut last = run.clone();
    while last.end < bytes.len() && last.len() == width && joined.len() <= MAX_RUN {
        let next_line = line_end(last.end) + 1;
        let mut start = next_line;
        while start < bytes.len() && matches!(bytes[start], b' ' | b'\t') {
            start += 1;
        }
        let mut end = start;
        while end < bytes.len() && (is_base64(bytes[end]) || bytes[end] == b'=') {
            end += 1;
        }
        let next = start..end;
        if next.is_empty() || next.len() > width || !fills(&next) {
            break;
        }
        joined.extend_from_slice(&bytes[next.clone()]);
        last = next;
    }
    (last.start > run.start).then_some(Wrapped {
        joined,
        span: run.start..last.end,
    })
}

/// The text a run encodes, if it is base64 or hex of printable text, and whether it was hex.
fn decode(run: &[u8]) -> Option<(Vec<u8>, bool)> {
    if run.len().is_multiple_of(2) && run.iter().all(u8::is_ascii_hexdigit) {
        return printable(hex(run)?).map(|d| (d, true));
    }
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
    printable(engine.decode(run).ok()?).map(|d| (d, false))
}

/// The bytes a run of hex digits spells, stopping at the first that is not printable text
/// (a content hash's first bytes usually are not).
fn hex(run: &[u8]) -> Option<Vec<u8>> {
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut decoded = Vec::with_capacity(run.len() / 2);
    for pair in run.chunks_exact(2) {
        let b = digit(pair[0])? << 4 | digit(pair[1])?;
        if !is_printable(b) {
            return None;
        }
        decoded.push(b);
    }
    Some(decoded)
}

fn is_printable(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7e)
}

fn printable(decoded: Vec<u8>) -> Option<Vec<u8>> {
    (decoded.len() >= MIN_DECODED && decoded.iter().all(|&b| is_printable(b))).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str) -> String {
        STANDARD.encode(text)
    }

    fn decoded(text: &str) -> String {
        derive(text.as_bytes(), std::slice::from_ref(&(0..text.len())))
            .iter()
            .map(|(_, d)| String::from_utf8_lossy(&d.text).into_owned())
            .collect()
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
        let layers = derive(text.as_bytes(), std::slice::from_ref(&(0..text.len())));
        let [(_, derived)] = &layers[..] else {
            panic!("one layer: {text}");
        };
        let logical = String::from_utf8_lossy(&derived.text).into_owned();
        let at = logical.find("value").unwrap();
        assert_eq!(&text[derived.original(at..at + 5)], value);
        assert_eq!(&text[derived.original(0..1)], "k");
    }
}
