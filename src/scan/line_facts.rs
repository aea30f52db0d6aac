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
use super::{docstrings, sample_config};

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
    /// The 1-based line ranges inside Markdown fences, once asked.
    markdown_fences: Option<Vec<std::ops::RangeInclusive<u32>>>,
    /// The Python test definitions that enclose a line, once asked.
    python_scope: HashMap<u32, enclosing::PythonScope>,
    /// Whether a line sits in an example section, once asked.
    example_section: HashMap<u32, bool>,
    /// Whether a line sits in a reStructuredText literal block, once asked.
    literal_block: HashMap<u32, bool>,
    /// The chunk's documentation blocks, once asked.
    documentation_blocks: Option<Vec<std::ops::Range<usize>>>,
    /// What the chunk's path says, once asked.
    path_signals: Option<Signals>,
    /// Whether the chunk is a commented-out template, once asked.
    commented_template: Option<bool>,
    /// Whether the chunk mocks the services it calls, once asked.
    mocked_calls: Option<bool>,
    /// Whether the chunk is a Python data module, once asked.
    data_module: Option<bool>,
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

    /// True if the 1-based `line` of the file at `path` sits in a literal block of
    /// documentation: a reStructuredText literal block (see `enclosing::in_literal_block`)
    /// or a fenced code block of Markdown (see `enclosing::fenced_blocks`).
    pub(super) fn in_literal_block(&mut self, path: &str, lines: &Lines, line: u32) -> bool {
        if enclosing::is_markdown(path) {
            return self
                .markdown_fences
                .get_or_insert_with(|| enclosing::fenced_blocks(lines))
                .iter()
                .any(|block| block.contains(&line));
        }
        enclosing::is_restructured_text(path)
            && *self
                .literal_block
                .entry(line)
                .or_insert_with(|| enclosing::in_literal_block(lines, line))
    }

    /// True if the 1-based `line` of the file at `path` sits in a test function or test
    /// module: a test header within a fixed look-back, or, in Python, an enclosing `def
    /// test…` however far up.
    pub(super) fn in_test_code(&mut self, path: &str, lines: &Lines, line: u32) -> bool {
        *self
            .test_code
            .entry(line)
            .or_insert_with(|| enclosing::in_test_code(lines, line))
            || self.python_scope(path, lines, line).test_function
    }

    /// True if the 1-based `line` of the file at `path` sits in a test class.
    pub(super) fn in_test_class(&mut self, path: &str, lines: &Lines, line: u32) -> bool {
        *self
            .test_class
            .entry(line)
            .or_insert_with(|| enclosing::in_test_class(lines, line))
            || self.python_scope(path, lines, line).test_class
    }

    /// The Python test definitions enclosing the 1-based `line`; none outside Python files.
    fn python_scope(&mut self, path: &str, lines: &Lines, line: u32) -> enclosing::PythonScope {
        if !(path.ends_with(".py") || path.ends_with(".pyi")) {
            return enclosing::PythonScope::default();
        }
        *self
            .python_scope
            .entry(line)
            .or_insert_with(|| enclosing::python_scope(lines, line))
    }

    /// The signals of the chunk's `path` (see `signals::path_signals`).
    pub(super) fn path_signals(&mut self, path: &str) -> Signals {
        *self
            .path_signals
            .get_or_insert_with(|| super::signals::path_signals(path))
    }

    /// True if byte `offset` of the chunk `bytes` at `path` lies in a documentation block:
    /// an Ansible module's `EXAMPLES`, or a Python docstring.
    pub(super) fn in_documentation_block(
        &mut self,
        path: &str,
        bytes: &[u8],
        offset: usize,
    ) -> bool {
        self.documentation_blocks
            .get_or_insert_with(|| {
                let mut blocks = enclosing::documentation_blocks(bytes);
                if docstrings::is_python(path) {
                    blocks.extend(docstrings::docstrings(bytes));
                }
                blocks
            })
            .iter()
            .any(|block| block.contains(&offset))
    }

    /// True if the chunk `bytes` imports or calls a mocking library (see `signals::mocks`).
    pub(super) fn mocks_its_calls(&mut self, bytes: &[u8]) -> bool {
        *self
            .mocked_calls
            .get_or_insert_with(|| super::signals::mocks_its_calls(bytes))
    }

    /// True if the chunk `bytes` at `path` is a Python module that defines no function or
    /// class and is not a configuration module (see `signals::data_module`).
    pub(super) fn is_python_data_module(&mut self, path: &str, bytes: &[u8]) -> bool {
        (path.ends_with(".py") || path.ends_with(".pyi"))
            && !super::signals::is_configuration(path)
            && *self
                .data_module
                .get_or_insert_with(|| super::signals::is_python_data_module(bytes))
    }

    /// True if the 1-based `line` is a comment in a configuration file at `path`, whose
    /// content `bytes` is comments only: a sample configuration (see `sample_config`).
    pub(super) fn in_commented_template(
        &mut self,
        path: &str,
        bytes: &[u8],
        lines: &Lines,
        line: u32,
    ) -> bool {
        sample_config::is_comment(lines.line_bytes(line))
            && sample_config::is_config_path(path)
            && *self
                .commented_template
                .get_or_insert_with(|| sample_config::is_commented_template(bytes))
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
