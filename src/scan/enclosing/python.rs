//! The Python definitions that enclose a line, told by indentation: whether a line sits in a
//! test function or a test class however long its body is.
//!
//! Generated API tests hold a single `def test_…` of hundreds of lines of request bodies
//! (`"administrator_login_password": "…"` 600 lines below the header), past any fixed look
//! back. Python says by indentation alone which `def` or `class` encloses a line, so walking
//! outward through the lines with less indentation finds it.

use super::super::lines::Lines;

/// How many lines back the enclosing definitions are looked for. Generated API tests run
/// past 3,000 lines in one `def test_…` (azure-mgmt-sql: a password 3,087 lines below its
/// header); the walk stops at the first line at indentation 0, and `LineFacts` asks once
/// per line, so a far bound costs only where a body is that long.
const LOOK_BACK_LINES: u32 = 12_000;

/// Which test definitions enclose a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    /// A `def test…` (or `setUp`) encloses the line.
    pub(crate) test_function: bool,
    /// A class named as tests, or whose bases name a test case, encloses the line.
    pub(crate) test_class: bool,
}

/// The test definitions that enclose the 1-based `line` of a Python file. Walks outward:
/// each line above with less indentation than the innermost seen so far is the next
/// enclosing statement; at indentation 0 the walk ends. A line of a multi-line string at
/// indentation 0 ends it early, which only misses a scope.
pub(crate) fn scope(lines: &Lines, line: u32) -> Scope {
    let mut found = Scope::default();
    let Some(mut indent) = indentation(lines.line_bytes(line)) else {
        return found;
    };
    let first = line.saturating_sub(LOOK_BACK_LINES).max(1);
    let mut at = line;
    while indent > 0 && at > first {
        at -= 1;
        let text = lines.line_bytes(at);
        let Some(depth) = indentation(text) else {
            continue;
        };
        if depth >= indent {
            continue;
        }
        indent = depth;
        let statement = text.trim_ascii_start();
        if let Some(name) = defined_function(statement) {
            let lower = name.to_ascii_lowercase();
            found.test_function |= lower.starts_with(b"test") || lower == b"setup";
        } else if let Some(rest) = statement.strip_prefix(b"class ") {
            let header = &rest[..rest.iter().position(|&b| b == b':').unwrap_or(rest.len())];
            let lower = header.to_ascii_lowercase();
            found.test_class |= memchr::memmem::find(&lower, b"test").is_some();
        }
    }
    found
}

/// The number of leading spaces and tabs of `line`, or `None` for a blank or comment line
/// (neither opens nor closes a block).
fn indentation(line: &[u8]) -> Option<usize> {
    let depth = line
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(line.len());
    match line.get(depth) {
        None | Some(b'#' | b'\r') => None,
        Some(_) => Some(depth),
    }
}

/// The name a `def` or `async def` statement defines.
fn defined_function(statement: &[u8]) -> Option<&[u8]> {
    let rest = statement
        .strip_prefix(b"def ")
        .or_else(|| statement.strip_prefix(b"async def "))?;
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope_of(text: &str, needle: &str) -> Scope {
        let lines = Lines::new(text.as_bytes());
        scope(&lines, lines.line_of(text.find(needle).unwrap()))
    }

    #[test]
    fn the_enclosing_definitions_are_found_by_indentation() {
        let body = "            \"field\": \"v\",\n".repeat(400);
        let long_test = format!(
            "class ApiTests(MgmtTestCase):\n    def test_create(self):\n        body = {{\n{body}            \"password\": \"HERE\",\n        }}\n"
        );
        assert_eq!(
            scope_of(&long_test, "HERE"),
            Scope {
                test_function: true,
                test_class: true
            }
        );
        // Generated API tests run past 3,000 lines in one function.
        let longer = "            \"field\": \"v\",\n".repeat(5000);
        let generated = format!(
            "class ApiTests(MgmtTestCase):\n    def test_create(self):\n        body = {{\n{longer}            \"password\": \"HERE\",\n        }}\n"
        );
        assert!(scope_of(&generated, "HERE").test_function);
        let helper = "class ApiTests(TestCase):\n    def make_body(self):\n        return {\"password\": \"HERE\"}\n";
        assert_eq!(
            scope_of(helper, "HERE"),
            Scope {
                test_function: false,
                test_class: true
            }
        );
        let nested = "def test_login():\n    def fake():\n        return \"HERE\"\n";
        assert!(scope_of(nested, "HERE").test_function);
        // A test above, closed by a statement at indentation 0, does not enclose.
        let after = "def test_login():\n    pass\n\nCONFIG = {\n    \"password\": \"HERE\",\n}\n";
        assert_eq!(scope_of(after, "HERE"), Scope::default());
        let plain = "class Client:\n    def login(self):\n        self.password = \"HERE\"\n";
        assert_eq!(scope_of(plain, "HERE"), Scope::default());
        assert_eq!(scope_of("PASSWORD = \"HERE\"\n", "HERE"), Scope::default());
        // Comments and blank lines at any indentation neither open nor close a block.
        let commented = "def test_x():\n# note\n\n    y = \"HERE\"\n";
        assert!(scope_of(commented, "HERE").test_function);
    }
}
