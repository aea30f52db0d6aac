//! Command-line definitions (clap) and nothing else: `app::options` turns what clap parsed
//! into the checked options the rest of the program reads.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::finding::Confidence;
use crate::report::Format;

/// Finds API keys, tokens, passwords and private keys before they leave your machine.
#[derive(Debug, Parser)]
#[command(name = "leakward", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan files and directories (or `-` for standard input).
    Scan(ScanCommand),
    /// List, show and check rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Scan what `git commit` would record: the lines the staged changes add.
    Staged(StagedCommand),
    /// Install leakward's git hooks (pre-commit, and pre-push with --pre-push).
    Install(InstallCommand),
    /// Remove leakward's git hooks, leaving any other hook alone.
    Uninstall(UninstallCommand),
    /// Show, for one file, which rules were candidates, what they matched, and which stage
    /// reported or suppressed each match.
    Explain(ExplainCommand),
    /// Scan git history: the commits of all refs, a ref or a range, each unique blob once,
    /// every finding attributed to the commit that added its line.
    History(HistoryCommand),
    /// Scan the commits a `git push` sends; run by the pre-push hook with git's lines on stdin.
    PrePush(PrePushCommand),
    /// Incident response: scan every object of a repository, reachable or not, and report
    /// each distinct secret with its lifecycle (first and last commit, paths, what reaches it).
    Audit(AuditCommand),
    /// Print the repositories of a list that shard K of N owns, one per line as listed, so
    /// that the job around leakward fetches just those (leakward never fetches).
    Shard(ShardCommand),
    /// Merge the JSON Lines reports of `history --repos` shards into one report of any
    /// format, with the exit code of a single run over every repository.
    Merge(MergeCommand),
}

#[derive(Debug, Args)]
pub(crate) struct MergeCommand {
    /// The shards' reports (`history --repos ... -f jsonl`).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The config file the shards scanned with: merge checks that its rule set is theirs,
    /// and reports with its rules' descriptions and remediation.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The shards used only the config file's rules.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Report only findings that are not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Print secrets in full, where the shards wrote them in full.
    #[arg(long)]
    pub show_secrets: bool,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Lowest confidence that fails the run with exit code 1 [default: the shards'].
    #[arg(long, value_name = "LEVEL")]
    pub block_on: Option<Confidence>,
    /// Do not print the summary on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ShardCommand {
    /// The repository list: one path or `name=path` per line, `#` comments.
    pub list: PathBuf,
    /// Which shard: K/N, shard K of N counted from 1 (e.g. 2/8).
    #[arg(value_name = "K/N")]
    pub shard: crate::repos::Shard,
}

#[derive(Debug, Args)]
pub(crate) struct AuditCommand {
    /// The repository: a work tree, a bare clone or a mirror (any directory inside it).
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("selection").args(["range", "branch", "since", "pr"])))]
pub(crate) struct HistoryCommand {
    /// A range `A..B` (commits reachable from B and not from A), or one revision and its
    /// ancestors [default: every ref: branches, tags, remote-tracking refs, the stash].
    pub range: Option<String>,
    /// Scan one ref (a branch, tag or commit) and its ancestors.
    #[arg(long, value_name = "REF")]
    pub branch: Option<String>,
    /// Scan `REV..HEAD`: what HEAD added since REV.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// Scan what a pull request of HEAD into BASE introduces: `merge-base(BASE, HEAD)..HEAD`.
    #[arg(long, value_name = "BASE")]
    pub pr: Option<String>,
    /// After the scan, list on standard error every allowlist entry of yours (config
    /// allowlists, allowed commits, ignore files, the baseline) that suppressed nothing.
    #[arg(long)]
    pub list_unused_allowlist: bool,
    /// In a shallow clone, scan the history the clone holds and accept that older history
    /// goes unscanned (a warning in every report). Without it such a scan is incomplete
    /// (exit code 2).
    #[arg(long)]
    pub allow_shallow: bool,
    /// The repository (any directory inside it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    /// Scan every ref of every repository listed in FILE (one local path or bare clone per
    /// line, or `name=path`; `#` comments), each as its own unit with a coverage record,
    /// judged by the built-in rules and `--config` only (a listed repository's own
    /// `.leakward.toml` and `.leakwardignore` are not applied).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["selection", "repo"])]
    pub repos: Option<PathBuf>,
    /// With `--repos`: scan only the repositories that shard K of N owns (K from 1), as
    /// `leakward shard FILE K/N` prints them.
    #[arg(long, value_name = "K/N", requires = "repos")]
    pub shard: Option<crate::repos::Shard>,
    /// With `--repos`: stop scanning a repository after this long (`90s`, `20m`, `1h30m`);
    /// it is then reported incomplete (exit code 2), never as clean.
    #[arg(long, value_name = "DURATION", requires = "repos", value_parser = parse_duration)]
    pub max_repo_time: Option<std::time::Duration>,
    /// With `--repos`: stop scanning a repository after this many blob bytes (`512M`,
    /// `20G`); it is then reported incomplete (exit code 2), never as clean.
    #[arg(long, value_name = "SIZE", requires = "repos", value_parser = parse_size)]
    pub max_repo_bytes: Option<u64>,
    /// With `--repos`: remember in DIR which blobs of each repository were scanned clean
    /// under this rule set, and scan only new blobs next time (every finding is still
    /// reported). A changed rule set, version or limit starts the cache afresh.
    #[arg(long, value_name = "DIR", requires = "repos")]
    pub cache: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub(crate) struct PrePushCommand {
    /// The remote's name, as git passes it to the hook (informational).
    pub remote: Option<String>,
    /// The remote's URL, as git passes it to the hook (informational).
    pub url: Option<String>,
    /// The repository (any directory inside it).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainCommand {
    /// The file to explain (`-` for standard input).
    pub path: PathBuf,
    /// Only explain matches that start on this 1-based line.
    #[arg(long, value_name = "N")]
    pub line: Option<u32>,
    #[command(flatten)]
    pub detect: DetectArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ScanCommand {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Scan files that .gitignore and .ignore exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// After the scan, list on standard error every allowlist entry of yours (config
    /// allowlists, allowed commits, ignore files, the baseline) that suppressed nothing.
    #[arg(long)]
    pub list_unused_allowlist: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub(crate) struct StagedCommand {
    /// The repository [default: the one that contains the current directory].
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// After the scan, list on standard error every allowlist entry of yours (config
    /// allowlists, allowed commits, ignore files, the baseline) that suppressed nothing.
    #[arg(long)]
    pub list_unused_allowlist: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub(crate) struct InstallCommand {
    /// Also install the pre-push hook, which scans the commits being pushed.
    #[arg(long)]
    pub pre_push: bool,
    /// Replace existing hooks that are not leakward's (a copy is kept next to them).
    #[arg(long)]
    pub force: bool,
    /// The repository [default: the one that contains the current directory].
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct UninstallCommand {
    /// The repository [default: the one that contains the current directory].
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
}

/// Where and how a report is written: every command that writes findings takes these.
#[derive(Debug, Args, Clone)]
pub(crate) struct ReportArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Never use color (also: the NO_COLOR environment variable).
    #[arg(long)]
    pub no_color: bool,
}

/// Options shared by every scanning command: what to detect, and how to report it.
#[derive(Debug, Args, Clone)]
pub(crate) struct CommonArgs {
    #[command(flatten)]
    pub detect: DetectArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Write every current finding's fingerprint to FILE as a baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Lowest confidence that fails the run with exit code 1 [default: high, or the config's].
    #[arg(long, value_name = "LEVEL")]
    pub block_on: Option<Confidence>,
    /// Do not print the summary on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Worker threads [default: one per core].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

/// What decides the findings: rules, suppressions and limits. `explain` takes only these:
/// it writes no report, so report flags would be silently ignored there.
#[derive(Debug, Args, Clone)]
pub(crate) struct DetectArgs {
    /// Rules and settings to add to the built-in rules (default: .leakward.toml at the root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use only the rules of the config file, not the built-in catalog.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Print secrets in full instead of redacted.
    #[arg(long)]
    pub show_secrets: bool,
    /// Report only findings that are not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Skip files larger than this (bytes, or with K, M, G suffix).
    #[arg(long, value_name = "SIZE", default_value = "10M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Keep at most this many findings per file.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub max_findings_per_file: usize,
    /// Also report tokens whose checksum fails (low): they are typos or made-up values,
    /// not credentials, and are dropped by default.
    #[arg(long)]
    pub report_invalid: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// List every rule: id, confidence, keywords and description.
    List(RulesArgs),
    /// Show one rule in full.
    Show {
        /// The rule id.
        id: String,
        #[command(flatten)]
        rules: RulesArgs,
    },
    /// Validate a rules file and run its examples and counterexamples.
    Check {
        /// The rules file [default: the built-in catalog].
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Include the rules of this config file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use only the config file's rules.
    #[arg(long)]
    pub no_default_rules: bool,
}

/// Parses a positive duration: `90s`, `20m`, `1h30m`, `1.5h` or ISO 8601 (`PT20M`).
pub(crate) fn parse_duration(text: &str) -> Result<std::time::Duration, crate::error::Reason> {
    let bad = || format!("`{text}` is not a duration (examples: 90s, 20m, 1h30m)");
    let duration: jiff::SignedDuration = text.trim().parse().map_err(|_| bad())?;
    match std::time::Duration::try_from(duration) {
        Ok(duration) if !duration.is_zero() => Ok(duration),
        _ => Err(format!("`{text}` is not a positive duration").into()),
    }
}

/// Parses `1234`, `64K`, `10M`, `1G` (binary multiples; a trailing `B` or `iB` is allowed).
pub(crate) fn parse_size(text: &str) -> Result<u64, crate::error::Reason> {
    let upper = text.trim().to_ascii_uppercase();
    let number = upper.trim_end_matches("IB").trim_end_matches('B');
    let (digits, shift) = match number.chars().last() {
        Some('K') => (&number[..number.len() - 1], 10),
        Some('M') => (&number[..number.len() - 1], 20),
        Some('G') => (&number[..number.len() - 1], 30),
        _ => (number, 0),
    };
    let value: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a size (examples: 1048576, 512K, 10M, 1G)"))?;
    value
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_friendly_and_iso_forms_and_must_be_positive() {
        let cases: &[(&str, Option<u64>)] = &[
            ("90s", Some(90)),
            ("20m", Some(1200)),
            ("1h30m", Some(5400)),
            ("PT2M", Some(120)),
            ("0s", None),
            ("-5m", None),
            ("20", None),
            ("soon", None),
        ];
        for &(text, want) in cases {
            let got = parse_duration(text).ok().map(|d| d.as_secs());
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        let cases: &[(&str, Option<u64>)] = &[
            ("1234", Some(1234)),
            ("64K", Some(64 << 10)),
            ("10M", Some(10 << 20)),
            ("10MiB", Some(10 << 20)),
            ("1g", Some(1 << 30)),
            ("ten", None),
            ("", None),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_size(text).ok(), want, "{text:?}");
        }
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
