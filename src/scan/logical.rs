//! The logical-text stage: text whose logical content differs from its bytes, rewritten as
//! the logical content, with a map back to the original bytes.
//!
//! Real leaks rarely paste a private key as a plain block: it is split into string literals
//! (`"MII…\n" +` on every line, C's adjacent literals, Rust's `\` continuations, `concat!`),
//! held in a JSON field with escaped newlines, or commented out line by line. The detectors
//! see only the [`Derived`] text made here, and every byte of it knows the original bytes it
//! came from, so a finding still reports the file's own line and column. Pure and bounded:
//! the derived text of a chunk is at most the chunk's size, a span at most [`MAX_SPAN`].

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

/// Finds PEM markers; built once, as building a searcher costs more than a short search.
static BEGIN: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"-----BEGIN "));

/// A literal run or prefixed block yields at most this many bytes of logical text.
pub(crate) const MAX_SPAN: usize = 64 * 1024;

/// Shorter logical content cannot hold a secret worth a second look.
const MIN_CONTENT: usize = 16;

/// Text derived from a chunk, with the original byte range each of its bytes stands for.
#[derive(Debug, Default)]
pub(crate) struct Derived {
    pub text: Vec<u8>,
    /// For byte `i` of `text`, the original bytes `starts[i]..ends[i]` that produced it.
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Derived {
    /// Appends `bytes`, every one standing for all of `original` (a decoded value).
    pub(crate) fn push_all(&mut self, bytes: &[u8], original: Range<usize>) {
        for &b in bytes {
            self.push(b, original.clone());
        }
    }

    /// Appends one byte standing for `original`.
    pub(crate) fn push(&mut self, byte: u8, original: Range<usize>) {
        self.text.push(byte);
        self.starts.push(original.start);
        self.ends.push(original.end);
    }

    /// Appends original bytes unchanged, each standing for itself.
    pub(super) fn push_verbatim(&mut self, bytes: &[u8], at: usize) {
        for (i, &b) in bytes.iter().enumerate() {
            self.push(b, at + i..at + i + 1);
        }
    }

    /// The original byte range a non-empty range of the derived text came from.
    pub(crate) fn original(&self, range: Range<usize>) -> Range<usize> {
        let last = range.end.max(range.start + 1) - 1;
        self.starts[range.start]..self.ends[last].max(self.starts[range.start])
    }

    pub(super) fn len(&self) -> usize {
        self.text.len()
    }

    pub(super) fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.starts.truncate(len);
        self.ends.truncate(len);
    }
}

/// The logical text of `bytes`: every joined or unescaped string-literal run and every
/// prefixed PEM block that starts inside one of `windows` (see `layer_gate`), one per line,
/// or `None` when there is none.
pub(crate) fn derive(bytes: &[u8], windows: &[Range<usize>]) -> Option<Derived> {
    let mut out = Derived::default();
    let mut at = 0;
    for window in windows {
        at = literal_runs(bytes, at.max(window.start)..window.end, &mut out);
        if out.len() >= bytes.len() {
            out.truncate(bytes.len());
            break;
        }
    }
    let mut after = 0;
    for window in windows {
        after = prefixed_pem(bytes, after.max(window.start)..window.end, &mut out);
    }
    (!out.text.is_empty()).then_some(out)
}

/// One string literal: its content with escapes undone, and where it ends (after the quote).
struct Literal {
    open: usize,
    close: usize,
    escaped: bool,
}

/// Finds runs of string literals joined by `+`, `.`, `&`, whitespace and line breaks (and
/// commas inside `concat!`) whose first literal opens in `within`, and emits each run that
/// joins two or more literals or undoes an escape: the line up to the first quote as
/// written, the joined content, the last quote. Returns where the last run ended.
fn literal_runs(bytes: &[u8], within: Range<usize>, out: &mut Derived) -> usize {
    let mut at = within.start;
    while let Some(found) = memchr::memchr2(b'"', b'\'', &bytes[at..within.end.max(at)]) {
        let open = at + found;
        let Some(first) = literal(bytes, open) else {
            at = open + 1;
            continue;
        };
        let in_concat = bytes[..open].trim_ascii_end().ends_with(b"concat!(");
        let mut run = vec![first];
        while let Some(next) = joined_next(bytes, run[run.len() - 1].close, in_concat) {
            match literal(bytes, next) {
                Some(lit) => run.push(lit),
                None => break,
            }
        }
        at = run[run.len() - 1].close;
        // Cost: ordinary code is full of escaped format strings and joined prose. A lone
        // literal is read only when it holds a PEM marker (a key in a JSON field or `.env`
        // value), a run only when one of its pieces is a secret-like space-free stretch.
        let worth = if run.len() < 2 {
            run[0].escaped && BEGIN.find(&bytes[run[0].open..run[0].close]).is_some()
        } else {
            run.iter().any(|lit| {
                let content = &bytes[lit.open + 1..lit.close - 1];
                content.len() >= MIN_CONTENT && !content.iter().any(u8::is_ascii_whitespace)
            })
        };
        if !worth {
            continue;
        }
        emit_run(bytes, &run, out);
        if out.len() >= bytes.len() {
            return at;
        }
    }
    at
}

/// Parses the literal whose quote is at `open`; `None` if it does not close on its line
/// (an apostrophe in prose) or runs past [`MAX_SPAN`].
fn literal(bytes: &[u8], open: usize) -> Option<Literal> {
    let quote = bytes[open];
    let mut i = open + 1;
    let mut escaped = false;
    while i < bytes.len() && i - open < MAX_SPAN {
        match bytes[i] {
            b if b == quote => {
                return Some(Literal {
                    open,
                    close: i + 1,
                    escaped,
                })
            }
            b'\n' => return None,
            b'\\' => {
                escaped = true;
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

/// Where the next literal of a run opens, if only joining syntax separates it from the
/// literal that ended at `from`.
fn joined_next(bytes: &[u8], from: usize, in_concat: bool) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() && i - from < 64 {
        match bytes[i] {
            b'"' | b'\'' if i > from => return Some(i),
            b' ' | b'\t' | b'\r' | b'\n' | b'+' | b'.' | b'&' | b'\\' => i += 1,
            b',' if in_concat => i += 1,
            _ => return None,
        }
    }
    None
}

/// Writes one run: its first line's prefix verbatim, the unescaped contents, a line break.
fn emit_run(bytes: &[u8], run: &[Literal], out: &mut Derived) {
    let first = &run[0];
    let line_start = memchr::memrchr(b'\n', &bytes[..first.open]).map_or(0, |nl| nl + 1);
    let mark = out.len();
    out.push_verbatim(&bytes[line_start..=first.open], line_start);
    let content_start = out.len();
    for lit in run {
        unescape(bytes, lit.open + 1..lit.close - 1, out);
        if out.len() - content_start > MAX_SPAN {
            break;
        }
    }
    if out.len() - content_start < MIN_CONTENT {
        out.truncate(mark);
        return;
    }
    let last = &run[run.len() - 1];
    out.push_verbatim(&bytes[last.close - 1..last.close], last.close - 1);
    out.push(b'\n', last.close..last.close);
}

/// Appends the content of a literal with its escapes undone; an escape this stage does not
/// know is kept as written.
fn unescape(bytes: &[u8], range: Range<usize>, out: &mut Derived) {
    let mut i = range.start;
    while i < range.end {
        if bytes[i] != b'\\' || i + 1 >= range.end {
            out.push(bytes[i], i..i + 1);
            i += 1;
            continue;
        }
        let (value, width): (Option<u32>, usize) = match bytes[i + 1] {
            b'n' => (Some(10), 2),
            b'r' => (Some(13), 2),
            b't' => (Some(9), 2),
            c @ (b'"' | b'\'' | b'\\' | b'/') => (Some(u32::from(c)), 2),
            b'u' => (hex(bytes.get(i + 2..i + 6)), 6),
            b'x' => (hex(bytes.get(i + 2..i + 4)), 4),
            b'\n' | b'\r' => {
                // A line continuation: the break and the next line's indentation vanish.
                let mut j = i + 1;
                while j < range.end && matches!(bytes[j], b'\r' | b'\n' | b' ' | b'\t') {
                    j += 1;
                }
                i = j;
                continue;
            }
            _ => (None, 2),
        };
        match value
            .and_then(char::from_u32)
            .filter(|_| i + width <= range.end)
        {
            Some(c) => {
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
}

fn hex(digits: Option<&[u8]>) -> Option<u32> {
    u32::from_str_radix(std::str::from_utf8(digits?).ok()?, 16).ok()
}

/// Finds PEM blocks that begin in `within` and whose lines carry a prefix (`# `, `// `,
/// ` * `, `-- `, `; `), and emits each with the prefix (and trailing quotes, commas and
/// semicolons) taken off its lines. Returns where the search stopped.
fn prefixed_pem(bytes: &[u8], within: Range<usize>, out: &mut Derived) -> usize {
    let end = within.end.min(bytes.len());
    if within.start >= end {
        return within.start;
    }
    for found in BEGIN.find_iter(&bytes[within.start..end]) {
        let begin = within.start + found;
        let line_start = memchr::memrchr(b'\n', &bytes[..begin]).map_or(0, |nl| nl + 1);
        let marker = bytes[line_start..begin].trim_ascii();
        if marker.is_empty()
            || marker.len() > 4
            || !marker.iter().all(|b| b"#/*;-!%>'\"".contains(b))
        {
            continue;
        }
        let mark = out.len();
        let mut line = line_start;
        let mut ended = false;
        while line < bytes.len() && out.len() - mark < MAX_SPAN {
            let end = memchr::memchr(b'\n', &bytes[line..]).map_or(bytes.len(), |nl| line + nl);
            let text = &bytes[line..end];
            let lead = text.len() - text.trim_ascii_start().len();
            let Some(rest) = text[lead..].strip_prefix(marker) else {
                break;
            };
            let from = line + lead + marker.len();
            let body = rest.trim_ascii_start();
            let from = from + (rest.len() - body.len());
            let kept = body.len()
                - body
                    .iter()
                    .rev()
                    .take_while(|b| b" \t\r\"',;".contains(b))
                    .count();
            out.push_verbatim(&body[..kept], from);
            out.push(b'\n', end..end);
            if body.windows(9).any(|w| w == b"-----END ") {
                ended = true;
                break;
            }
            line = end + 1;
        }
        if !ended || out.len() > bytes.len() {
            out.truncate(mark);
        }
    }
    end
}

/// What `derive` makes of all of `text`, as a string (empty when it derives nothing): the
/// tests of every layer that yields one [`Derived`] read it this way.
#[cfg(test)]
pub(super) fn derived_text(
    derive: fn(&[u8], &[Range<usize>]) -> Option<Derived>,
    text: &str,
) -> String {
    derive(text.as_bytes(), std::slice::from_ref(&(0..text.len()))).map_or_else(String::new, |d| {
        String::from_utf8_lossy(&d.text).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logical(text: &str) -> String {
        derived_text(derive, text)
    }

    #[test]
    fn literal_runs_are_joined_with_escapes_undone() {
        let cases: &[(&str, &str)] = &[
            (
                "const char *k = \"abcdefghabcdefgh\\n\"\n    \"ijklmnopijklmnop\\n\";\n",
                "const char *k = \"abcdefghabcdefgh\nijklmnopijklmnop\n\"\n",
            ),
            (
                "String k = \"abcdefghabcdefgh\" +\n  \"ijklmnopijklmnop\";",
                "String k = \"abcdefghabcdefghijklmnopijklmnop\"\n",
            ),
            (
                "k = (\n 'abcdefghabcdefgh'\n 'ijklmnopijklmnop')",
                " 'abcdefghabcdefghijklmnopijklmnop'\n",
            ),
            (
                "let k = \"-----BEGIN K\\n\\\n    ijklmnop\";",
                "let k = \"-----BEGIN K\nijklmnop\"\n",
            ),
            (
                "concat!(\"abcdefghabcdefgh\", \"ijklmnopijklmnop\")",
                "concat!(\"abcdefghabcdefghijklmnopijklmnop\"\n",
            ),
            (
                r#"{"k": "-----BEGIN a\/b\u000ac\x0ad\"e\\f\tg"}"#,
                "{\"k\": \"-----BEGIN a/b\nc\nd\"e\\f\tg\"\n",
            ),
        ];
        for &(text, want) in cases {
            assert_eq!(logical(text), want, "{text:?}");
        }
    }

    #[test]
    fn ordinary_text_has_no_logical_text() {
        for text in [
            "print(\"hello world, how are you\")\n",
            "it's a dog's life, isn't it\n",
            "x = [\"abcdefghabcdefgh\", \"ijklmnopijklmnop\"]\n",
            "short = \"a\\n\"\n",
            "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
        ] {
            assert_eq!(logical(text), "", "{text:?}");
        }
    }

    #[test]
    fn prefixed_pem_lines_lose_their_prefix() {
        let text = "x\n# -----BEGIN K-----\n#   QUJD\n# REVG\n# -----END K-----\n";
        assert_eq!(
            logical(text),
            "-----BEGIN K-----\nQUJD\nREVG\n-----END K-----\n"
        );
        let unterminated = "// -----BEGIN K-----\n// QUJD\nfn main() {}\n";
        assert_eq!(logical(unterminated), "");
    }

    #[test]
    fn derived_ranges_map_back_to_the_original_bytes() {
        let text = "k = \"abcdefghabcdefgh\" +\n  \"ij\\nklmnopqrstuvwxy\"";
        let derived = derive(text.as_bytes(), std::slice::from_ref(&(0..text.len()))).unwrap();
        let logical = String::from_utf8_lossy(&derived.text).into_owned();
        let at = logical.find("ij\nk").unwrap();
        let range = derived.original(at..at + 4);
        assert_eq!(&text[range], "ij\\nk");
        let whole = derived.original(logical.find('a').unwrap()..logical.find('q').unwrap() + 1);
        assert_eq!(&text[whole], "abcdefghabcdefgh\" +\n  \"ij\\nklmnopq");
    }
}
