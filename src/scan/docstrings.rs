//! Python docstrings: the string that opens a module, class or function body is its
//! documentation, and the values in it are examples.
//!
//! Libraries document their configuration in docstrings (`pagerduty.api_key: F3Rby…` atop
//! a Salt module, `MongoClient(username="user", password="…")` in a class's docs), and
//! Python prints them as help. A docstring is a string statement on its own line (not an
//! argument or an assignment) that follows a line ending a block header with `:`, or that
//! comes first in the module after comments. See: issue 18.

use std::ops::Range;

/// True if `path` is Python source, whose docstrings [`docstrings`] finds.
pub(super) fn is_python(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".py") || lower.ends_with(".pyi")
}

/// Byte ranges of the docstrings of Python source `bytes`, from the opening to the closing
/// triple quote. Every triple-quoted string is skipped whole, so a quote inside one never
/// opens another; the scan is linear in the length of `bytes`.
pub(super) fn docstrings(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some((open, quote)) = next_triple_quote(bytes, from) {
        let body = open + 3;
        let close = memchr::memmem::find(&bytes[body..], quote).map_or(bytes.len(), |at| body + at);
        if is_docstring(bytes, open) {
            found.push(open..close);
        }
        from = (close + 3).min(bytes.len());
    }
    found
}

/// The first `"""` or `'''` at or after `from`, and which it is.
fn next_triple_quote(bytes: &[u8], from: usize) -> Option<(usize, &'static [u8])> {
    let rest = &bytes[from..];
    let double = memchr::memmem::find(rest, b"\"\"\"");
    let single = memchr::memmem::find(rest, b"'''");
    match (double, single) {
        (Some(d), Some(s)) if s < d => Some((from + s, b"'''")),
        (Some(d), _) => Some((from + d, b"\"\"\"")),
        (None, Some(s)) => Some((from + s, b"'''")),
        (None, None) => None,
    }
}

/// True if the triple quote at `open` begins a string statement (nothing but indentation
/// and a string prefix before it on its line) that documents a block or the module.
fn is_docstring(bytes: &[u8], open: usize) -> bool {
    let line_start = bytes[..open]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let before = bytes[line_start..open].trim_ascii_start();
    let prefix = before.len() <= 2 && before.iter().all(|b| b"rRuUbB".contains(b));
    if !prefix {
        return false;
    }
    match previous_code_line(bytes, line_start) {
        // The module's first statement.
        None => true,
        Some(line) => line.trim_ascii_end().ends_with(b":"),
    }
}

/// The nearest line above the one starting at `line_start` that holds code: not blank, not
/// a comment.
fn previous_code_line(bytes: &[u8], line_start: usize) -> Option<&[u8]> {
    let mut end = line_start;
    while end > 0 {
        let line_end = end - 1;
        let start = bytes[..line_end]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        let line = bytes[start..line_end].trim_ascii();
        if !line.is_empty() && !line.starts_with(b"#") {
            return Some(line);
        }
        end = start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(text: &str, needle: &str) -> bool {
        let at = text.find(needle).unwrap();
        docstrings(text.as_bytes()).iter().any(|d| d.contains(&at))
    }

    #[test]
    fn docstrings_of_modules_classes_and_functions_are_found() {
        let text = "#!/usr/bin/env python\n# coding: utf-8\n\"\"\"\nConfigure it:\n\n    pagerduty.api_key: module_doc\n\"\"\"\nimport os\n\nclass Client(object):\n    r'''Connect with\n    Client(password=\"class_doc\")\n    '''\n\n    def login(self,\n              password):\n        \"\"\"password='function_doc'\"\"\"\n        self.password = \"code\"\n";
        assert!(inside(text, "module_doc"));
        assert!(inside(text, "class_doc"));
        assert!(inside(text, "function_doc"));
        assert!(!inside(text, "\"code\""));
    }

    #[test]
    fn strings_that_are_values_are_not_docstrings() {
        let text = "import x\nQUERY = \"\"\"\npassword = 'assigned'\n\"\"\"\nrun(\n    \"\"\"password='argument'\"\"\",\n)\ndef f():\n    x = 1\n    '''after_code'''\n    y = '''token = 'inline_assigned' '''\n";
        for needle in ["assigned'", "argument", "after_code", "inline_assigned"] {
            assert!(!inside(text, needle), "{needle}");
        }
    }

    #[test]
    fn a_quote_inside_a_string_does_not_open_a_docstring() {
        let text = "x = '''\n\"\"\"\nnot_doc\n'''\ndef f():\n    \"\"\"doc\"\"\"\n";
        assert!(!inside(text, "not_doc"));
        assert!(inside(text, "doc\"\"\"\n"));
        assert!(is_python("salt/modules/pagerduty.py") && !is_python("x.pyc"));
    }
}
