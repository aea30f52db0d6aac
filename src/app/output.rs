//! Output files (`-o` reports and `--write-baseline` baselines) that a failed run never destroys.
//!
//! A regular file is written to a temporary file in its own directory and renamed over the
//! old one only once the whole content is written and flushed, so an error, a full disk or a
//! signal leaves an existing report or baseline as it was. The temporary file is created when
//! the run starts, so an unwritable directory fails before any scanning; it is removed when
//! the run fails, and by the signal handler when a signal ends the process. A path that is
//! not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written in place, as before.
//!
//! Two outputs of one run must not be the same file ([`check_distinct`]).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result, WriteFailure};
use crate::path_text::from_path;

/// An output file opened at the start of a run, replaced (or written) by [`Pending::commit`].
pub(super) struct Pending {
    /// The path as given, for messages.
    path: PathBuf,
    target: Target,
}

enum Target {
    /// A regular file (or none yet): a temporary file beside it, renamed over `to`.
    Replace {
        temp: BufWriter<NamedTempFile>,
        to: PathBuf,
    },
    /// A device or FIFO: written in place.
    Direct(BufWriter<File>),
}

impl Pending {
    /// Opens the output for `path`: a temporary file in its directory, or the path itself
    /// when that is not a regular file. Fails if the directory cannot hold the file.
    pub(super) fn create(path: &Path) -> Result<Pending> {
        let failed = |source| Error::Output {
            path: path.to_path_buf(),
            source: WriteFailure(source),
        };
        let target = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(failed(io::Error::from(io::ErrorKind::IsADirectory)))
            }
            Ok(meta) if !meta.is_file() => {
                Target::Direct(BufWriter::new(File::create(path).map_err(failed)?))
            }
            // Rename onto where a symbolic link points, so the link stays a link.
            _ => {
                let to = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                let temp = temporary_beside(&to).map_err(failed)?;
                crate::interrupt::remove_on_exit(temp.path());
                Target::Replace {
                    temp: BufWriter::new(temp),
                    to,
                }
            }
        };
        Ok(Pending {
            path: path.to_path_buf(),
            target,
        })
    }

    /// Writes the whole content with `write`, then puts it in place. On any failure the old
    /// file is untouched and the temporary file is removed.
    pub(super) fn commit(self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        let failed = |source| Error::Output {
            path: self.path.clone(),
            source: WriteFailure(source),
        };
        match self.target {
            Target::Direct(mut out) => write(&mut out).and_then(|()| out.flush()).map_err(failed),
            Target::Replace { mut temp, to } => {
                write(&mut temp)
                    .and_then(|()| temp.flush())
                    .map_err(failed)?;
                let temp = temp.into_inner().map_err(|e| failed(e.into_error()))?;
                let temp_path = temp.path().to_path_buf();
                let persisted = temp.persist(&to).map_err(|e| failed(e.error));
                // Dropped on failure, the temporary file removes itself; the signal handler
                // only needs to know about it until then.
                crate::interrupt::forget(&temp_path);
                persisted.map(drop)
            }
        }
    }
}

/// A new temporary file in the directory of `path`, named after it, with the permissions a
/// newly created file would get (the process umask applies).
fn temporary_beside(path: &Path) -> io::Result<NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".leakward-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// The file a path names, for comparing paths: canonical if it exists, else its canonical
/// directory joined with its name.
fn identity(path: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(path) {
        return path;
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (std::fs::canonicalize(dir), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Refuses a run whose outputs would overwrite each other or a file it reads.
///
/// `outputs` and `inputs` are `(flag, path)` pairs. Two outputs must differ, and an output
/// must not be an input, except `--write-baseline` over the `--baseline` it reads (read in
/// full before the scan: refreshing a baseline in place is a normal use). Devices and FIFOs
/// (`/dev/null` twice) are not compared: nothing there can be destroyed.
pub(super) fn check_distinct(outputs: &[(&str, &Path)], inputs: &[(&str, &Path)]) -> Result<()> {
    for (i, &(flag, path)) in outputs.iter().enumerate() {
        if std::fs::metadata(path).is_ok_and(|meta| !meta.is_file()) {
            continue;
        }
        let id = identity(path);
        let earlier = outputs[..i].iter().map(|&(f, p)| (f, p, "writes"));
        let read = inputs.iter().map(|&(f, p)| (f, p, "reads"));
        for (other_flag, other, verb) in earlier.chain(read) {
            let refresh = flag == "--write-baseline" && other_flag == "--baseline";
            if !refresh && identity(other) == id {
                return Err(Error::Usage(format!(
                    "{flag} {} is the same file that {other_flag} {verb}; name different files",
                    from_path(path)
                )));
            }
        }
    }
    Ok(())
}
