//! `leakward merge FILE...`: the JSON Lines reports of `history --repos` shards, read back
//! whole ([`shards::read`]) and finished as one run over every repository they cover: any
//! report format, the same filters, the same exit code. Shards merge only when they are of
//! one run: the same tool version and rule set (this merge's, so that its rule descriptions
//! are theirs), the same blocking level, and no repository covered twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::options::Options;
use super::outcome::Outcome;
use super::policy::Policy;
use super::Session;
use crate::error::{Error, Result};
use crate::path_text::from_path;
use crate::report::coverage::Units;
use crate::report::shards::{self, ShardReport};

/// Runs `leakward merge`.
pub(super) fn run(files: &[PathBuf], options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let shards = files
        .iter()
        .map(|file| shards::read(file))
        .collect::<Result<Vec<_>>>()?;
    let mut session = Session::with_policy(options, &Policy::Central, false)?;
    let rules = session.config.rule_set_hash();
    check_one_run(&shards, &rules, options)?;
    if options.report.block_on.is_none() {
        session.block_on = agreed_block_on(&shards)?;
    }
    if options.detect.show_secrets {
        for shard in shards.iter().filter(|s| s.redacted) {
            session.warn(format!(
                "{} was written with secrets redacted: they stay redacted",
                from_path(&shard.path)
            ));
        }
    }
    let mut outcome = Outcome::new("blob");
    let mut records = Vec::new();
    for shard in shards {
        let summary = &mut outcome.summary;
        for unit in &shard.units {
            summary.scanned += unit.blobs;
            summary.bytes += unit.bytes;
            summary.cached += unit.cached;
            summary.skipped_too_large += unit.skipped.iter().map(|s| s.count).sum::<u64>();
            summary.warnings.extend(unit.warnings.iter().cloned());
            summary.unreadable.extend(
                unit.unreadable
                    .iter()
                    .map(|u| (format!("{}: {}", unit.repository, u.what), u.why.clone())),
            );
        }
        records.extend(shard.units);
        outcome.findings.extend(shard.findings);
    }
    records.sort_by(|a, b| a.repository.cmp(&b.repository));
    outcome.units = Some(Units {
        records,
        rules,
        block_on: session.block_on,
    });
    outcome.summary.elapsed = started.elapsed();
    session.finish(outcome)
}

/// Refuses shards that are not of one run: another tool version, another rule set than
/// this merge's, or a repository that two of them cover.
fn check_one_run(shards: &[ShardReport], rules: &str, options: &Options) -> Result<()> {
    let refuse = |path: &Path, reason: String| Error::Input {
        path: path.to_path_buf(),
        reason: reason.into(),
    };
    let version = env!("CARGO_PKG_VERSION");
    let mut covered: HashMap<&str, &Path> = HashMap::new();
    let mut files: HashMap<PathBuf, &Path> = HashMap::new();
    for shard in shards {
        let same = std::fs::canonicalize(&shard.path).unwrap_or_else(|_| shard.path.clone());
        if let Some(first) = files.insert(same, &shard.path) {
            return Err(Error::Usage(format!(
                "{} and {} are the same file: name each shard's report once",
                from_path(first),
                from_path(&shard.path)
            )));
        }
        let versions = std::iter::once(&shard.end.tool_version)
            .chain(shard.units.iter().map(|u| &u.tool_version));
        if let Some(other) = versions.into_iter().find(|v| v.as_str() != version) {
            return Err(refuse(
                &shard.path,
                format!("was written by leakward {other}, and this is leakward {version}: merge shards with the version that scanned them"),
            ));
        }
        let sets = std::iter::once(&shard.end.rules).chain(shard.units.iter().map(|u| &u.rules));
        if let Some(other) = sets.into_iter().find(|r| r.as_str() != rules) {
            let ours = match &options.detect.config {
                Some(config) => format!("the built-in rules with --config {}", from_path(config)),
                None => "the built-in rules".into(),
            };
            return Err(refuse(
                &shard.path,
                format!("was scanned with rule set {other}, not this merge's {rules} ({ours}): merge with the --config the shards used, and merge only shards of one run"),
            ));
        }
        for unit in &shard.units {
            if let Some(first) = covered.insert(&unit.repository, &shard.path) {
                return Err(refuse(
                    &shard.path,
                    format!(
                        "covers repository `{}`, which {} covers too: each repository must be scanned by exactly one shard",
                        unit.repository,
                        from_path(first)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The blocking level every shard used; shards that disagree need `--block-on`.
fn agreed_block_on(shards: &[ShardReport]) -> Result<crate::finding::Confidence> {
    let first = shards[0].end.block_on;
    match shards.iter().find(|s| s.end.block_on != first) {
        None => Ok(first),
        Some(other) => Err(Error::Usage(format!(
            "{} blocked at {first} and {} at {}: say which applies with --block-on",
            from_path(&shards[0].path),
            from_path(&other.path),
            other.end.block_on
        ))),
    }
}
