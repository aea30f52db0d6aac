//! The paths each blob of an audited database was committed at, by any commit in it:
//! what an audit scans each blob as.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use gix::hash::ObjectId;

use super::graph::Graph;
use super::odb;
use crate::error::Result;
use crate::source::git::history;

/// The distinct paths each blob was committed at, by any commit in the database. Commits
/// whose parents are missing (a shallow boundary) count as adding their whole tree.
pub(crate) fn blob_paths(
    repo: &gix::ThreadSafeRepository,
    graph: &Graph,
    present: &HashSet<ObjectId>,
    problems: &mut Vec<odb::Problem>,
) -> Result<HashMap<ObjectId, Vec<Arc<str>>>> {
    let incomplete: HashSet<u32> = graph.incomplete.iter().copied().collect();
    let complete: Vec<ObjectId> = (0..graph.ids.len() as u32)
        .filter(|at| !incomplete.contains(at))
        .map(|at| graph.ids[at as usize])
        .collect();
    let introduced = history::introduced(&repo.to_thread_local(), &complete, &HashSet::new())?;
    for (id, why) in introduced.unreadable {
        let what = format!("object {id}");
        if !problems.iter().any(|(seen, _)| seen.ends_with(&id)) {
            problems.push((what, why));
        }
    }
    let mut out: HashMap<ObjectId, Vec<Arc<str>>> = HashMap::new();
    for (blob, intros) in introduced.blobs {
        let mut paths: Vec<Arc<str>> = intros.into_iter().map(|i| i.path).collect();
        paths.sort_unstable();
        paths.dedup();
        out.insert(blob, paths);
    }
    for blob in out.keys() {
        if !present.contains(blob)
            && !problems
                .iter()
                .any(|(seen, _)| seen.ends_with(&blob.to_string()))
        {
            problems.push((
                format!("object {blob}"),
                "missing: a commit's tree names this blob, but the database does not hold it"
                    .into(),
            ));
        }
    }
    let local = repo.to_thread_local();
    for &at in &graph.incomplete {
        let id = graph.ids[at as usize];
        match whole_tree(&local, id) {
            Ok(entries) => {
                for (path, blob) in entries {
                    let paths = out.entry(blob).or_default();
                    if !paths.contains(&path) {
                        paths.push(path);
                    }
                }
            }
            Err(reason) => problems.push((format!("commit {id}"), reason.to_string())),
        }
    }
    Ok(out)
}

/// Every (path, blob) of a commit's tree.
fn whole_tree(
    repo: &gix::Repository,
    id: ObjectId,
) -> std::result::Result<Vec<(Arc<str>, ObjectId)>, crate::error::Reason> {
    let failed = |e: &dyn std::fmt::Display| crate::scan::allow::one_line(&e.to_string());
    let tree = repo
        .find_commit(id)
        .map_err(|e| failed(&e))?
        .tree()
        .map_err(|e| failed(&e))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| failed(&e))?;
    Ok(recorder
        .records
        .into_iter()
        .filter(|e| e.mode.is_blob())
        .map(|e| (Arc::from(crate::path_text::from_bytes(&e.filepath)), e.oid))
        .collect())
}
