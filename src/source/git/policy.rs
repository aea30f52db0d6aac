//! Policy files read from a commit's tree: the `.leakward.toml`, ignore files and baseline
//! that a range, pull-request or pre-push scan takes from its base commit, never from the
//! work tree that the changes under review wrote.
//!
//! See: issue 19 ("a change cannot weaken the gate that judges it").

use gix::hash::ObjectId;

use crate::error::{Error, Result};
use crate::scan::allow::one_line;

/// The largest policy file read from a tree. Configs and ignore files are a few KB; a
/// baseline of many thousand fingerprints a few MB.
pub(crate) const MAX_POLICY_BYTES: u64 = 64 << 20;

/// One file of a commit's tree: its blob id and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TreeFile {
    pub blob: ObjectId,
    pub text: String,
}

/// The blob id at `path` (repository-relative, `/`-separated) in the tree of `commit`, or
/// `None` if the tree has nothing there. Used to tell whether a range changed a file.
pub(crate) fn blob_at(
    repo: &gix::Repository,
    commit: ObjectId,
    path: &str,
) -> Result<Option<ObjectId>> {
    let failed = |e: &dyn std::fmt::Display| {
        Error::git(
            &format!("cannot read `{path}` in commit {commit}"),
            one_line(&e.to_string()),
        )
    };
    let tree = repo
        .find_commit(commit)
        .map_err(|e| failed(&e))?
        .tree()
        .map_err(|e| failed(&e))?;
    let entry = tree
        .lookup_entry(path.split('/').map(str::as_bytes))
        .map_err(|e| failed(&e))?;
    Ok(entry.map(|e| e.object_id()))
}

/// The text of `path` in the tree of `commit`, or `None` if the tree has nothing there.
/// Anything but a regular file (a symlink, a directory, a submodule), a file over
/// [`MAX_POLICY_BYTES`] or one that is not UTF-8 is an error: a policy file that cannot be
/// read as written must not silently count as absent.
pub(crate) fn read(
    repo: &gix::Repository,
    commit: ObjectId,
    path: &str,
) -> Result<Option<TreeFile>> {
    let short = short(commit);
    let failed = |cause: String| Error::git(&format!("cannot read {short}:{path}"), cause);
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|e| failed(one_line(&e.to_string())))?;
    let Some(entry) = tree
        .lookup_entry(path.split('/').map(str::as_bytes))
        .map_err(|e| failed(one_line(&e.to_string())))?
    else {
        return Ok(None);
    };
    if !entry.mode().is_blob() {
        return Err(failed(
            "it is not a regular file (a symlink, directory or submodule); make it one, or remove it".into(),
        ));
    }
    let blob = entry.object_id();
    let header = repo
        .find_header(blob)
        .map_err(|e| failed(one_line(&e.to_string())))?;
    if header.size() > MAX_POLICY_BYTES {
        return Err(failed(format!(
            "it is {} bytes, over the {MAX_POLICY_BYTES}-byte limit for policy files",
            header.size()
        )));
    }
    let object = entry
        .object()
        .map_err(|e| failed(one_line(&e.to_string())))?;
    let text = String::from_utf8(object.data.clone())
        .map_err(|_| failed("it is not UTF-8 text".into()))?;
    Ok(Some(TreeFile { blob, text }))
}

/// A commit id as reports abbreviate it (12 hex digits).
pub(crate) fn short(commit: ObjectId) -> String {
    commit.to_hex_with_len(12).to_string()
}
