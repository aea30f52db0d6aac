//! One finding per secret: when rules match overlapping bytes, the most specific rule keeps
//! the finding; a file rule yields to a content rule that reports something in its file;
//! a finding made through a decoding layer replaces the plain finding it overlaps when it
//! is surer, or as sure and knows the secret by its format.

use super::rule::Rule;
use super::{Examined, Suppression};
use crate::finding::Confidence;

/// Whether a finding made through a layer (its rule and confidence) replaces the plain
/// finding it overlaps: a surer one does. At equal confidence, a rule that knows the secret
/// by its format (a private key, a vendor token) replaces one that knows it only by its
/// name or container (a generic rule: a Kubernetes Secret's value, an `Authorization`
/// header): a Secret's `tls.key` that decodes to a private key *is* that key, its structure
/// was checked and its remediation is the key's. Two generic or two distinctive findings at
/// equal confidence keep the plain one, which the reader can see without decoding.
pub(super) fn layered_replaces(plain: (&Rule, Confidence), layered: (&Rule, Confidence)) -> bool {
    let ((plain_rule, plain_confidence), (layered_rule, layered_confidence)) = (plain, layered);
    layered_confidence > plain_confidence
        || (layered_confidence == plain_confidence && plain_rule.generic && !layered_rule.generic)
}

/// When reported matches of different rules overlap, keeps the most specific: higher
/// confidence, then a rule limited to paths (it knows the file's format), then the longer
/// secret, then the rule listed first.
pub(super) fn resolve(rules: &[Rule], examined: &mut [Examined]) {
    examined.sort_by_key(|e| (e.secret.start, e.rule));
    // Rank by the rule's declared confidence, not the verdict: a vendor token that fails
    // its checksum is still that vendor's (reported low), not a generic secret.
    let rank = |e: &Examined| {
        let confidence = rules[e.rule].confidence;
        (
            confidence,
            rules[e.rule].is_path_limited(),
            e.secret.len(),
            std::cmp::Reverse(e.rule),
        )
    };
    // A token that fails its checksum is not reported, but it still holds its bytes: the
    // generic rule that also matched them must not report the vendor's mistyped token.
    let holds = |e: &Examined| matches!(e.verdict, Ok(_) | Err(Suppression::Checksum));
    let mut kept: Option<usize> = None;
    for at in 0..examined.len() {
        if !holds(&examined[at]) {
            continue;
        }
        if let Some(prev) = kept {
            if examined[prev].secret.end > examined[at].secret.start {
                let (winner, loser) = if rank(&examined[at]) > rank(&examined[prev]) {
                    (at, prev)
                } else {
                    (prev, at)
                };
                if examined[loser].verdict.is_ok() {
                    examined[loser].verdict = Err(Suppression::Overlap);
                }
                kept = Some(winner);
                continue;
            }
        }
        kept = Some(at);
    }
}

/// A file rule is fallback evidence about a whole file (an `id_rsa` by its name): when a
/// content rule reports something in the same file (its key block), that finding says
/// more, and a second finding for the same file would only be noise.
pub(super) fn yield_file_rules(rules: &[Rule], examined: &mut [Examined]) {
    let content_found = examined
        .iter()
        .any(|e| e.verdict.is_ok() && !rules[e.rule].is_file_rule());
    if !content_found {
        return;
    }
    for e in examined.iter_mut() {
        if e.verdict.is_ok() && rules[e.rule].is_file_rule() {
            e.verdict = Err(Suppression::Overlap);
        }
    }
}
