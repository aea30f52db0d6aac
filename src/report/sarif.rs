//! SARIF 2.1.0, as GitHub code scanning accepts it.
//!
//! `partialFingerprints` carries the content fingerprint, so GitHub tracks one secret as one
//! alert across runs and commits, wherever its line moves.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::Context;
use crate::finding::{Confidence, Finding};

/// Writes one SARIF log with one run.
pub fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let mut rule_ids: Vec<&str> = findings.iter().map(|f| &*f.rule_id).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids.iter().map(|id| rule(id, ctx)).collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| result(f, ctx, rule_ids.binary_search(&&*f.rule_id).unwrap_or(0)))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "leakward",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/leakward/leakward",
                    "rules": rules,
                }
            },
            "invocations": ctx.coverage.sarif_invocations(),
            "results": results,
        }]
    });
    super::json::write_value(out, &log, true)?;
    writeln!(out)
}

fn level(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "error",
        Confidence::Medium => "warning",
        Confidence::Low => "note",
    }
}

fn rule(id: &str, ctx: &Context) -> Value {
    let info = ctx.rule(id);
    let description = info.map_or(id, |r| r.description.as_str());
    let confidence = info.map_or(Confidence::Medium, |r| r.confidence);
    let remediation = info
        .and_then(|r| r.remediation.as_deref())
        .unwrap_or("Revoke and rotate the credential, then remove it from the code and history.");
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": description },
        "fullDescription": { "text": description },
        "help": { "text": remediation, "markdown": remediation },
        "defaultConfiguration": { "level": level(confidence) },
        "properties": {
            "tags": ["security", "secret"],
            "precision": match confidence {
                Confidence::High => "very-high",
                Confidence::Medium => "high",
                Confidence::Low => "medium",
            },
            "security-severity": match confidence {
                Confidence::High => "9.0",
                Confidence::Medium => "7.0",
                Confidence::Low => "4.0",
            },
        }
    })
}

fn result(finding: &Finding, ctx: &Context, rule_index: usize) -> Value {
    let mut properties = json!({ "confidence": finding.confidence.as_str() });
    if let Some(commit) = &finding.commit {
        properties["commit"] = json!(commit.as_ref());
    }
    json!({
        "ruleId": &*finding.rule_id,
        "ruleIndex": rule_index,
        "level": level(finding.confidence),
        "message": {
            "text": format!(
                "{} found: {}",
                ctx.rule(&finding.rule_id).map_or(&*finding.rule_id, |r| r.description.as_str()),
                finding.shown_secret(ctx.show_secrets)
            )
        },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&finding.path) },
                "region": {
                    "startLine": finding.line,
                    "startColumn": finding.column,
                    "endLine": finding.end_line,
                }
            }
        }],
        "partialFingerprints": { "leakwardFingerprint/v1": finding.fingerprint.to_string() },
        "properties": properties,
    })
}

/// A relative URI reference for a path: every byte outside RFC 3986's unreserved set and
/// `/` is percent-encoded, and a byte that is not UTF-8 (`\xff` in leakward's paths) is
/// encoded as itself (`%FF`).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in crate::path_text::to_bytes(path) {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("src/main.rs"), "src/main.rs");
        assert_eq!(uri("my dir/a#b.env"), "my%20dir/a%23b.env");
        assert_eq!(uri("é"), "%C3%A9");
        assert_eq!(uri("bad\\xffname"), "bad%FFname");
        assert_eq!(uri("esc\x1b[1m"), "esc%1B%5B1m");
    }
}
