//! `leakward staged`: the pre-commit scan. Reads what the commit would record from the index
//! and reports only secrets on the lines it adds, with line numbers in the staged file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::options::Options;
use super::outcome::{scan_loaded, Outcome};
use super::Session;
use crate::chunk::Origin;
use crate::error::Result;
use crate::source::git::{self, repo as git_repo, staged};

/// Runs `leakward staged` in the repository at `repo` (default: the current directory's).
pub(super) fn run(repo: Option<&Path>, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let start = repo.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let repo = git::open(&start)?;
    // `.leakward.toml` and `.leakwardignore` live at the top of the work tree, wherever in
    // it the command runs; a bare repository (a `GIT_DIR` hook environment) has none.
    let root = git_repo::workdir(&repo).map_or(start, Path::to_path_buf);
    // The staged diff with the reading of the staged files, and the scanner's start-up
    // (parsing the rules, building the prefilter), are independent, and a pre-commit hook's
    // latency is felt on every commit: do them at the same time.
    let max_file_size = options.detect.max_file_size;
    let (session, diffed) = std::thread::scope(|scope| {
        let diff = scope.spawn(move || {
            let changes = staged::changes(&repo)?;
            let read = staged::read_ahead(&repo, &changes, max_file_size);
            Ok::<_, crate::error::Error>((repo, changes, read))
        });
        let session = Session::new(options, &root);
        (session, diff.join())
    });
    let mut session = session?;
    session.guard_commit();
    let (repo, changes, read) = diffed.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let pieces = staged::load_each(
        repo,
        &changes,
        read,
        max_file_size,
        || session.scanner.clone(),
        |scanner, file, loaded| {
            let origin = Origin {
                path: file.path.clone(),
                commit: None,
                blob: Some(file.blob.to_string()),
            };
            scan_loaded(scanner, &origin, loaded)
        },
    );
    let mut outcome = Outcome::new("staged file");
    for (file, piece) in changes.files.iter().zip(pieces) {
        outcome.add(|| file.path.clone(), piece);
    }
    outcome.summary.elapsed = started.elapsed();
    session.finish(outcome)
}
