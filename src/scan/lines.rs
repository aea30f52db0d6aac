//! Byte offsets to 1-based lines and columns, and the text of a line, for reports.

use std::cell::Cell;

/// Reports show at most this many characters of a line on either side of a secret, so a
/// 100 MB line of minified JavaScript prints as a readable window.
const CONTEXT_CHARS: usize = 80;

/// The window is cut from at most this many bytes on either side (a character is at most
/// four bytes, plus one cut in two), so a report never decodes a whole 100 MB line.
const CONTEXT_BYTES: usize = 4 * CONTEXT_CHARS + 4;

/// The newline positions of a chunk, found once, when the first match needs them.
pub struct Lines<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
    /// The last column computed: (byte offset, column). Findings come in byte order, so the
    /// next column on the same line is counted from here, not from the line's start: with
    /// many findings on one long line, counting from the start each time is quadratic.
    last_column: Cell<(usize, u32)>,
}

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            newlines: memchr::memchr_iter(b'\n', bytes).collect(),
            last_column: Cell::new((usize::MAX, 0)),
        }
    }

    /// The 1-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        let line = self.newlines.partition_point(|&nl| nl < offset) + 1;
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// Byte range of the 1-based `line`, without its line ending.
    pub(crate) fn span(&self, line: u32) -> std::ops::Range<usize> {
        let index = line as usize - 1;
        let start = if index == 0 {
            0
        } else {
            self.newlines[index - 1] + 1
        };
        let mut end = self
            .newlines
            .get(index)
            .copied()
            .unwrap_or(self.bytes.len());
        if end > start && self.bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The 1-based column of byte `offset` on its line, counted in UTF-8 characters.
    pub(crate) fn column_of(&self, offset: usize) -> u32 {
        let start = self.span(self.line_of(offset)).start;
        let (last, last_column) = self.last_column.get();
        // Resuming is exact only from an ASCII byte, which never sits inside an invalid
        // sequence that U+FFFD would replace as one character.
        let resume = last != usize::MAX
            && (start..=offset).contains(&last)
            && self.bytes.get(last).is_some_and(u8::is_ascii);
        let (from, column) = if resume {
            (last, last_column)
        } else {
            (start, 1)
        };
        let column = column.saturating_add(count_chars(&self.bytes[from..offset]));
        self.last_column.set((offset, column));
        column
    }

    /// The raw bytes of the 1-based `line`.
    pub fn line_bytes(&self, line: u32) -> &'a [u8] {
        &self.bytes[self.span(line)]
    }

    /// A readable window of the line around `secret` (byte range in the chunk), as text.
    pub fn excerpt(&self, secret: std::ops::Range<usize>) -> String {
        let span = self.span(self.line_of(secret.start));
        let secret_end = secret.end.min(span.end).max(secret.start);
        let window_start = secret.start.saturating_sub(CONTEXT_BYTES).max(span.start);
        let window_end = secret_end.saturating_add(CONTEXT_BYTES).min(span.end);
        let before = String::from_utf8_lossy(&self.bytes[window_start..secret.start]);
        let inside = String::from_utf8_lossy(&self.bytes[secret.start..secret_end]);
        let after = String::from_utf8_lossy(&self.bytes[secret_end..window_end]);
        let skip = before.chars().count().saturating_sub(CONTEXT_CHARS);
        let mut out = String::new();
        if skip > 0 || window_start > span.start {
            out.push('…');
        }
        out.extend(before.chars().skip(skip));
        out.push_str(&inside);
        let mut tail = after.chars();
        out.extend(tail.by_ref().take(CONTEXT_CHARS));
        if tail.next().is_some() || window_end < span.end {
            out.push('…');
        }
        out
    }
}

/// Characters in `bytes` as a lossy UTF-8 decoding shows them: each maximal invalid
/// sequence is one U+FFFD. Counts without building the string.
fn count_chars(bytes: &[u8]) -> u32 {
    let chars: usize = bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + usize::from(!c.invalid().is_empty()))
        .sum();
    u32::try_from(chars).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let text = "ab\r\ncdé f\n\nlast";
        let lines = Lines::new(text.as_bytes());
        let cases: &[(usize, u32, u32)] = &[
            (0, 1, 1),
            (1, 1, 2),
            (4, 2, 1),
            (9, 2, 5),
            (11, 3, 1),
            (12, 4, 1),
        ];
        for &(offset, line, column) in cases {
            assert_eq!(lines.line_of(offset), line, "line of {offset}");
            assert_eq!(lines.column_of(offset), column, "column of {offset}");
        }
        assert_eq!(lines.line_bytes(1), b"ab");
        assert_eq!(lines.line_bytes(3), b"");
        assert_eq!(lines.line_bytes(4), b"last");
    }

    #[test]
    fn excerpt_cuts_long_lines_around_the_secret() {
        let line = format!("{}SECRET{}", "a".repeat(500), "b".repeat(500));
        let lines = Lines::new(line.as_bytes());
        let excerpt = lines.excerpt(500..506);
        assert!(excerpt.starts_with('…') && excerpt.ends_with('…'));
        assert!(excerpt.contains("SECRET"));
        assert_eq!(excerpt.chars().count(), 2 * CONTEXT_CHARS + 6 + 2);
    }
}
