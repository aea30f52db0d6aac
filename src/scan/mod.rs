//! The scan core: bytes in, findings out. Pure: no git, no filesystem, no printing.
//!
//! Stages, per chunk: keyword prefilter → candidate rules → regex → secret group →
//! entropy gate → placeholder filter → allowlists and inline markers → checksum → context
//! (test fixtures and documentation examples do not block; generic credentials weigh test,
//! documentation and message evidence) → overlap resolution → scope → findings. [`Scanner::examine`] exposes every candidate with
//! the stage that kept or dropped it, so a user can always ask why.

pub(crate) mod allow;
mod anchor;
mod bip39;
pub(crate) mod carry;
pub(crate) mod carry_matches;
pub(crate) mod checksum;
pub(crate) mod context;
pub(crate) mod decode;
mod docstrings;
mod enclosing;
pub(crate) mod encrypted;
pub(crate) mod entropy;
pub(crate) mod evidence;
mod examples;
pub(crate) mod hashes;
mod judge;
pub(crate) mod jwt;
mod keyword_table;
mod layer_gate;
pub(crate) mod layers;
mod line_facts;
pub(crate) mod lines;
pub(crate) mod logical;
mod markup;
mod overlap;
mod path_glob;
pub(crate) mod percent;
pub(crate) mod placeholder;
pub(crate) mod prefilter;
pub(crate) mod reach;
pub(crate) mod rule;
mod sample_config;
mod sas;
mod shapes;
mod signals;
mod stretch;
mod test_account;
pub(crate) mod text_runs;
pub(crate) mod usage;
mod verdict;
pub(crate) mod window;

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use crate::chunk::{Chunk, Scope};
use crate::config::{Config, Policy};
use crate::error::{Error, Result};
use crate::finding::{Confidence, Finding, Fingerprint};
use allow::{Allowlists, Candidate};
pub use carry::{BaseHits, Copied, KeywordHits};
use carry_matches::Carrying;
use examples::Examples;
use judge::Matched;
use line_facts::LineFacts;
use lines::Lines;
use prefilter::{Candidates, Prefilter};
use rule::{Rule, Shape};
pub use verdict::{Examined, Suppression};

/// Limits that keep one hostile chunk from dominating a run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// At most this many findings are kept per chunk; the rest are counted as capped.
    pub max_findings_per_chunk: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_findings_per_chunk: 100,
        }
    }
}

/// The findings of one chunk.
#[derive(Debug, Default)]
pub struct Scanned {
    pub findings: Vec<Finding>,
    /// Findings dropped by [`Limits::max_findings_per_chunk`].
    pub capped: usize,
    /// The highest confidence among the dropped findings.
    pub capped_max: Option<Confidence>,
    /// The chunk looked binary, so only its text runs were scanned (and its file rules run).
    pub binary: bool,
}

/// A compiled rule set. Cloning is cheap; give each worker thread its own clone.
#[derive(Debug, Clone)]
pub struct Scanner {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    rules: Vec<Rule>,
    prefilter: Prefilter,
    allow: Allowlists,
    limits: Limits,
    /// Every rule's examples and counterexamples, one per line; built on the first finding
    /// that needs it. They ship in the binary, so they are public test data, never secrets.
    examples: OnceLock<Examples>,
    /// The texts of the user's rules' examples; the built-in rules' come from
    /// [`crate::config::BUILTIN_EXAMPLE_TEXTS`] when any built-in rule is configured.
    example_texts: Vec<String>,
    builtin_examples: bool,
    filter_examples: bool,
    /// Report tokens that fail their checksum, low, instead of dropping them.
    report_invalid: bool,
    /// Seconds since the Unix epoch when the scanner was built: the clock expiry claims
    /// are judged against.
    now: i64,
    policy: Policy,
}

/// How to build a [`Scanner`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub limits: Limits,
    /// Keep findings whose secret appears in a rule's examples (for testing rules).
    pub report_rule_examples: bool,
    /// Compile every rule now, so that a broken built-in rule is an error, not a panic
    /// on first use (`rules check` and the test suite).
    pub eager: bool,
    /// Report tokens whose checksum fails (low) instead of dropping them.
    pub report_invalid: bool,
}

impl Scanner {
    /// Compiles a validated configuration. Rules from user files compile eagerly, so their
    /// errors surface here; built-in rules compile on first use.
    pub fn new(config: &Config, options: Options) -> Result<Scanner> {
        let mut rules = Vec::with_capacity(config.rules.len());
        for configured in &config.rules {
            let eager = options.eager || !configured.builtin;
            let rule =
                Rule::new(&configured.spec, eager, configured.builtin).map_err(|message| {
                    Error::Rule {
                        origin: configured.origin.to_string(),
                        id: configured.spec.id.clone(),
                        reason: message,
                    }
                })?;
            rules.push(rule);
        }
        let allow = Allowlists::new(&config.allow).map_err(|message| Error::Config {
            path: "global allowlist".into(),
            reason: message,
        })?;
        let builtin_examples = config.rules.iter().any(|r| r.builtin);
        let example_texts = config
            .rules
            .iter()
            .filter(|r| !r.builtin)
            .flat_map(|r| r.spec.examples.iter().chain(&r.spec.counterexamples))
            .map(|e| e.text().to_string())
            .collect();
        Ok(Scanner {
            inner: Arc::new(Inner {
                prefilter: Prefilter::new(&rules),
                rules,
                allow,
                limits: options.limits,
                examples: OnceLock::new(),
                example_texts,
                builtin_examples,
                filter_examples: !options.report_rule_examples,
                report_invalid: options.report_invalid,
                now: jwt::now(),
                policy: config.policy,
            }),
        })
    }

    /// The compiled rules, in configuration order.
    pub fn rules(&self) -> &[Rule] {
        &self.inner.rules
    }

    /// Runs every stage on one chunk. Performs no I/O, so it is safe to call from any thread.
    /// Content that looks binary is scanned as [`Scanner::scan_binary`] does, whatever
    /// source it came from, so the same bytes get the same answer.
    pub fn scan(&self, chunk: &Chunk) -> Scanned {
        self.scan_given(chunk, None, &mut Carrying::default())
    }

    /// [`Scanner::scan`], with the keyword stage's result for the chunk if it is known, and
    /// regex matches carried from a chunk it copies (`carry_matches`).
    fn scan_given(
        &self,
        chunk: &Chunk,
        given: Option<Cow<'_, Candidates>>,
        carrying: &mut Carrying<'_>,
    ) -> Scanned {
        if text_runs::looks_binary(chunk.bytes) {
            return self.scan_binary(chunk);
        }
        let (examined, hits) = self.examine_given(chunk, given, carrying);
        let mut scanned = self.collect(chunk, examined);
        let layered = self.layered_at(chunk, &mut scanned.findings, &hits);
        for found in layered {
            if scanned.findings.len() >= self.inner.limits.max_findings_per_chunk {
                scanned.capped += 1;
                scanned.capped_max = scanned.capped_max.max(Some(found.finding.confidence));
                continue;
            }
            scanned.findings.push(found.finding);
        }
        scanned
    }

    /// Scans binary content: the regex rules see only its text runs (`text_runs::mask`:
    /// same offsets and lines), and file rules (key stores) judge the file as it is.
    pub fn scan_binary(&self, chunk: &Chunk) -> Scanned {
        let text = text_runs::mask(chunk.bytes);
        let runs = Chunk {
            bytes: &text,
            ..*chunk
        };
        let mut scanned = self.collect(&runs, self.examine(&runs));
        // A file rule's fingerprint follows the file's content, not the masked copy.
        for finding in &mut scanned.findings {
            if self.is_file_rule(&finding.rule_id) {
                finding.fingerprint = Fingerprint::new(&finding.rule_id, chunk.bytes);
            }
        }
        scanned.binary = true;
        scanned
    }

    fn is_file_rule(&self, id: &str) -> bool {
        self.inner
            .rules
            .iter()
            .any(|rule| &*rule.id == id && rule.is_file_rule())
    }

    fn collect(&self, chunk: &Chunk, examined: Vec<Examined>) -> Scanned {
        let mut scanned = Scanned::default();
        let mut reported: Vec<(Examined, Confidence)> = examined
            .into_iter()
            .filter_map(|e| e.verdict.ok().map(|c| (e, c)))
            .collect();
        if reported.is_empty() {
            return scanned;
        }
        // Over the limit, keep the most confident: a flood of low findings must not hide a
        // high one. The sort is stable, so byte order holds within a confidence.
        if reported.len() > self.inner.limits.max_findings_per_chunk {
            reported.sort_by_key(|(_, confidence)| std::cmp::Reverse(*confidence));
        }
        let lines = Lines::new(chunk.bytes);
        for (item, confidence) in reported {
            if scanned.findings.len() >= self.inner.limits.max_findings_per_chunk {
                scanned.capped += 1;
                scanned.capped_max = scanned.capped_max.max(Some(confidence));
                continue;
            }
            scanned
                .findings
                .push(self.finding(chunk, &lines, &item, confidence));
        }
        scanned
    }

    /// The rules the keyword prefilter picks for a chunk, with whether their `paths` (if
    /// any) admit it. Empty if the chunk is out of scope or its path is allowlisted.
    pub fn candidates(&self, chunk: &Chunk) -> Vec<(usize, bool)> {
        let Some((rules, _)) = self.picked(chunk, None) else {
            return Vec::new();
        };
        let mut paths = PathCheck::new(&chunk.origin.path);
        rules
            .into_iter()
            .map(|index| (index, paths.admits(&self.inner.rules[index])))
            .collect()
    }

    /// The rules the keyword prefilter picks for a chunk, and where the keywords occur;
    /// `given` is the prefilter's result for the chunk's bytes if it is already known.
    fn picked<'a>(
        &self,
        chunk: &Chunk,
        given: Option<Cow<'a, Candidates>>,
    ) -> Option<(Vec<usize>, Cow<'a, Candidates>)> {
        let inner = &*self.inner;
        if chunk.scope.is_empty() || inner.allow.allows_path(&chunk.origin.path) {
            return None;
        }
        let candidates =
            given.unwrap_or_else(|| Cow::Owned(inner.prefilter.candidates(chunk.bytes)));
        Some((candidates.iter().collect(), candidates))
    }

    /// Every candidate match in a chunk with the verdict of the pipeline, in byte order.
    pub fn examine(&self, chunk: &Chunk) -> Vec<Examined> {
        self.examine_picked(chunk).0
    }

    /// [`Scanner::examine`], with where the prefilter hit keywords and layer triggers (byte
    /// offsets; empty if the chunk was not searched).
    fn examine_picked(&self, chunk: &Chunk) -> (Vec<Examined>, prefilter::LayerHits) {
        self.examine_given(chunk, None, &mut Carrying::default())
    }

    /// [`Scanner::examine_picked`], with the prefilter's result if it is already known, and
    /// regex matches carried from a chunk it copies.
    fn examine_given(
        &self,
        chunk: &Chunk,
        given: Option<Cow<'_, Candidates>>,
        carrying: &mut Carrying<'_>,
    ) -> (Vec<Examined>, prefilter::LayerHits) {
        let mut examined = Vec::new();
        let mut lines: Option<Lines> = None;
        let mut facts = LineFacts::default();
        let Some((picked, candidates)) = self.picked(chunk, given) else {
            return (examined, prefilter::LayerHits::default());
        };
        let mut paths = PathCheck::new(&chunk.origin.path);
        for index in picked {
            let rule = &self.inner.rules[index];
            if rule.is_file_rule() {
                if paths.admits(rule) {
                    examined.push(self.examine_file_rule(chunk, index));
                }
                continue;
            }
            // A rule whose path sets are compiled is checked against the path first (a
            // history scan compiles them on the first chunks); one not compiled yet is first
            // asked for a window in scope, so that a pre-commit run compiles the sets of the
            // few rules that have one. The order changes the cost, never the result.
            let paths_first = rule.paths_compiled();
            if paths_first && !paths.admits(rule) {
                continue;
            }
            let windows = match rule.shape() {
                Shape::Whole => None,
                Shape::KeywordLines => {
                    let hits = self.inner.prefilter.keyword_hits(&candidates, index);
                    Some(window::lines_holding(
                        chunk.bytes,
                        hits.into_iter().map(|(start, _)| start).collect(),
                    ))
                }
                Shape::KeywordWindows(reach) => {
                    let hits = self.inner.prefilter.keyword_hits(&candidates, index);
                    reach.windows(chunk.bytes, hits)
                }
            };
            let windows = windows.map(|mut windows| {
                // Every match lies inside a window and its secret starts on one of the
                // window's lines, so a window with no line in scope can only give
                // out-of-scope findings: searching the others finds the same, and a rule
                // left with none is not even compiled (most of a pre-commit run on a large
                // file was compiling such regexes).
                if let Scope::Lines(ranges) = chunk.scope {
                    let lines = lines.get_or_insert_with(|| Lines::new(chunk.bytes));
                    windows.retain(|w| {
                        let first = lines.line_of(w.start);
                        let last = lines.line_of(w.end.saturating_sub(1).max(w.start));
                        let at = ranges.partition_point(|r| *r.end() < first);
                        ranges.get(at).is_some_and(|r| *r.start() <= last)
                    });
                }
                windows
            });
            if windows.as_ref().is_some_and(Vec::is_empty) || (!paths_first && !paths.admits(rule))
            {
                continue;
            }
            let Some(regex) = rule.regex() else {
                continue;
            };
            let group = rule.secret_group();
            let matches = carrying.matches(index, regex, chunk.bytes, windows.as_deref(), group);
            for found in matches {
                let lines = lines.get_or_insert_with(|| Lines::new(chunk.bytes));
                let matched = Matched {
                    secret: found.secret.clone(),
                    whole: found.whole.clone(),
                };
                let (verdict, lowered_by) = self.judge(chunk, lines, &mut facts, rule, matched);
                examined.push(Examined {
                    rule: index,
                    secret: found.secret,
                    matched: found.whole,
                    verdict,
                    lowered_by,
                });
            }
        }
        overlap::resolve(&self.inner.rules, &mut examined);
        overlap::yield_file_rules(&self.inner.rules, &mut examined);
        (examined, candidates.layer_hits())
    }

    /// A file rule admits the chunk's path: the whole file is the finding, unless the rule's
    /// allowlist allows its path or the file is out of scope.
    fn examine_file_rule(&self, chunk: &Chunk, index: usize) -> Examined {
        let rule = &self.inner.rules[index];
        let candidate = Candidate {
            path: &chunk.origin.path,
            secret: b"",
            matched: b"",
            line: b"",
        };
        let verdict = if !chunk.scope.contains(1) {
            Err(Suppression::OutOfScope)
        } else if let Some(reason) = rule.allowlist().reason(&candidate) {
            Err(Suppression::RuleAllowlist(reason))
        } else {
            Ok(rule.confidence)
        };
        Examined {
            rule: index,
            secret: 0..0,
            matched: 0..0,
            verdict,
            lowered_by: evidence::Signals::default(),
        }
    }

    /// The finding an examined match would be reported as, whatever its verdict (for
    /// `explain`; [`Scanner::scan`] builds findings in bulk).
    pub fn finding_of(&self, chunk: &Chunk, examined: &Examined) -> Finding {
        let confidence = examined
            .verdict
            .unwrap_or(self.inner.rules[examined.rule].confidence);
        let lines = Lines::new(chunk.bytes);
        self.finding(chunk, &lines, examined, confidence)
    }

    fn finding(
        &self,
        chunk: &Chunk,
        lines: &Lines,
        examined: &Examined,
        confidence: Confidence,
    ) -> Finding {
        let rule = &self.inner.rules[examined.rule];
        let range = examined.secret.clone();
        let secret = &chunk.bytes[range.clone()];
        let line = lines.line_of(range.start);
        // A file rule's secret is the file: its fingerprint follows the content, so the
        // same key store under two names is one finding, and a replaced one is new.
        let fingerprint = if rule.is_file_rule() {
            Fingerprint::new(&rule.id, chunk.bytes)
        } else {
            Fingerprint::new(&rule.id, secret)
        };
        if rule.is_file_rule() {
            return Finding {
                rule_id: rule.id.clone(),
                confidence,
                path: chunk.origin.path.clone(),
                line: 1,
                column: 1,
                end_line: 1,
                secret: String::new(),
                line_text: String::new(),
                fingerprint,
                commit: chunk.origin.commit.clone(),
                blob: chunk.origin.blob.clone(),
                note: None,
                layers: Vec::new(),
                repository: None,
            };
        }
        let note = encrypted::is_passphrase_protected(&chunk.bytes[examined.matched.clone()])
            .then_some(encrypted::NOTE);
        Finding {
            rule_id: rule.id.clone(),
            confidence,
            path: chunk.origin.path.clone(),
            line,
            column: lines.column_of(range.start),
            end_line: lines.line_of(range.end.saturating_sub(1).max(range.start)),
            secret: String::from_utf8_lossy(secret).into_owned(),
            line_text: lines.excerpt(range),
            fingerprint,
            commit: chunk.origin.commit.clone(),
            blob: chunk.origin.blob.clone(),
            note,
            layers: Vec::new(),
            repository: None,
        }
    }
}

/// Whether rules' `paths` and `path_regex` admit one chunk's path. The path is prepared
/// for glob matching once, for the first rule that has globs.
struct PathCheck<'a> {
    path: &'a str,
    glob_path: Option<globset::Candidate<'a>>,
}

impl<'a> PathCheck<'a> {
    fn new(path: &'a str) -> Self {
        PathCheck {
            path,
            glob_path: None,
        }
    }

    fn admits(&mut self, rule: &Rule) -> bool {
        let path = self.path;
        let globbed = rule.globs_admit(path, &mut self.glob_path);
        globbed && rule.path_regex_admits(path)
    }
}

#[cfg(test)]
mod tests;
