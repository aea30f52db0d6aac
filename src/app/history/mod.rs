//! `leakward history`: select commits, find the blobs they introduce, scan each unique blob
//! once in parallel, then attribute each finding to the commits that added its line.

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

mod cache;
mod repos;
mod select;

pub(super) use repos::run as run_repos;

use super::carry;
use super::options::{Options, Request};
use super::outcome::{scan_blob, Outcome, Piece};
use super::phases::Phases;
use super::policy::{Policy, Review};
use super::Session;
use crate::error::Result;
use crate::interrupt;
use crate::report::progress;
use crate::repos::Spending;
use crate::source::git::history;
use crate::source::git::pack_delta::Decoded;
use crate::source::git::{self, attribution, packs, repo as git_repo, shallow, walk, ObjectId};
use select::{select, Judge, Selected};

/// Runs `leakward history` on the repository at `repo`: the commits `request` selects.
/// `allow_shallow`: history past a shallow clone's boundary may go unscanned.
pub(super) fn run(
    repo: &Path,
    request: &Request,
    allow_shallow: bool,
    options: &Options,
) -> Result<ExitCode> {
    let started = Instant::now();
    let repo = git::open(repo)?;
    let boundary = shallow::boundary(&repo)?;
    let selected = select(&repo, request, !boundary.is_empty()).map_err(|e| {
        if boundary.is_empty() {
            e
        } else {
            e.advise_git(&format!(
                "this is a shallow clone: {}",
                shallow::FETCH_ADVICE
            ))
        }
    })?;
    let Selected {
        selection,
        request: range,
        judge,
        note,
    } = selected;
    if let (Request::Pr(base), true) = (request, selection.hidden.is_empty()) {
        if !boundary.is_empty() {
            let base_id = walk::commit(&repo, base)?;
            return Err(shallow::incomplete(
                &format!("`--pr {base}`"),
                &format!("the merge base of {base_id} and HEAD"),
            ));
        }
    }
    let commits = walk::commits(&repo, &selection)?;
    if let Some(range) = range {
        // A range that reaches the boundary would count everything the boundary commit
        // holds as added inside the range: only the missing parents can say what it added.
        if let Some(parent) = git_repo::missing_parent(&repo, &commits, &boundary) {
            return Err(shallow::incomplete(&range, &format!("commit {parent}")));
        }
    }
    let policy = match judge {
        Judge::Own => Policy::Directory(git_repo::root_of(&repo)),
        Judge::Base(base) => Policy::Review(Review {
            repo: &repo,
            base,
            tips: selection.tips.clone(),
            pushed_baseline: false,
        }),
    };
    let mut session = Session::with_policy(options, &policy)?;
    drop(policy);
    if let Some(note) = note {
        session.warn(note);
    }
    session.accept_shallow(allow_shallow);
    scan_commits(session, repo, &commits, &boundary, started)
}

/// Scans what `commits` introduce and finishes the session: the shared back half of
/// `history` and `pre-push`. `boundary` is the shallow boundary ([`shallow::boundary`]).
pub(super) fn scan_commits(
    session: Session,
    repo: git::Repository,
    commits: &[ObjectId],
    boundary: &HashSet<ObjectId>,
    started: Instant,
) -> Result<ExitCode> {
    let mut outcome = collect(&session, repo, commits, boundary, None, None)?;
    outcome.summary.elapsed = started.elapsed();
    session.finish(outcome)
}

/// Scans what `commits` introduce: each unique blob once, in parallel, each finding
/// attributed to the commits that added its line. With `spending`, blobs past its budget are
/// not scanned; the caller reports the unit as stopped ([`Spending::exceeded`]). With
/// `cache`, blobs it holds as clean are counted, not decoded, and the blobs this run finds
/// clean are added to it.
pub(super) fn collect(
    session: &Session,
    repo: git::Repository,
    commits: &[ObjectId],
    boundary: &HashSet<ObjectId>,
    spending: Option<&Spending>,
    mut cache: Option<&mut cache::BlobCache>,
) -> Result<Outcome> {
    let mut outcome = Outcome::new("blob");
    let reached = commits.iter().filter(|id| boundary.contains(*id)).count();
    // History older than the boundary is not in the clone: a scan of every ref that stops
    // there did not scan what it was asked to, unless the user accepted that.
    if reached > 0 && session.accepts_shallow {
        outcome.summary.warnings.push(shallow::warning(reached));
    } else if reached > 0 {
        outcome.summary.unreadable.push(shallow::missing(reached));
    }
    // The commit walk's pages go before the diffs map their own: a pack that `git
    // fast-import` wrote and nobody repacked spreads its commits through the whole pack, and
    // walking them made all of it resident.
    let mut phases = Phases::start("history");
    let repo = git::reopen(repo)?;
    let introduced = history::introduced(&repo, commits, boundary)?;
    phases.lap("paths");
    interrupt::check()?;
    outcome.summary.unreadable.extend(introduced.unreadable);
    let shared = git::shared(&repo);
    let wanted = introduced.blobs;
    let max_size = session.max_file_size();
    // Paths change what allowlists and path rules say; almost every blob has one.
    let paths_of = |id: &ObjectId| {
        let mut paths: Vec<&str> = wanted[id].iter().map(|i| &*i.path).collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    };
    let mut ids: Vec<ObjectId> = wanted.keys().copied().collect();
    ids.sort_unstable();
    if let Some(cache) = cache.as_deref() {
        ids.retain(|id| match cache.get(*id, &paths_of(id)) {
            Some(clean) => {
                let summary = &mut outcome.summary;
                summary.scanned += 1;
                summary.bytes += clean.bytes;
                summary.binary += u64::from(clean.binary);
                summary.cached += 1;
                false
            }
            None => true,
        });
    }
    if spending.is_some_and(|s| !s.within()) {
        ids.clear();
    }
    let pieces = Mutex::new(Vec::new());
    let done = AtomicU64::new(0);
    let visit = |worker: &mut carry::Worker, mut blob: Decoded<'_>| {
        done.fetch_add(1, Ordering::Relaxed);
        let (id, bytes) = (blob.id, blob.bytes);
        if spending.is_some_and(|s| !s.charge(bytes.len() as u64)) {
            return;
        }
        let hits = worker.hits(&mut blob, max_size);
        let piece = scan_blob(
            &worker.scanner,
            id,
            &paths_of(&id),
            bytes,
            max_size,
            hits.as_ref(),
        );
        if let Ok(mut pieces) = pieces.lock() {
            pieces.push((id, piece));
        }
    };
    let threads = rayon::current_num_threads();
    let show = !session.options.report.quiet;
    let undecoded = progress::while_running(show, "scanning", ids.len() as u64, &done, || {
        let worker = carry::Worker::new(session.scanner.clone(), carry::enabled());
        packs::decode_each_entry(&shared, &ids, threads, max_size, &worker, &visit)
    });
    phases.lap("scan");
    interrupt::check()?;
    carry::print_stats();
    outcome.summary.unreadable.extend(undecoded.failures);
    outcome.summary.skipped_too_large += undecoded.too_large;
    let mut with_findings = Vec::new();
    for (id, piece) in pieces.into_inner().unwrap_or_default() {
        match piece {
            Piece::Scanned { bytes, scanned } => {
                outcome.count(bytes, &scanned);
                if let Some(cache) = cache.as_deref_mut() {
                    if scanned.findings.is_empty() && scanned.capped == 0 {
                        let binary = scanned.binary;
                        cache.insert(id, &paths_of(&id), cache::Clean { bytes, binary });
                    }
                }
                if !scanned.findings.is_empty() {
                    with_findings.push(attribution::Found {
                        blob: id,
                        size: bytes,
                        findings: scanned.findings,
                    });
                }
            }
            other => outcome.add(|| format!("blob {id}"), other),
        }
    }
    let (found, unattributed) = attribution::attribute(&shared, &wanted, with_findings, max_size);
    interrupt::check()?;
    outcome.summary.unreadable.extend(unattributed);
    outcome.findings = attribution::with_commits(&repo, commits, found);
    phases.lap("attribution");
    Ok(outcome)
}
