//! What the pipeline decided about each candidate match: reported with a confidence, or
//! suppressed by a named stage (what `explain` prints).

use std::ops::Range;

use super::allow::AllowReason;
use super::evidence::Signals;
use crate::finding::Confidence;

/// Why a candidate match was not reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Suppression {
    /// The secret's entropy is below the rule's minimum.
    Entropy { got: f64, min: f64 },
    /// A placeholder, template reference or documented example value.
    Placeholder,
    /// The secret appears verbatim in a rule's examples or counterexamples, which are public.
    RuleExample,
    /// The global allowlist.
    GlobalAllowlist(AllowReason),
    /// The rule's own allowlist.
    RuleAllowlist(AllowReason),
    /// A `leakward:allow` (or migrated) marker on the line.
    InlineMarker,
    /// The token fails its format's checksum or structure check: not a credential
    /// (`--report-invalid` reports it, low).
    Checksum,
    /// The same bytes were reported by a more specific rule.
    Overlap,
    /// The line is outside the chunk's scope (not added by the change).
    OutOfScope,
    /// A generic credential that evidence shows is test, documentation or message data.
    Evidence(Signals),
}

/// One candidate match and what the pipeline decided about it.
#[derive(Debug, Clone)]
pub struct Examined {
    pub rule: usize,
    /// Byte range of the secret in the chunk.
    pub secret: Range<usize>,
    /// Byte range of the whole text the rule's regex matched.
    pub matched: Range<usize>,
    /// The confidence it is reported with, or why it is not.
    pub verdict: std::result::Result<Confidence, Suppression>,
    /// The test or documentation evidence that lowered its confidence (empty if none).
    pub lowered_by: Signals,
}
