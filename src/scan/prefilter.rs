//! Keyword prefilter: picks the rules that could match a chunk before any regex runs.
//!
//! One Aho-Corasick pass over the chunk replaces a regex pass per rule. A keyword hit costs
//! one table lookup and a few bit sets; rules that have no keywords (path rules) are always
//! candidates.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::rule::Rule;

/// The automaton and, for each distinct keyword, the rules it makes candidates.
#[derive(Debug, Clone)]
pub struct Prefilter {
    automaton: AhoCorasick,
    /// `rules_of[pattern]`: indices of the rules that list that keyword.
    rules_of: Vec<Vec<usize>>,
    /// Rules with no keywords.
    always: Vec<usize>,
    rule_count: usize,
}

/// A set of rule indices, as a bit set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates(Vec<u64>);

impl Candidates {
    fn new(rule_count: usize) -> Self {
        Candidates(vec![0; rule_count.div_ceil(64)])
    }

    fn insert(&mut self, rule: usize) {
        self.0[rule / 64] |= 1 << (rule % 64);
    }

    pub fn contains(&self, rule: usize) -> bool {
        self.0[rule / 64] & (1 << (rule % 64)) != 0
    }

    /// Rule indices in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(word_at, &word)| {
            (0..64)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| word_at * 64 + bit)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }
}

impl Prefilter {
    /// Builds the automaton over every rule's keywords. `large_inputs` picks a DFA, which
    /// costs more to build (a few ms) but scans about twice as fast: right for history scans,
    /// wrong for a pre-commit hook that scans a few KB.
    pub fn new(rules: &[Rule], large_inputs: bool) -> Self {
        let mut keywords: Vec<&str> = Vec::new();
        let mut rules_of: Vec<Vec<usize>> = Vec::new();
        let mut pattern_of: HashMap<&str, usize> = HashMap::new();
        let mut always = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if rule.keywords.is_empty() {
                always.push(index);
            }
            for keyword in &rule.keywords {
                let at = *pattern_of.entry(keyword).or_insert_with(|| {
                    keywords.push(keyword);
                    rules_of.push(Vec::new());
                    keywords.len() - 1
                });
                if rules_of[at].last() != Some(&index) {
                    rules_of[at].push(index);
                }
            }
        }
        let kind = if large_inputs {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&keywords)
            .expect("keywords are validated non-empty strings; the automaton has no size limit");
        Prefilter {
            automaton,
            rules_of,
            always,
            rule_count: rules.len(),
        }
    }

    /// The rules whose keywords occur in `bytes`, plus the rules that have none.
    pub fn candidates(&self, bytes: &[u8]) -> Candidates {
        let mut found = Candidates::new(self.rule_count);
        for &rule in &self.always {
            found.insert(rule);
        }
        let mut seen_pattern = vec![false; self.rules_of.len()];
        for hit in self.automaton.find_overlapping_iter(bytes) {
            let pattern = hit.pattern().as_usize();
            if !std::mem::replace(&mut seen_pattern[pattern], true) {
                for &rule in &self.rules_of[pattern] {
                    found.insert(rule);
                }
            }
        }
        found
    }
}
