//! The checked options of a run, built once from what clap parsed (as fd builds its
//! `Config`). Everything after [`Run::new`] reads these plain values, never a clap type, and
//! finds them valid: combinations clap cannot refuse on its own are refused here, before
//! anything is read.

use std::path::{Path, PathBuf};

use crate::cli::{self, Command, CommonArgs, DetectArgs, RulesCommand};
use crate::error::{Error, Result};
use crate::finding::Confidence;
use crate::report::Format;

/// What decides the findings: rules, suppressions and limits.
#[derive(Debug, Clone)]
pub(crate) struct Detect {
    /// `--config`: a rules and settings file named by the operator.
    pub config: Option<PathBuf>,
    pub no_default_rules: bool,
    pub show_secrets: bool,
    /// `--baseline`: findings to leave out.
    pub baseline: Option<PathBuf>,
    /// Files and blobs larger than this (bytes) are skipped and counted.
    pub max_file_size: u64,
    pub max_findings_per_file: usize,
    pub report_invalid: bool,
}

/// How a run reports: format, destination, what blocks, what goes on standard error.
#[derive(Debug, Clone)]
pub(crate) struct Reporting {
    pub format: Format,
    /// `None`: standard output.
    pub output: Option<PathBuf>,
    pub write_baseline: Option<PathBuf>,
    /// False with `--no-color`; `NO_COLOR` and a terminal are checked when writing.
    pub color: bool,
    /// `--block-on`; `None`: the config's.
    pub block_on: Option<Confidence>,
    pub quiet: bool,
    /// `--threads`; `None`: one per core.
    pub threads: Option<usize>,
    /// `--list-unused-allowlist`.
    pub list_unused: bool,
}

/// Every option a scanning command shares.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub detect: Detect,
    pub report: Reporting,
}

/// What `scan` reads.
pub(crate) enum Input {
    /// Standard input (`-`).
    Stdin,
    /// Files and directories; `respect_ignore`: skip what `.gitignore` and `.ignore` exclude.
    Paths {
        paths: Vec<PathBuf>,
        respect_ignore: bool,
    },
}

/// Which commits `history` scans.
pub(crate) enum Request {
    /// Every ref.
    AllRefs,
    /// `A..B`, or one revision and its ancestors.
    Range(String),
    /// `--branch REF`.
    Branch(String),
    /// `--since REV`: `REV..HEAD`.
    Since(String),
    /// `--pr BASE`: `merge-base(BASE, HEAD)..HEAD`.
    Pr(String),
}

/// One run, as the command line asked for it.
pub(crate) enum Run {
    Scan {
        input: Input,
        /// Where `.leakward.toml` and `.leakwardignore` are looked up.
        root: PathBuf,
        options: Options,
    },
    Staged {
        repo: Option<PathBuf>,
        options: Options,
    },
    History {
        repo: PathBuf,
        request: Request,
        allow_shallow: bool,
        options: Options,
    },
    /// `history --repos LIST`: every repository of a list (or of one shard of it).
    Repos {
        list: PathBuf,
        shard: Option<crate::repos::Shard>,
        budget: crate::repos::Budget,
        /// `--cache DIR`.
        cache: Option<PathBuf>,
        allow_shallow: bool,
        options: Options,
    },
    PrePush {
        repo: PathBuf,
        /// The remote's name (`origin` when git gives none).
        remote: String,
        options: Options,
    },
    Audit {
        repo: PathBuf,
        options: Options,
    },
    Explain {
        path: PathBuf,
        line: Option<u32>,
        /// Where `.leakward.toml` and `.leakwardignore` are looked up, as `scan FILE` does.
        root: PathBuf,
        options: Options,
    },
    Rules(RulesRun),
    Install {
        repo: Option<PathBuf>,
        pre_push: bool,
        force: bool,
    },
    Uninstall {
        repo: Option<PathBuf>,
    },
    /// `leakward merge FILE...`.
    Merge {
        files: Vec<PathBuf>,
        options: Options,
    },
    /// `leakward shard LIST K/N`.
    Shard {
        list: PathBuf,
        shard: crate::repos::Shard,
    },
}

/// What `leakward rules` does.
pub(crate) enum RulesRun {
    List {
        config: Option<PathBuf>,
        no_default_rules: bool,
    },
    Show {
        id: String,
        config: Option<PathBuf>,
        no_default_rules: bool,
    },
    Check {
        file: Option<PathBuf>,
    },
}

impl Run {
    /// Checks what clap parsed and turns it into the run's options.
    pub(crate) fn new(cli: cli::Cli) -> Result<Run> {
        Ok(match cli.command {
            Command::Scan(args) => {
                let reads_stdin = args.paths.iter().any(|p| p == Path::new("-"));
                if reads_stdin && args.paths.len() > 1 {
                    return Err(Error::Usage(
                        "`-` (standard input) cannot be combined with other paths".into(),
                    ));
                }
                let root = scan_root(&args.paths);
                let options = Options::new(args.common, args.list_unused_allowlist)?;
                let input = if reads_stdin {
                    Input::Stdin
                } else {
                    Input::Paths {
                        paths: args.paths,
                        respect_ignore: !args.no_ignore,
                    }
                };
                Run::Scan {
                    input,
                    root,
                    options,
                }
            }
            Command::Staged(args) => Run::Staged {
                repo: args.repo,
                options: Options::new(args.common, args.list_unused_allowlist)?,
            },
            Command::History(args) if args.repos.is_some() => Run::Repos {
                list: args.repos.unwrap_or_default(),
                shard: args.shard,
                budget: crate::repos::Budget {
                    time: args.max_repo_time,
                    bytes: args.max_repo_bytes,
                },
                cache: args.cache,
                allow_shallow: args.allow_shallow,
                options: Options::new(args.common, args.list_unused_allowlist)?,
            },
            Command::History(args) => {
                let request = match (args.range, args.branch, args.since, args.pr) {
                    (Some(range), ..) => Request::Range(range),
                    (_, Some(branch), ..) => Request::Branch(branch),
                    (_, _, Some(rev), _) => Request::Since(rev),
                    (.., Some(base)) => Request::Pr(base),
                    (None, None, None, None) => Request::AllRefs,
                };
                Run::History {
                    repo: args.repo,
                    request,
                    allow_shallow: args.allow_shallow,
                    options: Options::new(args.common, args.list_unused_allowlist)?,
                }
            }
            Command::PrePush(args) => Run::PrePush {
                repo: args.repo,
                remote: args.remote.unwrap_or_else(|| "origin".into()),
                options: Options::new(args.common, false)?,
            },
            Command::Audit(args) => Run::Audit {
                repo: args.repo,
                options: Options::audit(args.common)?,
            },
            Command::Explain(args) => Run::Explain {
                root: scan_root(std::slice::from_ref(&args.path)),
                path: args.path,
                line: args.line,
                options: Options {
                    detect: Detect::new(args.detect),
                    report: Reporting::default(),
                },
            },
            Command::Rules(command) => Run::Rules(match command {
                RulesCommand::List(args) => RulesRun::List {
                    config: args.config,
                    no_default_rules: args.no_default_rules,
                },
                RulesCommand::Show { id, rules } => RulesRun::Show {
                    id,
                    config: rules.config,
                    no_default_rules: rules.no_default_rules,
                },
                RulesCommand::Check { file } => RulesRun::Check { file },
            }),
            Command::Install(args) => Run::Install {
                repo: args.repo,
                pre_push: args.pre_push,
                force: args.force,
            },
            Command::Uninstall(args) => Run::Uninstall { repo: args.repo },
            Command::Merge(args) => {
                let options = Options {
                    detect: Detect {
                        config: args.config,
                        no_default_rules: args.no_default_rules,
                        show_secrets: args.show_secrets,
                        baseline: args.baseline,
                        // Merge scans nothing: the limits of a scan do not apply.
                        max_file_size: u64::MAX,
                        max_findings_per_file: usize::MAX,
                        report_invalid: false,
                    },
                    report: Reporting {
                        format: args.report.format,
                        output: args.report.output,
                        color: !args.report.no_color,
                        block_on: args.block_on,
                        quiet: args.quiet,
                        ..Reporting::default()
                    },
                };
                options.check_files()?;
                let inputs: Vec<(&str, &Path)> =
                    args.files.iter().map(|f| ("merge", f.as_path())).collect();
                let outputs: Vec<(&str, &Path)> = options
                    .report
                    .output
                    .iter()
                    .map(|o| ("--output", o.as_path()))
                    .collect();
                crate::app::output::check_distinct(&outputs, &inputs)?;
                Run::Merge {
                    files: args.files,
                    options,
                }
            }
            Command::Shard(args) => Run::Shard {
                list: args.list,
                shard: args.shard,
            },
        })
    }
}

impl Options {
    /// The options of a scanning command that writes findings.
    fn new(common: CommonArgs, list_unused: bool) -> Result<Options> {
        Options::audit(common).map(|mut options| {
            options.report.list_unused = list_unused;
            options
        })
    }

    /// The options of `audit`, which writes every format.
    fn audit(common: CommonArgs) -> Result<Options> {
        let options = Options {
            detect: Detect::new(common.detect),
            report: Reporting {
                format: common.report.format,
                output: common.report.output,
                write_baseline: common.write_baseline,
                color: !common.report.no_color,
                block_on: common.block_on,
                quiet: common.quiet,
                threads: common.threads,
                list_unused: false,
            },
        };
        options.check_files()?;
        Ok(options)
    }

    /// Refuses outputs that would overwrite each other or a file the run reads.
    fn check_files(&self) -> Result<()> {
        fn named<'a>(flag: &'a str, path: &'a Option<PathBuf>) -> Option<(&'a str, &'a Path)> {
            path.as_deref().map(|p| (flag, p))
        }
        let outputs: Vec<_> = [
            named("--output", &self.report.output),
            named("--write-baseline", &self.report.write_baseline),
        ]
        .into_iter()
        .flatten()
        .collect();
        let inputs: Vec<_> = [
            named("--config", &self.detect.config),
            named("--baseline", &self.detect.baseline),
        ]
        .into_iter()
        .flatten()
        .collect();
        super::output::check_distinct(&outputs, &inputs)
    }
}

impl Detect {
    fn new(args: DetectArgs) -> Detect {
        Detect {
            config: args.config,
            no_default_rules: args.no_default_rules,
            show_secrets: args.show_secrets,
            baseline: args.baseline,
            max_file_size: args.max_file_size,
            max_findings_per_file: args.max_findings_per_file,
            report_invalid: args.report_invalid,
        }
    }
}

impl Default for Reporting {
    /// A text report on standard output, as `explain` writes.
    fn default() -> Self {
        Reporting {
            format: Format::Text,
            output: None,
            write_baseline: None,
            color: true,
            block_on: None,
            quiet: false,
            threads: None,
            list_unused: false,
        }
    }
}

/// Where `.leakward.toml` and `.leakwardignore` are looked up: the one directory given, or
/// the current directory.
fn scan_root(paths: &[PathBuf]) -> PathBuf {
    match paths {
        [only] if only.is_dir() => only.clone(),
        _ => PathBuf::from("."),
    }
}
