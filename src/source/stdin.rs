//! Standard input as one chunk (`leakward scan -`).

use std::io::Read;

use crate::error::{Error, Result};

/// How reports name standard input.
pub const STDIN_PATH: &str = "<stdin>";

/// Reads standard input, keeping no more than `limit + 1` bytes: enough to tell that it is
/// over the size limit without holding an endless stream in memory. The rest is read and
/// dropped, so the writer (`git diff | leakward scan -`) is not cut off with a broken pipe.
pub fn read(limit: u64) -> Result<Vec<u8>> {
    let fail = |source| Error::Io {
        context: "cannot read standard input".into(),
        source,
    };
    let mut stdin = std::io::stdin().lock();
    let mut bytes = Vec::new();
    stdin
        .by_ref()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > limit {
        std::io::copy(&mut stdin, &mut std::io::sink()).map_err(fail)?;
    }
    Ok(bytes)
}
