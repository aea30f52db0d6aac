//! Sources: the only code that reads the filesystem or git. Each yields chunks for the core.

pub mod files;
pub mod git;
pub mod stdin;

/// Why a file or blob was not scanned. Reported in the summary; never silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// It holds a NUL byte in its first 8 KiB.
    Binary,
    /// It is larger than the size limit.
    TooLarge,
}

/// How many bytes are inspected for a NUL byte to call content binary (as git does).
const BINARY_SNIFF: usize = 8 << 10;

/// True if `bytes` look binary: a NUL byte in the first 8 KiB.
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some()
}
