//! The end of every scanning command: one [`Session::finish`] turns an [`Outcome`] into a
//! baseline, a report, a summary and an exit code. The filters run here, once; what differs
//! between commands is only the [`View`]: one entry per finding, or one per distinct secret
//! with its lifecycle (`audit`).

use std::collections::HashSet;
use std::io::{self, Write};
use std::process::ExitCode;

use super::filters::CommitFilter;
use super::outcome::Outcome;
use super::{exit_code, rule_infos, unused, write_ways_forward, Advice, Output, Session};
use crate::error::Result;
use crate::finding::{Finding, Fingerprint};
use crate::report::audit::{self, Audit};
use crate::report::{self, Format};
use crate::suppress;

/// Builds the per-secret report from the findings that passed the known-findings filter.
pub(crate) type SecretsView<'a> = Box<dyn FnOnce(Vec<Finding>, &mut CommitFilter) -> Audit + 'a>;

/// How the findings that pass the filters are reported.
pub(crate) enum View<'a> {
    /// One entry per finding.
    Findings,
    /// One entry per distinct secret (`audit`): built from the findings that passed the
    /// known-findings filter, asking the commit filter about the commits that hold each.
    Secrets(SecretsView<'a>),
}

/// Unreadable objects an audit lists on standard error; its report lists them all.
const MAX_LISTED: usize = 20;

impl Session {
    /// Filters the outcome, writes the baseline and the report (one entry per finding),
    /// prints the summary, and returns the exit code.
    pub(crate) fn finish(self, outcome: Outcome) -> Result<ExitCode> {
        self.finish_as(outcome, View::Findings)
    }

    /// [`Session::finish`], reporting through `view`.
    pub(crate) fn finish_as(mut self, outcome: Outcome, view: View) -> Result<ExitCode> {
        // Whatever a signal cut short is not a result: nothing is reported, not even a baseline.
        crate::interrupt::check()?;
        let Outcome {
            mut findings,
            mut summary,
            units,
        } = outcome;
        // rayon hands chunks back in any order, and CI diffs reports between runs, so the
        // output must not depend on thread timing.
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup_by(|a, b| {
            a.sort_key() == b.sort_key() && a.fingerprint == b.fingerprint && a.blob == b.blob
        });
        if !self.options.detect.show_secrets {
            report::redact::mask_shared_lines(&mut findings);
        }
        if let Some(baseline) = self.baseline.take() {
            let text = suppress::baseline_text(&findings);
            baseline.commit(|out| out.write_all(text.as_bytes()))?;
        }
        let mut commits = CommitFilter::new(&self.config);
        findings.retain(|finding| match &finding.commit {
            Some(commit) => !commits.allows(&finding.rule_id, &commit.id),
            None => true,
        });
        let mut known = Vec::new();
        findings.retain(|finding| {
            if self.suppressions.check(finding).is_none() {
                return true;
            }
            known.push(finding.clone());
            false
        });
        let (findings, audit) = match view {
            View::Findings => {
                summary.known += known.len() as u64;
                (findings, None)
            }
            View::Secrets(build) => {
                let mut audit = build(findings, &mut commits);
                // A secret counts as known when every place of it is known.
                let reported: HashSet<Fingerprint> = audit
                    .secrets
                    .iter()
                    .map(|s| s.finding.fingerprint)
                    .collect();
                let hidden: HashSet<Fingerprint> = known
                    .iter()
                    .map(|f| f.fingerprint)
                    .filter(|f| !reported.contains(f))
                    .collect();
                summary.known += hidden.len() as u64;
                audit.unreadable.clone_from(&summary.unreadable);
                let representatives = audit.secrets.iter().map(|s| s.finding.clone()).collect();
                (representatives, Some(audit))
            }
        };
        let unused = self
            .list_unused
            .then(|| unused::entries(&self.scanner, commits.unused(), &self.suppressions, &known));
        for finding in &findings {
            summary.count_finding(finding.confidence, self.block_on);
        }
        // The scanner caps findings per chunk, keeping the most confident. If what it dropped
        // would block, the run must still fail: a limit never turns a leak into a pass.
        if summary.capped_max.is_some_and(|c| c >= self.block_on) {
            summary.capped_blocking = summary.capped;
        }
        summary.max_file_size = self.options.detect.max_file_size;
        summary.warnings.extend(std::mem::take(&mut self.warnings));
        // Reports only need the rules that found something; copying all of them is start-up
        // cost a pre-commit hook pays on every run.
        let rules = rule_infos(&self.scanner, |id| {
            findings.iter().any(|f| &*f.rule_id == id)
        });
        let format = self.options.report.format;
        let ctx = report::Context {
            rules: &rules,
            show_secrets: self.options.detect.show_secrets,
            color: audit.is_none()
                && matches!(self.output, Output::Stdout)
                && format == Format::Text
                && report::text::color_wanted(!self.options.report.color),
            block_on: self.block_on,
            unused_allowlist: unused.as_deref(),
            coverage: report::coverage::Coverage {
                unreadable: &summary.unreadable,
                warnings: &summary.warnings,
                units: units.as_ref(),
            },
        };
        match &audit {
            None => self
                .output
                .write(|out| report::write(format, &findings, &ctx, out))?,
            Some(audit) => self
                .output
                .write(|out| audit::write(format, audit, &ctx, out))?,
        }
        let code = exit_code(&summary);
        if audit.is_some() {
            // A damaged pack can make thousands of objects unreadable: the report lists them
            // all, standard error the first few.
            if summary.unreadable.len() > MAX_LISTED {
                let more = summary.unreadable.len() - MAX_LISTED;
                summary.unreadable.truncate(MAX_LISTED);
                summary.unreadable.push((
                    format!("{more} more objects"),
                    "listed in the report".into(),
                ));
            }
        }
        if !self.options.report.quiet {
            let mut err = io::stderr().lock();
            let _ = summary.write(&mut err);
            if audit.is_some() && !summary.unreadable.is_empty() {
                let _ = writeln!(
                    err,
                    "leakward: the audit is incomplete: the secrets listed are only those in what could be read"
                );
            } else if audit.is_none() && (summary.blocking > 0 || summary.capped_blocking > 0) {
                let advice = Advice {
                    block_on: self.block_on,
                    commit: self.guards_commit,
                    baseline_written: self.options.report.write_baseline.as_deref(),
                    repositories: units.is_some(),
                };
                let _ = write_ways_forward(&mut err, &advice);
            }
        }
        // Asked for by name, so printed even with --quiet.
        if let Some(unused) = &unused {
            let _ = unused::write(&mut io::stderr().lock(), unused);
        }
        // Finishing is a run's last step, and the process exits next: freeing the rule set
        // (every spec, compiled regex and allowlist) would be a tenth of a pre-commit run's
        // work for memory that the exit returns anyway.
        std::mem::forget((self.scanner, self.config));
        Ok(code)
    }
}
