//! What the per-line stages (inline markers, documentation and rule examples, enclosing test
//! code and documentation blocks) learn about a line, computed once per line and chunk.
//!
//! A line of minified JavaScript can hold a million candidate matches. Looking at the whole
//! line again for each of them made a scan quadratic in the line's length (40,000 matches on
//! one 840 KB line took 275 s); asking once per line keeps it linear.

use std::collections::HashMap;

use super::allow::has_inline_marker;
use super::context::{is_documentation_example, is_example_list, is_rules_file};
use super::enclosing;
use super::evidence::Signals;
use super::lines::Lines;

/// Per-line answers, keyed by 1-based line number.
#[derive(Debug, Default)]
pub(super) struct LineFacts {
    facts: HashMap<u32, Facts>,
    /// Whether the chunk is a rules file, once asked.
    rules_file: Option<bool>,
    /// Whether a line sits in test code, once asked (a look-back over many lines).
    test_code: HashMap<u32, bool>,
    /// Whether a line sits in a test class, once asked.
    test_class: HashMap<u32, bool>,
    /// Whether a line sits in an example section, once asked.
    example_section: HashMap<u32, bool>,
    /// The chunk's documentation blocks, once asked.
    documentation_blocks: Option<Vec<std::ops::Range<usize>>>,
    /// What the chunk's path says, once asked.
    path_signals: Option<Signals>,
}

#[derive(Debug, Clone, Copy)]
struct Facts {
    inline_marker: bool,
    documentation_example: bool,
    example_list: bool,
}

impl LineFacts {
    fn facts(&mut self, lines: &Lines, line: u32) -> Facts {
        *self.facts.entry(line).or_insert_with(|| {
            let bytes = lines.line_bytes(line);
            Facts {
                inline_marker: has_inline_marker(bytes),
                documentation_example: is_documentation_example(bytes),
                example_list: is_example_list(bytes),
            }
        })
    }

    /// True if the 1-based `line` carries an inline allow marker.
    pub(super) fn has_inline_marker(&mut self, lines: &Lines, line: u32) -> bool {
        self.facts(lines, line).inline_marker
    }

    /// True if the 1-based `line` marks its value as a documentation example.
    pub(super) fn is_documentation_example(&mut self, lines: &Lines, line: u32) -> bool {
        self.facts(lines, line).documentation_example
    }

    /// True if the 1-based `line` sits in an example section of a docstring or doc page.
    pub(super) fn in_example_section(&mut self, lines: &Lines, line: u32) -> bool {
        *self
            .example_section
            .entry(line)
            .or_insert_with(|| enclosing::in_example_section(lines, line))
    }

    /// True if the 1-based `line` sits in a test function or test module.
    pub(super) fn in_test_code(&mut self, lines: &Lines, line: u32) -> bool {
        *self
            .test_code
            .entry(line)
            .or_insert_with(|| enclosing::in_test_code(lines, line))
    }

    /// True if the 1-based `line` sits in a test class.
    pub(super) fn in_test_class(&mut self, lines: &Lines, line: u32) -> bool {
        *self
            .test_class
            .entry(line)
            .or_insert_with(|| enclosing::in_test_class(lines, line))
    }

    /// The signals of the chunk's `path` (see `signals::path_signals`).
    pub(super) fn path_signals(&mut self, path: &str) -> Signals {
        *self
            .path_signals
            .get_or_insert_with(|| super::signals::path_signals(path))
    }

    /// True if byte `offset` of the chunk `bytes` lies in a documentation block.
    pub(super) fn in_documentation_block(&mut self, bytes: &[u8], offset: usize) -> bool {
        self.documentation_blocks
            .get_or_insert_with(|| enclosing::documentation_blocks(bytes))
            .iter()
            .any(|block| block.contains(&offset))
    }

    /// True if the 1-based `line` is an `examples` list of a rules file at `path` whose
    /// content is `bytes`.
    pub(super) fn is_rules_file_example(
        &mut self,
        path: &str,
        bytes: &[u8],
        lines: &Lines,
        line: u32,
    ) -> bool {
        self.facts(lines, line).example_list
            && *self
                .rules_file
                .get_or_insert_with(|| is_rules_file(path, bytes))
    }
}
