//! `leakward staged`: the pre-commit scan. Reads what the commit would record from the index
//! and reports only secrets on the lines it adds, with line numbers in the staged file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

use super::options::Options;
use super::Session;
use crate::chunk::{Chunk, Origin};
use crate::error::Result;
use crate::report::summary::Summary;
use crate::scan::{Scanned, Scanner};
use crate::source::git::{self, staged};
use crate::source::Skip;

/// Up to this many staged files are read on the calling thread: starting a thread pool
/// costs more than it saves for a typical commit.
const SEQUENTIAL_FILES: usize = 16;

/// Runs `leakward staged` in the repository at `repo` (default: the current directory's).
pub fn run(repo: Option<&Path>, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let start = repo.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let repo = git::open(&start)?;
    // `.leakward.toml` and `.leakwardignore` live at the top of the work tree, wherever in
    // it the command runs; a bare repository (a `GIT_DIR` hook environment) has none.
    let root = repo.workdir().map_or(start, Path::to_path_buf);
    // The staged diff and the scanner's start-up (parsing the rules, building the
    // prefilter) are independent, and a pre-commit hook's latency is felt on every commit:
    // do them at the same time.
    let (session, diffed) = std::thread::scope(|scope| {
        let diff = scope.spawn(move || staged::changes(&repo).map(|changes| (repo, changes)));
        let session = Session::new(options, &root, false);
        (session, diff.join())
    });
    let mut session = session?;
    session.guard_commit();
    let (repo, changes) = diffed.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let max_file_size = session.max_file_size();
    let results: Vec<Outcome> = if changes.files.len() <= SEQUENTIAL_FILES {
        changes
            .files
            .iter()
            .map(|file| scan_file(&repo, &session.scanner, file, max_file_size))
            .collect()
    } else {
        let shared = repo.into_sync();
        changes
            .files
            .par_iter()
            .map_init(
                || (shared.to_thread_local(), session.scanner.clone()),
                |(repo, scanner), file| scan_file(repo, scanner, file, max_file_size),
            )
            .collect()
    };
    let mut summary = Summary {
        unit: "staged file",
        ..Summary::default()
    };
    let mut findings = Vec::new();
    for (file, outcome) in changes.files.iter().zip(results) {
        match outcome {
            Outcome::Scanned { bytes, scanned } => {
                summary.scanned += 1;
                summary.bytes += bytes;
                summary.binary += u64::from(scanned.binary);
                summary.add_capped(&scanned);
                findings.extend(scanned.findings);
            }
            Outcome::Nothing => {}
            Outcome::Skipped(Skip::TooLarge) => summary.skipped_too_large += 1,
            Outcome::Failed(reason) => summary.unreadable.push((file.path.clone(), reason)),
        }
    }
    summary.elapsed = started.elapsed();
    session.finish(findings, summary)
}

/// What scanning one staged file produced.
enum Outcome {
    Scanned { bytes: u64, scanned: Scanned },
    Nothing,
    Skipped(Skip),
    Failed(String),
}

fn scan_file(
    repo: &gix::Repository,
    scanner: &Scanner,
    file: &staged::StagedFile,
    max_file_size: u64,
) -> Outcome {
    match staged::load(repo, file, max_file_size) {
        staged::Loaded::Bytes(bytes, scope) => {
            let origin = Origin {
                path: file.path.clone(),
                commit: None,
                blob: Some(file.blob.to_string()),
            };
            let scanned = scanner.scan(&Chunk {
                bytes: &bytes,
                origin: &origin,
                scope: &scope,
            });
            Outcome::Scanned {
                bytes: bytes.len() as u64,
                scanned,
            }
        }
        staged::Loaded::Nothing => Outcome::Nothing,
        staged::Loaded::Skipped(skip) => Outcome::Skipped(skip),
        staged::Loaded::Failed(reason) => Outcome::Failed(reason),
    }
}
