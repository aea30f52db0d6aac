//! The percent-encoding layer: a value whose reserved bytes are written `%XX` (a PEM, a
//! connection URL or a `.env` payload passed in a query parameter or a form body), decoded
//! so the rules read what it holds.
//!
//! A span is clearly an encoding when it holds at least `MIN_ESCAPES` escapes and decodes
//! to printable text at least `MIN_DECODED` bytes long: format strings (`%s`, `%d`), a
//! path with an escaped space and a lone `%20` are left alone. Every decoded byte maps to
//! the byte or escape it came from.

use std::ops::Range;

use super::logical::{Derived, MAX_SPAN};

/// Fewer escapes are a URL with a space in it, not an encoded value.
const MIN_ESCAPES: usize = 3;

/// Shorter decoded text holds no credential worth a second look.
const MIN_DECODED: usize = 16;

/// The decoded text of every percent-encoded span that has an escape in one of `windows`:
/// the text before it on its line, the decoded value, a line break. `None` when there is
/// none.
pub(crate) fn derive(bytes: &[u8], windows: &[Range<usize>]) -> Option<Derived> {
    let mut out = Derived::default();
    let mut next = 0;
    for window in windows {
        let from = next.max(window.start);
        if from >= window.end {
            continue;
        }
        for found in memchr::memchr_iter(b'%', &bytes[from..window.end]) {
            let at = from + found;
            if at < next || !is_escape(bytes, at) {
                continue;
            }
            let span = span_around(bytes, at);
            next = span.end;
            emit(bytes, span, &mut out);
            if out.len() > bytes.len() {
                return None;
            }
        }
    }
    (!out.text.is_empty()).then_some(out)
}

fn is_escape(bytes: &[u8], at: usize) -> bool {
    bytes
        .get(at + 1..at + 3)
        .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
}

/// Bytes a percent-encoded value holds unescaped (RFC 3986 unreserved, `+` of form bodies,
/// and the `/ : @` a query value may keep).
fn in_value(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'%' | b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b':' | b'@'
        )
}

/// The value around the escape at `at`, at most [`MAX_SPAN`] bytes.
fn span_around(bytes: &[u8], at: usize) -> Range<usize> {
    let mut start = at;
    while start > 0 && at - start < MAX_SPAN && in_value(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at;
    while end < bytes.len() && end - start < MAX_SPAN && in_value(bytes[end]) {
        end += 1;
    }
    start..end
}

/// Appends the line's text before `span`, the decoded span and a line break, if the span
/// is clearly an encoding of printable text.
fn emit(bytes: &[u8], span: Range<usize>, out: &mut Derived) {
    let value = &bytes[span.clone()];
    let escapes = (0..value.len())
        .filter(|&i| value[i] == b'%' && is_escape(value, i))
        .count();
    if escapes < MIN_ESCAPES {
        return;
    }
    // A form body writes a space as `+` and a plus as `%2B`.
    let has = |escape: &[u8]| value.windows(3).any(|w| w.eq_ignore_ascii_case(escape));
    let plus_is_space = has(b"%2B") && !has(b"%20");
    let mark = out.len();
    let line_start = memchr::memrchr(b'\n', &bytes[..span.start]).map_or(0, |nl| nl + 1);
    out.push_verbatim(&bytes[line_start..span.start], line_start);
    let decoded_from = out.len();
    let mut i = span.start;
    while i < span.end {
        let (byte, width) = match bytes[i] {
            b'%' if is_escape(bytes, i) && i + 3 <= span.end => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                (u8::from_str_radix(hex, 16).unwrap_or(0), 3)
            }
            b'+' if plus_is_space => (b' ', 1),
            b => (b, 1),
        };
        if !matches!(byte, b'\t' | b'\n' | b'\r' | 0x20..=0x7e) {
            out.truncate(mark);
            return;
        }
        out.push(byte, i..i + width);
        i += width;
    }
    if out.len() - decoded_from < MIN_DECODED {
        out.truncate(mark);
        return;
    }
    out.push(b'\n', span.end..span.end);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> String {
        super::super::logical::derived_text(derive, text)
    }

    #[test]
    fn encoded_values_are_decoded_after_their_key() {
        let cases: &[(&str, &str)] = &[
            (
                "GET /cb?next=%2Fhome%3Fq%3Dsearch%20terms%26x%3D1",
                "GET /cb?next=/home?q=search terms&x=1\n",
            ),
            (
                "k=-----BEGIN+K-----%0AQUJD%2BREVG%0A-----END+K-----",
                "k=-----BEGIN K-----\nQUJD+REVG\n-----END K-----\n",
            ),
        ];
        for &(text, want) in cases {
            assert_eq!(decoded(text), want, "{text:?}");
        }
    }

    #[test]
    fn format_strings_and_lone_escapes_are_not_decoded() {
        for text in [
            "printf(\"%s: %d%%\\n\", name, pct);",
            "see https://example.com/a%20b/c",
            "width: 100%;",
            "x=%ff%fe%fdabcdefghijklmnop",
        ] {
            assert_eq!(decoded(text), "", "{text:?}");
        }
    }

    #[test]
    fn decoded_bytes_map_to_their_escapes() {
        let text = "u=a%3Ab%40c%2Ddefghijklmnopq";
        let derived = derive(text.as_bytes(), std::slice::from_ref(&(0..text.len()))).unwrap();
        let logical = String::from_utf8_lossy(&derived.text).into_owned();
        let at = logical.find(':').unwrap();
        assert_eq!(&text[derived.original(at..at + 1)], "%3A");
        assert_eq!(&text[derived.original(at..at + 3)], "%3Ab%40");
    }
}
