//! What the per-line stages (inline markers, documentation and rule examples) learn about a
//! line, computed once per line and chunk.
//!
//! A line of minified JavaScript can hold a million candidate matches. Looking at the whole
//! line again for each of them made a scan quadratic in the line's length (40,000 matches on
//! one 840 KB line took 275 s); asking once per line keeps it linear.

use std::collections::HashMap;

use super::allow::has_inline_marker;
use super::context::{is_documentation_example, is_example_list, is_rules_file};
use super::lines::Lines;

/// Per-line answers, keyed by 1-based line number.
#[derive(Debug, Default)]
pub struct LineFacts {
    facts: HashMap<u32, Facts>,
    /// Whether the chunk is a rules file, once asked.
    rules_file: Option<bool>,
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
    pub fn has_inline_marker(&mut self, lines: &Lines, line: u32) -> bool {
        self.facts(lines, line).inline_marker
    }

    /// True if the 1-based `line` marks its value as a documentation example.
    pub fn is_documentation_example(&mut self, lines: &Lines, line: u32) -> bool {
        self.facts(lines, line).documentation_example
    }

    /// True if the 1-based `line` is an `examples` list of a rules file at `path` whose
    /// content is `bytes`.
    pub fn is_rules_file_example(
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
