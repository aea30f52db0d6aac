//! `leakward history`: select commits, find the blobs they introduce, scan each unique blob
//! once in parallel, then attribute each finding to the commits that added its line.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use gix::hash::ObjectId;
use rayon::prelude::*;

use super::Session;
use crate::chunk::{Chunk, Commit, Origin, Scope};
use crate::cli::HistoryCommand;
use crate::error::Result;
use crate::finding::Finding;
use crate::report::summary::Summary;
use crate::scan::Scanner;
use crate::source::git::attribute::Added;
use crate::source::git::blobs::{self, Loaded};
use crate::source::git::history::{self, Introduction};
use crate::source::git::{self, walk};
use crate::source::Skip;

/// Runs `leakward history`.
pub fn run(args: HistoryCommand) -> Result<ExitCode> {
    let started = Instant::now();
    let repo = git::open(&args.repo)?;
    let selection = if let Some(range) = &args.range {
        walk::range(&repo, range)?
    } else if let Some(branch) = &args.branch {
        walk::Selection {
            tips: vec![walk::commit(&repo, branch)?],
            hidden: Vec::new(),
        }
    } else if let Some(rev) = &args.since {
        walk::since(&repo, rev)?
    } else if let Some(base) = &args.pr {
        walk::pull_request(&repo, base)?
    } else {
        walk::all_refs(&repo)?
    };
    let commits = walk::commits(&repo, &selection)?;
    let root = root_of(&repo);
    let session = Session::new(&args.common, &root, true)?;
    scan_commits(session, repo, &commits, started)
}

/// Where `.leakward.toml` and `.leakwardignore` are looked up: the work tree, or the git
/// directory of a bare repository.
pub(super) fn root_of(repo: &gix::Repository) -> std::path::PathBuf {
    repo.workdir().unwrap_or(repo.git_dir()).to_path_buf()
}

/// Scans what `commits` introduce and finishes the session: the shared back half of
/// `history` and `pre-push`.
pub(super) fn scan_commits(
    session: Session,
    repo: gix::Repository,
    commits: &[ObjectId],
    started: Instant,
) -> Result<ExitCode> {
    let mut summary = Summary {
        unit: "blob",
        ..Summary::default()
    };
    let shared = repo.clone().into_sync();
    let introduced = history::introduced(&shared, commits);
    summary.unreadable.extend(introduced.unreadable);
    let mut blobs: Vec<(ObjectId, Vec<Introduction>)> = introduced.blobs.into_iter().collect();
    blobs.sort_unstable_by_key(|(id, _)| *id);
    let max_size = session.max_file_size();
    let results: Vec<BlobResult> = blobs
        .par_iter()
        .map_init(
            || (session.scanner.clone(), blobs::worker_handle(&shared, 0)),
            |(scanner, handle), (id, intros)| scan_blob(scanner, handle, *id, intros, max_size),
        )
        .collect();
    let mut attributed = Vec::new();
    for result in results {
        match result {
            BlobResult::Scanned {
                bytes,
                findings,
                capped,
                unreadable,
            } => {
                summary.scanned += 1;
                summary.bytes += bytes;
                summary.capped += capped as u64;
                summary.unreadable.extend(unreadable);
                attributed.extend(findings);
            }
            BlobResult::Skipped(Skip::Binary) => summary.skipped_binary += 1,
            BlobResult::Skipped(Skip::TooLarge) => summary.skipped_too_large += 1,
            BlobResult::Failed(id, reason) => summary.unreadable.push((id, reason)),
        }
    }
    let findings = with_commits(&repo, commits, attributed);
    summary.elapsed = started.elapsed();
    session.finish(findings, summary)
}

/// What scanning one blob produced. Findings carry the index of the commit that added them.
enum BlobResult {
    Scanned {
        bytes: u64,
        findings: Vec<(u32, Finding)>,
        capped: usize,
        unreadable: Vec<(String, String)>,
    },
    Skipped(Skip),
    Failed(String, String),
}

/// Decodes one blob once, scans it once per distinct path it was introduced at (paths can
/// change what allowlists and path rules say), and attributes any findings.
fn scan_blob(
    scanner: &Scanner,
    repo: &gix::Repository,
    id: ObjectId,
    intros: &[Introduction],
    max_size: u64,
) -> BlobResult {
    let bytes = match blobs::load(repo, id, max_size) {
        Loaded::Bytes(bytes) => bytes,
        Loaded::Skipped(skip) => return BlobResult::Skipped(skip),
        Loaded::Failed(reason) => return BlobResult::Failed(id.to_string(), reason),
    };
    let blob = id.to_string();
    let mut paths: Vec<&Arc<str>> = intros.iter().map(|i| &i.path).collect();
    paths.sort_unstable();
    paths.dedup();
    let mut findings = Vec::new();
    let mut capped = 0;
    let mut unreadable = Vec::new();
    for path in paths {
        let origin = Origin {
            path: path.to_string(),
            commit: None,
            blob: Some(blob.clone()),
        };
        let scanned = scanner.scan(&Chunk {
            bytes: &bytes,
            origin: &origin,
            scope: &Scope::All,
        });
        capped += scanned.capped;
        if scanned.findings.is_empty() {
            continue;
        }
        for intro in intros.iter().filter(|i| i.path == *path) {
            match Added::compute(repo, &intro.parents, &bytes) {
                Ok(added) => findings.extend(
                    scanned
                        .findings
                        .iter()
                        .filter(|f| added.contains(f.line))
                        .map(|f| (intro.commit, f.clone())),
                ),
                Err(failure) => unreadable.push(failure),
            }
        }
    }
    BlobResult::Scanned {
        bytes: bytes.len() as u64,
        findings,
        capped,
        unreadable,
    }
}

/// Fills in each finding's commit metadata, reading each commit once.
fn with_commits(
    repo: &gix::Repository,
    commits: &[ObjectId],
    attributed: Vec<(u32, Finding)>,
) -> Vec<Finding> {
    let mut metas: HashMap<u32, Arc<Commit>> = HashMap::new();
    attributed
        .into_iter()
        .map(|(at, mut finding)| {
            let meta = metas.entry(at).or_insert_with(|| {
                let id = commits[at as usize];
                match repo.find_commit(id) {
                    Ok(commit) => git::commit_meta(&commit),
                    // The commit was read moments ago to diff it; keep at least its id.
                    Err(_) => Arc::new(Commit {
                        id: id.to_string(),
                        author_name: String::new(),
                        author_email: String::new(),
                        date: String::new(),
                        summary: String::new(),
                    }),
                }
            });
            finding.commit = Some(meta.clone());
            finding
        })
        .collect()
}
