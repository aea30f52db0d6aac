//! Sources: the only code that reads the filesystem or git. Each yields chunks for the core.

pub(crate) mod files;
pub(crate) mod git;
pub(crate) mod stdin;

use crate::chunk::Scope;

/// The content of one file or blob, ready to scan, or why there is none. Every source loads
/// into this one type, so every command counts what it skipped and could not read alike.
#[derive(Debug)]
pub(crate) enum Loaded {
    /// The bytes, and the lines of them in which findings count.
    Bytes(Vec<u8>, Scope),
    /// Nothing to scan, and nothing to count: a Git LFS pointer, or a change that adds no
    /// line (a pure rename, deleted lines only).
    Nothing,
    /// Skipped and counted.
    Skipped(Skip),
    /// It could not be read: why (a short lower-case phrase). The run ends with exit code 2.
    Failed(String),
}

/// Why a file or blob was not scanned. Reported in the summary; never silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Skip {
    /// It is larger than the size limit.
    TooLarge,
}
