//! XML and HTML character references: a value written with `&#10;`, `&#xA;`, `&#43;` or
//! `&quot;` in an attribute or element text (a PEM in a .NET or Java XML config, a key in
//! an Android resource), rewritten as the text it stands for.
//!
//! A value counts when it holds a numeric reference and its text is at least
//! `MIN_CONTENT` bytes long. Every byte of the text maps to the byte or reference it
//! came from.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

use super::logical::{Derived, MAX_SPAN};

/// Finds numeric references; built once, as building a searcher costs more than a short
/// search.
static REFERENCE: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(b"&#"));

/// Shorter text holds no credential worth a second look.
const MIN_CONTENT: usize = 16;

/// The text of every attribute value or element text that has a numeric character
/// reference in one of `windows`: its line up to the value as written, the value with its
/// references undone, a line break. `None` when there is none.
pub(super) fn derive(bytes: &[u8], windows: &[Range<usize>]) -> Option<Derived> {
    let mut out = Derived::default();
    let mut next = 0;
    for window in windows {
        let from = next.max(window.start);
        if from >= window.end {
            continue;
        }
        for found in REFERENCE.find_iter(&bytes[from..window.end]) {
            let at = from + found;
            if at < next {
                continue;
            }
            let Some(value) = value_around(bytes, at) else {
                continue;
            };
            next = value.end;
            emit(bytes, value, &mut out);
            if out.len() > bytes.len() {
                return None;
            }
        }
    }
    (!out.text.is_empty()).then_some(out)
}

/// The attribute value (between quotes) or element text (between `>` and `<`) that holds
/// the byte at `at`, at most [`MAX_SPAN`] bytes.
fn value_around(bytes: &[u8], at: usize) -> Option<Range<usize>> {
    let floor = at.saturating_sub(MAX_SPAN);
    let open = floor + memchr::memrchr3(b'"', b'\'', b'>', &bytes[floor..at])?;
    let close = match bytes[open] {
        b'>' => b'<',
        quote => quote,
    };
    let ceiling = (at + MAX_SPAN).min(bytes.len());
    let end = at + memchr::memchr(close, &bytes[at..ceiling])?;
    Some(open + 1..end)
}

/// Appends the line up to `value`, the value with its references undone and a line break,
/// if it holds enough text.
fn emit(bytes: &[u8], value: Range<usize>, out: &mut Derived) {
    let mark = out.len();
    let line_start = memchr::memrchr(b'\n', &bytes[..value.start]).map_or(0, |nl| nl + 1);
    out.push_verbatim(&bytes[line_start..value.start], line_start);
    let text_from = out.len();
    let mut i = value.start;
    while i < value.end {
        match reference(&bytes[i..value.end]) {
            Some((c, width)) => {
                let mut buf = [0; 4];
                out.push_all(c.encode_utf8(&mut buf).as_bytes(), i..i + width);
                i += width;
            }
            None => {
                out.push(bytes[i], i..i + 1);
                i += 1;
            }
        }
    }
    if out.len() - text_from < MIN_CONTENT {
        out.truncate(mark);
        return;
    }
    out.push(b'\n', value.end..value.end);
}

/// The character a reference at the start of `text` stands for, and its width in bytes.
fn reference(text: &[u8]) -> Option<(char, usize)> {
    if text.first() != Some(&b'&') {
        return None;
    }
    let semi = memchr::memchr(b';', &text[..text.len().min(12)])?;
    let name = &text[1..semi];
    let c = match name {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        [b'#', b'x' | b'X', hex @ ..] => {
            char::from_u32(u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?)?
        }
        [b'#', decimal @ ..] => char::from_u32(std::str::from_utf8(decimal).ok()?.parse().ok()?)?,
        _ => return None,
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(markup: &str) -> String {
        super::super::logical::derived_text(derive, markup)
    }

    #[test]
    fn references_in_values_are_undone() {
        let cases: &[(&str, &str)] = &[
            (
                "<add key=\"k\" value=\"-----BEGIN K-----&#10;QUJD&#x2B;REVG&#xA;-----END K-----\"/>",
                "<add key=\"k\" value=\"-----BEGIN K-----\nQUJD+REVG\n-----END K-----\n",
            ),
            (
                "<key>a&#13;&#10;bcdefghijklmnop&amp;q</key>",
                "<key>a\r\nbcdefghijklmnop&q\n",
            ),
        ];
        for &(markup, want) in cases {
            assert_eq!(text_of(markup), want, "{markup:?}");
        }
    }

    #[test]
    fn short_values_and_named_references_alone_are_left() {
        for markup in [
            "<p>Tom&#39;s</p>",
            "<p>fish &amp; chips, salt &amp; vinegar, all day</p>",
            "a &# b",
        ] {
            assert_eq!(text_of(markup), "", "{markup:?}");
        }
    }
}
