//! Judging one regex match: the entropy, placeholder, scope, allowlist, inline-marker,
//! rule-example, checksum and context stages, in that order, that turn it into a
//! confidence or the [`Suppression`] that dropped it.

mod public_keys;

use std::ops::Range;

use super::allow::Candidate;
use super::checksum::{Checksum, Validity};
use super::evidence::{self, Signal, Signals, Weight};
use super::examples::Examples;
use super::jwt::Jwt;
use super::line_facts::LineFacts;
use super::lines::Lines;
use super::rule::Rule;
use super::{context, encrypted, entropy, placeholder, signals, Scanner, Suppression};
use crate::chunk::Chunk;
use crate::finding::Confidence;

/// Bytes read on either side of a SAS match for its query's `se=` expiry.
const SAS_WINDOW: usize = 2048;

/// Where a rule's regex matched: the secret and the whole match, as byte ranges.
pub(super) struct Matched {
    pub(super) secret: Range<usize>,
    pub(super) whole: Range<usize>,
}

impl Scanner {
    /// Every stage for one match: its verdict, and the evidence that lowered its confidence.
    pub(super) fn judge(
        &self,
        chunk: &Chunk,
        lines: &Lines,
        facts: &mut LineFacts,
        rule: &Rule,
        matched: Matched,
    ) -> (std::result::Result<Confidence, Suppression>, Signals) {
        let place = Matched {
            secret: matched.secret.clone(),
            whole: matched.whole.clone(),
        };
        match self.screen(chunk, lines, facts, rule, matched) {
            Err(why) => (Err(why), Signals::default()),
            Ok(confidence) => self.weigh_context(chunk, lines, facts, rule, place, confidence),
        }
    }

    /// Entropy, placeholder, allowlist, marker, rule-example and checksum stages.
    fn screen(
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
        if encrypted::is_passphrase_protected(&chunk.bytes[whole]) {
            confidence = confidence.min(Confidence::Medium);
        }
        Ok(confidence)
    }

    /// The context stage: where the match sits. Generic credentials weigh test,
    /// documentation and message evidence (see `evidence`); private keys in test code or
    /// documentation are `low`; other `high` findings there warn without blocking, unless a
    /// checksum vouches for them.
    pub(super) fn weigh_context(
        &self,
        chunk: &Chunk,
        lines: &Lines,
        facts: &mut LineFacts,
        rule: &Rule,
        Matched { secret, whole }: Matched,
        confidence: Confidence,
    ) -> (std::result::Result<Confidence, Suppression>, Signals) {
        let policy = self.inner.policy;
        let path = chunk.origin.path.as_str();
        let line = lines.line_of(secret.start);
        let place = signals::Place {
            path,
            bytes: chunk.bytes,
            lines,
            line,
            secret: secret.clone(),
        };
        // A password hash is data about a password, not the password: hashing libraries
        // and their tests print thousands. It weighs the same evidence as a generic
        // credential, and keeps its confidence where none speaks (a `user:hash` line).
        // A JWT whose claims are an example's weighs the same evidence (see `jwt`).
        let value = &chunk.bytes[secret.clone()];
        // A key published in a package's tests or docs is known to everyone already.
        if rule.checksum == Some(Checksum::Pem) {
            if let Some(source) = public_keys::published_at(value) {
                return if policy.report_public_keys {
                    (Ok(Confidence::Low), Signals::default())
                } else {
                    (Err(Suppression::PublicKey(source)), Signals::default())
                };
            }
        }
        let jwt = rule.checksum == Some(Checksum::Jwt);
        let example_token = jwt && super::jwt::example_claims(value);
        // A token that cannot be replayed as it stands (unsigned, or past its own `exp`)
        // and a key block whose body is no key (cut short in a document, or made up) grant
        // nothing: they weigh the same evidence, and a test or documentation around them
        // says they are the test's or the document's. Only a match the checksum stage
        // lowered is asked: a finding through layers (a key inside base64) is judged here on
        // its original bytes, which are not the key, and reaches this stage only when its
        // layer's text validated.
        let lowered = confidence == Confidence::Low;
        let inert_token = jwt && lowered && super::jwt::judge(value, self.inner.now) == Jwt::Inert;
        let broken_key = rule.checksum == Some(Checksum::Pem)
            && lowered
            && !super::checksum::pem_holds_key(value);
        // So does a signed URL past its own expiry (see `sas`).
        let expired_sas = rule.checksum == Some(Checksum::AzureSas) && {
            // The query around the match, within its line and a bounded window of it.
            let span = lines.span(line);
            let from = whole.start.saturating_sub(SAS_WINDOW).max(span.start);
            let to = whole
                .end
                .saturating_add(SAS_WINDOW)
                .min(span.end)
                .max(whole.end);
            super::sas::expired(
                &chunk.bytes[from..to],
                whole.start - from..whole.end - from,
                self.inner.now,
            )
        };
        if rule.generic
            || rule.checksum == Some(Checksum::PasswordHash)
            || example_token
            || expired_sas
            || inert_token
            || broken_key
        {
            let mut found = signals::gather(&place, facts);
            found.add_if(example_token, Signal::ExampleToken);
            found.add_if(expired_sas, Signal::ExpiredSignature);
            found.add_if(inert_token, Signal::InertToken);
            found.add_if(broken_key, Signal::BrokenKey);
            let span = lines.span(line);
            found.add_if(
                secret.end <= span.end
                    && super::test_account::is_test_or_anonymous(
                        &chunk.bytes[span.clone()],
                        &(secret.start - span.start..secret.end - span.start),
                    ),
                Signal::TestAccount,
            );
            // A name that says hashed holds a hash: the password-hash rule judges it, and
            // a generic rule that fired on the name's `password` has nothing to report.
            found.add_if(
                rule.checksum != Some(Checksum::PasswordHash)
                    && signals::names_a_hash(chunk.bytes, &span, &secret),
                Signal::NamingKey,
            );
            // A real password pasted into a test stays reported however many places say
            // test; a hash is not a password, and in a test fixture or documentation it is
            // the fixture's or the example's (whichever rule found it: `password: "$6$…"` is
            // a generic rule's match too).
            let hash = Checksum::PasswordHash.judge(value, self.inner.now) == Validity::Valid;
            found.add_if(hash, Signal::PasswordHash);
            let random = !hash && is_random(value);
            return match evidence::weigh(found, random) {
                Weight::None => (Ok(confidence), Signals::default()),
                Weight::Drop if !policy.report_test_credentials => {
                    (Err(Suppression::Evidence(found)), found)
                }
                Weight::Lower | Weight::Drop => (Ok(confidence.min(Confidence::Low)), found),
            };
        }
        let validated = rule.checksum.is_some() && confidence == rule.confidence;
        if rule.checksum == Some(Checksum::Pem) && validated {
            if policy.block_test_fixtures {
                return (Ok(confidence), Signals::default());
            }
            let found = signals::gather(&place, facts);
            let fixture = [
                Signal::TestPath,
                Signal::FixtureFile,
                Signal::DocsPath,
                Signal::TestCode,
                Signal::DocMarker,
            ];
            if fixture.iter().any(|s| found.has(*s)) {
                return (Ok(Confidence::Low), found);
            }
            return (Ok(confidence), Signals::default());
        }
        // A token whose checksum validates was issued, not made up: it blocks wherever it
        // stands, tests and documentation included.
        if validated && rule.checksum.is_some_and(|c| c.is_checksum()) {
            return (Ok(confidence), Signals::default());
        }
        // Test data and documented examples warn but do not block (see `context`): a test
        // path, a docs path, an example line, section or docstring, a sample configuration's
        // comment. A credential for a loopback or documentation host is a development
        // setting, except in a dotenv file, which is a deployment's environment. Either one
        // lowers the finding a step (`high` to `medium`, `medium` to `low`); two that agree,
        // or a test function around test data, lower it to `low`.
        let mut found = facts.path_signals(path);
        let example_line = facts.is_documentation_example(lines, line)
            || facts.in_example_section(lines, line)
            || facts.in_literal_block(path, lines, line);
        let block = facts.in_documentation_block(path, chunk.bytes, secret.start);
        found.add_if(example_line || block, Signal::DocMarker);
        found.add_if(
            facts.in_commented_template(path, chunk.bytes, lines, line),
            Signal::SampleConfig,
        );
        let place = found.has(Signal::TestPath) || found.has(Signal::DocsPath);
        let test = place || found.has(Signal::DocMarker) || found.has(Signal::SampleConfig);
        let local = context::names_local_host(&chunk.bytes[whole]) && !context::is_env_file(path);
        if !test && !local {
            return (Ok(confidence), Signals::default());
        }
        found.add_if(local, Signal::ExampleHost);
        // A test function counts only beside another signal: alone, a header such as
        // `describe(` far above a line says little.
        found.add_if(facts.in_test_code(path, lines, line), Signal::TestCode);
        // Independent witnesses: where the file is, that it is a fixture, that a docstring
        // or sample configuration holds the line, that an example heading or marker
        // introduces it, a local host, a test function.
        let agreeing = [
            place,
            found.has(Signal::FixtureFile),
            block || found.has(Signal::SampleConfig),
            example_line,
            local,
            found.has(Signal::TestCode),
        ]
        .into_iter()
        .filter(|&s| s)
        .count();
        let judged = if agreeing >= 2 {
            Confidence::Low
        } else {
            step_down(confidence)
        };
        if judged == confidence {
            return (Ok(confidence), Signals::default());
        }
        (Ok(judged), found)
    }

    /// True if `secret` occurs verbatim in some rule's examples. Short values are exempt:
    /// a common word would otherwise hide real findings.
    pub(super) fn is_rule_example(&self, secret: &[u8]) -> bool {
        if secret.len() < 12 {
            return false;
        }
        let examples = self.inner.examples.get_or_init(|| {
            let mut texts = self.inner.example_texts.join("\n").into_bytes();
            if self.inner.builtin_examples {
                texts.push(b'\n');
                texts.extend_from_slice(crate::config::BUILTIN_EXAMPLE_TEXTS.as_bytes());
            }
            Examples::new(texts)
        });
        examples.contains(secret)
    }
}

/// One confidence lower: a distinctive finding in test or documentation context.
fn step_down(confidence: Confidence) -> Confidence {
    match confidence {
        Confidence::High => Confidence::Medium,
        Confidence::Medium | Confidence::Low => Confidence::Low,
    }
}

/// True if `value` looks generated rather than typed: long, varied and free of words that
/// say test. Such a value in a test file may be a real secret pasted there, so a test path
/// alone does not drop it.
fn is_random(value: &[u8]) -> bool {
    value.len() >= 16 && entropy::shannon(value) >= 3.5 && !signals::says_test(value)
}
