//! Scanning through layers: the rules run again on a chunk's logical text
//! ([`super::logical`]) and decoded values ([`super::decode`]), and what they find there is
//! reported at the original bytes, with the layers it was found through.
//!
//! A layer's text is examined only if some rule's keyword occurs in it, and a finding the
//! plain scan already made (the same rule and secret, or an overlapping finding at least as
//! sure) is not reported twice. Layers nest up to [`DEPTH`] deep (base64 inside a JSON
//! string, a PEM inside base64).

use std::ops::Range;

use super::judge::Matched;
use super::line_facts::LineFacts;
use super::lines::Lines;
use super::logical::Derived;
use super::prefilter::LayerHits;
use super::{decode, layer_gate, logical, markup, overlap, percent, Scanner};
use crate::chunk::{Chunk, Scope};
use crate::finding::{Confidence, Finding, Fingerprint};

const LOGICAL_TEXT: &str = "logical text";
const CHARACTER_REFERENCES: &str = "character references";
const PERCENT_ENCODING: &str = "percent-encoding";

/// The name of every layer a finding can be found through, as reports write them.
pub(crate) const NAMES: [&str; 5] = [
    LOGICAL_TEXT,
    CHARACTER_REFERENCES,
    PERCENT_ENCODING,
    decode::BASE64_LAYER,
    decode::HEX_LAYER,
];

/// The layer called `name`, as [`NAMES`] holds it (for reading a report back).
pub(crate) fn named_layer(name: &str) -> Option<&'static str> {
    NAMES.into_iter().find(|known| *known == name)
}

/// A kind of layer: the texts it derives from the parts of some bytes that the windows
/// cover (see `layer_gate`), each with its name.
type Derive = fn(&[u8], &[Range<usize>]) -> Vec<(&'static str, Derived)>;

/// Every kind of layer, in the order they are tried, and whether it reads near any keyword
/// (string literals, markup) or only near a trigger word (encodings).
const LAYERS: [(Derive, bool); 4] = [
    (
        |bytes, windows| named(LOGICAL_TEXT, logical::derive(bytes, windows)),
        true,
    ),
    (
        |bytes, windows| named(CHARACTER_REFERENCES, markup::derive(bytes, windows)),
        true,
    ),
    (
        |bytes, windows| named(PERCENT_ENCODING, percent::derive(bytes, windows)),
        false,
    ),
    (decode::derive, false),
];

fn named(name: &'static str, derived: Option<Derived>) -> Vec<(&'static str, Derived)> {
    derived.map(|d| (name, d)).into_iter().collect()
}

/// How many layers deep a value is decoded.
pub(crate) const DEPTH: usize = 2;

/// A match found through layers, in the coordinates of the text the layers were derived from.
struct Hit {
    rule: usize,
    confidence: Confidence,
    /// Where it is reported: the original bytes the secret came from.
    at: Range<usize>,
    secret: Vec<u8>,
    /// The innermost layer's text on the secret's line before and after it.
    around: (Vec<u8>, Vec<u8>),
    layers: Vec<&'static str>,
}

/// A finding made through layers, with the logical line that holds its secret (for
/// `explain`).
pub struct Layered {
    pub finding: Finding,
    /// The layer's text on the secret's line before and after the secret.
    pub around: (String, String),
}

impl Layered {
    /// The line of the layer's text that holds the secret, the secret redacted unless
    /// `show`; a multi-line secret shows as its (redacted) whole.
    pub fn logical_line(&self, show: bool) -> String {
        let (before, after) = &self.around;
        format!("{before}{}{after}", self.finding.shown_secret(show))
    }
}

impl Scanner {
    /// The findings of `chunk` made through layers that `plain` (its ordinary findings) does
    /// not hold already. Plain findings that a surer layered finding covers are removed.
    pub fn layered(&self, chunk: &Chunk, plain: &mut Vec<Finding>) -> Vec<Layered> {
        let triggers = self.examine_picked(chunk).1;
        self.layered_at(chunk, plain, &triggers)
    }

    /// [`Scanner::layered`], given where the prefilter hit keywords and layer triggers.
    pub(super) fn layered_at(
        &self,
        chunk: &Chunk,
        plain: &mut Vec<Finding>,
        triggers: &LayerHits,
    ) -> Vec<Layered> {
        let hits = self.hits(chunk, chunk.bytes, DEPTH, triggers);
        if hits.is_empty() {
            return Vec::new();
        }
        let lines = Lines::new(chunk.bytes);
        let mut facts = LineFacts::default();
        let mut found: Vec<Layered> = Vec::new();
        for mut hit in hits {
            let rule = &self.inner.rules[hit.rule];
            // Where a secret stands (a test, a doc comment) is judged on the original bytes:
            // the layer's text holds the secret but not its surroundings.
            if hit.confidence == Confidence::High {
                let place = Matched {
                    secret: hit.at.clone(),
                    whole: hit.at.clone(),
                };
                let (judged, _) =
                    self.weigh_context(chunk, &lines, &mut facts, rule, place, hit.confidence);
                hit.confidence = judged.unwrap_or(Confidence::Low);
            }
            // Only what blocks: a warning read from a test's escaped fixture is noise.
            if hit.confidence < Confidence::High {
                continue;
            }
            let fingerprint = Fingerprint::new(&rule.id, &hit.secret);
            let line = lines.line_of(hit.at.start);
            // Markers, rule examples and rules-file example lists are judged on the original
            // bytes, which the layer's text does not hold.
            let example = self.inner.filter_examples
                && (self.is_rule_example(&chunk.bytes[hit.at.clone()])
                    || self.is_rule_example(&hit.secret)
                    || facts.is_rules_file_example(&chunk.origin.path, chunk.bytes, &lines, line));
            if !chunk.scope.contains(line) || example || facts.has_inline_marker(&lines, line) {
                continue;
            }
            let end_line = lines.line_of(hit.at.end.saturating_sub(1).max(hit.at.start));
            let overlaps = |f: &Finding| f.line <= end_line && line <= f.end_line;
            let replaces = |f: &Finding| {
                let plain_rule = self.inner.rules.iter().find(|r| r.id == f.rule_id);
                plain_rule.is_some_and(|plain_rule| {
                    overlap::layered_replaces((plain_rule, f.confidence), (rule, hit.confidence))
                })
            };
            let known = plain
                .iter()
                .any(|f| f.fingerprint == fingerprint || (overlaps(f) && !replaces(f)))
                || found.iter().map(|l| &l.finding).any(|f| {
                    f.fingerprint == fingerprint || (overlaps(f) && f.confidence >= hit.confidence)
                });
            if known {
                continue;
            }
            plain.retain(|f| !(overlaps(f) && replaces(f)));
            let secret = String::from_utf8_lossy(&hit.secret).into_owned();
            let (before, after) = &hit.around;
            let around = (
                String::from_utf8_lossy(before).into_owned(),
                String::from_utf8_lossy(after).into_owned(),
            );
            found.push(Layered {
                finding: Finding {
                    rule_id: rule.id.clone(),
                    confidence: hit.confidence,
                    path: chunk.origin.path.clone(),
                    line,
                    column: lines.column_of(hit.at.start),
                    end_line,
                    secret,
                    line_text: lines.excerpt(hit.at.clone()),
                    fingerprint,
                    commit: chunk.origin.commit.clone(),
                    blob: chunk.origin.blob.clone(),
                    note: None,
                    layers: hit.layers,
                    repository: None,
                },
                around,
            });
        }
        found
    }

    /// Every reported match in the layers of `bytes`, up to `depth` layers deep, read where
    /// `layer_gate` says given the keyword and trigger hits `triggers`.
    fn hits(&self, chunk: &Chunk, bytes: &[u8], depth: usize, triggers: &LayerHits) -> Vec<Hit> {
        let mut hits = Vec::new();
        if depth == 0 {
            return hits;
        }
        let whole = layer_gate::reads_whole(&chunk.origin.path);
        let windows = |near: &[usize]| {
            if whole {
                std::iter::once(0..bytes.len()).collect()
            } else {
                layer_gate::windows(bytes, near)
            }
        };
        let (near_keywords, near_triggers) =
            (windows(&triggers.keywords), windows(&triggers.triggers));
        let derived = LAYERS.iter().flat_map(|&(derive, literal)| {
            let windows = if literal {
                &near_keywords
            } else {
                &near_triggers
            };
            if windows.is_empty() {
                Vec::new()
            } else {
                derive(bytes, windows)
            }
        });
        for (name, derived) in derived {
            let layer = Chunk {
                bytes: &derived.text,
                origin: chunk.origin,
                scope: &Scope::All,
            };
            let (examined, inner_triggers) = self.examine_picked(&layer);
            for examined in examined {
                let rule = &self.inner.rules[examined.rule];
                let Ok(confidence) = examined.verdict else {
                    continue;
                };
                if rule.is_file_rule() {
                    continue;
                }
                let range = examined.secret.clone();
                let line_start =
                    memchr::memrchr(b'\n', &derived.text[..range.start]).map_or(0, |nl| nl + 1);
                let secret = &derived.text[range.clone()];
                // After a multi-line secret, its last line is not the line it starts on.
                let line_end = if secret.contains(&b'\n') {
                    range.end
                } else {
                    memchr::memchr(b'\n', &derived.text[range.end..])
                        .map_or(derived.text.len(), |nl| range.end + nl)
                };
                hits.push(Hit {
                    rule: examined.rule,
                    confidence,
                    at: derived.original(range.clone()),
                    secret: secret.to_vec(),
                    around: (
                        derived.text[line_start..range.start].to_vec(),
                        derived.text[range.end..line_end].to_vec(),
                    ),
                    layers: vec![name],
                });
            }
            for mut inner in self.hits(chunk, &derived.text, depth - 1, &inner_triggers) {
                inner.at = derived.original(inner.at);
                inner.layers.insert(0, name);
                hits.push(inner);
            }
        }
        hits
    }
}
