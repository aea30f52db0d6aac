//! `leakward shard LIST K/N`: the repositories of a list that one shard owns, printed as
//! listed, one per line, for the CI matrix or Kubernetes job that fetches and scans them.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::ShardCommand;
use crate::error::{Error, Result};
use crate::repos;

/// Runs `leakward shard`.
pub fn run(args: ShardCommand) -> Result<ExitCode> {
    let units = repos::read_list(&args.list)?;
    let mut out = std::io::stdout().lock();
    for unit in args.shard.select(&units) {
        writeln!(out, "{}", unit.listed).map_err(|source| Error::Io {
            context: "cannot write the shard's repositories to standard output".into(),
            source,
        })?;
    }
    out.flush().map_err(|source| Error::Io {
        context: "cannot write the shard's repositories to standard output".into(),
        source,
    })?;
    Ok(ExitCode::SUCCESS)
}
