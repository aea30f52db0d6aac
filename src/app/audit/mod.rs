//! `leakward audit`: scan every blob of the object database once, in parallel, then work out
//! for each distinct secret where it lives and how it got there.
//!
//! The steps: list every object and its kind; read every commit and every ref and reflog
//! into a graph; diff each commit against its parents to learn the paths blobs were
//! committed at; decode and scan every blob (reachable or not) through the packs; then, for
//! blobs with findings only, look up which commits hold them and what reaches those commits.

mod lifecycle;
mod modules;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::carry;
use super::finish::View;
use super::options::Options;
use super::outcome::{scan_blob, Outcome, Piece};
use super::phases::Phases;
use super::{Policy, Session};
use crate::error::Result;
use crate::finding::Finding;
use crate::interrupt;
use crate::report::progress;
use crate::source::git::audit::graph::Graph;
use crate::source::git::audit::{odb, paths};
use crate::source::git::pack_delta::Decoded;
use crate::source::git::{self, packs, repo as git_repo, ObjectId};

/// Runs `leakward audit`: the repository, then the object database of each of its
/// submodules under `.git/modules/`, which hold history of their own. Every database adds
/// its findings to one outcome; the report's per-secret lifecycle is a view of what passes
/// the filters ([`lifecycle`]).
pub(super) fn run(repo_path: &Path, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let repo = odb::open(repo_path)?;
    // The repository's own policy files arrived with the leak: an audit does not obey them.
    let policy = Policy::Operator(git_repo::root_of(&repo));
    let session = Session::with_policy(options, &policy)?;
    let git_dirs = modules::git_dirs(git_repo::common_dir(&repo));
    let mut outcome = Outcome::new("blob");
    let mut parts = vec![audit_one(&session, repo, None, &mut outcome)?];
    for module in git_dirs {
        interrupt::check()?;
        match odb::open(&module.git_dir) {
            Ok(repo) => parts.push(audit_one(&session, repo, Some(module.name), &mut outcome)?),
            Err(e) => outcome.summary.unreadable.push((
                format!("submodule {}", module.name),
                crate::error::chain(&e),
            )),
        }
    }
    outcome.summary.elapsed = started.elapsed();
    let scanner = session.scanner.clone();
    let repository = repo_path.display().to_string();
    let view = View::Secrets(Box::new(move |findings, commits| {
        let mut phases = Phases::start("audit");
        let audit = lifecycle::report(&parts, findings, &scanner, commits, repository);
        phases.lap("lifecycle");
        audit
    }));
    let mut phases = Phases::start("audit");
    let exit = session.finish_as(outcome, view);
    phases.lap("finish");
    exit
}

/// Audits one object database (a submodule's when `module` names it): adds what it found
/// and covered to `outcome`, and returns what its lifecycles are worked out from.
fn audit_one(
    session: &Session,
    repo: git::Repository,
    module: Option<String>,
    outcome: &mut Outcome,
) -> Result<lifecycle::Database> {
    let mut phases = Phases::start("audit");
    let shared = git::shared(&repo);
    let mut inventory = odb::inventory(&shared)?;
    phases.lap("inventory");
    interrupt::check()?;
    let graph = Graph::build(&shared, &inventory.commits, &mut inventory.problems);
    phases.lap("graph");
    interrupt::check()?;
    let present: HashSet<ObjectId> = inventory.blobs.iter().copied().collect();
    let paths = paths::blob_paths(&shared, &graph, &present, &mut inventory.problems)?;
    phases.lap("paths");
    interrupt::check()?;
    let mut part = Outcome::new("blob");
    part.summary.unreadable.append(&mut inventory.problems);
    let scanned = scan_blobs(session, &shared, &inventory.blobs, &paths, &mut part);
    phases.lap("scan");
    interrupt::check()?;
    let database = lifecycle::Database {
        module,
        repo: shared,
        graph,
        objects: inventory.objects,
        commits: inventory.commits.len() as u64,
        blobs: part.summary.scanned,
        found: scanned.iter().map(|(id, _)| *id).collect(),
    };
    part.findings = scanned.into_iter().flat_map(|(_, f)| f).collect();
    let label = |what: &str| database.label(what);
    for finding in &mut part.findings {
        finding.path = database.place(&finding.path);
    }
    outcome.absorb(part, label);
    Ok(database)
}

/// Findings of one blob, each carrying the path it was scanned at (empty for a blob that no
/// commit holds).
type BlobFindings = Vec<(ObjectId, Vec<Finding>)>;

/// Decodes and scans every blob once, through each pack's traversal and then loose
/// objects, at every path it was committed at; counts what it covered in `outcome`.
fn scan_blobs(
    session: &Session,
    repo: &git::ThreadSafeRepository,
    blobs: &[ObjectId],
    paths: &HashMap<ObjectId, Vec<Arc<str>>>,
    outcome: &mut Outcome,
) -> BlobFindings {
    let max_size = session.max_file_size();
    let done = AtomicU64::new(0);
    let results = Mutex::new(Vec::new());
    let no_path: Vec<Arc<str>> = vec![Arc::from("")];
    let visit = |worker: &mut carry::Worker, mut blob: Decoded<'_>| {
        let (id, bytes) = (blob.id, blob.bytes);
        let hits = worker.hits(&mut blob, max_size);
        let at: Vec<&str> = paths
            .get(&id)
            .unwrap_or(&no_path)
            .iter()
            .map(|p| &**p)
            .collect();
        let piece = scan_blob(&worker.scanner, id, &at, bytes, max_size, hits.as_ref());
        done.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut results) = results.lock() {
            results.push((id, piece));
        }
    };
    let show = !session.options.report.quiet;
    let undecoded = progress::while_running(show, "audit", blobs.len() as u64, &done, || {
        let threads = rayon::current_num_threads();
        let worker = carry::Worker::new(session.scanner.clone(), carry::enabled());
        packs::decode_each_entry(repo, blobs, threads, max_size, &worker, &visit)
    });
    carry::print_stats();
    outcome.summary.skipped_too_large += undecoded.too_large;
    for (id, why) in undecoded.failures {
        if !outcome
            .summary
            .unreadable
            .iter()
            .any(|(seen, _)| seen.ends_with(&id))
        {
            outcome.summary.unreadable.push((format!("blob {id}"), why));
        }
    }
    let mut out = Vec::new();
    for (id, piece) in results.into_inner().unwrap_or_default() {
        match piece {
            Piece::Scanned { bytes, scanned } => {
                outcome.count(bytes, &scanned);
                if !scanned.findings.is_empty() {
                    out.push((id, scanned.findings));
                }
            }
            other => outcome.add(|| format!("blob {id}"), other),
        }
    }
    out.sort_by_key(|(id, _)| *id);
    out
}
