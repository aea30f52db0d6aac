//! Reading back the JSON Lines report of a multi-repository run (`history --repos -f jsonl`),
//! for `merge`: the inverse of [`super::json::write_lines`]. A shard report is accepted only
//! whole: every line parses as a record of this schema version, every finding names a
//! repository the shard covered, and the closing `end` record is there and counts exactly
//! what came before it, so a cut-off upload or a hand-edited file is refused, never merged
//! as if it were complete. Errors name the line.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::coverage::{EndRecord, UnitRecord};
use super::SCHEMA_VERSION;
use crate::chunk::Commit;
use crate::error::{Error, Reason, Result};
use crate::finding::{Confidence, Finding, Fingerprint};

/// The longest line a shard report may hold: a finding's line excerpt and secret are
/// bounded by the scan, so a longer line is not one leakward wrote.
const MAX_LINE: u64 = 4 << 20;

/// One shard's report.
#[derive(Debug)]
pub(crate) struct ShardReport {
    pub path: PathBuf,
    pub findings: Vec<Finding>,
    pub units: Vec<UnitRecord>,
    pub end: EndRecord,
    /// Whether any finding's secret was written redacted.
    pub redacted: bool,
}

/// One finding as JSON Lines writes it ([`super::json::Entry`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryIn {
    /// Checked on the raw record, before this parse.
    #[allow(dead_code)]
    version: u32,
    rule_id: String,
    #[allow(dead_code)]
    description: String,
    confidence: Confidence,
    #[allow(dead_code)]
    blocking: bool,
    path: String,
    line: u32,
    column: u32,
    end_line: u32,
    secret: String,
    redacted: bool,
    line_text: String,
    fingerprint: String,
    commit: Option<Commit>,
    blob: Option<String>,
    note: Option<String>,
    decoding: Option<String>,
    repository: Option<String>,
}

/// Reads the shard report at `path`.
pub(crate) fn read(path: &Path) -> Result<ShardReport> {
    let failed = |reason: String| Error::Input {
        path: path.to_path_buf(),
        reason: reason.into(),
    };
    let file = std::fs::File::open(path)
        .map_err(|e| failed(format!("cannot read the shard report: {e}")))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(failed("is not a regular file".into()));
    }
    let mut lines = BufReader::new(file);
    let mut report = ShardReport {
        path: path.to_path_buf(),
        findings: Vec::new(),
        units: Vec::new(),
        end: EndRecord {
            version: 0,
            kind: String::new(),
            repositories: 0,
            findings: 0,
            tool_version: String::new(),
            rules: String::new(),
            block_on: Confidence::High,
        },
        redacted: false,
    };
    let mut ended = false;
    let mut buffer = Vec::new();
    for number in 1.. {
        buffer.clear();
        let read = (&mut lines)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut buffer)
            .map_err(|e| failed(format!("line {number}: cannot read: {e}")))?;
        if read == 0 {
            break;
        }
        let at = |reason: String| failed(format!("line {number}: {reason}"));
        if buffer.last() != Some(&b'\n') {
            return Err(at(if read as u64 > MAX_LINE {
                format!("longer than {MAX_LINE} bytes: not a leakward report")
            } else {
                "ends without a line break: the report was cut off".into()
            }));
        }
        if ended {
            return Err(at("follows the closing `end` record".into()));
        }
        let text = std::str::from_utf8(&buffer)
            .map_err(|_| at("is not UTF-8: not a leakward report".into()))?;
        let value: Value =
            serde_json::from_str(text).map_err(|e| at(format!("is not a JSON record ({e})")))?;
        let Some(object) = value.as_object() else {
            return Err(at("is not a JSON object".into()));
        };
        let version = object.get("version").and_then(Value::as_u64);
        if version != Some(u64::from(SCHEMA_VERSION)) {
            return Err(at(format!(
                "has schema version {}, this leakward reads {SCHEMA_VERSION}",
                version.map_or_else(|| "none".into(), |v| v.to_string())
            )));
        }
        match object.get("kind").and_then(Value::as_str) {
            None => {
                let entry: EntryIn = serde_json::from_value(value)
                    .map_err(|e| at(format!("is not a finding record ({e})")))?;
                report.redacted |= entry.redacted;
                report
                    .findings
                    .push(finding(entry).map_err(|reason| at(reason.0))?);
            }
            Some("coverage") => {
                let mut value = value;
                if let Some(object) = value.as_object_mut() {
                    object.remove("version");
                    object.remove("kind");
                }
                let unit: UnitRecord = serde_json::from_value(value)
                    .map_err(|e| at(format!("is not a coverage record ({e})")))?;
                report.units.push(unit);
            }
            // The run's own summary of what could not be read: the coverage records carry
            // the same, repository by repository.
            Some("incomplete") => {}
            Some("end") => {
                report.end = serde_json::from_value(value)
                    .map_err(|e| at(format!("is not an end record ({e})")))?;
                ended = true;
            }
            Some(other) => return Err(at(format!("has an unknown kind `{other}`"))),
        }
    }
    if !ended {
        return Err(failed(
            "has no closing `end` record: it was cut off, or is not the JSON Lines report of `history --repos`".into(),
        ));
    }
    check_counts(&report).map_err(|reason| failed(reason.0))?;
    Ok(report)
}

/// The end record counts what came before it, and every finding's repository was covered.
fn check_counts(report: &ShardReport) -> std::result::Result<(), Reason> {
    let end = &report.end;
    if end.findings != report.findings.len() as u64 || end.repositories != report.units.len() as u64
    {
        return Err(Reason(format!(
            "its end record counts {} findings and {} repositories, but it holds {} and {}: records are missing or were added",
            end.findings,
            end.repositories,
            report.findings.len(),
            report.units.len()
        )));
    }
    let covered: HashSet<&str> = report.units.iter().map(|u| u.repository.as_str()).collect();
    if covered.len() != report.units.len() {
        return Err(Reason::from("covers a repository twice"));
    }
    if let Some(stray) = report.findings.iter().find(|f| {
        f.repository
            .as_deref()
            .is_none_or(|name| !covered.contains(name))
    }) {
        return Err(Reason(format!(
            "holds a finding in `{}`, a repository it has no coverage record for",
            stray.repository.as_deref().unwrap_or("no repository")
        )));
    }
    Ok(())
}

/// A finding from its record.
fn finding(entry: EntryIn) -> std::result::Result<Finding, Reason> {
    let fingerprint: Fingerprint = entry.fingerprint.parse()?;
    let note = match entry.note.as_deref() {
        None => None,
        Some(crate::scan::encrypted::NOTE) => Some(crate::scan::encrypted::NOTE),
        Some(other) => return Err(Reason(format!("has an unknown note `{other}`"))),
    };
    // `base64 → logical text → private-key`: the layers, then the rule.
    let layers = match entry.decoding.as_deref() {
        None => Vec::new(),
        Some(decoding) => {
            let mut parts: Vec<&str> = decoding.split(" → ").collect();
            if parts.pop() != Some(entry.rule_id.as_str()) {
                return Err(Reason(format!(
                    "has a decoding `{decoding}` that does not end with its rule"
                )));
            }
            parts
                .into_iter()
                .map(|name| {
                    crate::scan::layers::named_layer(name)
                        .ok_or_else(|| Reason(format!("has an unknown layer `{name}`")))
                })
                .collect::<std::result::Result<_, _>>()?
        }
    };
    Ok(Finding {
        rule_id: Arc::from(entry.rule_id),
        confidence: entry.confidence,
        path: entry.path,
        line: entry.line,
        column: entry.column,
        end_line: entry.end_line,
        secret: entry.secret,
        line_text: entry.line_text,
        fingerprint,
        commit: entry.commit.map(Arc::new),
        blob: entry.blob,
        note,
        layers,
        repository: entry.repository.map(Arc::from),
    })
}
