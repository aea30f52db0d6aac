//! Fingerprint suppressions: the `.leakwardignore` file and baselines of known findings.
//!
//! Both store fingerprints (a hash of rule id and secret), never secrets, so they are safe
//! to commit. Baselines are written in a stable order with no timestamps, so they do not
//! churn in review.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use globset::GlobMatcher;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::finding::{Finding, Fingerprint};

/// Name of the ignore file looked up at the scanned root.
pub const IGNORE_FILE: &str = ".leakwardignore";

/// gitleaks' ignore file, honoured for teams that migrate.
pub const GITLEAKS_IGNORE_FILE: &str = ".gitleaksignore";

/// Findings the user has already seen and accepted.
#[derive(Debug, Default)]
pub struct Suppressions {
    ignored: Vec<(Fingerprint, Option<GlobMatcher>)>,
    baseline: HashSet<Fingerprint>,
    /// How finding paths name the scanned root (`repo/`), or empty when they are relative
    /// to it already. Ignore-file globs are relative to the root.
    root_prefix: String,
    gitleaks: Vec<GitleaksEntry>,
}

/// A `.gitleaksignore` entry: `[commit:]path:rule-id:line`. It can only match findings of
/// rules with the same id (those imported from a gitleaks config).
#[derive(Debug)]
struct GitleaksEntry {
    commit: Option<String>,
    path: String,
    rule_id: String,
    line: u32,
}

/// Why a finding was suppressed after scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppressed {
    IgnoreFile,
    Baseline,
}

impl Suppressions {
    /// Reads an ignore file: one fingerprint per line, optionally followed by a path glob
    /// that limits it; `#` starts a comment.
    pub fn add_ignore_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!(
                "cannot read: {}; make it readable, or remove it",
                crate::error::describe_io(&e)
            ),
        })?;
        for (number, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let fail = |message: String| Error::Config {
                path: path.to_path_buf(),
                message: format!("line {}: {message}", number + 1),
            };
            let mut fields = line.split_whitespace();
            let fingerprint: Fingerprint =
                fields.next().unwrap_or_default().parse().map_err(fail)?;
            let glob = match fields.next() {
                None => None,
                Some(glob) => Some(
                    globset::Glob::new(glob.trim_start_matches('/'))
                        .map_err(|e| fail(format!("invalid path glob `{glob}`: {e}")))?
                        .compile_matcher(),
                ),
            };
            if let Some(extra) = fields.next() {
                return Err(fail(format!("unexpected `{extra}` after the path glob")));
            }
            self.ignored.push((fingerprint, glob));
        }
        Ok(())
    }

    /// Sets how finding paths name the scanned root, so that ignore-file globs, which are
    /// relative to the root, match wherever leakward runs from. `.` means paths are
    /// relative to the root already.
    pub fn set_root(&mut self, root: &str) {
        let root = root
            .strip_prefix("./")
            .unwrap_or(root)
            .trim_end_matches('/');
        self.root_prefix = match root {
            "" | "." => String::new(),
            _ => format!("{root}/"),
        };
    }

    /// Reads a baseline written by [`write_baseline`].
    pub fn add_baseline(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!(
                "cannot read the baseline: {}; pass a file written by --write-baseline",
                crate::error::describe_io(&e)
            ),
        })?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!("not a leakward baseline: {e}"),
        })?;
        for entry in baseline.findings {
            let fingerprint = entry.fingerprint.parse().map_err(|message| Error::Config {
                path: path.to_path_buf(),
                message,
            })?;
            self.baseline.insert(fingerprint);
        }
        Ok(())
    }

    /// Reads a gitleaks ignore file. Lines that are not `[commit:]path:rule-id:line` are an
    /// error; gitleaks' fingerprints are positions, so they are matched by position.
    pub fn add_gitleaks_ignore(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!(
                "cannot read: {}; make it readable, or remove it",
                crate::error::describe_io(&e)
            ),
        })?;
        for (number, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |message: String| Error::Config {
                path: path.to_path_buf(),
                message: format!("line {}: {message}", number + 1),
            };
            let mut parts = line.rsplitn(3, ':');
            let (Some(at), Some(rule_id), Some(rest)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(fail("expected `[commit:]path:rule-id:line`".into()));
            };
            let line_number = at
                .parse()
                .map_err(|_| fail(format!("`{at}` is not a line number")))?;
            let (commit, file) = match rest.split_once(':') {
                Some((commit, file))
                    if commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit()) =>
                {
                    (Some(commit.to_ascii_lowercase()), file)
                }
                _ => (None, rest),
            };
            self.gitleaks.push(GitleaksEntry {
                commit,
                path: file.to_string(),
                rule_id: rule_id.to_string(),
                line: line_number,
            });
        }
        Ok(())
    }

    /// Why `finding` is suppressed, if it is.
    pub fn check(&self, finding: &Finding) -> Option<Suppressed> {
        let path = finding.path.as_str();
        let relative = path.strip_prefix(self.root_prefix.as_str()).unwrap_or(path);
        // The path as reports print it matches too: that is what the allow hint suggests.
        let ignored = self.ignored.iter().any(|(ignored, glob)| {
            *ignored == finding.fingerprint
                && glob
                    .as_ref()
                    .is_none_or(|g| g.is_match(relative) || g.is_match(path))
        });
        let gitleaks = self.gitleaks.iter().any(|entry| {
            entry.line == finding.line
                && entry.rule_id == *finding.rule_id
                && (entry.path == relative || entry.path == path)
                && entry.commit.as_ref().is_none_or(|c| {
                    finding
                        .commit
                        .as_ref()
                        .is_some_and(|fc| fc.id.starts_with(c.as_str()))
                })
        });
        if ignored || gitleaks {
            Some(Suppressed::IgnoreFile)
        } else if self.baseline.contains(&finding.fingerprint) {
            Some(Suppressed::Baseline)
        } else {
            None
        }
    }
}

/// The baseline file: fingerprints with the rule and a path for the reader, no secrets.
#[derive(Debug, Serialize, Deserialize)]
struct Baseline {
    version: u32,
    findings: Vec<BaselineEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct BaselineEntry {
    fingerprint: String,
    rule: String,
    /// The first path (in sort order) where the secret was found.
    path: String,
}

/// Writes a baseline of `findings`: one entry per fingerprint, sorted by fingerprint.
pub fn write_baseline(findings: &[Finding], path: &Path) -> Result<()> {
    let mut unique: BTreeMap<String, BaselineEntry> = BTreeMap::new();
    for finding in findings {
        let fingerprint = finding.fingerprint.to_string();
        let entry = unique
            .entry(fingerprint.clone())
            .or_insert_with(|| BaselineEntry {
                fingerprint,
                rule: finding.rule_id.to_string(),
                path: finding.path.clone(),
            });
        if finding.path < entry.path {
            entry.path = finding.path.clone();
        }
    }
    let baseline = Baseline {
        version: 1,
        findings: unique.into_values().collect(),
    };
    let mut text = serde_json::to_string_pretty(&baseline).expect("a baseline always serialises");
    text.push('\n');
    std::fs::write(path, text).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}
