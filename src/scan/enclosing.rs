//! What encloses a line: a test function or test module, or a documentation block such as
//! the `EXAMPLES` docstring of an Ansible module.
//!
//! Both are found by looking back from the line, within bounds, so the cost per line is
//! fixed; `LineFacts` asks once per line.

use super::lines::Lines;

/// How many lines back a test function's header is looked for.
const LOOK_BACK_LINES: u32 = 150;

/// Starts of lines (trimmed, lower-cased) that open a test function, class or module.
const TEST_HEADERS: &[&[u8]] = &[
    b"def test",
    b"async def test",
    b"class test",
    b"func test",
    b"#[test]",
    b"#[tokio::test",
    b"#[cfg(test)]",
    b"mod tests",
    b"@test",
    b"@pytest",
    b"[test]",
    b"[fact]",
    b"[theory]",
    b"[testmethod]",
    b"it(",
    b"it.each",
    b"test(",
    b"test.each",
    b"describe(",
    b"beforeeach(",
    b"beforeall(",
    b"def setup",
    b"@before",
];

/// True if a line within [`LOOK_BACK_LINES`] above `line` (or `line` itself) opens a test.
pub(super) fn in_test_code(lines: &Lines, line: u32) -> bool {
    let first = line.saturating_sub(LOOK_BACK_LINES).max(1);
    (first..=line)
        .rev()
        .any(|at| opens_test(lines.line_bytes(at)))
}

fn opens_test(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii_start();
    let head = &trimmed[..trimmed.len().min(24)];
    let lower = head.to_ascii_lowercase();
    TEST_HEADERS.iter().any(|h| lower.starts_with(h))
}

/// How many lines back a test class's header is looked for: a class body is longer than a
/// function's.
const CLASS_LOOK_BACK_LINES: u32 = 400;

/// True if a line within [`CLASS_LOOK_BACK_LINES`] above `line` (or `line` itself) opens a
/// test class: `class LoginTests(TestCase)`, `class bcrypt_test(HandlerCase)`, `class
/// TestApi:`, a class whose bases name a test case. The nearest class header decides, so a
/// test class above an ordinary one does not count.
pub(super) fn in_test_class(lines: &Lines, line: u32) -> bool {
    let first = line.saturating_sub(CLASS_LOOK_BACK_LINES).max(1);
    (first..=line)
        .rev()
        .find_map(|at| class_header(lines.line_bytes(at)))
        .unwrap_or(false)
}

/// For a line that opens a class at the start of the line, whether it is a test class.
fn class_header(line: &[u8]) -> Option<bool> {
    let mut rest = line.trim_ascii_start();
    for word in [&b"public "[..], b"export ", b"final ", b"abstract "] {
        rest = rest.strip_prefix(word).unwrap_or(rest);
    }
    let rest = rest.strip_prefix(b"class ")?;
    let end = rest
        .iter()
        .position(|&b| b == b':' || b == b'{' || b == b'\n')
        .unwrap_or(rest.len());
    let lower = rest[..end].to_ascii_lowercase();
    Some(
        memchr::memmem::find(&lower, b"test").is_some()
            || memchr::memmem::find(&lower, b"spec").is_some(),
    )
}

/// How many lines back an example section's heading is looked for.
const EXAMPLE_SECTION_LINES: u32 = 25;

/// Starts of lines (trimmed, lower-cased) that open an example in a docstring or doc page.
const EXAMPLE_HEADINGS: &[&[u8]] = &[
    b"cli example",
    b"example:",
    b"examples:",
    b"example usage",
    b".. code-block::",
    b"usage:",
];

/// True if a line within [`EXAMPLE_SECTION_LINES`] above `line` opens an example section
/// (`CLI Example:`, `.. code-block:: bash`), or `line` is the output of a doctest (the
/// nearest non-blank line above is a `>>> ` or `... ` prompt or output of one).
pub(super) fn in_example_section(lines: &Lines, line: u32) -> bool {
    let first = line.saturating_sub(EXAMPLE_SECTION_LINES).max(1);
    (first..line).rev().any(|at| {
        let trimmed = lines.line_bytes(at).trim_ascii_start();
        let head = trimmed[..trimmed.len().min(20)].to_ascii_lowercase();
        EXAMPLE_HEADINGS.iter().any(|h| head.starts_with(h))
    }) || in_doctest_output(lines, line)
}

/// How many lines of output a doctest prompt is looked for above.
const DOCTEST_OUTPUT_LINES: u32 = 6;

/// True if `line` follows a `>>> ` prompt with no blank line between: it is what the
/// prompt printed.
fn in_doctest_output(lines: &Lines, line: u32) -> bool {
    let first = line.saturating_sub(DOCTEST_OUTPUT_LINES).max(1);
    for at in (first..line).rev() {
        let trimmed = lines.line_bytes(at).trim_ascii();
        if trimmed.is_empty() {
            return false;
        }
        if trimmed.starts_with(b">>> ") || trimmed.starts_with(b"... ") {
            return true;
        }
    }
    false
}

/// Byte ranges of documentation blocks in `bytes`: the Python string assigned to a
/// module-level `EXAMPLES`, `DOCUMENTATION` or `RETURN` (Ansible modules print it as their
/// documentation), from its opening to its closing triple quote.
pub(super) fn documentation_blocks(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut blocks = Vec::new();
    let mut from = 0;
    while from < bytes.len() {
        let end_of_line = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |e| from + e);
        let line = &bytes[from..end_of_line];
        let mut next = end_of_line + 1;
        if let Some(quote) = opens_documentation(line) {
            // The opening line does not close the block, so the search starts after it.
            let body = end_of_line.min(bytes.len());
            let close =
                memchr::memmem::find(&bytes[body..], quote).map_or(bytes.len(), |at| body + at);
            blocks.push(from..close);
            next = next.max(close + 3);
        }
        from = next;
    }
    blocks
}

/// The triple quote that opens a documentation block on `line`, if it opens one and does
/// not close it on the same line.
fn opens_documentation(line: &[u8]) -> Option<&'static [u8]> {
    let rest = [&b"EXAMPLES"[..], b"DOCUMENTATION", b"RETURN"]
        .iter()
        .find_map(|name| line.strip_prefix(*name))?;
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let rest = rest
        .strip_prefix(b"r")
        .or_else(|| rest.strip_prefix(b"R"))
        .unwrap_or(rest);
    let quote: &'static [u8] = if rest.starts_with(b"'''") {
        b"'''"
    } else if rest.starts_with(b"\"\"\"") {
        b"\"\"\""
    } else {
        return None;
    };
    let closes_here = memchr::memmem::find(&rest[3..], quote).is_some();
    (!closes_here).then_some(quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_functions_are_found_above_a_line() {
        let text = "import x\n\ndef helper():\n    pass\n\ndef test_login(client):\n    client.login(\n        password='abc')\n";
        let lines = Lines::new(text.as_bytes());
        let cases: &[(u32, bool)] = &[(1, false), (4, false), (6, true), (8, true)];
        for &(line, want) in cases {
            assert_eq!(in_test_code(&lines, line), want, "line {line}");
        }
        let rust = "fn main() {}\n#[cfg(test)]\nmod tests {\n    const P: &str = \"x\";\n}\n";
        let lines = Lines::new(rust.as_bytes());
        assert!(!in_test_code(&lines, 1));
        assert!(in_test_code(&lines, 4));
    }

    #[test]
    fn test_classes_are_found_above_a_line() {
        let text = "class bcrypt_test(HandlerCase):\n    known = [\n        ('pw', 'h1'),\n    ]\n\nclass Helper:\n    value = 'h2'\n";
        let lines = Lines::new(text.as_bytes());
        let cases: &[(u32, bool)] = &[(1, true), (3, true), (7, false)];
        for &(line, want) in cases {
            assert_eq!(in_test_class(&lines, line), want, "line {line}");
        }
        let plain = "class Config:\n    password = 'x'\n";
        assert!(!in_test_class(&Lines::new(plain.as_bytes()), 2));
    }

    #[test]
    fn doctest_output_is_an_example() {
        let text = "Usage\n\n    >>> hash.hash('password')\n    '$5$rounds=535000$abc'\n\nprose\n    '$5$xyz'\n";
        let lines = Lines::new(text.as_bytes());
        assert!(in_example_section(&lines, 4));
        assert!(!in_example_section(&lines, 7));
    }

    #[test]
    fn example_sections_are_found_above_a_line() {
        let text = "def get(password):\n    '''\n    CLI Example:\n\n    .. code-block:: bash\n\n        salt '*' x.get password=abc\n    '''\n";
        let lines = Lines::new(text.as_bytes());
        assert!(in_example_section(&lines, 7));
        assert!(!in_example_section(&lines, 2));
    }

    #[test]
    fn examples_docstrings_are_documentation_blocks() {
        let text = "DOCUMENTATION = '''\nmodule: x\n'''\n\nEXAMPLES = r\"\"\"\n- x:\n    password: abc\n\"\"\"\n\ndef main():\n    password = 'real'\n";
        let blocks = documentation_blocks(text.as_bytes());
        let inside = |needle: &str| {
            let at = text.find(needle).unwrap();
            blocks.iter().any(|b| b.contains(&at))
        };
        assert!(inside("module: x"));
        assert!(inside("password: abc"));
        assert!(!inside("password = 'real'"));
        assert!(documentation_blocks(b"EXAMPLES = '''one line'''\nx = 1\n").is_empty());
    }
}
