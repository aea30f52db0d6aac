//! Sources: the only code that reads the filesystem or git. Each yields chunks for the core.

pub mod files;
pub mod git;
pub mod stdin;

/// Why a file or blob was not scanned. Reported in the summary; never silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// It is larger than the size limit.
    TooLarge,
}
