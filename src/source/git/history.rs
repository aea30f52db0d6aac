//! What each commit introduces: the (path, blob) pairs that differ from every parent.
//!
//! A commit's tree is diffed against each parent's tree (renames off). A path counts as
//! introduced by a merge only if its blob differs from the blob at that path in *every*
//! parent, so a line written while resolving a conflict is found, and merely merged lines
//! are not attributed to the merge.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use gix::bstr::BString;
use gix::diff::tree::{recorder, Recorder};
use gix::hash::ObjectId;
use gix::objs::TreeRefIter;
use rayon::prelude::*;

use super::commit_headers;
use super::tree_reader::TreeReader;
use crate::error::Result;
use crate::scan::allow::one_line;

/// One commit introducing one blob at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Introduction {
    /// Index into the list of commits the introductions were computed for.
    pub commit: u32,
    /// `/`-separated path in the commit's tree.
    pub path: Arc<str>,
    /// The blob at `path` in each parent, in parent order; `None` where the parent has no
    /// blob there. Empty for a root commit.
    pub parents: Vec<Option<ObjectId>>,
}

/// Every blob the commits introduce, with each introduction, and what could not be read.
#[derive(Debug, Default)]
pub(crate) struct Introduced {
    pub blobs: HashMap<ObjectId, Vec<Introduction>>,
    /// (object id, reason) for commits or trees that could not be read.
    pub unreadable: Vec<(String, String)>,
}

/// Bytes of delta bases gix keeps decoded for each diff worker, for what the worker reads
/// through gix rather than its [`TreeReader`]: the commits of parents outside the selection,
/// loose trees. On the 100k-commit bench, 4 MB took about 100 MB off the peak against
/// 64 MB, with the same wall time.
const DIFF_PACK_CACHE_BYTES: usize = 4 << 20;

/// Bytes of decoded trees each diff worker keeps, every delta base of a chain included
/// ([`TreeReader`]). On git/git (85k commits) 8, 32 and 128 MB gave the same CPU time
/// within noise, about 40 % less for the diffs than gix's own cache of requested objects.
const TREE_CACHE_BYTES: usize = 32 << 20;

/// Commits diffed per pass. Each pass reads through an object store of its own, so the pack
/// pages its commits and trees occupied leave memory before the next pass maps others, and
/// the changes of one pass are merged before the next is diffed.
const COMMITS_PER_PASS: usize = 4096;

/// Diffs every commit against its parents, in parallel, one repository handle per worker.
/// A commit in `boundary` (a shallow clone's boundary, whose parents are not in the
/// repository) is diffed against the empty tree, like a root commit. After a signal the
/// workers stop and the result is partial: callers check [`crate::interrupt`] before using it.
///
/// The commits are diffed newest first by commit time, not in the order given (a walk from
/// many tips interleaves distant eras): `git repack` stores a tree as a delta of a
/// neighbouring version of itself, so consecutive diffs read trees whose delta bases the
/// worker has just decoded and still holds in its cache, instead of decoding whole chains.
pub(crate) fn introduced(
    repo: &gix::Repository,
    commits: &[ObjectId],
    boundary: &HashSet<ObjectId>,
) -> Result<Introduced> {
    let mut out = Introduced::default();
    let mut failed: Vec<(u32, Failure)> = Vec::new();
    let headers = {
        let store = super::fresh_store(repo)?;
        commit_headers::read(&store, commits)
    };
    if crate::interrupt::requested() {
        return Ok(out);
    }
    let trees: HashMap<ObjectId, ObjectId> = commits
        .iter()
        .zip(&headers)
        .filter_map(|(&id, header)| Some((id, header.as_ref().ok()?.tree)))
        .collect();
    let order = diff_order(&headers, &mut failed);
    let mut paths: HashMap<BString, Arc<str>> = HashMap::new();
    for chunk in order.chunks(COMMITS_PER_PASS) {
        if crate::interrupt::requested() {
            break;
        }
        let store = super::fresh_store(repo)?;
        // A few long runs of neighbouring commits, each with one differ: rayon's `map_init`
        // would start a differ, with a cold tree cache, for every piece it splits off.
        let run = chunk
            .len()
            .div_ceil(2 * rayon::current_num_threads())
            .max(1);
        let per_commit: Vec<(u32, Result<Vec<Change>, Failure>)> = chunk
            .par_chunks(run)
            .flat_map_iter(|run| {
                let mut differ = Differ::new(&store);
                run.iter()
                    .map_while(|&(at, header)| {
                        (!crate::interrupt::requested()).then(|| {
                            let as_root = boundary.contains(&commits[at as usize]);
                            (at, differ.changes(header, &trees, as_root))
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        for (commit, changes) in per_commit {
            match changes {
                Ok(changes) => out.add(commit, changes, &mut paths),
                Err(failure) => failed.push((commit, failure)),
            }
        }
    }
    // Listed in the order of `commits`, as if they had been diffed in that order.
    for intros in out.blobs.values_mut() {
        intros.sort_by_key(|intro| intro.commit);
    }
    failed.sort_by_key(|(commit, _)| *commit);
    out.unreadable = failed.into_iter().map(|(_, failure)| failure).collect();
    Ok(out)
}

/// The commits whose header was read, by index, newest first (ties in index order); the
/// others go to `failed`.
fn diff_order<'a>(
    headers: &'a [Result<commit_headers::Header, Failure>],
    failed: &mut Vec<(u32, Failure)>,
) -> Vec<(u32, &'a commit_headers::Header)> {
    let mut order = Vec::with_capacity(headers.len());
    for (at, header) in headers.iter().enumerate() {
        match header {
            Ok(header) => order.push((at as u32, header)),
            Err(failure) => failed.push((at as u32, failure.clone())),
        }
    }
    order.sort_by_key(|&(at, header)| (std::cmp::Reverse(header.time), at));
    order
}

impl Introduced {
    /// Records that `commit` introduced `changes`, sharing one copy of each path.
    fn add(&mut self, commit: u32, changes: Vec<Change>, paths: &mut HashMap<BString, Arc<str>>) {
        for change in changes {
            let path = paths
                .entry(change.path)
                .or_insert_with_key(|p| Arc::from(crate::path_text::from_bytes(p)))
                .clone();
            self.blobs
                .entry(change.blob)
                .or_default()
                .push(Introduction {
                    commit,
                    path,
                    parents: change.parents,
                });
        }
    }
}

/// An object that could not be read: (object id, reason).
type Failure = (String, String);

/// The blobs that differ between two trees, by path: (new blob, old blob if any).
type Diffed = HashMap<BString, (ObjectId, Option<ObjectId>)>;

/// A blob a commit introduces at a path.
#[derive(Debug)]
struct Change {
    path: BString,
    blob: ObjectId,
    parents: Vec<Option<ObjectId>>,
}

/// One worker's repository handle, tree reader and reusable diff buffers.
struct Differ {
    repo: gix::Repository,
    trees: TreeReader<gix::OdbHandle>,
    state: gix::diff::tree::State,
}

impl Differ {
    fn new(repo: &gix::ThreadSafeRepository) -> Self {
        let repo = super::blobs::worker_handle(repo, DIFF_PACK_CACHE_BYTES, 0);
        let trees = TreeReader::new(
            repo.objects.store_ref().path().to_owned(),
            repo.object_hash(),
            repo.objects.clone(),
            TREE_CACHE_BYTES,
        );
        Differ {
            repo,
            trees,
            state: Default::default(),
        }
    }

    /// The content of tree `id`, into `buffer`.
    fn read_tree(&self, id: ObjectId, buffer: &mut Vec<u8>) -> Result<(), Failure> {
        if self.trees.read_tree(&id, buffer) {
            return Ok(());
        }
        // Not in a pack the reader resolves, or not a tree: gix reads it, or says why not.
        let tree = self.repo.find_tree(id).map_err(|e| failure(id, e))?;
        buffer.clear();
        buffer.extend_from_slice(&tree.data);
        Ok(())
    }

    /// The blobs the commit of `header` introduces, or the object that could not be read and
    /// why. `trees` holds the tree of each commit already read; with `as_root`, the parents
    /// are not read and the whole tree counts as introduced.
    fn changes(
        &mut self,
        header: &commit_headers::Header,
        trees: &HashMap<ObjectId, ObjectId>,
        as_root: bool,
    ) -> Result<Vec<Change>, Failure> {
        let tree = header.tree;
        let parent_trees = if as_root {
            Vec::new()
        } else {
            self.parent_trees(&header.parents, trees)?
        };
        let Some((first, rest)) = parent_trees.split_first() else {
            let all = self.diff(None, tree)?;
            return Ok(all
                .into_iter()
                .map(|(path, (blob, _))| Change {
                    path,
                    blob,
                    parents: Vec::new(),
                })
                .collect());
        };
        let mut changed: HashMap<BString, (ObjectId, Vec<Option<ObjectId>>)> = self
            .diff(Some(*first), tree)?
            .into_iter()
            .map(|(path, (blob, parent))| (path, (blob, vec![parent])))
            .collect();
        for &parent_tree in rest {
            if changed.is_empty() {
                break;
            }
            let against = self.diff(Some(parent_tree), tree)?;
            changed.retain(|path, (blob, parents)| match against.get(path) {
                Some((same, parent)) if same == blob => {
                    parents.push(*parent);
                    true
                }
                // Unchanged from this parent: the merge took it from there.
                _ => false,
            });
        }
        Ok(changed
            .into_iter()
            .map(|(path, (blob, parents))| Change {
                path,
                blob,
                parents,
            })
            .collect())
    }

    /// The trees of `parents`, in parent order: from `trees` where the walk read them, read
    /// here otherwise (a parent outside a range).
    fn parent_trees(
        &self,
        parents: &[ObjectId],
        trees: &HashMap<ObjectId, ObjectId>,
    ) -> Result<Vec<ObjectId>, Failure> {
        parents
            .iter()
            .map(|&parent| match trees.get(&parent) {
                Some(&tree) => Ok(tree),
                None => {
                    let commit = self
                        .repo
                        .find_commit(parent)
                        .map_err(|e| failure(parent, e))?;
                    Ok(commit.tree_id().map_err(|e| failure(parent, e))?.detach())
                }
            })
            .collect()
    }

    /// Blobs (regular or executable files) that differ in `new` from `old`, by path, with
    /// the blob `old` had there.
    fn diff(&mut self, old: Option<ObjectId>, new: ObjectId) -> Result<Diffed, Failure> {
        let mut out = HashMap::new();
        if old == Some(new) {
            return Ok(out);
        }
        let kind = new.kind();
        let (mut new_data, mut old_data) = (Vec::new(), Vec::new());
        self.read_tree(new, &mut new_data)?;
        if let Some(old) = old {
            self.read_tree(old, &mut old_data)?;
        }
        // A fresh recorder for every diff: a recorder keeps the last directory it visited as
        // its current path, and the next diff's paths would be built on top of it.
        let mut recorder = Recorder::default();
        gix::diff::tree(
            TreeRefIter::from_bytes(&old_data, kind),
            TreeRefIter::from_bytes(&new_data, kind),
            &mut self.state,
            &self.trees,
            &mut recorder,
        )
        .map_err(|e| failure(new, e))?;
        for record in recorder.records {
            match record {
                recorder::Change::Addition {
                    entry_mode,
                    oid,
                    path,
                    ..
                } if entry_mode.is_blob() => {
                    out.insert(path, (oid, None));
                }
                recorder::Change::Modification {
                    previous_entry_mode,
                    previous_oid,
                    entry_mode,
                    oid,
                    path,
                } if entry_mode.is_blob() && previous_oid != oid => {
                    let previous = previous_entry_mode.is_blob().then_some(previous_oid);
                    out.insert(path, (oid, previous));
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// An object that could not be read, and why, as the summary lists it.
fn failure(what: ObjectId, error: impl std::fmt::Display) -> Failure {
    (what.to_string(), one_line(&error.to_string()))
}
