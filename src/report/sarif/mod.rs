//! SARIF 2.1.0, as GitHub code scanning accepts it, built from the typed model in `log.rs`.
//!
//! `partialFingerprints` carries the content fingerprint, so GitHub tracks one secret as one
//! alert across runs and commits, wherever its line moves.

mod log;

use std::io::{self, Write};

use super::coverage::Coverage;
use super::Context;
use crate::finding::{Confidence, Finding};
use log::{
    ArtifactLocation, Configuration, Driver, Help, Invocation, Level, Location, Log, Message,
    Notification, PartialFingerprints, PhysicalLocation, Region, ResultProperties, Rule,
    RuleProperties, Run, RunProperties, Tool,
};

/// Writes one SARIF log with one run.
pub(crate) fn write(findings: &[Finding], ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let mut rule_ids: Vec<&str> = findings.iter().map(|f| &*f.rule_id).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules = rule_ids.iter().map(|id| rule(id, ctx)).collect();
    let results = findings
        .iter()
        .map(|f| result(f, ctx, rule_ids.binary_search(&&*f.rule_id).unwrap_or(0)))
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "leakward",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/leakward/leakward",
                    rules,
                },
            },
            invocations: invocations(&ctx.coverage),
            results,
            properties: ctx.coverage.units.map(|units| RunProperties {
                repositories: &units.records,
            }),
        }],
    };
    super::json::write_value(out, &log, true)?;
    writeln!(out)
}

/// The `invocations` array: whether the run succeeded, and why not.
fn invocations(coverage: &Coverage) -> Vec<Invocation> {
    let errors = coverage.unreadable.iter().map(|(what, why)| Notification {
        level: Level::Error,
        message: Message {
            text: format!("cannot read {what}: {why}"),
        },
    });
    let warnings = coverage.warnings.iter().map(|warning| Notification {
        level: Level::Warning,
        message: Message {
            text: warning.clone(),
        },
    });
    vec![Invocation {
        execution_successful: coverage.complete(),
        tool_execution_notifications: errors.chain(warnings).collect(),
    }]
}

fn level(confidence: Confidence) -> Level {
    match confidence {
        Confidence::High => Level::Error,
        Confidence::Medium => Level::Warning,
        Confidence::Low => Level::Note,
    }
}

fn rule<'a>(id: &'a str, ctx: &'a Context) -> Rule<'a> {
    let info = ctx.rule(id);
    let description = info.map_or(id, |r| r.description.as_str());
    let confidence = info.map_or(Confidence::Medium, |r| r.confidence);
    let remediation = info
        .and_then(|r| r.remediation.as_deref())
        .unwrap_or("Revoke and rotate the credential, then remove it from the code and history.");
    Rule {
        id,
        name: id,
        short_description: Message {
            text: description.to_string(),
        },
        full_description: Message {
            text: description.to_string(),
        },
        help: Help {
            text: remediation.to_string(),
            markdown: remediation.to_string(),
        },
        default_configuration: Configuration {
            level: level(confidence),
        },
        properties: RuleProperties {
            tags: ["security", "secret"],
            precision: match confidence {
                Confidence::High => "very-high",
                Confidence::Medium => "high",
                Confidence::Low => "medium",
            },
            security_severity: match confidence {
                Confidence::High => "9.0",
                Confidence::Medium => "7.0",
                Confidence::Low => "4.0",
            },
        },
    }
}

fn result<'a>(finding: &'a Finding, ctx: &Context, rule_index: usize) -> log::Result<'a> {
    let description = ctx
        .rule(&finding.rule_id)
        .map_or(&*finding.rule_id, |r| r.description.as_str());
    log::Result {
        rule_id: &finding.rule_id,
        rule_index,
        level: level(finding.confidence),
        message: Message {
            text: format!(
                "{description} found: {}",
                finding.shown_secret(ctx.show_secrets)
            ),
        },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(&finding.place()),
                },
                region: Region {
                    start_line: finding.line,
                    start_column: finding.column,
                    end_line: finding.end_line,
                },
            },
        }],
        partial_fingerprints: PartialFingerprints {
            v1: finding.fingerprint.to_string(),
        },
        properties: ResultProperties {
            confidence: finding.confidence.as_str(),
            commit: finding.commit.as_deref(),
        },
    }
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
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("src/main.rs"), "src/main.rs");
        assert_eq!(uri("my dir/a#b.env"), "my%20dir/a%23b.env");
        assert_eq!(uri("é"), "%C3%A9");
        assert_eq!(uri("bad\\xffname"), "bad%FFname");
        assert_eq!(uri("esc\x1b[1m"), "esc%1B%5B1m");
    }

    #[test]
    fn invocations_say_whether_the_run_read_everything() {
        let unreadable = [("a.txt".to_string(), "permission denied".to_string())];
        let warnings = ["shallow".to_string()];
        let complete = Coverage {
            unreadable: &[],
            warnings: &warnings,
            units: None,
        };
        let incomplete = Coverage {
            unreadable: &unreadable,
            warnings: &[],
            units: None,
        };
        let invocations = serde_json::to_value(invocations(&complete)).unwrap();
        assert_eq!(invocations[0]["executionSuccessful"], true);
        assert_eq!(
            invocations[0]["toolExecutionNotifications"][0]["level"],
            "warning"
        );
        let invocations = serde_json::to_value(super::invocations(&incomplete)).unwrap();
        assert_eq!(invocations[0]["executionSuccessful"], false);
        assert_eq!(
            invocations[0]["toolExecutionNotifications"][0]["message"]["text"],
            "cannot read a.txt: permission denied"
        );
    }
}
