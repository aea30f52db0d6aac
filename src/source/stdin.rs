//! Standard input as one chunk (`leakward scan -`, `explain -`, the pre-push lines).

use crate::bounded::{self, Failure};
use crate::error::{Error, IoFailure, Result};

/// How reports name standard input.
pub(crate) const STDIN_PATH: &str = "<stdin>";

/// Reads standard input if it holds at most `limit` bytes. Past the limit reading stops at
/// once: an endless stream (`< /dev/zero`) ends in [`Failure::TooLarge`], not in a drain
/// that never returns. Standard input that is closed (`0<&-`) or `/dev/null` has nothing
/// to give and is an error: such a run never saw the input it was meant to judge.
pub(crate) fn read(limit: u64) -> Result<Vec<u8>, Failure> {
    if is_closed() {
        return Err(Failure::Io(std::io::Error::new(
            std::io::ErrorKind::NotConnected,
            "it is closed or /dev/null",
        )));
    }
    bounded::read(std::io::stdin().lock(), limit)
}

/// [`read`] for a command that cannot go on without its input: failures are errors that
/// name `what` was being read.
pub(crate) fn read_whole(limit: u64, what: &str) -> Result<Vec<u8>> {
    read(limit).map_err(|failure| error(failure, what))
}

/// The error for a failed read of `what` from standard input.
pub(crate) fn error(failure: Failure, what: &str) -> Error {
    Error::Io {
        context: format!("cannot read {what} from standard input"),
        source: IoFailure(match failure {
            Failure::Io(source) => source,
            other => std::io::Error::other(other.to_string()),
        }),
    }
}

/// True if standard input is closed or is `/dev/null`. The Rust runtime reopens a closed
/// descriptor 0 on `/dev/null` before `main`, so the two cannot be told apart, and neither
/// carries input.
#[cfg(unix)]
fn is_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return true;
    };
    let (Ok(input), Ok(null)) = (
        std::fs::File::from(fd).metadata(),
        std::fs::metadata("/dev/null"),
    ) else {
        return false;
    };
    input.file_type().is_char_device() && input.rdev() == null.rdev()
}

#[cfg(not(unix))]
fn is_closed() -> bool {
    false
}
