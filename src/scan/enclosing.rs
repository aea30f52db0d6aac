//! What encloses a line: a test function or test module, or a documentation block such as
//! the `EXAMPLES` docstring of an Ansible module.
//!
//! Both are found by looking back from the line, within bounds, so the cost per line is
//! fixed; `LineFacts` asks once per line.

mod markdown;
mod python;

pub(super) use markdown::{fenced_blocks, is_markdown};
pub(super) use python::{scope as python_scope, Scope as PythonScope};

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
    // GoogleTest and Catch2 cases.
    b"test_f(",
    b"test_p(",
    b"test_case(",
];

/// Starts of function names that C and C++ unit tests use (`ut_` is librdkafka's and
/// others' unit-test prefix).
const C_TEST_FUNCTION_PREFIXES: &[&[u8]] = &[b"ut_", b"test_", b"unittest_"];

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
        || defines_c_test_function(line)
        || is_rust_test_cfg(trimmed)
}

/// True if `line` is a Rust `cfg` attribute that compiles what follows only for tests:
/// `#[cfg(all(test, feature = "std"))]`, `#[cfg(any(test, fuzzing))]`, where `test` stands
/// as a whole word and not inside `not(…)`.
fn is_rust_test_cfg(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"#[cfg(") else {
        return false;
    };
    let body = &rest[..memchr::memchr(b']', rest).unwrap_or(rest.len())];
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'"';
    memchr::memmem::find_iter(body, b"test").any(|at| {
        let before = body[..at].trim_ascii_end();
        !before.last().is_some_and(word)
            && !body.get(at + 4).is_some_and(word)
            && !before.ends_with(b"not(")
    })
}

/// True if `line` defines a C or C++ function named as a unit test: at the start of the
/// line (where definitions stand), a return type, then `ut_…(`, `test_…(` or `…_test(`, and
/// not a declaration ending in `;`.
fn defines_c_test_function(line: &[u8]) -> bool {
    if line.first().is_none_or(|b| b.is_ascii_whitespace()) || line.trim_ascii_end().ends_with(b";")
    {
        return false;
    }
    let Some(paren) = memchr::memchr(b'(', line) else {
        return false;
    };
    let head = &line[..paren];
    // A return type before the name: `static int ut_x(`, not a call `ut_x(` at top level.
    let Some(space) = head.iter().rposition(|b| *b == b' ' || *b == b'*') else {
        return false;
    };
    let name = head[space + 1..].to_ascii_lowercase();
    let identifier =
        !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
    identifier
        && (C_TEST_FUNCTION_PREFIXES.iter().any(|p| name.starts_with(p))
            || name.ends_with(b"_test"))
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

/// For a line that opens a class at the start of the line, whether it is a test class. A
/// Rust module is Rust's class here: `mod tests {` holds tests as a test class does.
fn class_header(line: &[u8]) -> Option<bool> {
    let mut rest = line.trim_ascii_start();
    if let Some(module) = rest
        .strip_prefix(b"pub(crate) mod ")
        .or_else(|| rest.strip_prefix(b"pub mod "))
        .or_else(|| rest.strip_prefix(b"mod "))
    {
        let name_end = module
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .unwrap_or(module.len());
        // `mod tests;` declares a file elsewhere; only an inline body encloses lines.
        if !module[name_end..].trim_ascii_start().starts_with(b"{") {
            return None;
        }
        let name = module[..name_end].to_ascii_lowercase();
        return Some(name == b"test" || name == b"tests" || name.ends_with(b"_tests"));
    }
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
    // A JSDoc or TSDoc example inside a `/** … */` comment.
    b"* @example",
    b"@example",
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

/// How many lines back the heading of a reStructuredText literal block is looked for.
const LITERAL_BLOCK_LINES: u32 = 2000;

/// True if the file at `path` is reStructuredText (`.rst`, or the `.txt` of Django's and
/// Python's docs), where an indented block after `::` or `.. code-block::` is code shown as
/// an example.
pub(super) fn is_restructured_text(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".rst") || lower.ends_with(".txt")
}

/// True if the indented `line` of a reStructuredText file sits in a literal block: the
/// nearest line above it that is not indented introduces one (`.. code-block:: yaml`,
/// `.. code::`, or a paragraph ending in `::`).
pub(super) fn in_literal_block(lines: &Lines, line: u32) -> bool {
    let indented = |b: &[u8]| b.first().is_some_and(|c| *c == b' ' || *c == b'\t');
    if !indented(lines.line_bytes(line)) {
        return false;
    }
    let first = line.saturating_sub(LITERAL_BLOCK_LINES).max(1);
    for at in (first..line).rev() {
        let text = lines.line_bytes(at);
        if text.trim_ascii().is_empty() || indented(text) {
            continue;
        }
        let text = text.trim_ascii_end();
        return text.starts_with(b".. code") || text.ends_with(b"::");
    }
    false
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
/// documentation; plugins also spell it `example`), from its opening to its closing triple
/// quote.
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
    let rest = [
        &b"EXAMPLES"[..],
        b"EXAMPLE",
        b"DOCUMENTATION",
        b"RETURN",
        b"examples",
        b"example",
    ]
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
        let c = "static int parse(void) {\n        return 0;\n}\nstatic int ut_assertion_create(void) {\n        key =\n            \"-----BEGIN PRIVATE KEY-----\\n\"\n}\n";
        let lines = Lines::new(c.as_bytes());
        assert!(!in_test_code(&lines, 2));
        assert!(in_test_code(&lines, 6));
        for header in [
            "int test_parse(void)",
            "void parse_test(struct t *t) {",
            "TEST_F(Parser, Key) {",
        ] {
            assert!(opens_test(header.as_bytes()), "{header}");
        }
        for other in [
            "static int ut_x(void);",
            "    ut_x(rk);",
            "ut_x(rk) {",
            "static int parse(void) {",
        ] {
            assert!(!opens_test(other.as_bytes()), "{other}");
        }
        let rust = "fn main() {}\n#[cfg(test)]\nmod tests {\n    const P: &str = \"x\";\n}\n";
        let lines = Lines::new(rust.as_bytes());
        assert!(!in_test_code(&lines, 1));
        assert!(in_test_code(&lines, 4));
        for header in [
            "#[cfg(all(test, feature = \"std\", not(feature = \"x\")))]",
            "#[cfg(any(test, fuzzing))]",
            "#[cfg(all(feature = \"std\", test))]",
        ] {
            assert!(opens_test(header.as_bytes()), "{header}");
        }
        for other in [
            "#[cfg(not(test))]",
            "#[cfg(all(not(test), feature = \"std\"))]",
            "#[cfg(feature = \"test-utils\")]",
            "#[cfg(feature = \"test\")]",
            "#[cfg(all(unix, testing))]",
        ] {
            assert!(!opens_test(other.as_bytes()), "{other}");
        }
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
        let rust = "mod parse {\n    const A: &str = \"a\";\n}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn x() { let h = \"b\"; }\n}\nmod tests;\n";
        let lines = Lines::new(rust.as_bytes());
        assert!(!in_test_class(&lines, 2));
        assert!(in_test_class(&lines, 7));
    }

    #[test]
    fn doctest_output_is_an_example() {
        let text = "Usage\n\n    >>> hash.hash('password')\n    '$5$rounds=535000$abc'\n\nprose\n    '$5$xyz'\n";
        let lines = Lines::new(text.as_bytes());
        assert!(in_example_section(&lines, 4));
        assert!(!in_example_section(&lines, 7));
    }

    #[test]
    fn literal_blocks_of_restructured_text_are_examples() {
        let mut text = String::from("Examples\n--------\n\n.. code-block:: yaml\n\n");
        for i in 0..40 {
            text.push_str(&format!("    - name: step {i}\n      password: x\n"));
        }
        text.push_str("\nProse again, with a password: y\n\nA list of ``users``::\n\n    PASSWORD: z\n\nprose\n\n    quoted prose\n");
        let lines = Lines::new(text.as_bytes());
        let line_of = |needle: &str| lines.line_of(text.find(needle).unwrap());
        assert!(in_literal_block(&lines, line_of("password: x")));
        assert!(!in_literal_block(&lines, line_of("password: y")));
        assert!(in_literal_block(&lines, line_of("PASSWORD: z")));
        assert!(!in_literal_block(&lines, line_of("quoted prose")));
        assert!(is_restructured_text("docs/topics/db/multi-db.txt"));
    }

    #[test]
    fn example_sections_are_found_above_a_line() {
        let text = "def get(password):\n    '''\n    CLI Example:\n\n    .. code-block:: bash\n\n        salt '*' x.get password=abc\n    '''\n";
        let lines = Lines::new(text.as_bytes());
        assert!(in_example_section(&lines, 7));
        assert!(!in_example_section(&lines, 2));
        let jsdoc = "/**\n * Creates a token.\n * @example Call the endpoint\n * ```javascript\n * const input = {\n *   \"clientSecret\": \"x\",\n * };\n */\n";
        let lines = Lines::new(jsdoc.as_bytes());
        assert!(in_example_section(&lines, 6));
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
        let lower = "example = r'''\nansible_vmware_password: x\n'''\n";
        assert_eq!(documentation_blocks(lower.as_bytes()).len(), 1);
    }
}
