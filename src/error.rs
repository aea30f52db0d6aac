//! The one error type of leakward: every failure names what failed, and its cause.
//!
//! Each variant displays what failed; [`std::error::Error::source`] gives the cause, which
//! displays why. Messages are lower-case with no final period; `main` prints the chain once,
//! on one line ([`chain`]), and exits 2.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::path_text::from_path;

/// Everything that can stop a run. Per-file read failures are not errors: they are counted
/// in the run's outcome and turn the exit code into 2 without stopping the scan.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rules or config file that cannot be read or is not valid.
    #[error("{}", from_path(path))]
    Config {
        path: PathBuf,
        #[source]
        reason: Reason,
    },
    /// A rule that is not valid; `origin` names the file it came from.
    #[error("{origin}: rule `{id}`")]
    Rule {
        origin: String,
        id: String,
        #[source]
        reason: Reason,
    },
    /// A path given on the command line that cannot be scanned.
    #[error("{}", from_path(path))]
    Input {
        path: PathBuf,
        #[source]
        reason: Reason,
    },
    /// A report, baseline or other output that cannot be written.
    #[error("cannot write {}", from_path(path))]
    Output {
        path: PathBuf,
        #[source]
        source: WriteFailure,
    },
    /// A git repository that cannot be opened or read: what was being done, and why it
    /// failed when that is a separate cause.
    #[error("git: {what}")]
    Git {
        what: String,
        #[source]
        reason: Option<Reason>,
    },
    /// A flag combination or value that clap cannot check on its own.
    #[error("{0}")]
    Usage(String),
    /// Any other I/O failure, with what was being done.
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: IoFailure,
    },
    /// SIGINT or SIGTERM stopped the run before it finished; nothing was reported.
    #[error("{}", crate::interrupt::MESSAGE)]
    Interrupted,
}

impl Error {
    /// A git error: the action that failed and its cause.
    pub(crate) fn git(action: &str, cause: impl fmt::Display) -> Self {
        Error::Git {
            what: action.to_string(),
            reason: Some(Reason(cause.to_string())),
        }
    }

    /// A git error that is whole in itself: it names what is wrong and what to do.
    pub(crate) fn git_message(message: String) -> Self {
        Error::Git {
            what: message,
            reason: None,
        }
    }

    /// Adds advice to the end of a git error's message; other errors are returned as they are.
    pub(crate) fn advise_git(self, advice: &str) -> Self {
        match self {
            Error::Git {
                what,
                reason: Some(Reason(reason)),
            } => Error::Git {
                what,
                reason: Some(Reason(format!("{reason}; {advice}"))),
            },
            Error::Git { what, reason: None } => Error::git_message(format!("{what}; {advice}")),
            other => other,
        }
    }
}

/// Why something is not valid or could not be done, as one line for a user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Reason(pub String);

impl From<String> for Reason {
    fn from(text: String) -> Self {
        Reason(text)
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Self {
        Reason(text.to_string())
    }
}

impl std::ops::Deref for Reason {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// An I/O failure, shown as a short lower-case phrase ([`describe_io`]).
#[derive(Debug, thiserror::Error)]
#[error("{}", describe_io(.0))]
pub struct IoFailure(pub io::Error);

/// An output that cannot be written: the I/O failure and what a user can do about it.
#[derive(Debug, thiserror::Error)]
#[error("{}; {}", describe_io(.0), output_remedy(.0))]
pub struct WriteFailure(pub io::Error);

/// `error` and each of its causes, joined on one line: what `main` prints.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

/// What a user can do about an output that cannot be written, by the kind of failure.
fn output_remedy(error: &io::Error) -> &'static str {
    use io::ErrorKind;
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
pub fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_names_what_failed_then_why() {
        let error = Error::Config {
            path: PathBuf::from("rules.toml"),
            reason: Reason::from("disable: no rule has the id `x`"),
        };
        assert!(std::error::Error::source(&error).is_some());
        assert_eq!(chain(&error), "rules.toml: disable: no rule has the id `x`");
        let output = Error::Output {
            path: PathBuf::from("out/report.json"),
            source: WriteFailure(io::Error::from(io::ErrorKind::NotFound)),
        };
        assert_eq!(
            chain(&output),
            "cannot write out/report.json: no such file or directory; create its directory first, or write somewhere else"
        );
        let git = Error::git("cannot resolve HEAD", "no such ref").advise_git("fetch it");
        assert_eq!(
            chain(&git),
            "git: cannot resolve HEAD: no such ref; fetch it"
        );
    }
}
