//! The end of an audit: baseline, report, summary and exit code, as [`Session::finish`]
//! does for findings, but with one entry per distinct secret.

use std::io::{self, Write};
use std::process::ExitCode;

use super::super::{exit_code, rule_infos, Session};
use crate::error::Result;
use crate::finding::Finding;
use crate::report::audit::{self, Audit};
use crate::report::summary::Summary;
use crate::report::{self, Format};
use crate::suppress;

/// Unreadable objects listed on standard error.
const MAX_LISTED: usize = 20;

/// Writes the baseline and the report, prints the summary, and returns the exit code:
/// 2 if anything could not be read, else 1 if a secret blocks, else 0.
pub fn finish(mut session: Session, mut report: Audit, mut summary: Summary) -> Result<ExitCode> {
    // Whatever a signal cut short is not a result: nothing is reported, not even a baseline.
    crate::interrupt::check()?;
    report.unreadable.clone_from(&summary.unreadable);
    if let Some(baseline) = session.baseline.take() {
        let findings: Vec<Finding> = report.secrets.iter().map(|s| s.finding.clone()).collect();
        let text = suppress::baseline_text(&findings);
        baseline.commit(|out| out.write_all(text.as_bytes()))?;
    }
    for secret in &report.secrets {
        summary.count_finding(secret.finding.confidence, session.block_on);
    }
    if summary.capped_max.is_some_and(|c| c >= session.block_on) {
        summary.capped_blocking = summary.capped;
    }
    summary.max_file_size = session.options.detect.max_file_size;
    summary.warnings.extend(session.warnings);
    let rules = rule_infos(&session.scanner, |id| {
        report.secrets.iter().any(|s| &*s.finding.rule_id == id)
    });
    let ctx = report::Context {
        rules: &rules,
        show_secrets: session.options.detect.show_secrets,
        color: false,
        block_on: session.block_on,
        unused_allowlist: None,
        coverage: report::coverage::Coverage {
            unreadable: &summary.unreadable,
            warnings: &summary.warnings,
        },
    };
    let format: Format = session.options.report.format;
    session
        .output
        .write(|out| audit::write(format, &report, &ctx, out))?;
    // A damaged pack can make thousands of objects unreadable: the report lists them all,
    // standard error the first few.
    if summary.unreadable.len() > MAX_LISTED {
        let more = summary.unreadable.len() - MAX_LISTED;
        summary.unreadable.truncate(MAX_LISTED);
        summary.unreadable.push((
            format!("{more} more objects"),
            "listed in the report".into(),
        ));
    }
    if !session.options.report.quiet {
        let mut err = io::stderr().lock();
        let _ = summary.write(&mut err);
        if !summary.unreadable.is_empty() {
            let _ = writeln!(
                err,
                "leakward: the audit is incomplete: the secrets listed are only those in what could be read"
            );
        }
    }
    Ok(exit_code(&summary))
}
