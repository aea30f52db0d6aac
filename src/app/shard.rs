//! `leakward shard LIST K/N`: the repositories of a list that one shard owns, printed as
//! listed, one per line, for the CI matrix or Kubernetes job that fetches and scans them.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::error::{Error, IoFailure, Result};
use crate::repos::{self, Shard};

/// Runs `leakward shard`.
pub(super) fn run(list: &Path, shard: Shard) -> Result<ExitCode> {
    let units = repos::read_list(list)?;
    let mut out = std::io::stdout().lock();
    for unit in shard.select(&units) {
        writeln!(out, "{}", unit.listed).map_err(|source| Error::Io {
            context: "cannot write the shard's repositories to standard output".into(),
            source: IoFailure(source),
        })?;
    }
    out.flush().map_err(|source| Error::Io {
        context: "cannot write the shard's repositories to standard output".into(),
        source: IoFailure(source),
    })?;
    Ok(ExitCode::SUCCESS)
}
