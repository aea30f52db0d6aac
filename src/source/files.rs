//! Files and directories: walks the given paths (honouring `.gitignore` unless told not to)
//! and loads each file for scanning.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Loaded, Skip};
use crate::bounded;
use crate::chunk::Scope;
use crate::error::describe_io;
use crate::error::{Error, Reason, Result};

/// How to walk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WalkOptions {
    /// Honour `.gitignore`, `.ignore` and git's exclude files.
    pub respect_ignore: bool,
    /// Files larger than this many bytes are skipped and counted.
    pub max_file_size: u64,
}

/// A file to scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct FileEntry {
    /// Where to read it.
    pub path: PathBuf,
    /// How reports name it: as given on the command line, `/`-separated, without `./`.
    pub display: String,
}

/// A path that could not be read, and why (a short lower-case phrase).
pub(crate) type Unreadable = (String, String);

/// What a walk found.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// The files to scan, sorted by the name reports use.
    pub files: Vec<FileEntry>,
    /// Directory entries that could not be read.
    pub failures: Vec<Unreadable>,
    /// Symbolic links met under a directory. They are not followed, so a link cannot lead
    /// the scan outside the directory given or round a loop; their targets inside it are
    /// scanned under their own names.
    pub symlinks: u64,
    /// FIFOs, sockets and devices met under a directory: never opened (one could block or
    /// never end), counted.
    pub special: u64,
}

/// Lists every file under `roots`. A root that does not exist is an error; a directory entry
/// that cannot be read is listed as a failure.
pub(crate) fn walk(roots: &[PathBuf], options: WalkOptions) -> Result<Walked> {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    let mut symlinks = 0;
    let mut special = 0;
    for root in roots {
        let meta = fs::metadata(root).map_err(|e| Error::Input {
            path: root.clone(),
            reason: Reason::from(describe_io(&e)),
        })?;
        if meta.is_file() {
            files.push(entry(root));
            continue;
        }
        // A FIFO or device named on the command line would otherwise walk as an empty
        // directory and pass as clean. Reading one could block or never end: refuse it.
        if !meta.is_dir() {
            return Err(Error::Input {
                path: root.clone(),
                reason: Reason::from(format!(
                    "{}; leakward scans files and directories (pipe anything else: leakward scan - < {})",
                    bounded::Failure::NotRegular(bounded::kind(&meta.file_type())),
                    crate::path_text::from_path(root)
                )),
            });
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(options.respect_ignore)
            .git_global(options.respect_ignore)
            .git_exclude(options.respect_ignore)
            .ignore(options.respect_ignore)
            .parents(options.respect_ignore)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for item in walker {
            crate::interrupt::check()?;
            match item {
                Ok(dirent) if dirent.file_type().is_some_and(|t| t.is_file()) => {
                    files.push(entry(dirent.path()));
                }
                Ok(dirent) if dirent.path_is_symlink() => symlinks += 1,
                Ok(dirent) if dirent.file_type().is_some_and(|t| !t.is_dir()) => special += 1,
                Ok(_) => {}
                Err(error) => failures.push(walk_failure(root, &error)),
            }
        }
    }
    // `a.env` and `./a.env` are one file: dedup by the name reports use, not the path.
    files.sort_by(|a, b| a.display.cmp(&b.display));
    files.dedup_by(|a, b| a.display == b.display);
    Ok(Walked {
        files,
        failures,
        symlinks,
        special,
    })
}

fn entry(path: &Path) -> FileEntry {
    FileEntry {
        path: path.to_path_buf(),
        display: display(path),
    }
}

/// How reports name a path: `/`-separated, without a leading `./`.
fn display(path: &Path) -> String {
    let text = crate::path_text::from_path(path);
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

fn walk_failure(root: &Path, error: &ignore::Error) -> Unreadable {
    let path = match error {
        ignore::Error::WithPath { path, .. } => display(path),
        _ => display(root),
    };
    let message = match error.io_error() {
        Some(io) => describe_io(io),
        None => error.to_string(),
    };
    (path, message)
}

/// Reads a file unless it is over the size limit.
pub(crate) fn load(entry: &FileEntry, max_file_size: u64) -> Loaded {
    match bounded::read_file(&entry.path, max_file_size) {
        Ok(bytes) => Loaded::Bytes(bytes, Scope::All),
        Err(bounded::Failure::TooLarge(_)) => Loaded::Skipped(Skip::TooLarge),
        Err(failure) => Loaded::Failed(failure.to_string()),
    }
}
