//! `leakward scan`: files, directories and standard input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

use super::options::{Input, Options};
use super::outcome::{scan_loaded, Outcome, Piece};
use super::Session;
use crate::bounded::Failure;
use crate::chunk::{Origin, Scope};
use crate::error::Result;
use crate::interrupt;
use crate::source::files::{self, WalkOptions};
use crate::source::{stdin, Loaded};

/// Runs `leakward scan` over `input`; `root` holds the policy files.
pub(super) fn run(input: Input, root: &Path, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    // The prefilter switches to its faster automaton once the scan proves large enough.
    let mut session = Session::new(options, root, false)?;
    // Reports name files as the command line does (`repo/app/a.env`), while the ignore file
    // at the root names them relative to it (`app/a.env`).
    session
        .suppressions
        .set_root(&root.to_string_lossy().replace('\\', "/"));
    let mut outcome = match input {
        Input::Stdin => scan_stdin(&session)?,
        Input::Paths {
            paths,
            respect_ignore,
        } => scan_paths(&session, &paths, respect_ignore)?,
    };
    outcome.summary.elapsed = started.elapsed();
    session.finish(outcome)
}

fn scan_stdin(session: &Session) -> Result<Outcome> {
    let mut outcome = Outcome::new("input");
    let bytes = match stdin::read(session.max_file_size()) {
        Ok(bytes) => bytes,
        // Reading stops at the limit: draining an endless stream would never end, and
        // scanning only its start would pass off a part as the whole. The run is incomplete.
        Err(too_large @ Failure::TooLarge(_)) => {
            outcome.summary.unreadable.push((
                stdin::STDIN_PATH.into(),
                format!("{too_large} (raise with --max-file-size); not scanned"),
            ));
            return Ok(outcome);
        }
        Err(failure) => return Err(stdin::error(failure, "the input to scan")),
    };
    let origin = Origin::path(stdin::STDIN_PATH);
    let piece = scan_loaded(&session.scanner, &origin, Loaded::Bytes(bytes, Scope::All));
    outcome.add(|| stdin::STDIN_PATH.into(), piece);
    Ok(outcome)
}

fn scan_paths(session: &Session, paths: &[PathBuf], respect_ignore: bool) -> Result<Outcome> {
    let options = WalkOptions {
        respect_ignore,
        max_file_size: session.max_file_size(),
    };
    let walked = files::walk(paths, options)?;
    let mut outcome = Outcome::new("file");
    outcome.summary.unreadable.extend(walked.failures);
    outcome.summary.skipped_symlinks = walked.symlinks;
    outcome.summary.skipped_special = walked.special;
    // After a signal every worker stops taking files; `while_some` ends the collection.
    let pieces: Vec<Piece> = walked
        .files
        .par_iter()
        .map_init(
            || session.scanner.clone(),
            |scanner, entry| {
                (!interrupt::requested()).then(|| {
                    let origin = Origin::path(entry.display.clone());
                    scan_loaded(scanner, &origin, files::load(entry, options.max_file_size))
                })
            },
        )
        .while_some()
        .collect();
    interrupt::check()?;
    for (entry, piece) in walked.files.iter().zip(pieces) {
        outcome.add(|| entry.display.clone(), piece);
    }
    Ok(outcome)
}
