//! Fingerprint suppressions: the `.leakwardignore` file and baselines of known findings.
//!
//! Both store fingerprints (a hash of rule id and secret), never secrets, so they are safe
//! to commit. Baselines are written in a stable order with no timestamps, so they do not
//! churn in review.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use globset::GlobMatcher;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Reason, Result};
use crate::finding::{Finding, Fingerprint};
use crate::scan::usage::AllowEntry;

/// Name of the ignore file looked up at the scanned root.
pub(crate) const IGNORE_FILE: &str = ".leakwardignore";

/// gitleaks' ignore file, honoured for teams that migrate.
pub(crate) const GITLEAKS_IGNORE_FILE: &str = ".gitleaksignore";

/// Findings the user has already seen and accepted.
#[derive(Debug, Default)]
pub(crate) struct Suppressions {
    ignored: Vec<IgnoreEntry>,
    baseline: HashSet<Fingerprint>,
    /// The baseline's entries in file order, to name unused ones: (fingerprint, rule).
    baseline_entries: Vec<(Fingerprint, String)>,
    /// The files read, to name entries: ignore file, gitleaks ignore file, baseline.
    ignore_file: Option<PathBuf>,
    gitleaks_file: Option<PathBuf>,
    baseline_file: Option<PathBuf>,
    /// How finding paths name the scanned root (`repo/`), or empty when they are relative
    /// to it already. Ignore-file globs are relative to the root.
    root_prefix: String,
    gitleaks: Vec<GitleaksEntry>,
}

/// A `.leakwardignore` entry: a fingerprint, optionally limited to paths.
#[derive(Debug)]
struct IgnoreEntry {
    fingerprint: Fingerprint,
    glob: Option<GlobMatcher>,
    /// The line as written (without its comment) and its 1-based number.
    text: String,
    at: u32,
}

/// A `.gitleaksignore` entry: `[commit:]path:rule-id:line`. It can only match findings of
/// rules with the same id (those imported from a gitleaks config).
#[derive(Debug)]
struct GitleaksEntry {
    commit: Option<String>,
    path: String,
    rule_id: String,
    line: u32,
    text: String,
    at: u32,
}

/// Why a finding was suppressed after scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Suppressed {
    IgnoreFile,
    Baseline,
}

impl Suppressions {
    /// Reads an ignore file: one fingerprint per line, optionally followed by a path glob
    /// that limits it; `#` starts a comment.
    pub(crate) fn add_ignore_file(&mut self, path: &Path) -> Result<()> {
        let text = crate::bounded::read_text(path, crate::bounded::CONFIG_LIMIT).map_err(|e| {
            Error::Config {
                path: path.to_path_buf(),
                reason: Reason::from(format!("cannot read: {e}; make it readable, or remove it")),
            }
        })?;
        self.add_ignore_text(&text, path)
    }

    /// [`Suppressions::add_ignore_file`] for text already read; `path` names it.
    pub(crate) fn add_ignore_text(&mut self, text: &str, path: &Path) -> Result<()> {
        for (number, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let fail = |message: String| Error::Config {
                path: path.to_path_buf(),
                reason: Reason::from(format!("line {}: {message}", number + 1)),
            };
            let mut fields = line.split_whitespace();
            let fingerprint: Fingerprint = fields
                .next()
                .unwrap_or_default()
                .parse()
                .map_err(|e: crate::error::Reason| fail(e.0))?;
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
            self.ignored.push(IgnoreEntry {
                fingerprint,
                glob,
                text: line.to_string(),
                at: number as u32 + 1,
            });
        }
        self.ignore_file = Some(path.to_path_buf());
        Ok(())
    }

    /// Sets how finding paths name the scanned root, so that ignore-file globs, which are
    /// relative to the root, match wherever leakward runs from. `.` means paths are
    /// relative to the root already.
    pub(crate) fn set_root(&mut self, root: &str) {
        let root = root
            .strip_prefix("./")
            .unwrap_or(root)
            .trim_end_matches('/');
        self.root_prefix = match root {
            "" | "." => String::new(),
            _ => format!("{root}/"),
        };
    }

    /// Reads a baseline written from [`baseline_text`].
    pub(crate) fn add_baseline(&mut self, path: &Path) -> Result<()> {
        let text =
            crate::bounded::read_text(path, crate::bounded::BASELINE_LIMIT).map_err(|e| {
                Error::Config {
                    path: path.to_path_buf(),
                    reason: Reason::from(format!(
                        "cannot read the baseline: {e}; pass a file written by --write-baseline"
                    )),
                }
            })?;
        self.add_baseline_text(&text, path)
    }

    /// [`Suppressions::add_baseline`] for text already read; `path` names it.
    pub(crate) fn add_baseline_text(&mut self, text: &str, path: &Path) -> Result<()> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            reason: Reason::from(format!("not a leakward baseline: {e}")),
        })?;
        for entry in baseline.findings {
            let fingerprint = entry.fingerprint.parse().map_err(|message| Error::Config {
                path: path.to_path_buf(),
                reason: message,
            })?;
            self.baseline.insert(fingerprint);
            self.baseline_entries.push((fingerprint, entry.rule));
        }
        self.baseline_file = Some(path.to_path_buf());
        Ok(())
    }

    /// Reads a gitleaks ignore file. Lines that are not `[commit:]path:rule-id:line` are an
    /// error; gitleaks' fingerprints are positions, so they are matched by position.
    pub(crate) fn add_gitleaks_ignore(&mut self, path: &Path) -> Result<()> {
        let text = crate::bounded::read_text(path, crate::bounded::CONFIG_LIMIT).map_err(|e| {
            Error::Config {
                path: path.to_path_buf(),
                reason: Reason::from(format!("cannot read: {e}; make it readable, or remove it")),
            }
        })?;
        self.add_gitleaks_text(&text, path)
    }

    /// [`Suppressions::add_gitleaks_ignore`] for text already read; `path` names it.
    pub(crate) fn add_gitleaks_text(&mut self, text: &str, path: &Path) -> Result<()> {
        for (number, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |message: String| Error::Config {
                path: path.to_path_buf(),
                reason: Reason::from(format!("line {}: {message}", number + 1)),
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
                text: line.to_string(),
                at: number as u32 + 1,
            });
        }
        self.gitleaks_file = Some(path.to_path_buf());
        Ok(())
    }

    /// The path of `finding` relative to the scanned root.
    fn relative<'a>(&self, finding: &'a Finding) -> &'a str {
        let path = finding.path.as_str();
        path.strip_prefix(self.root_prefix.as_str()).unwrap_or(path)
    }

    fn ignores(&self, entry: &IgnoreEntry, finding: &Finding) -> bool {
        // The path as reports print it matches too: that is what the allow hint suggests.
        entry.fingerprint == finding.fingerprint
            && entry.glob.as_ref().is_none_or(|g| {
                g.is_match(self.relative(finding)) || g.is_match(finding.path.as_str())
            })
    }

    fn gitleaks_ignores(&self, entry: &GitleaksEntry, finding: &Finding) -> bool {
        entry.line == finding.line
            && entry.rule_id == *finding.rule_id
            && (entry.path == self.relative(finding) || entry.path == finding.path)
            && entry.commit.as_ref().is_none_or(|c| {
                finding
                    .commit
                    .as_ref()
                    .is_some_and(|fc| fc.id.starts_with(c.as_str()))
            })
    }

    /// Why `finding` is suppressed, if it is.
    pub(crate) fn check(&self, finding: &Finding) -> Option<Suppressed> {
        self.entry_of(finding).map(|(suppressed, _)| suppressed)
    }

    /// Why `finding` is suppressed and the entry that does it, named for `explain`.
    pub(crate) fn entry_of(&self, finding: &Finding) -> Option<(Suppressed, AllowEntry)> {
        if let Some(entry) = self.ignored.iter().find(|e| self.ignores(e, finding)) {
            return Some((Suppressed::IgnoreFile, self.ignore_entry(entry)));
        }
        if let Some(entry) = self
            .gitleaks
            .iter()
            .find(|e| self.gitleaks_ignores(e, finding))
        {
            return Some((Suppressed::IgnoreFile, self.gitleaks_entry(entry)));
        }
        self.baseline
            .contains(&finding.fingerprint)
            .then(|| {
                self.baseline_entries
                    .iter()
                    .find(|(fingerprint, _)| *fingerprint == finding.fingerprint)
                    .map(|entry| (Suppressed::Baseline, self.baseline_entry(entry)))
            })
            .flatten()
    }

    /// The entries that matched none of `suppressed` (the findings this run hid as known).
    /// An entry that matches a finding the ignore file or another entry also hides is used.
    pub(crate) fn unused(&self, suppressed: &[Finding]) -> Vec<AllowEntry> {
        let ignored = self
            .ignored
            .iter()
            .filter(|e| !suppressed.iter().any(|f| self.ignores(e, f)))
            .map(|e| self.ignore_entry(e));
        let gitleaks = self
            .gitleaks
            .iter()
            .filter(|e| !suppressed.iter().any(|f| self.gitleaks_ignores(e, f)))
            .map(|e| self.gitleaks_entry(e));
        let used: HashSet<Fingerprint> = suppressed.iter().map(|f| f.fingerprint).collect();
        let baseline = self
            .baseline_entries
            .iter()
            .filter(|(fingerprint, _)| !used.contains(fingerprint))
            .map(|e| self.baseline_entry(e));
        ignored.chain(gitleaks).chain(baseline).collect()
    }

    fn ignore_entry(&self, entry: &IgnoreEntry) -> AllowEntry {
        AllowEntry {
            file: display(&self.ignore_file),
            rule: None,
            kind: "fingerprint",
            value: entry.text.clone(),
            line: Some(entry.at),
        }
    }

    fn gitleaks_entry(&self, entry: &GitleaksEntry) -> AllowEntry {
        AllowEntry {
            file: display(&self.gitleaks_file),
            rule: Some(entry.rule_id.clone()),
            kind: "gitleaks ignore entry",
            value: entry.text.clone(),
            line: Some(entry.at),
        }
    }

    fn baseline_entry(&self, (fingerprint, rule): &(Fingerprint, String)) -> AllowEntry {
        AllowEntry {
            file: display(&self.baseline_file),
            rule: Some(rule.clone()),
            kind: "baseline fingerprint",
            value: fingerprint.to_string(),
            line: None,
        }
    }
}

fn display(path: &Option<PathBuf>) -> String {
    path.as_deref()
        .map_or_else(String::new, |p| p.display().to_string())
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

/// The baseline file of `findings`: one entry per fingerprint, sorted by fingerprint.
pub(crate) fn baseline_text(findings: &[Finding]) -> String {
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
    text
}
