//! `leakward history`: select commits, find the blobs they introduce, scan each unique blob
//! once in parallel, then attribute each finding to the commits that added its line.

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use gix::hash::ObjectId;

mod attribution;
mod select;

use super::options::{Options, Request};
use super::policy::{Policy, Review};
use super::Session;
use crate::chunk::{Chunk, Origin, Scope};
use crate::error::Result;
use crate::interrupt;
use crate::report::summary::Summary;
use crate::scan::{Scanned, Scanner};
use crate::source::git::history::{self, Introduction};
use crate::source::git::{self, packs, shallow, walk};
use crate::source::Skip;
use select::{select, Judge, Selected};

/// Runs `leakward history` on the repository at `repo`: the commits `request` selects.
/// `allow_shallow`: history past a shallow clone's boundary may go unscanned.
pub fn run(
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
        if let Some(parent) = missing_parent(&repo, &commits, &boundary) {
            return Err(shallow::incomplete(&range, &format!("commit {parent}")));
        }
    }
    let policy = match judge {
        Judge::Own => Policy::Directory(root_of(&repo)),
        Judge::Base(base) => Policy::Review(Review {
            repo: &repo,
            base,
            tips: selection.tips.clone(),
        }),
    };
    let mut session = Session::with_policy(options, &policy, true)?;
    drop(policy);
    if let Some(note) = note {
        session.warn(note);
    }
    session.accept_shallow(allow_shallow);
    scan_commits(session, repo, &commits, &boundary, started)
}

/// The first missing parent of a boundary commit among `commits`, if the walk reached one.
fn missing_parent(
    repo: &gix::Repository,
    commits: &[ObjectId],
    boundary: &HashSet<ObjectId>,
) -> Option<ObjectId> {
    commits
        .iter()
        .filter(|id| boundary.contains(*id))
        .filter_map(|&id| repo.find_commit(id).ok())
        .flat_map(|commit| commit.parent_ids().map(|p| p.detach()).collect::<Vec<_>>())
        .find(|&parent| repo.find_header(parent).is_err())
}

/// Where `.leakward.toml` and `.leakwardignore` are looked up: the work tree, or the git
/// directory of a bare repository.
pub(super) fn root_of(repo: &gix::Repository) -> std::path::PathBuf {
    repo.workdir().unwrap_or(repo.git_dir()).to_path_buf()
}

/// Scans what `commits` introduce and finishes the session: the shared back half of
/// `history` and `pre-push`. `boundary` is the shallow boundary ([`shallow::boundary`]).
pub(super) fn scan_commits(
    session: Session,
    repo: gix::Repository,
    commits: &[ObjectId],
    boundary: &HashSet<ObjectId>,
    started: Instant,
) -> Result<ExitCode> {
    let mut summary = Summary {
        unit: "blob",
        ..Summary::default()
    };
    let reached = commits.iter().filter(|id| boundary.contains(*id)).count();
    // History older than the boundary is not in the clone: a scan of every ref that stops
    // there did not scan what it was asked to, unless the user accepted that.
    if reached > 0 && session.accepts_shallow {
        summary.warnings.push(shallow::warning(reached));
    } else if reached > 0 {
        summary.unreadable.push(shallow::missing(reached));
    }
    // The commit walk's pages go before the diffs map their own: a pack that `git
    // fast-import` wrote and nobody repacked spreads its commits through the whole pack, and
    // walking them made all of it resident.
    let repo = git::reopen(repo)?;
    let introduced = history::introduced(&repo, commits, boundary)?;
    interrupt::check()?;
    summary.unreadable.extend(introduced.unreadable);
    let shared = repo.clone().into_sync();
    let wanted = introduced.blobs;
    let max_size = session.max_file_size();
    let mut ids: Vec<ObjectId> = wanted.keys().copied().collect();
    ids.sort_unstable();
    let outcomes = Mutex::new(Vec::new());
    let visit = |scanner: &mut Scanner, id: ObjectId, bytes: &[u8]| {
        let outcome = scan_blob(scanner, id, &wanted[&id], bytes, max_size);
        if let Ok(mut outcomes) = outcomes.lock() {
            outcomes.push((id, outcome));
        }
    };
    let threads = rayon::current_num_threads();
    let undecoded = packs::decode_each(&shared, &ids, threads, max_size, &session.scanner, &visit);
    interrupt::check()?;
    summary.unreadable.extend(undecoded.failures);
    summary.skipped_too_large += undecoded.too_large;
    let mut with_findings = Vec::new();
    for (id, outcome) in outcomes.into_inner().unwrap_or_default() {
        match outcome {
            Outcome::Scanned { bytes, scanned } => {
                summary.scanned += 1;
                summary.bytes += bytes;
                summary.binary += u64::from(scanned.binary);
                summary.add_capped(&scanned);
                if !scanned.findings.is_empty() {
                    with_findings.push(attribution::Found {
                        blob: id,
                        size: bytes,
                        findings: scanned.findings,
                    });
                }
            }
            Outcome::Skipped(Skip::TooLarge) => summary.skipped_too_large += 1,
        }
    }
    let (found, unattributed) = attribution::attribute(&shared, &wanted, with_findings, max_size);
    interrupt::check()?;
    summary.unreadable.extend(unattributed);
    let findings = attribution::with_commits(&repo, commits, found);
    summary.elapsed = started.elapsed();
    session.finish(findings, summary)
}

/// What scanning one blob produced: findings for every path it was introduced at.
enum Outcome {
    Scanned { bytes: u64, scanned: Scanned },
    Skipped(Skip),
}

/// Scans one decoded blob once per distinct path it was introduced at (paths change what
/// allowlists and path rules say; almost every blob has one).
fn scan_blob(
    scanner: &Scanner,
    id: ObjectId,
    intros: &[Introduction],
    bytes: &[u8],
    max_size: u64,
) -> Outcome {
    if bytes.len() as u64 > max_size {
        return Outcome::Skipped(Skip::TooLarge);
    }
    let mut paths: Vec<&str> = intros.iter().map(|i| &*i.path).collect();
    paths.sort_unstable();
    paths.dedup();
    Outcome::Scanned {
        bytes: bytes.len() as u64,
        scanned: scan_at_paths(scanner, id, &paths, bytes),
    }
}

/// Scans one blob once at each of `paths`, merging the findings and what the per-file limit
/// dropped. History and audit both scan blobs this way.
pub(super) fn scan_at_paths(
    scanner: &Scanner,
    id: ObjectId,
    paths: &[&str],
    bytes: &[u8],
) -> Scanned {
    let blob = id.to_string();
    let mut merged = Scanned::default();
    for path in paths {
        // A blob committed at thousands of paths is scanned thousands of times: a signal
        // must not wait for all of them. The caller reports nothing after one.
        if interrupt::requested() {
            break;
        }
        let origin = Origin {
            path: path.to_string(),
            commit: None,
            blob: Some(blob.clone()),
        };
        let scanned = scanner.scan(&Chunk {
            bytes,
            origin: &origin,
            scope: &Scope::All,
        });
        merged.capped += scanned.capped;
        merged.capped_max = merged.capped_max.max(scanned.capped_max);
        merged.binary |= scanned.binary;
        merged.findings.extend(scanned.findings);
    }
    merged
}
