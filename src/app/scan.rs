//! `leakward scan`: files, directories and standard input.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

use super::options::{Input, Options};
use super::Session;
use crate::bounded::Failure;
use crate::chunk::{Chunk, Origin, Scope};
use crate::error::Result;
use crate::finding::Finding;
use crate::interrupt;
use crate::report::summary::Summary;
use crate::scan::{Scanned, Scanner};
use crate::source::files::{self, FileEntry, Loaded, WalkOptions};
use crate::source::{stdin, Skip};

/// Runs `leakward scan` over `input`; `root` holds the policy files.
pub fn run(input: Input, root: &Path, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    // The prefilter switches to its faster automaton once the scan proves large enough.
    let mut session = Session::new(options, root, false)?;
    // Reports name files as the command line does (`repo/app/a.env`), while the ignore file
    // at the root names them relative to it (`app/a.env`).
    session
        .suppressions
        .set_root(&root.to_string_lossy().replace('\\', "/"));
    let mut summary = Summary {
        unit: "file",
        ..Summary::default()
    };
    let findings = match input {
        Input::Stdin => scan_stdin(&mut session, &mut summary)?,
        Input::Paths {
            paths,
            respect_ignore,
        } => scan_paths(&mut session, &paths, respect_ignore, &mut summary)?,
    };
    summary.elapsed = started.elapsed();
    session.finish(findings, summary)
}

fn scan_stdin(session: &mut Session, summary: &mut Summary) -> Result<Vec<Finding>> {
    summary.unit = "input";
    let bytes = match stdin::read(session.max_file_size()) {
        Ok(bytes) => bytes,
        // Reading stops at the limit: draining an endless stream would never end, and
        // scanning only its start would pass off a part as the whole. The run is incomplete.
        Err(too_large @ Failure::TooLarge(_)) => {
            summary.unreadable.push((
                stdin::STDIN_PATH.into(),
                format!("{too_large} (raise with --max-file-size); not scanned"),
            ));
            return Ok(Vec::new());
        }
        Err(failure) => return Err(stdin::error(failure, "the input to scan")),
    };
    summary.scanned = 1;
    summary.bytes = bytes.len() as u64;
    let origin = Origin::path(stdin::STDIN_PATH);
    let scanned = session.scanner.scan(&Chunk {
        bytes: &bytes,
        origin: &origin,
        scope: &Scope::All,
    });
    summary.binary += u64::from(scanned.binary);
    summary.add_capped(&scanned);
    Ok(scanned.findings)
}

/// What scanning one file produced.
enum FileResult {
    Scanned { bytes: u64, scanned: Scanned },
    Skipped(Skip),
    Failed(String, String),
}

fn scan_paths(
    session: &mut Session,
    paths: &[PathBuf],
    respect_ignore: bool,
    summary: &mut Summary,
) -> Result<Vec<Finding>> {
    let options = WalkOptions {
        respect_ignore,
        max_file_size: session.max_file_size(),
    };
    let walked = files::walk(paths, options)?;
    summary.unreadable.extend(walked.failures);
    summary.skipped_symlinks = walked.symlinks;
    summary.skipped_special = walked.special;
    let entries = walked.files;
    // After a signal every worker stops taking files; `while_some` ends the collection.
    let results: Vec<FileResult> = entries
        .par_iter()
        .map_init(
            || session.scanner.clone(),
            |scanner, entry| {
                (!interrupt::requested()).then(|| scan_file(scanner, entry, options.max_file_size))
            },
        )
        .while_some()
        .collect();
    interrupt::check()?;
    let mut findings = Vec::new();
    for result in results {
        match result {
            FileResult::Scanned { bytes, scanned } => {
                summary.scanned += 1;
                summary.bytes += bytes;
                summary.binary += u64::from(scanned.binary);
                summary.add_capped(&scanned);
                findings.extend(scanned.findings);
            }
            FileResult::Skipped(Skip::TooLarge) => summary.skipped_too_large += 1,
            FileResult::Failed(path, reason) => summary.unreadable.push((path, reason)),
        }
    }
    Ok(findings)
}

fn scan_file(scanner: &Scanner, entry: &FileEntry, max_file_size: u64) -> FileResult {
    match files::load(entry, max_file_size) {
        Loaded::Bytes(bytes) => {
            let origin = Origin::path(entry.display.clone());
            let scanned = scanner.scan(&Chunk {
                bytes: &bytes,
                origin: &origin,
                scope: &Scope::All,
            });
            FileResult::Scanned {
                bytes: bytes.len() as u64,
                scanned,
            }
        }
        Loaded::Skipped(skip) => FileResult::Skipped(skip),
        Loaded::Failed(reason) => FileResult::Failed(entry.display.clone(), reason),
    }
}
