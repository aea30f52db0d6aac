//! Keyword prefilter: picks the rules that could match a chunk before any regex runs.
//!
//! One Aho-Corasick pass over the chunk replaces a regex pass per rule. A keyword hit costs
//! one table lookup and a few bit sets; rules that have no keywords (path rules) are always
//! candidates.
//!
//! Three searches trade start-up for throughput, and a run moves up as the bytes it has scanned
//! pay for the next: a keyword table (`keyword_table`) builds in microseconds but costs a little per byte; a
//! contiguous NFA builds in about two milliseconds; a DFA takes a few more but scans about
//! twice as fast. So a pre-commit hook on a few KB builds neither automaton, and a history
//! scan builds the DFA at once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::keyword_table::KeywordTable;
use super::rule::Rule;

/// Bytes scanned with the keyword table after which building the NFA pays for itself:
/// building it costs about 9M instructions, the table about 48 per byte (callgrind, the
/// built-in catalog), so a pre-commit run on one 85 KB source file builds no automaton.
const NFA_AFTER_BYTES: u64 = 192 << 10;
/// Bytes scanned with the NFA after which building the DFA pays for itself.
const DFA_AFTER_BYTES: u64 = 4 << 20;

/// The automata and, for each distinct keyword, the rules it makes candidates.
#[derive(Debug)]
pub(crate) struct Prefilter {
    keywords: Vec<String>,
    /// `None` when a keyword is too short for it: the automata serve from the start.
    table: Option<KeywordTable>,
    nfa: OnceLock<AhoCorasick>,
    dfa: OnceLock<AhoCorasick>,
    /// Bytes scanned so far; shared by every thread.
    scanned: AtomicU64,
    /// `rules_of[pattern]`: indices of the rules that list that keyword.
    rules_of: Vec<Vec<usize>>,
    /// `is_trigger[pattern]`: the keyword is one of the layers' trigger words.
    is_trigger: Vec<bool>,
    /// Rules with no keywords.
    always: Vec<usize>,
    rule_count: usize,
}

/// A set of rule indices, as a bit set, and where their keywords occur.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidates {
    rules: Vec<u64>,
    /// Every keyword hit: its start (byte offset) and keyword (pattern index).
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
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.rules.iter().enumerate().flat_map(|(word_at, &word)| {
            (0..64)
                .filter(move |bit| word & (1 << bit) != 0)
                .map(move |bit| word_at * 64 + bit)
        })
    }

    /// Where the layers should read: the byte offsets of every keyword hit, and of the
    /// hits of layer trigger words alone, in the order found.
    pub(crate) fn layer_hits(&self) -> LayerHits {
        LayerHits {
            keywords: self.hits.iter().map(|&(start, _)| start).collect(),
            triggers: self.triggers.clone(),
        }
    }
}

impl Prefilter {
    /// Builds the automaton over every rule's keywords. `large_inputs` builds the DFA at
    /// once (history scans); otherwise it is built when the bytes scanned call for it.
    pub(crate) fn new(rules: &[Rule], large_inputs: bool) -> Self {
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
        let prefilter = Prefilter {
            table: KeywordTable::new(&keywords),
            nfa: OnceLock::new(),
            dfa: OnceLock::new(),
            scanned: AtomicU64::new(0),
            keywords,
            rules_of,
            is_trigger,
            always,
            rule_count: rules.len(),
        };
        if large_inputs {
            prefilter.dfa();
        }
        prefilter
    }

    fn dfa(&self) -> &AhoCorasick {
        self.dfa
            .get_or_init(|| automaton(&self.keywords, AhoCorasickKind::DFA))
    }

    /// The automaton for the next `len` bytes, or `None` for the keyword table: the NFA and
    /// then the DFA once enough has been scanned to pay for building them.
    fn automaton_for(&self, len: usize) -> Option<&AhoCorasick> {
        if let Some(dfa) = self.dfa.get() {
            return Some(dfa);
        }
        let scanned = self
            .scanned
            .fetch_add(len as u64, Ordering::Relaxed)
            .saturating_add(len as u64);
        if scanned >= DFA_AFTER_BYTES {
            Some(self.dfa())
        } else if scanned >= NFA_AFTER_BYTES || self.table.is_none() {
            Some(
                self.nfa
                    .get_or_init(|| automaton(&self.keywords, AhoCorasickKind::ContiguousNFA)),
            )
        } else {
            None
        }
    }

    /// The rules whose keywords occur in `bytes`, plus the rules that have none.
    pub(crate) fn candidates(&self, bytes: &[u8]) -> Candidates {
        let mut found = Candidates::new(self.rule_count);
        for &rule in &self.always {
            found.insert(rule);
        }
        let mut seen_pattern = vec![false; self.rules_of.len()];
        let mut record = |start: usize, pattern: usize| {
            found.hits.push((start, pattern));
            if self.is_trigger[pattern] {
                found.triggers.push(start);
            }
            if !std::mem::replace(&mut seen_pattern[pattern], true) {
                for &rule in &self.rules_of[pattern] {
                    found.insert(rule);
                }
            }
        };
        match self.automaton_for(bytes.len()) {
            Some(automaton) => {
                for hit in automaton.find_overlapping_iter(bytes) {
                    record(hit.start(), hit.pattern().as_usize());
                }
            }
            None => {
                let table = self.table.as_ref().expect("automaton_for checks the table");
                table.for_each_hit(bytes, record);
            }
        }
        found
    }

    /// Where the keywords of `rule` occur (start and end byte offsets), in the chunk that
    /// `candidates` were picked from.
    pub(crate) fn keyword_hits(&self, candidates: &Candidates, rule: usize) -> Vec<(usize, usize)> {
        candidates
            .hits
            .iter()
            .filter(|&&(_, pattern)| self.rules_of[pattern].contains(&rule))
            .map(|&(start, pattern)| (start, start + self.keywords[pattern].len()))
            .collect()
    }
}

fn automaton(keywords: &[String], kind: AhoCorasickKind) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(keywords)
        .expect("keywords are validated non-empty strings; the automaton has no size limit")
}
