//! `leakward history --repos LIST [--shard K/N]`: every ref of every repository a list
//! names (or of the share one shard owns), each scanned as its own unit, in one process,
//! under one central policy. Each unit yields findings labelled with its repository and a
//! coverage record saying what was scanned of it; a unit that cannot be opened, or that runs
//! past its budget, is reported incomplete and the run goes on to the next, so one bad
//! repository neither stops a shard nor passes as clean.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use super::cache::{self, BlobCache};
use super::collect;
use crate::app::options::Options;
use crate::app::outcome::Outcome;
use crate::app::policy::Policy;
use crate::app::Session;
use crate::error::{Error, Result};
use crate::interrupt;
use crate::report::coverage::{RefHead, Skipped, UnitRecord, Units, UnreadableItem};
use crate::repos::{self, Budget, Shard, Spending, Unit};
use crate::source::git::{self, shallow, walk, ObjectId};

/// Runs `history --repos`.
pub(crate) fn run(
    list: &Path,
    shard: Option<Shard>,
    (budget, cache_dir): (Budget, Option<&Path>),
    allow_shallow: bool,
    options: &Options,
) -> Result<ExitCode> {
    let started = Instant::now();
    let listed = repos::read_list(list)?;
    let owned: Vec<&Unit> = match shard {
        Some(shard) => shard.select(&listed),
        None => listed.iter().collect(),
    };
    let mut session = Session::with_policy(options, &Policy::Central, true)?;
    session.accept_shallow(allow_shallow);
    let rules = session.config.rule_set_hash();
    let detect = &options.detect;
    let key = cache::Key {
        rules: rules.clone(),
        max_file_size: detect.max_file_size,
        max_findings_per_file: detect.max_findings_per_file,
        report_invalid: detect.report_invalid,
    };
    let mut total = Outcome::new("blob");
    let mut records = Vec::with_capacity(owned.len());
    for unit in owned {
        interrupt::check()?;
        let unit_started = Instant::now();
        let spending = Spending::start(budget);
        let mut cache = match cache_dir {
            Some(dir) => Some(BlobCache::open(dir, &unit.name, &key)?),
            None => None,
        };
        let UnitScan {
            mut outcome,
            refs,
            commits,
        } = match scan_unit(&session, unit, &spending, cache.as_mut()) {
            Ok(scanned) => {
                if let Some(cache) = &cache {
                    cache.save()?;
                }
                scanned
            }
            // A signal ends the run; anything else ends only this unit.
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(error) => {
                let mut failed = Outcome::new("blob");
                failed.summary.unreadable.push((
                    "the repository".into(),
                    crate::scan::allow::one_line(&error.to_string()),
                ));
                UnitScan {
                    outcome: failed,
                    refs: Vec::new(),
                    commits: 0,
                }
            }
        };
        if let Some(why) = spending.exceeded() {
            outcome
                .summary
                .unreadable
                .push(("the rest of its history".into(), why.to_string()));
        }
        let name: Arc<str> = Arc::from(unit.name.as_str());
        for finding in &mut outcome.findings {
            finding.repository = Some(name.clone());
        }
        records.push(record(
            unit,
            &outcome,
            refs,
            commits,
            unit_started.elapsed(),
            (&rules, session.max_file_size()),
        ));
        total.absorb(outcome, |what| format!("{}: {what}", unit.name));
    }
    total.units = Some(Units {
        records,
        rules,
        block_on: session.block_on,
    });
    total.summary.elapsed = started.elapsed();
    session.finish(total)
}

/// What scanning one repository gave.
struct UnitScan {
    outcome: Outcome,
    /// Its refs, with the commit each pointed at.
    refs: Vec<(String, ObjectId)>,
    /// How many commits were walked.
    commits: u64,
}

/// Scans every ref of one repository.
fn scan_unit(
    session: &Session,
    unit: &Unit,
    spending: &Spending,
    cache: Option<&mut BlobCache>,
) -> Result<UnitScan> {
    let repo = git::open_listed(&unit.path)?;
    let boundary = shallow::boundary(&repo)?;
    let refs = walk::ref_heads(&repo, None)?;
    let selection = walk::all_refs(&repo)?;
    let commits = walk::commits(&repo, &selection)?;
    let outcome = collect(session, repo, &commits, &boundary, Some(spending), cache)?;
    Ok(UnitScan {
        outcome,
        refs,
        commits: commits.len() as u64,
    })
}

/// The coverage record of one unit.
fn record(
    unit: &Unit,
    outcome: &Outcome,
    refs: Vec<(String, ObjectId)>,
    commits: u64,
    elapsed: std::time::Duration,
    (rules, max_file_size): (&str, u64),
) -> UnitRecord {
    let summary = &outcome.summary;
    let unreadable: Vec<UnreadableItem> = summary
        .unreadable
        .iter()
        .map(|(what, why)| UnreadableItem {
            what: what.clone(),
            why: why.clone(),
        })
        .collect();
    let reason = match unreadable.as_slice() {
        [] => None,
        [only] => Some(format!("{}: {}", only.what, only.why)),
        [first, rest @ ..] => Some(format!(
            "{}: {} (and {} more unreadable)",
            first.what,
            first.why,
            rest.len()
        )),
    };
    let mut skipped = Vec::new();
    if summary.skipped_too_large > 0 {
        skipped.push(Skipped {
            why: format!("larger than --max-file-size ({} bytes)", max_file_size),
            count: summary.skipped_too_large,
        });
    }
    UnitRecord {
        repository: unit.name.clone(),
        complete: unreadable.is_empty(),
        reason,
        refs: refs
            .into_iter()
            .map(|(name, head)| RefHead {
                name,
                head: head.to_string(),
            })
            .collect(),
        commits,
        blobs: summary.scanned,
        bytes: summary.bytes,
        cached: summary.cached,
        skipped,
        unreadable,
        warnings: summary.warnings.clone(),
        duration_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        rules: rules.into(),
    }
}
