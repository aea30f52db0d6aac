//! Judging one regex match: the entropy, placeholder, scope, allowlist, inline-marker,
//! rule-example, checksum and context stages, in that order, that turn it into a
//! confidence or the [`Suppression`] that dropped it.

use std::ops::Range;

use super::allow::Candidate;
use super::checksum::Validity;
use super::examples::Examples;
use super::line_facts::LineFacts;
use super::lines::Lines;
use super::rule::Rule;
use super::{context, encrypted, entropy, placeholder, Scanner, Suppression};
use crate::chunk::Chunk;
use crate::finding::Confidence;

/// Where a rule's regex matched: the secret and the whole match, as byte ranges.
pub(super) struct Matched {
    pub(super) secret: Range<usize>,
    pub(super) whole: Range<usize>,
}

impl Scanner {
    /// Entropy, placeholder, checksum, allowlist, marker and scope stages for one match.
    pub(super) fn judge(
        &self,
        chunk: &Chunk,
        lines: &Lines,
        facts: &mut LineFacts,
        rule: &Rule,
        Matched {
            secret: range,
            whole,
        }: Matched,
    ) -> std::result::Result<Confidence, Suppression> {
        let inner = &*self.inner;
        let secret = &chunk.bytes[range.clone()];
        let path = chunk.origin.path.as_str();
        let got = entropy::shannon(secret);
        if got < rule.min_entropy {
            return Err(Suppression::Entropy {
                got,
                min: rule.min_entropy,
            });
        }
        if placeholder::is_placeholder(secret) {
            return Err(Suppression::Placeholder);
        }
        let line = lines.line_of(range.start);
        if !chunk.scope.contains(line) {
            return Err(Suppression::OutOfScope);
        }
        let line_bytes = lines.line_bytes(line);
        let candidate = Candidate {
            path,
            secret,
            matched: &chunk.bytes[whole.clone()],
            line: line_bytes,
        };
        // Both allowlists are asked even when the global one allows: each entry that allows
        // the candidate is in use (`--list-unused-allowlist`).
        let global = inner.allow.reason(&candidate);
        let own = rule.allowlist().reason(&candidate);
        if let Some(reason) = global {
            return Err(Suppression::GlobalAllowlist(reason));
        }
        if let Some(reason) = own {
            return Err(Suppression::RuleAllowlist(reason));
        }
        let last_line = lines.line_of(range.end.saturating_sub(1).max(range.start));
        if facts.has_inline_marker(lines, line) || facts.has_inline_marker(lines, last_line) {
            return Err(Suppression::InlineMarker);
        }
        if inner.filter_examples
            && (self.is_rule_example(secret)
                || facts.is_rules_file_example(path, chunk.bytes, lines, line))
        {
            return Err(Suppression::RuleExample);
        }
        let mut confidence = rule.confidence;
        let validity = rule.checksum.map(|c| c.judge(secret, inner.now));
        match validity {
            None | Some(Validity::Valid) => {}
            Some(Validity::Weak) => confidence = confidence.min(Confidence::Low),
            // A failed checksum is a made-up or mistyped value, not a credential.
            Some(Validity::Invalid) if inner.report_invalid => {
                confidence = confidence.min(Confidence::Low);
            }
            Some(Validity::Invalid) => return Err(Suppression::Checksum),
        }
        // A key that needs its passphrase is not usable as found (see `encrypted`).
        if encrypted::is_passphrase_protected(&chunk.bytes[whole.clone()]) {
            confidence = confidence.min(Confidence::Medium);
        }
        // Test data, documentation and documented examples warn but do not block (see
        // `context`); a credential for a loopback or documentation host is a development
        // setting, except in a dotenv file, which is a deployment's environment. Both
        // signals: low.
        let local = context::names_local_host(&chunk.bytes[whole]) && !context::is_env_file(path);
        // A token whose checksum validates was issued, not made up for the docs.
        let proven =
            validity == Some(Validity::Valid) && rule.checksum.is_some_and(|c| c.is_checksum());
        let test = context::in_test_directory(path)
            || facts.is_documentation_example(lines, line)
            || (!proven && context::in_documentation(path));
        if confidence == Confidence::High && (local || test) {
            confidence = Confidence::Medium;
        }
        // A password hash in tests or docs is how hashing code is tested and documented.
        let hash_as_data = test && rule.checksum == Some(super::checksum::Checksum::PasswordHash);
        if (local && test) || hash_as_data {
            confidence = confidence.min(Confidence::Low);
        }
        Ok(confidence)
    }

    /// True if `secret` occurs verbatim in some rule's examples. Short values are exempt:
    /// a common word would otherwise hide real findings.
    pub(super) fn is_rule_example(&self, secret: &[u8]) -> bool {
        if secret.len() < 12 {
            return false;
        }
        let examples = self
            .inner
            .examples
            .get_or_init(|| Examples::new(self.inner.example_texts.join("\n").into_bytes()));
        examples.contains(secret)
    }
}
