//! Fenced code blocks of Markdown (```` ``` ```` or `~~~` fences): the examples of a README
//! or a documentation page, as a reStructuredText literal block is.
//!
//! READMEs show how to configure a tool with a made-up token or password inside a fence
//! (`api_token: …` in a YAML block, `password: '…'` in a JavaScript one). Whether a line is
//! inside a fence depends on every fence above it, so the fences are found once per file.

use std::ops::RangeInclusive;

use super::super::lines::Lines;

/// True if `path` names a Markdown file.
pub(crate) fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx")
}

/// The 1-based line ranges inside fenced code blocks (fence lines excluded). A fence opens
/// with three or more backticks or tildes after at most three spaces, and closes with at
/// least as many of the same character; an unclosed fence runs to the end of the file.
pub(crate) fn fenced_blocks(lines: &Lines) -> Vec<RangeInclusive<u32>> {
    let mut blocks = Vec::new();
    let mut open: Option<(u8, usize, u32)> = None;
    let count = lines.line_of(usize::MAX);
    for at in 1..=count {
        let Some((mark, run)) = fence(lines.line_bytes(at)) else {
            continue;
        };
        match open {
            None => open = Some((mark, run, at)),
            Some((opened, length, start)) if opened == mark && run >= length => {
                if at > start + 1 {
                    blocks.push(start + 1..=at - 1);
                }
                open = None;
            }
            Some(_) => {}
        }
    }
    if let Some((_, _, start)) = open {
        if count > start {
            blocks.push(start + 1..=count);
        }
    }
    blocks
}

/// The fence character and run length if `line` is a fence line.
fn fence(line: &[u8]) -> Option<(u8, usize)> {
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let mark = *rest.first()?;
    if mark != b'`' && mark != b'~' {
        return None;
    }
    let run = rest.iter().take_while(|&&b| b == mark).count();
    (run >= 3).then_some((mark, run))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_blocks_are_found() {
        let text = "# Setup\n\n```yaml\napi_token: X\n```\n\nprose\n\n~~~~\n```\ninside\n~~~~\n````js\nopen\n";
        let lines = Lines::new(text.as_bytes());
        assert_eq!(fenced_blocks(&lines), vec![4..=4, 10..=11, 14..=15]);
        let indented = "    ```\n    code\n";
        assert_eq!(fenced_blocks(&Lines::new(indented.as_bytes())), vec![]);
        assert!(is_markdown("docs/README.md"));
        assert!(!is_markdown("docs/guide.rst"));
    }
}
