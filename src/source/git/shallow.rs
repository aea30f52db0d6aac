//! Shallow clones: which commits sit on the boundary, and what to tell the user about the
//! history past it.
//!
//! A boundary commit (listed in `.git/shallow`) names parents the clone does not hold. A
//! history scan treats those parents as an empty tree, so everything a boundary commit holds
//! counts as added by it; a request that needs a missing commit (a range base, a merge base)
//! fails instead, naming it.

use std::collections::HashSet;

use gix::hash::ObjectId;

use crate::error::{Error, Result};
use crate::scan::allow::one_line;

/// How to get the history a shallow clone lacks.
pub(crate) const FETCH_ADVICE: &str =
    "fetch it with `git fetch --unshallow` (in CI: a checkout with fetch-depth 0)";

/// The boundary commits of a shallow clone; empty for a complete repository.
pub(crate) fn boundary(repo: &gix::Repository) -> Result<HashSet<ObjectId>> {
    let commits = repo.shallow_commits().map_err(|e| {
        Error::git(
            "cannot read the shallow boundary (.git/shallow)",
            one_line(&e.to_string()),
        )
    })?;
    Ok(commits
        .map(|commits| commits.iter().copied().collect())
        .unwrap_or_default())
}

/// The summary's warning for a scan that reached `reached` boundary commits.
pub(crate) fn warning(reached: usize) -> String {
    let (commits, its, them) = if reached == 1 {
        ("commit", "its", "it")
    } else {
        ("commits", "their", "them")
    };
    format!(
        "this is a shallow clone: {reached} boundary {commits}, scanned as adding {its} whole tree; history older than {them} is not in the clone and was not scanned; {FETCH_ADVICE}"
    )
}

/// The unreadable item for a scan that reached `reached` boundary commits without
/// `--allow-shallow`: (what, why).
pub(crate) fn missing(reached: usize) -> (String, String) {
    let commits = if reached == 1 { "commit" } else { "commits" };
    (
        format!("the history before {reached} shallow boundary {commits}"),
        format!(
            "not in this shallow clone; {FETCH_ADVICE}, or pass --allow-shallow to scan only what the clone holds"
        ),
    )
}

/// The error for a request (`the range \`A..B\``) that `needs` (`commit 1234…`) history
/// this shallow clone does not hold.
pub(crate) fn incomplete(request: &str, needs: &str) -> Error {
    Error::git_message(format!(
        "{request} needs {needs}, which this shallow clone does not hold; {FETCH_ADVICE}"
    ))
}
