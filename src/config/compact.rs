//! The built-in catalog as scans load it: the rules less their examples, compiled into the
//! binary as static tables by `build.rs` (`build/compact_catalog.rs`), so that start-up
//! parses nothing. Every text sits in one string; the tables hold integers that point into
//! it, which leaves the loader nothing to relocate either.
//!
//! `patterns.toml` stays the one source: the tests below check these tables against it,
//! field for field.

use super::spec::{AllowSpec, Condition, RuleSpec, RulesFile};
use crate::finding::Confidence;

/// Every text of the tables, each distinct one once.
const TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog-text.txt"));

/// A text: its start and end in [`TEXT`].
#[derive(Clone, Copy)]
struct Text(u32, u32);

/// A range of one of the tables (`TEXTS` for a list of texts, `ALLOWS` for allowlists).
#[derive(Clone, Copy)]
struct Range(u32, u32);

/// A [`RuleSpec`] less its examples.
struct CompactRule {
    id: Text,
    description: Text,
    regex: Option<Text>,
    secret_group: Option<usize>,
    keywords: Range,
    min_entropy: f64,
    confidence: Confidence,
    generic: bool,
    checksum: Option<Text>,
    paths: Range,
    path_regex: Option<Text>,
    remediation: Option<Text>,
    allow: Range,
}

/// An [`AllowSpec`].
struct CompactAllow {
    description: Option<Text>,
    condition: Condition,
    paths: Range,
    path_regexes: Range,
    regexes: Range,
    matches: Range,
    lines: Range,
    stopwords: Range,
    commits: Range,
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The built-in catalog less its examples, as [`super::parse`] would read it.
pub(super) fn rules_file() -> RulesFile {
    RulesFile {
        rules: RULES.iter().map(rule).collect(),
        allow: allows(GLOBAL_ALLOW),
        ..RulesFile::default()
    }
}

fn rule(rule: &CompactRule) -> RuleSpec {
    RuleSpec {
        id: text(rule.id),
        description: text(rule.description),
        regex: rule.regex.map(text),
        secret_group: rule.secret_group,
        keywords: texts(rule.keywords),
        min_entropy: rule.min_entropy,
        confidence: rule.confidence,
        generic: rule.generic,
        checksum: rule.checksum.map(text),
        paths: texts(rule.paths),
        path_regex: rule.path_regex.map(text),
        remediation: rule.remediation.map(text),
        allow: allows(rule.allow),
        examples: Vec::new(),
        counterexamples: Vec::new(),
    }
}

fn allows(range: Range) -> Vec<AllowSpec> {
    ALLOWS[range.0 as usize..range.1 as usize]
        .iter()
        .map(|allow| AllowSpec {
            description: allow.description.map(text),
            condition: allow.condition,
            paths: texts(allow.paths),
            path_regexes: texts(allow.path_regexes),
            regexes: texts(allow.regexes),
            matches: texts(allow.matches),
            lines: texts(allow.lines),
            stopwords: texts(allow.stopwords),
            commits: texts(allow.commits),
            origin: None,
        })
        .collect()
}

fn text(text: Text) -> String {
    TEXT[text.0 as usize..text.1 as usize].to_string()
}

fn texts(range: Range) -> Vec<String> {
    TEXTS[range.0 as usize..range.1 as usize]
        .iter()
        .map(|&t| text(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_the_toml_less_its_examples() {
        let mut from_toml: RulesFile = toml::from_str(super::super::BUILTIN_RULES).unwrap();
        for rule in &mut from_toml.rules {
            rule.examples.clear();
            rule.counterexamples.clear();
        }
        let compact = rules_file();
        assert!(compact.rules.len() > 400, "{}", compact.rules.len());
        assert_eq!(compact.rules.len(), from_toml.rules.len());
        for (got, want) in compact.rules.iter().zip(&from_toml.rules) {
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "rule {}", want.id);
        }
        assert_eq!(format!("{compact:?}"), format!("{from_toml:?}"));
    }
}
