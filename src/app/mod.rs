//! Wires the stages: config → source → scan → filters → report, and the exit policy.
//!
//! Every scanning command builds a [`Session`], feeds it findings from its source, and calls
//! [`Session::finish`], so suppression, sorting, reporting and exit codes behave the same
//! everywhere.

mod audit;
mod carry;
mod explain;
mod filters;
mod finish;
mod history;
mod install;
mod merge;
mod options;
mod outcome;
mod output;
mod phases;
mod policy;
mod pre_push;
mod rules;
mod scan;
mod shard;
mod staged;
mod unused;

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::cli::Cli;
use crate::config::Config;
use crate::error::{Error, IoFailure, Result};
use crate::finding::{Confidence, Finding};
use crate::report::{summary::Summary, RuleInfo};
use crate::scan::{Limits, Options as ScanOptions, Scanner};
use crate::suppress::{self, Suppressions};
use options::{Options, Run};
use policy::Policy;

/// Runs one command line and returns the process exit code.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    match Run::new(cli)? {
        Run::Scan {
            input,
            root,
            options,
        } => scan::run(input, &root, &options),
        Run::Rules(rules) => rules::run(rules),
        Run::Explain {
            path,
            line,
            root,
            options,
        } => explain::run(&path, line, &root, &options),
        Run::History {
            repo,
            request,
            allow_shallow,
            options,
        } => history::run(&repo, &request, allow_shallow, &options),
        Run::Repos {
            list,
            shard,
            budget,
            cache,
            allow_shallow,
            options,
        } => history::run_repos(
            &list,
            shard,
            (budget, cache.as_deref()),
            allow_shallow,
            &options,
        ),
        Run::PrePush {
            repo,
            remote,
            options,
        } => pre_push::run(&repo, &remote, &options),
        Run::Audit { repo, options } => audit::run(&repo, &options),
        Run::Staged { repo, options } => staged::run(repo.as_deref(), &options),
        Run::Install {
            repo,
            pre_push,
            force,
        } => install::install(repo.as_deref(), pre_push, force),
        Run::Uninstall { repo } => install::uninstall(repo.as_deref()),
        Run::Shard { list, shard } => shard::run(&list, shard),
        Run::Merge { files, options } => merge::run(&files, &options),
    }
}

/// The exit policy: 2 if anything could not be read, else 1 if a finding blocks, else 0.
pub(crate) fn exit_code(summary: &Summary) -> ExitCode {
    if !summary.unreadable.is_empty() {
        ExitCode::from(2)
    } else if summary.blocking > 0 || summary.capped_blocking > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A prepared run: configuration, compiled scanner, suppressions and an open output.
pub(crate) struct Session {
    pub scanner: Scanner,
    pub config: Config,
    options: Options,
    suppressions: Suppressions,
    output: Output,
    /// `--write-baseline`, opened with the output so a bad path fails before the scan.
    baseline: Option<output::Pending>,
    block_on: Confidence,
    /// The run guards a commit: the block message says how to fix the staged file.
    guards_commit: bool,
    /// `--list-unused-allowlist`: list the user's entries that suppressed nothing.
    list_unused: bool,
    /// Lines for the summary: policy files not applied, and why.
    warnings: Vec<String>,
    /// History past a shallow clone's boundary may go unscanned without making the run
    /// incomplete (`--allow-shallow`, and pre-push, which scans everything it pushes).
    accepts_shallow: bool,
}

enum Output {
    Stdout,
    File(output::Pending),
}

impl Output {
    /// Writes a report and flushes it. A closed standard output (`leakward scan | head`) is
    /// the reader's choice and ends quietly; any other failure names where it happened.
    fn write(self, report: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        match self {
            Output::Stdout => {
                let mut out = BufWriter::new(io::stdout().lock());
                match report(&mut out).and_then(|()| out.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    Err(source) => Err(Error::Io {
                        context: "cannot write the report to standard output".into(),
                        source: IoFailure(source),
                    }),
                    Ok(()) => Ok(()),
                }
            }
            Output::File(pending) => pending.commit(report),
        }
    }
}

impl Session {
    /// Loads configuration for `root`, compiles the scanner and opens the output, so that a
    /// bad config or an unwritable output fails before any scanning.
    pub(crate) fn new(options: &Options, root: &Path) -> Result<Session> {
        Session::with_policy(options, &Policy::Directory(root.to_path_buf()))
    }

    /// [`Session::new`] with the policy files read from where `policy` says.
    fn with_policy(options: &Options, policy: &Policy) -> Result<Session> {
        start_threads(options.report.threads)?;
        let policy::Loaded {
            config,
            suppressions,
            warnings,
        } = policy.load(&options.detect)?;
        let scan_options = ScanOptions {
            limits: Limits {
                max_findings_per_chunk: options.detect.max_findings_per_file,
            },
            report_invalid: options.detect.report_invalid,
            ..ScanOptions::default()
        };
        let scanner = Scanner::new(&config, scan_options)?;
        let baseline = match &options.report.write_baseline {
            None => None,
            Some(path) => Some(output::Pending::create(path)?),
        };
        let output = match &options.report.output {
            None => Output::Stdout,
            Some(path) => Output::File(output::Pending::create(path)?),
        };
        Ok(Session {
            block_on: options.report.block_on.unwrap_or(config.block_on),
            scanner,
            config,
            list_unused: options.report.list_unused,
            options: options.clone(),
            suppressions,
            output,
            baseline,
            guards_commit: false,
            warnings,
            accepts_shallow: false,
        })
    }

    /// Marks the run as the pre-commit check, so a block message speaks of the commit.
    pub(crate) fn guard_commit(&mut self) {
        self.guards_commit = true;
    }

    /// Adds a line to the summary's warnings.
    pub(crate) fn warn(&mut self, line: String) {
        self.warnings.push(line);
    }

    /// Lets history past a shallow clone's boundary go unscanned with a warning, not as an
    /// incomplete scan.
    pub(crate) fn accept_shallow(&mut self, accept: bool) {
        self.accepts_shallow = accept;
    }

    /// Why `finding` would be hidden, with the ignore-file or baseline entry that hides it.
    pub(crate) fn known_entry(
        &self,
        finding: &Finding,
    ) -> Option<(suppress::Suppressed, crate::scan::usage::AllowEntry)> {
        self.suppressions.entry_of(finding)
    }

    /// Whether reports show secrets in full.
    pub(crate) fn show_secrets(&self) -> bool {
        self.options.detect.show_secrets
    }

    /// The configured size limit for files and blobs.
    pub(crate) fn max_file_size(&self) -> u64 {
        self.options.detect.max_file_size
    }
}

/// Starts the scan's workers: `threads` (`--threads`), at most [`THREADS_PER_CORE`] per core,
/// or one per core. More buy nothing on a scan that is bound by the CPU, and tens of
/// thousands abort or hang the process. The pool is built here, not on first use, so that a
/// process limit that forbids the threads is an error, not a panic inside rayon.
fn start_threads(threads: Option<usize>) -> Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let most = cores.saturating_mul(THREADS_PER_CORE);
    let threads = threads.unwrap_or(cores).max(1);
    if threads > most {
        return Err(Error::Usage(format!(
            "--threads {threads} is more than {most} ({THREADS_PER_CORE} per core on {cores} cores); use at most {most}"
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| {
            let cause = e.to_string();
            let cause = cause.split(" (os error").next().unwrap_or(&cause).to_lowercase();
            Error::Usage(format!(
                "cannot start {threads} worker threads: {cause}; lower --threads or raise the process limit (ulimit -u)"
            ))
        })
}

/// The most worker threads per core that `--threads` accepts.
const THREADS_PER_CORE: usize = 8;

/// What the block message needs to know about the run.
struct Advice<'a> {
    block_on: Confidence,
    /// The run guards a commit: add what applies to a blocked commit.
    commit: bool,
    /// `--write-baseline`: the findings are in a baseline already.
    baseline_written: Option<&'a Path>,
    /// A multi-repository run, which applies no repository's ignore files: only a baseline.
    repositories: bool,
}

/// What a user can do about blocking findings.
fn write_ways_forward(out: &mut dyn Write, advice: &Advice) -> io::Result<()> {
    let Advice {
        block_on,
        commit,
        baseline_written,
        repositories,
    } = *advice;
    if repositories {
        return writeln!(
            out,
            "leakward: blocked by findings at or above {block_on} confidence. Ways forward:\n  \
             1. remove each secret, and rotate it: treat it as exposed\n  \
             2. to accept findings as known (false positives, rotated secrets), write them to a baseline of the organisation's scan with --write-baseline FILE, and pass --baseline FILE to later scans and merges"
        );
    }
    // The run that wrote a baseline is not told to write one: it says what comes next.
    let accept = match baseline_written {
        Some(path) => format!(
            "to accept them as known findings: they are now in the baseline {}; commit it, and scan with --baseline {0} (the pre-commit hook does when {BASELINE} exists)",
            crate::path_text::from_path(path)
        ),
        None => format!(
            "to accept it as a known finding, add it to the baseline: leakward scan . --write-baseline {BASELINE}, then scan with --baseline {BASELINE} (the pre-commit hook does when that file exists)"
        ),
    };
    let remove = if commit {
        "remove the secret from the file and `git add` it again; rotate it if it was ever pushed or shared"
    } else {
        "remove the secret, and rotate it: treat it as exposed"
    };
    writeln!(
        out,
        "leakward: blocked by findings at or above {block_on} confidence. Ways forward:\n  \
         1. {remove}\n  \
         2. if it is a false positive, add `leakward:allow` in a comment on its line, or add the `allow:` line's fingerprint and path to .leakwardignore\n  \
         3. {accept}"
    )?;
    if commit {
        writeln!(
            out,
            "leakward: to commit anyway, on purpose: git commit --no-verify (a pre-push hook or CI can still catch it)"
        )?;
    }
    Ok(())
}

/// Where the README and the pre-commit hook expect the baseline.
const BASELINE: &str = ".leakward-baseline.json";

/// What the reports need to know about the scanner's rules whose id `wanted` accepts.
fn rule_infos(scanner: &Scanner, wanted: impl Fn(&str) -> bool) -> Vec<RuleInfo> {
    scanner
        .rules()
        .iter()
        .filter(|r| wanted(&r.id))
        .map(|r| RuleInfo {
            id: r.id.to_string(),
            description: r.description.clone(),
            confidence: r.confidence,
            remediation: r.remediation.clone(),
        })
        .collect()
}
