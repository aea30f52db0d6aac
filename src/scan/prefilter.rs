//! Keyword prefilter: picks the rules that could match a chunk before any regex runs.
//!
//! One pass of the keyword table (`keyword_table`) over the chunk replaces a regex pass per
//! rule. A keyword hit costs one table lookup and a few bit sets; rules that have no
//! keywords (path rules) are always candidates. The table builds in microseconds, so a
//! pre-commit hook and a history scan use the same search.

use std::collections::HashMap;

use super::keyword_table::KeywordTable;
use super::rule::Rule;

/// The keyword search and, for each distinct keyword, the rules it makes candidates.
#[derive(Debug)]
pub struct Prefilter {
    keywords: Vec<String>,
    table: KeywordTable,
    /// `rules_of[pattern]`: indices of the rules that list that keyword.
    rules_of: Vec<Vec<usize>>,
    /// `patterns_of[rule]`: the patterns of the rule's keywords, each once.
    patterns_of: Vec<Vec<usize>>,
    /// `is_trigger[pattern]`: the keyword is one of the layers' trigger words.
    is_trigger: Vec<bool>,
    /// Rules with no keywords.
    always: Vec<usize>,
    rule_count: usize,
}

/// A set of rule indices, as a bit set, and where their keywords occur.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    rules: Vec<u64>,
    /// Every keyword hit, as its keyword (pattern index) and start (byte offset), grouped by
    /// keyword and in order of start within a keyword, so that a rule reads its own
    /// keywords' hits without filtering everyone's.
    hits: Vec<(usize, usize)>,
    /// The starts of the hits of layer trigger words.
    triggers: Vec<usize>,
}

/// Byte offsets of prefilter hits, for the layers (see `layer_gate`).
#[derive(Debug, Clone, Default)]
pub(crate) struct LayerHits {
    /// Hits of any rule's keyword or trigger word: where string literals may hide a match.
    pub keywords: Vec<usize>,
    /// Hits of trigger words: where an encoded value may stand.
    pub triggers: Vec<usize>,
}

impl Candidates {
    fn new(rule_count: usize) -> Self {
        Candidates {
            rules: vec![0; rule_count.div_ceil(64)],
            hits: Vec::new(),
            triggers: Vec::new(),
        }
    }

    fn insert(&mut self, rule: usize) {
        self.rules[rule / 64] |= 1 << (rule % 64);
    }

    /// Rule indices in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.rules.iter().enumerate().flat_map(|(word_at, &word)| {
            (0..64)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| word_at * 64 + bit)
        })
    }

    /// Every keyword hit as (pattern, start), sorted.
    pub(crate) fn hits(&self) -> &[(usize, usize)] {
        &self.hits
    }

    /// Where the layers should read: the byte offsets of every keyword hit, and of the
    /// hits of layer trigger words alone, in no particular order.
    pub(crate) fn layer_hits(&self) -> LayerHits {
        LayerHits {
            keywords: self.hits.iter().map(|&(_, start)| start).collect(),
            triggers: self.triggers.clone(),
        }
    }
}

impl Prefilter {
    /// Builds the keyword search over every rule's keywords and the layers' trigger words.
    pub(crate) fn new(rules: &[Rule]) -> Self {
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
        let mut patterns_of: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
        for (pattern, rules) in rules_of.iter().enumerate() {
            rules
                .iter()
                .for_each(|&rule| patterns_of[rule].push(pattern));
        }
        // The layers' trigger words ride along: their hits tell the layers where to read,
        // and make no rule a candidate.
        let mut is_trigger = vec![false; keywords.len()];
        for &trigger in super::layer_gate::TRIGGERS {
            let at = *pattern_of.entry(trigger).or_insert_with(|| {
                keywords.push(trigger);
                rules_of.push(Vec::new());
                is_trigger.push(false);
                keywords.len() - 1
            });
            is_trigger[at] = true;
        }
        let keywords: Vec<String> = keywords.into_iter().map(str::to_string).collect();
        Prefilter {
            table: KeywordTable::new(&keywords),
            keywords,
            rules_of,
            patterns_of,
            is_trigger,
            always,
            rule_count: rules.len(),
        }
    }

    /// The rules whose keywords occur in `bytes`, plus the rules that have none.
    pub fn candidates(&self, bytes: &[u8]) -> Candidates {
        let mut hits = Vec::new();
        self.table
            .for_each_hit(bytes, |start, pattern| hits.push((pattern, start)));
        self.candidates_of(hits)
    }

    /// The candidates that the keyword hits `hits` (pattern, start) make, in any order and
    /// each once: what [`Prefilter::candidates`] gives for a chunk with exactly those hits.
    pub(crate) fn candidates_of(&self, mut hits: Vec<(usize, usize)>) -> Candidates {
        let mut found = Candidates::new(self.rule_count);
        for &rule in &self.always {
            found.insert(rule);
        }
        hits.sort_unstable();
        let mut last_pattern = None;
        for &(pattern, start) in &hits {
            if self.is_trigger[pattern] {
                found.triggers.push(start);
            }
            if last_pattern != Some(pattern) {
                last_pattern = Some(pattern);
                for &rule in &self.rules_of[pattern] {
                    found.insert(rule);
                }
            }
        }
        found.hits = hits;
        found
    }

    /// Calls `hit(start, pattern)` for every keyword occurrence that lies wholly inside
    /// `range` of `bytes`, as [`Prefilter::candidates`] would find it in `bytes`.
    pub(crate) fn search_within(
        &self,
        bytes: &[u8],
        range: std::ops::Range<usize>,
        mut hit: impl FnMut(usize, usize),
    ) {
        let offset = range.start;
        self.table
            .for_each_hit(&bytes[range], |start, pattern| hit(offset + start, pattern));
    }

    /// The length in bytes of the longest keyword (at least 1).
    pub(crate) fn longest_keyword(&self) -> usize {
        self.keywords
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// The length in bytes of keyword `pattern`.
    pub(crate) fn keyword_len(&self, pattern: usize) -> usize {
        self.keywords[pattern].len()
    }

    /// Every distinct keyword, rules' and layer triggers', as searched.
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }

    /// Where the keywords of `rule` occur (start and end byte offsets), in the chunk that
    /// `candidates` were picked from.
    pub(crate) fn keyword_hits(&self, candidates: &Candidates, rule: usize) -> Vec<(usize, usize)> {
        let hits = &candidates.hits;
        let mut found = Vec::new();
        for &pattern in &self.patterns_of[rule] {
            let first = hits.partition_point(|&(p, _)| p < pattern);
            let len = self.keywords[pattern].len();
            found.extend(
                hits[first..]
                    .iter()
                    .take_while(|&&(p, _)| p == pattern)
                    .map(|&(_, start)| (start, start + len)),
            );
        }
        found
    }
}
