//! The output of the scan core: a finding, its fingerprint, and how a secret is redacted.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::chunk::Commit;

/// How sure a rule is that a match is a live credential. Ordered: `Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = crate::error::Reason;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            other => {
                Err(format!("unknown confidence `{other}` (expected high, medium or low)").into())
            }
        }
    }
}

/// A finding's identity: a hash of the rule id and the secret, never of its position, so it
/// survives edits that move the line and never stands for a different secret on that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint([u8; 16]);

impl Fingerprint {
    /// SHA-256 of `rule_id`, a NUL byte and the secret, truncated to 128 bits.
    pub fn new(rule_id: &str, secret: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(rule_id.as_bytes());
        hasher.update([0]);
        hasher.update(secret);
        let digest = hasher.finalize();
        let mut bytes = [0; 16];
        bytes.copy_from_slice(&digest[..16]);
        Fingerprint(bytes)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl FromStr for Fingerprint {
    type Err = crate::error::Reason;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            crate::error::Reason(format!(
                "`{s}` is not a fingerprint (expected 32 hex digits)"
            ))
        };
        if s.len() != 32 || !s.is_ascii() {
            return Err(bad());
        }
        let mut bytes = [0; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Fingerprint(bytes))
    }
}

/// One reported secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule_id: Arc<str>,
    pub confidence: Confidence,
    /// Path of the file or blob, `/`-separated.
    pub path: String,
    /// 1-based line of the secret's first byte.
    pub line: u32,
    /// 1-based column of the secret's first character on its line, counted in characters.
    pub column: u32,
    /// 1-based line of the secret's last byte.
    pub end_line: u32,
    /// The secret itself, lossily decoded as UTF-8. Redact before showing.
    pub secret: String,
    /// The text of the line the secret starts on, cut to a readable window around it.
    pub line_text: String,
    pub fingerprint: Fingerprint,
    /// The commit that added the secret, for git scans.
    pub commit: Option<Arc<Commit>>,
    /// The git blob that holds the secret, for git scans.
    pub blob: Option<String>,
    /// Why the finding is less sure than its rule, when the match itself says so
    /// (`encrypted with a passphrase`).
    pub note: Option<&'static str>,
    /// The layers the secret was found through, outermost first (`logical text`,
    /// `base64`); empty for a secret found in the bytes as written.
    pub layers: Vec<&'static str>,
    /// The repository of a multi-repository run (`history --repos`), as listed.
    pub repository: Option<Arc<str>>,
}

impl Finding {
    /// The order reports use: by repository, path, position, then rule, so output never depends on threads.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.repository,
            &self.path,
            self.line,
            self.column,
            &self.rule_id,
            self.commit.as_ref().map(|c| &c.id),
        )
    }

    /// How the secret was found through layers, ending with the rule
    /// (`base64 → private-key`), or `None` for a secret found as written.
    /// Where the finding is, as reports other than JSON show it: the path, under its
    /// repository's name in a multi-repository run (`curl/lib/x.c`).
    pub fn place(&self) -> std::borrow::Cow<'_, str> {
        match &self.repository {
            Some(repository) => format!("{repository}/{}", self.path).into(),
            None => self.path.as_str().into(),
        }
    }

    pub fn decoding(&self) -> Option<String> {
        (!self.layers.is_empty()).then(|| format!("{} → {}", self.layers.join(" → "), self.rule_id))
    }

    /// The secret as reports show it: redacted unless `show` is set.
    pub fn shown_secret(&self, show: bool) -> String {
        if show {
            self.secret.clone()
        } else {
            redact(&self.secret)
        }
    }

    /// The line as reports show it: the secret masked unless `show` is set.
    pub fn shown_line(&self, show: bool) -> String {
        if show {
            self.line_text.clone()
        } else if self.secret.is_empty() {
            // A rule that matched the file by its path: its first line may be the secret.
            String::new()
        } else {
            // A multi-line secret (a private key) only has its first line on this line.
            let first = self.secret.lines().next().unwrap_or_default();
            if first.is_empty() {
                return self.line_text.clone();
            }
            self.line_text.replace(first, &redact(first))
        }
    }
}

/// Redacts a secret: keeps at most a quarter of it (never more than 6 characters) and
/// replaces the rest with `*****`. Reveals only a prefix, whatever the secret.
pub fn redact(secret: &str) -> String {
    // Already redacted (a report read back by `merge`): redacting again would only shorten
    // the prefix that identifies it.
    if secret
        .strip_suffix("*****")
        .is_some_and(|prefix| prefix.chars().count() <= 6 && !prefix.contains('*'))
    {
        return secret.to_string();
    }
    let chars = secret.chars().count();
    let keep = (chars / 4).min(6);
    let mut out: String = secret.chars().take(keep).collect();
    out.push_str("*****");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_only_a_short_prefix() {
        // Built at run time so that this file does not hold a token-shaped string.
        let token = format!("ghp_{}", "0123456789abcdefghijklmnopqrstuvwxyz");
        let cases: &[(&str, &str)] = &[
            ("", "*****"),
            ("abc", "*****"),
            ("hunter22", "hu*****"),
            (&token, "ghp_01*****"),
            ("ééééééééé", "éé*****"),
        ];
        for &(secret, want) in cases {
            assert_eq!(redact(secret), want, "{secret:?}");
            // Redacting is idempotent: a merged report keeps the shards' prefixes.
            assert_eq!(redact(want), want, "{want:?}");
        }
    }

    #[test]
    fn fingerprint_depends_on_rule_and_secret_only() {
        let a = Fingerprint::new("rule-a", b"s3cr3t");
        assert_eq!(a, Fingerprint::new("rule-a", b"s3cr3t"));
        assert_ne!(a, Fingerprint::new("rule-b", b"s3cr3t"));
        assert_ne!(a, Fingerprint::new("rule-a", b"s3cr3u"));
        assert_ne!(
            Fingerprint::new("ab", b"c"),
            Fingerprint::new("a", b"bc"),
            "the separator keeps rule and secret apart"
        );
        let text = a.to_string();
        assert_eq!(text.len(), 32);
        assert_eq!(text.parse::<Fingerprint>(), Ok(a));
        assert!("xyz".parse::<Fingerprint>().is_err());
    }
}
