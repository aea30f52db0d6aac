//! The one error type of leakward: every failure names what failed, in one line.
//!
//! Messages are lower-case with no final period; `main` prints the chain once and exits 2.

use std::fmt;
use std::path::PathBuf;

use crate::path_text::from_path;

/// Everything that can stop a run. Per-file read failures are not errors: they are counted
/// in the run's outcome and turn the exit code into 2 without stopping the scan.
#[derive(Debug)]
pub enum Error {
    /// A rules or config file that cannot be read or is not valid.
    Config { path: PathBuf, message: String },
    /// A rule that is not valid; `origin` names the file it came from.
    Rule {
        origin: String,
        id: String,
        message: String,
    },
    /// A path given on the command line that cannot be scanned.
    Input { path: PathBuf, message: String },
    /// A report, baseline or other output that cannot be written.
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A git repository that cannot be opened or read.
    Git { message: String },
    /// A flag combination or value that clap cannot check on its own.
    Usage(String),
    /// Any other I/O failure, with what was being done.
    Io {
        context: String,
        source: std::io::Error,
    },
    /// SIGINT or SIGTERM stopped the run before it finished; nothing was reported.
    Interrupted,
}

impl Error {
    /// Builds a git error from anything displayable, with the action that failed.
    pub fn git(action: &str, cause: impl fmt::Display) -> Self {
        Error::Git {
            message: format!("{action}: {cause}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { path, message } => write!(f, "{}: {message}", from_path(path)),
            Error::Rule {
                origin,
                id,
                message,
            } => write!(f, "{origin}: rule `{id}`: {message}"),
            Error::Input { path, message } => write!(f, "{}: {message}", from_path(path)),
            Error::Output { path, source } => write!(
                f,
                "cannot write {}: {}; {}",
                from_path(path),
                describe_io(source),
                output_remedy(source)
            ),
            Error::Git { message } => write!(f, "git: {message}"),
            Error::Usage(message) => f.write_str(message),
            Error::Io { context, source } => write!(f, "{context}: {}", describe_io(source)),
            Error::Interrupted => f.write_str(crate::interrupt::MESSAGE),
        }
    }
}

impl std::error::Error for Error {}

/// What a user can do about an output that cannot be written, by the kind of failure.
fn output_remedy(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "create its directory first, or write somewhere else",
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "choose a path you can write to"
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "free some disk space, or write somewhere else"
        }
        ErrorKind::IsADirectory => "name a file, not a directory",
        _ => "write somewhere else",
    }
}

/// An I/O error as a short lower-case phrase, without the `(os error N)` suffix.
pub fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            match (chars.next(), chars.clone().next()) {
                // An acronym (`IO error`) keeps its case.
                (Some(_), Some(second)) if second.is_uppercase() => text.to_string(),
                (Some(first), _) => first.to_lowercase().chain(chars).collect(),
                (None, _) => text.to_string(),
            }
        }
    }
}

/// The result type used across leakward.
pub type Result<T, E = Error> = std::result::Result<T, E>;
