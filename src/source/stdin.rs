//! Standard input as one chunk (`leakward scan -`).

use std::io::Read;

use crate::error::{Error, Result};

/// How reports name standard input.
pub const STDIN_PATH: &str = "<stdin>";

/// Reads all of standard input.
pub fn read() -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            context: "cannot read standard input".into(),
            source,
        })?;
    Ok(bytes)
}
