//! `leakward audit`: scan every blob of the object database once, in parallel, then work out
//! for each distinct secret where it lives and how it got there.
//!
//! The steps: list every object and its kind; read every commit and every ref and reflog
//! into a graph; diff each commit against its parents to learn the paths blobs were
//! committed at; decode and scan every blob (reachable or not) through the packs; then, for
//! blobs with findings only, look up which commits hold them and what reaches those commits.

mod finish;
mod lifecycle;
mod modules;
mod progress;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gix::hash::ObjectId;

use super::history::root_of;
use super::options::Options;
use super::{Policy, Session};
use crate::error::Result;
use crate::finding::Finding;
use crate::interrupt;
use crate::report::audit::Audit;
use crate::report::summary::Summary;
use crate::scan::Scanner;
use crate::source::git::audit::graph::Graph;
use crate::source::git::audit::odb;
use crate::source::git::{history, packs};
use crate::source::Skip;

/// Runs `leakward audit`: the repository, then the object database of each of its
/// submodules under `.git/modules/`, which hold history of their own.
pub fn run(repo_path: &Path, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let repo = odb::open(repo_path)?;
    // The repository's own policy files arrived with the leak: an audit does not obey them.
    let policy = Policy::Operator(root_of(&repo));
    let session = Session::with_policy(options, &policy, true)?;
    let git_dirs = modules::git_dirs(repo.common_dir());
    let (mut report, mut summary) = audit_one(&session, repo)?;
    for module in git_dirs {
        interrupt::check()?;
        match odb::open(&module.git_dir) {
            Ok(repo) => {
                let (audit, part) = audit_one(&session, repo)?;
                modules::absorb(&mut report, &mut summary, &module.name, audit, part);
            }
            Err(e) => summary.unreadable.push((
                format!("submodule {}", module.name),
                crate::error::chain(&e),
            )),
        }
    }
    report.repository = repo_path.display().to_string();
    summary.elapsed = started.elapsed();
    finish::finish(session, report, summary)
}

/// Audits one object database: its report and summary.
fn audit_one(session: &Session, repo: gix::Repository) -> Result<(Audit, Summary)> {
    let shared = repo.clone().into_sync();
    let mut inventory = odb::inventory(&shared)?;
    interrupt::check()?;
    let graph = Graph::build(&shared, &inventory.commits, &mut inventory.problems);
    interrupt::check()?;
    let present: HashSet<ObjectId> = inventory.blobs.iter().copied().collect();
    let paths = blob_paths(&shared, &graph, &present, &mut inventory.problems)?;
    interrupt::check()?;
    let mut summary = Summary {
        unit: "blob",
        ..Summary::default()
    };
    summary.unreadable.append(&mut inventory.problems);
    let scanned = scan_blobs(session, &shared, &inventory.blobs, &paths, &mut summary);
    interrupt::check()?;
    let (mut report, known) = lifecycle::Input {
        repo: &shared,
        graph: &graph,
        blob_findings: scanned,
    }
    .build(session);
    summary.known = known;
    report.objects = inventory.objects;
    report.commits = inventory.commits.len() as u64;
    report.blobs = summary.scanned;
    Ok((report, summary))
}

/// The distinct paths each blob was committed at, by any commit in the database. Commits
/// whose parents are missing (a shallow boundary) count as adding their whole tree.
fn blob_paths(
    repo: &gix::ThreadSafeRepository,
    graph: &Graph,
    present: &HashSet<ObjectId>,
    problems: &mut Vec<odb::Problem>,
) -> Result<HashMap<ObjectId, Vec<Arc<str>>>> {
    let incomplete: HashSet<u32> = graph.incomplete.iter().copied().collect();
    let complete: Vec<ObjectId> = (0..graph.ids.len() as u32)
        .filter(|at| !incomplete.contains(at))
        .map(|at| graph.ids[at as usize])
        .collect();
    let introduced = history::introduced(&repo.to_thread_local(), &complete, &HashSet::new())?;
    for (id, why) in introduced.unreadable {
        let what = format!("object {id}");
        if !problems.iter().any(|(seen, _)| seen.ends_with(&id)) {
            problems.push((what, why));
        }
    }
    let mut out: HashMap<ObjectId, Vec<Arc<str>>> = HashMap::new();
    for (blob, intros) in introduced.blobs {
        let mut paths: Vec<Arc<str>> = intros.into_iter().map(|i| i.path).collect();
        paths.sort_unstable();
        paths.dedup();
        out.insert(blob, paths);
    }
    for blob in out.keys() {
        if !present.contains(blob)
            && !problems
                .iter()
                .any(|(seen, _)| seen.ends_with(&blob.to_string()))
        {
            problems.push((
                format!("object {blob}"),
                "missing: a commit's tree names this blob, but the database does not hold it"
                    .into(),
            ));
        }
    }
    let local = repo.to_thread_local();
    for &at in &graph.incomplete {
        let id = graph.ids[at as usize];
        match whole_tree(&local, id) {
            Ok(entries) => {
                for (path, blob) in entries {
                    let paths = out.entry(blob).or_default();
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
            }
            Err(reason) => problems.push((format!("commit {id}"), reason.to_string())),
        }
    }
    Ok(out)
}

/// Every (path, blob) of a commit's tree.
fn whole_tree(
    repo: &gix::Repository,
    id: ObjectId,
) -> std::result::Result<Vec<(Arc<str>, ObjectId)>, crate::error::Reason> {
    let failed = |e: &dyn std::fmt::Display| crate::scan::allow::one_line(&e.to_string());
    let tree = repo
        .find_commit(id)
        .map_err(|e| failed(&e))?
        .tree()
        .map_err(|e| failed(&e))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| failed(&e))?;
    Ok(recorder
        .records
        .into_iter()
        .filter(|e| e.mode.is_blob())
        .map(|e| (Arc::from(crate::path_text::from_bytes(&e.filepath)), e.oid))
        .collect())
}

/// Findings of one blob, each carrying the path it was scanned at (empty for a blob that no
/// commit holds).
pub(super) type BlobFindings = Vec<(ObjectId, Vec<Finding>)>;

/// Decodes and scans every blob once, through each pack's traversal and then loose objects.
fn scan_blobs(
    session: &Session,
    repo: &gix::ThreadSafeRepository,
    blobs: &[ObjectId],
    paths: &HashMap<ObjectId, Vec<Arc<str>>>,
    summary: &mut Summary,
) -> BlobFindings {
    let max_size = session.max_file_size();
    let done = AtomicU64::new(0);
    let results = Mutex::new(Vec::new());
    let no_path: Vec<Arc<str>> = vec![Arc::from("")];
    let visit = |scanner: &mut Scanner, id: ObjectId, bytes: &[u8]| {
        let at = paths.get(&id).unwrap_or(&no_path);
        let outcome = scan_blob(scanner, id, at, bytes, max_size);
        done.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut results) = results.lock() {
            results.push((id, outcome));
        }
    };
    let show = !session.options.report.quiet;
    let undecoded = progress::while_running(show, blobs.len() as u64, &done, || {
        let threads = rayon::current_num_threads();
        packs::decode_each(repo, blobs, threads, max_size, &session.scanner, &visit)
    });
    summary.skipped_too_large += undecoded.too_large;
    for (id, why) in undecoded.failures {
        if !summary
            .unreadable
            .iter()
            .any(|(seen, _)| seen.ends_with(&id))
        {
            summary.unreadable.push((format!("blob {id}"), why));
        }
    }
    let mut out = Vec::new();
    for (id, outcome) in results.into_inner().unwrap_or_default() {
        match outcome {
            Ok((bytes, findings, capped)) => {
                summary.scanned += 1;
                summary.bytes += bytes;
                summary.binary += u64::from(capped.binary);
                summary.add_capped(&capped);
                if !findings.is_empty() {
                    out.push((id, findings));
                }
            }
            Err(Skip::TooLarge) => summary.skipped_too_large += 1,
        }
    }
    out.sort_by_key(|(id, _)| *id);
    out
}

/// What scanning one blob gave: its size, its findings at every path, and what the per-file
/// limit dropped; or why it was skipped.
type Outcome = std::result::Result<(u64, Vec<Finding>, crate::scan::Scanned), Skip>;

fn scan_blob(
    scanner: &Scanner,
    id: ObjectId,
    paths: &[Arc<str>],
    bytes: &[u8],
    max_size: u64,
) -> Outcome {
    if bytes.len() as u64 > max_size {
        return Err(Skip::TooLarge);
    }
    let paths: Vec<&str> = paths.iter().map(|p| &**p).collect();
    let mut scanned = super::history::scan_at_paths(scanner, id, &paths, bytes);
    let findings = std::mem::take(&mut scanned.findings);
    Ok((bytes.len() as u64, findings, scanned))
}
