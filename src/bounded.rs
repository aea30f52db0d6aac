//! Bounded reads: every file or stream leakward reads whole stops at a limit.
//!
//! `--config /dev/zero`, `pre-push < /dev/zero` or an endless pipe must end in a one-line
//! error, not in the kernel's out-of-memory killer. Every whole-file or whole-stream read goes
//! through [`read`] or [`read_file`], so no caller can forget the limit or get its arithmetic
//! wrong (`limit + 1` overflows at `u64::MAX`).

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use crate::report::summary::human_bytes;

/// The most a configuration, rules, ignore or baseline file may hold: far more than any real
/// one, far less than memory.
pub(crate) const CONFIG_LIMIT: u64 = 16 << 20;

/// The most a baseline may hold: it lists every known finding of a repository, so it may be
/// far larger than a config, and is still far less than memory.
pub(crate) const BASELINE_LIMIT: u64 = 256 << 20;

/// Why a bounded read gave no content.
#[derive(Debug)]
pub(crate) enum Failure {
    /// More than the limit (in bytes) was there to read.
    TooLarge(u64),
    /// The path names something that is not a regular file (a FIFO, device, socket or
    /// directory), which may never end or block forever; its kind, as a short noun.
    NotRegular(&'static str),
    /// The read itself failed.
    Io(io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::TooLarge(limit) => write!(f, "larger than {}", human_bytes(*limit)),
            Failure::NotRegular(kind) => write!(f, "not a regular file (a {kind})"),
            Failure::Io(error) => f.write_str(&crate::error::describe_io(error)),
        }
    }
}

/// [`read_text`] for callers that take an `io::Error` (the reader of a config's
/// `[extend] path`): a file past the limit or not regular fails with that reason as its text.
pub(crate) fn read_text_io(path: &Path, limit: u64) -> io::Result<String> {
    read_text(path, limit).map_err(|failure| match failure {
        Failure::Io(error) => error,
        other => io::Error::other(other.to_string()),
    })
}

/// Reads `reader` to its end if it holds at most `limit` bytes. Past the limit it stops at
/// once (one byte over, to tell) and fails with [`Failure::TooLarge`]: the rest is never read.
pub(crate) fn read(reader: impl Read, limit: u64) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Failure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Failure::TooLarge(limit));
    }
    Ok(bytes)
}

/// Reads the regular file at `path` (symbolic links followed) if it holds at most `limit`
/// bytes. Anything else is refused before it is opened: opening a FIFO blocks until a writer
/// comes, and a device may never end.
pub(crate) fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let meta = fs::metadata(path).map_err(Failure::Io)?;
    check_regular(&meta)?;
    let file = fs::File::open(path).map_err(Failure::Io)?;
    // The path may have been replaced between the two looks: judge what was opened.
    let meta = file.metadata().map_err(Failure::Io)?;
    check_regular(&meta)?;
    if meta.len() > limit {
        return Err(Failure::TooLarge(limit));
    }
    read(file, limit)
}

/// [`read_file`] for text: content that is not UTF-8 is an I/O failure of kind `InvalidData`.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, Failure> {
    let bytes = read_file(path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        Failure::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "not valid UTF-8 text",
        ))
    })
}

/// Fails unless `meta` describes a regular file.
pub(crate) fn check_regular(meta: &fs::Metadata) -> Result<(), Failure> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(Failure::NotRegular(kind(&meta.file_type())))
    }
}

/// What a file type is, as a short noun for messages.
pub(crate) fn kind(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "fifo";
        }
        if file_type.is_char_device() {
            return "character device";
        }
        if file_type.is_block_device() {
            return "block device";
        }
        if file_type.is_socket() {
            return "socket";
        }
    }
    if file_type.is_dir() {
        "directory"
    } else if file_type.is_symlink() {
        "symbolic link"
    } else if file_type.is_file() {
        "regular file"
    } else {
        "special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_one_byte_past_the_limit() {
        let cases: &[(usize, u64, Option<usize>)] = &[
            (0, 0, Some(0)),
            (3, 3, Some(3)),
            (4, 3, None),
            (10, u64::MAX, Some(10)),
        ];
        for &(len, limit, want) in cases {
            let got = read(&vec![b'a'; len][..], limit).ok().map(|b| b.len());
            assert_eq!(got, want, "{len} bytes under a limit of {limit}");
        }
    }

    #[test]
    fn an_endless_stream_ends_at_the_limit() {
        let got = read(io::repeat(0), 1 << 10);
        assert!(matches!(got, Err(Failure::TooLarge(1024))), "{got:?}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_directories_are_refused_unopened() {
        let cases: &[(&str, &str)] = &[
            ("/dev/zero", "not a regular file (a character device)"),
            ("/", "not a regular file (a directory)"),
        ];
        for &(path, want) in cases {
            let got = read_file(Path::new(path), u64::MAX).unwrap_err();
            assert_eq!(got.to_string(), want, "{path}");
        }
    }
}
