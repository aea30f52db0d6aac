//! A rule ready to run: its regex compiled on first use, its allowlist and validator resolved.

use std::sync::{Arc, OnceLock};

use globset::Candidate;
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{Hir, HirKind};

use super::allow::{one_line, Allowlists};
use super::checksum::Checksum;
use super::path_glob::PathGlobs;
use super::reach::Reach;
use crate::config::spec::RuleSpec;
use crate::finding::Confidence;

/// Compiled regexes are bounded so that a hostile user rule cannot eat memory.
const REGEX_SIZE_LIMIT: usize = 32 << 20;

/// A validated rule. Built only by [`Rule::new`]; once it exists, it is valid.
#[derive(Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub description: String,
    pub confidence: Confidence,
    pub min_entropy: f64,
    /// Recognised by name or syntax, not a distinctive format (see `evidence`).
    pub generic: bool,
    pub checksum: Option<Checksum>,
    pub remediation: Option<String>,
    /// Lower-cased keywords.
    pub keywords: Vec<String>,
    /// Only files matching one of these globs are scanned, when any are set.
    pub path_globs: Vec<String>,
    /// `path_globs` compiled on first use: a pre-commit run builds the sets of the few
    /// candidate rules that have globs, not every rule's.
    path_glob_set: OnceLock<PathGlobs>,
    /// Only files whose path matches this regex are scanned, when set.
    path_regex_source: Option<String>,
    path_regex: OnceLock<Option<Regex>>,
    /// `None` for a file rule.
    pattern: Option<String>,
    secret_group: Option<usize>,
    allow_spec: Vec<crate::config::spec::AllowSpec>,
    regex: OnceLock<Regex>,
    allow: OnceLock<Allowlists>,
    /// Whether every match holds a keyword: promised by the built-in catalog, whose examples
    /// the tests run; not assumed of user rules (gitleaks keywords need only be in the file).
    keywords_in_match: bool,
    /// Where the regex must be searched, worked out from the pattern on first use.
    shape: OnceLock<Shape>,
}

/// Where a rule's regex must be searched to find every match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// The lines that hold a keyword: no match crosses a line (see `window`).
    KeywordLines,
    /// Windows around keyword hits (see `reach`).
    KeywordWindows(Reach),
    /// The whole chunk.
    Whole,
}

impl Rule {
    /// Resolves a rule. With `eager`, compiles its regex and allowlist now so that errors
    /// surface at load time (user rules); otherwise both compile on first use (built-in
    /// rules, which the test suite compiles), keeping start-up cheap. `builtin` rules hold a
    /// keyword in every match, which lets the scanner search only lines with a keyword.
    pub fn new(spec: &RuleSpec, eager: bool, builtin: bool) -> Result<Rule, crate::error::Reason> {
        let checksum = match &spec.checksum {
            None => None,
            Some(name) => Some(Checksum::from_name(name).ok_or_else(|| {
                format!("unknown checksum `{name}` (known: {})", Checksum::NAMES)
            })?),
        };
        let rule = Rule {
            id: spec.id.as_str().into(),
            description: spec.description.clone(),
            confidence: spec.confidence,
            min_entropy: spec.min_entropy,
            generic: spec.generic,
            checksum,
            remediation: spec.remediation.clone(),
            keywords: spec
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect(),
            path_globs: spec.paths.clone(),
            path_glob_set: OnceLock::new(),
            path_regex_source: spec.path_regex.clone(),
            path_regex: OnceLock::new(),
            pattern: spec.regex.clone(),
            secret_group: spec.secret_group,
            allow_spec: spec.allow.clone(),
            regex: OnceLock::new(),
            allow: OnceLock::new(),
            keywords_in_match: builtin,
            shape: OnceLock::new(),
        };
        if let (true, Some(pattern)) = (eager, &rule.pattern) {
            let regex = compile(pattern)?;
            if let Some(group) = rule.secret_group {
                if group >= regex.captures_len() {
                    return Err(format!(
                        "secret_group {group} does not exist (the regex has {} groups)",
                        regex.captures_len() - 1
                    )
                    .into());
                }
            }
            let _ = rule.regex.set(regex);
            refuse_empty_secrets(pattern, rule.secret_group())?;
        }
        if eager {
            let _ = rule.allow.set(Allowlists::new(&rule.allow_spec)?);
            let _ = rule.path_glob_set.set(PathGlobs::new(&rule.path_globs)?);
            if let Some(pattern) = &rule.path_regex_source {
                let regex = compile(pattern).map_err(|e| format!("path_regex: {e}"))?;
                let _ = rule.path_regex.set(Some(regex));
            }
        }
        Ok(rule)
    }

    /// True for a file rule: no regex, it reports the files its paths admit.
    pub fn is_file_rule(&self) -> bool {
        self.pattern.is_none()
    }

    /// True if a user file wrote any of the rule's allowlists.
    pub fn has_user_allowlist(&self) -> bool {
        self.allow_spec.iter().any(|a| a.origin.is_some())
    }

    /// True if the rule only scans some paths (`paths` or `path_regex`): it knows the format
    /// of the files it reads, so it is more specific than a rule that reads every file.
    pub fn is_path_limited(&self) -> bool {
        !self.path_globs.is_empty() || self.path_regex_source.is_some()
    }

    /// The regex, compiled on first use; `None` for a file rule.
    pub fn regex(&self) -> Option<&Regex> {
        let pattern = self.pattern.as_ref()?;
        Some(self.regex.get_or_init(|| {
            compile(pattern)
                .unwrap_or_else(|e| panic!("built-in rule `{}` has an invalid regex: {e}", self.id))
        }))
    }

    /// Where the scanner must search: every match of a built-in rule holds one of its
    /// keywords, so it may search only around them (lines when no match crosses a line,
    /// otherwise windows as far as a match can reach); other rules search the whole chunk.
    pub fn shape(&self) -> &Shape {
        self.shape.get_or_init(|| {
            let Some(pattern) = &self.pattern else {
                return Shape::Whole;
            };
            if !self.keywords_in_match || self.keywords.is_empty() {
                return Shape::Whole;
            }
            // The built-in catalog's shapes are worked out ahead of time (see `shapes`).
            super::shapes::stored(&self.id, pattern)
                .unwrap_or_else(|| super::shapes::parse(pattern))
        })
    }

    /// The rule's own allowlist, compiled on first use.
    pub fn allowlist(&self) -> &Allowlists {
        self.allow.get_or_init(|| {
            Allowlists::new(&self.allow_spec).unwrap_or_else(|e| {
                panic!("built-in rule `{}` has an invalid allowlist: {e}", self.id)
            })
        })
    }

    /// True once checking a path costs no compilation: the rule's globs and `path_regex`
    /// (those it has) are compiled.
    pub fn paths_compiled(&self) -> bool {
        (self.path_globs.is_empty() || self.path_glob_set.get().is_some())
            && (self.path_regex_source.is_none() || self.path_regex.get().is_some())
    }

    /// True unless the rule has globs and none matches `path` (`candidate` is `path`
    /// prepared for a `GlobSet`, made once if a rule needs one).
    pub fn globs_admit<'p>(&self, path: &'p str, candidate: &mut Option<Candidate<'p>>) -> bool {
        if self.path_globs.is_empty() {
            return true;
        }
        let globs = self.path_glob_set.get_or_init(|| {
            PathGlobs::new(&self.path_globs).unwrap_or_else(|e| {
                panic!("built-in rule `{}` has invalid path globs: {e}", self.id)
            })
        });
        globs.is_match(path, candidate)
    }

    /// True unless the rule's `path_regex` rejects `path`.
    pub fn path_regex_admits(&self, path: &str) -> bool {
        let regex = self.path_regex.get_or_init(|| {
            self.path_regex_source.as_ref().map(|pattern| {
                compile(pattern).unwrap_or_else(|e| {
                    panic!("built-in rule `{}` has an invalid path_regex: {e}", self.id)
                })
            })
        });
        regex.as_ref().is_none_or(|re| re.is_match(path.as_bytes()))
    }

    /// The capture group that holds the secret.
    pub fn secret_group(&self) -> usize {
        let groups = self.regex().map_or(1, |r| r.captures_len());
        self.secret_group.unwrap_or(usize::from(groups > 1))
    }
}

/// Fails if the rule's secret can be empty: such a rule reports an empty "secret" at every
/// position of every file its keywords admit (hundreds of thousands of findings).
fn refuse_empty_secrets(pattern: &str, group: usize) -> Result<(), crate::error::Reason> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return Ok(());
    };
    match (group, capture(&hir, group)) {
        (0, _) if hir.properties().minimum_len() == Some(0) => {
            Err("the regex matches the empty string; a rule must match at least one character".into())
        }
        (0, _) => Ok(()),
        (_, Some(sub)) if sub.properties().minimum_len() == Some(0) => Err(format!(
            "the secret (group {group} of the regex) can be empty; make it match at least one character"
        ).into()),
        _ => Ok(()),
    }
}

/// The pattern inside capture group `index` of `hir`.
fn capture(hir: &Hir, index: usize) -> Option<&Hir> {
    match hir.kind() {
        HirKind::Capture(c) if c.index as usize == index => Some(&c.sub),
        HirKind::Capture(c) => capture(&c.sub, index),
        HirKind::Repetition(r) => capture(&r.sub, index),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().find_map(|sub| capture(sub, index))
        }
        _ => None,
    }
}

fn compile(pattern: &str) -> Result<Regex, crate::error::Reason> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regex: {}", one_line(&e.to_string())).into())
}
