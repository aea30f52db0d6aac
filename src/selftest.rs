//! Runs every rule's examples and counterexamples through the real scanner.
//!
//! `cargo test` and `leakward rules check` both use it, so a rule that misses its own
//! example, or reports its own counterexample, never ships.

use crate::chunk::{Chunk, Origin, Scope};
use crate::config::spec::Example;
use crate::config::Config;
use crate::error::Result;
use crate::scan::{Options, Scanner};

/// A rule that failed its own examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub rule_id: String,
    pub problem: String,
}

/// Checks every rule of `config`: each has at least one example and one counterexample,
/// each example is reported by that rule, and no counterexample is.
pub fn check(config: &Config) -> Result<Vec<Failure>> {
    check_some(config, true)
}

/// Checks the rules of `config` that a user file defined, scanning with all of its rules
/// (built-in ones included), as a scan with that file would.
pub(crate) fn check_user_rules(config: &Config) -> Result<Vec<Failure>> {
    check_some(config, false)
}

fn check_some(config: &Config, builtin: bool) -> Result<Vec<Failure>> {
    let scanner = Scanner::new(
        config,
        Options {
            report_rule_examples: true,
            // User rules always compile when loaded; built-in ones only need to here.
            eager: builtin,
            ..Options::default()
        },
    )?;
    let mut failures = Vec::new();
    for configured in config.rules.iter().filter(|r| builtin || !r.builtin) {
        let spec = &configured.spec;
        let fail = |problem: String| Failure {
            rule_id: spec.id.clone(),
            problem,
        };
        if spec.examples.is_empty() {
            failures.push(fail("has no examples".into()));
        }
        if spec.counterexamples.is_empty() {
            failures.push(fail("has no counterexamples".into()));
        }
        for example in &spec.examples {
            if !reports(&scanner, &spec.id, example) {
                failures.push(fail(format!("misses its example {:?}", example.text())));
            }
        }
        for counter in &spec.counterexamples {
            if reports(&scanner, &spec.id, counter) {
                failures.push(fail(format!(
                    "reports its counterexample {:?}",
                    counter.text()
                )));
            }
        }
    }
    Ok(failures)
}

/// True if scanning `example` yields a finding of rule `id`.
pub(crate) fn reports(scanner: &Scanner, id: &str, example: &Example) -> bool {
    let origin = Origin::path(example.path());
    let chunk = Chunk {
        bytes: example.text().as_bytes(),
        origin: &origin,
        scope: &Scope::All,
    };
    scanner
        .scan(&chunk)
        .findings
        .iter()
        .any(|f| &*f.rule_id == id)
}
