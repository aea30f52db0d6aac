//! Which commits hold which blobs: for a few paths of interest, the blob each commit's tree
//! has there. Only paths where secrets were found are looked up.
//!
//! The paths form a tree of names, walked once per commit from its root tree. What a tree
//! holds below it is remembered by tree id, so consecutive commits, which share almost all
//! their subtrees, cost about one root-tree decode each.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use gix::bstr::{BString, ByteSlice};
use gix::hash::ObjectId;
use gix::objs::TreeRefIter;
use rayon::prelude::*;

use crate::source::git::blobs;
use crate::source::git::tree_reader::TreeReader;

/// A commit holding a blob of interest at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Holding {
    /// Index into the commits looked at.
    pub commit: u32,
    /// Index into the paths looked up.
    pub path: u32,
    pub blob: ObjectId,
}

/// One directory of the paths of interest: each wanted name, as a file (the path's index)
/// and as a directory (the node below it).
#[derive(Debug, Default)]
struct Node {
    names: BTreeMap<BString, (Option<u32>, Option<usize>)>,
}

/// The tree of names of all paths of interest; node 0 is the root.
fn name_tree(paths: &[Arc<str>]) -> Vec<Node> {
    let mut nodes = vec![Node::default()];
    for (index, path) in paths.iter().enumerate() {
        let parts: Vec<&str> = path.split('/').collect();
        let mut at = 0;
        for (depth, part) in parts.iter().enumerate() {
            // Paths are text with `\xHH` for bytes that are not UTF-8; trees hold the bytes.
            let key = BString::from(crate::path_text::to_bytes(part));
            let last = depth + 1 == parts.len();
            let next = nodes.len();
            let slot = nodes[at].names.entry(key).or_default();
            if last {
                slot.0 = Some(index as u32);
            } else if let Some(child) = slot.1 {
                at = child;
            } else {
                slot.1 = Some(next);
                nodes.push(Node::default());
                at = next;
            }
        }
    }
    nodes
}

/// Blobs of interest below one tree: (path index, blob).
type Found = Arc<Vec<(u32, ObjectId)>>;

/// Memoised lookups for one worker.
struct Walker<'a> {
    repo: gix::Repository,
    /// Reads the trees, with their delta bases kept; its packs are mapped afresh every
    /// [`COMMITS_PER_MAPPING`] commits so that the pack pages it touched leave memory.
    trees: TreeReader<gix::OdbHandle>,
    nodes: &'a [Node],
    wanted: &'a HashSet<ObjectId>,
    memo: HashMap<(ObjectId, usize), Found>,
    /// The result of most subtrees, which hold nothing of interest: one shared allocation.
    nothing: Found,
}

/// Forget remembered subtrees past this many, to keep memory bounded on huge histories.
const MAX_MEMO: usize = 1 << 20;

/// Bytes of delta bases each worker keeps decoded. On the 100k-commit bench, 4 MB instead of
/// 64 MB took the audit's peak from 636 to about 480 MB for 1-3 s more (17 s -> 18-21 s);
/// 16 MB was no faster than 4. (Walking in passes with a fresh object store each, as the
/// history diffs do, made this walk 1.5-2 times slower.)
const PACK_CACHE_BYTES: usize = 4 << 20;

/// Bytes of decoded trees each worker's [`TreeReader`] keeps.
const TREE_CACHE_BYTES: usize = 8 << 20;

/// Commits a worker walks between two remappings of its [`TreeReader`]'s packs: every page
/// a read touches (and the kernel maps up to 64 KB around each fault) stays resident until
/// the pack is unmapped, and a repository's trees are spread through its whole pack. On
/// git/git a fresh reader every 2048 commits held about 170 MB of pack pages, remapping
/// every 256 about 90 MB; the decoded trees are kept across remappings.
const COMMITS_PER_MAPPING: usize = 64;

/// A tree reader over the packs of `repo` that falls back to `repo`'s object store.
fn tree_reader(repo: &gix::Repository) -> TreeReader<gix::OdbHandle> {
    TreeReader::new(
        repo.objects.store_ref().path().to_owned(),
        repo.object_hash(),
        repo.objects.clone(),
        TREE_CACHE_BYTES,
    )
}

impl Walker<'_> {
    fn below(&mut self, tree: ObjectId, node: usize) -> Found {
        if let Some(found) = self.memo.get(&(tree, node)) {
            return found.clone();
        }
        let mut found = Vec::new();
        let mut dirs = Vec::new();
        let mut data = Vec::new();
        let read = self.trees.read_tree(&tree, &mut data)
            || self.repo.find_object(tree).is_ok_and(|object| {
                data = object.detach().data;
                true
            });
        if read {
            for entry in TreeRefIter::from_bytes(&data, tree.kind()).flatten() {
                let Some(&(file, dir)) = self.nodes[node].names.get(entry.filename.as_bstr())
                else {
                    continue;
                };
                let id = entry.oid.to_owned();
                match (entry.mode.is_blob(), entry.mode.is_tree(), file, dir) {
                    (true, _, Some(path), _) if self.wanted.contains(&id) => found.push((path, id)),
                    (_, true, _, Some(child)) => dirs.push((id, child)),
                    _ => {}
                }
            }
        }
        for (id, child) in dirs {
            found.extend(self.below(id, child).iter().copied());
        }
        let found = if found.is_empty() {
            self.nothing.clone()
        } else {
            Arc::new(found)
        };
        // A commit's root tree is almost always its own: remembering it would not pay.
        if node != 0 {
            if self.memo.len() >= MAX_MEMO {
                self.memo.clear();
            }
            self.memo.insert((tree, node), found.clone());
        }
        found
    }
}

/// For every commit whose root tree is in `trees` and every path of `paths`, the blob at
/// that path if it is one of `wanted`; a commit is its index in `trees`. `times` (a time per
/// commit) sets the order of the walk, newest first: `git repack` stores a tree as a delta of
/// a neighbouring version of itself, so neighbours in time share delta bases and subtrees,
/// which neighbours by id do not. The result is in commit order whatever the walk's. Commits
/// or trees that cannot be read hold nothing here; the inventory has already listed them.
pub(crate) fn holdings(
    repo: &gix::ThreadSafeRepository,
    trees: &[Option<ObjectId>],
    times: &[i64],
    paths: &[Arc<str>],
    wanted: &HashSet<ObjectId>,
) -> Vec<Holding> {
    if paths.is_empty() {
        return Vec::new();
    }
    let nodes = name_tree(paths);
    let mut order: Vec<u32> = (0..trees.len() as u32).collect();
    order.sort_by_key(|&at| (std::cmp::Reverse(times.get(at as usize).copied()), at));
    let threads = rayon::current_num_threads().max(1);
    // Contiguous runs of commits per worker: neighbours share subtrees, so the memo hits.
    let run = order.len().div_ceil(threads).max(1);
    let mut out: Vec<Holding> = order
        .par_chunks(run)
        .flat_map_iter(|commits| {
            let handle = blobs::worker_handle(repo, PACK_CACHE_BYTES, 0);
            let mut walker = Walker {
                trees: tree_reader(&handle),
                repo: handle,
                nodes: &nodes,
                wanted,
                memo: HashMap::new(),
                nothing: Found::default(),
            };
            let mut out = Vec::new();
            for (walked, &commit) in commits.iter().enumerate() {
                if walked > 0 && walked % COMMITS_PER_MAPPING == 0 {
                    walker.trees.remap();
                }
                let Some(root) = trees[commit as usize] else {
                    continue;
                };
                for &(path, blob) in walker.below(root, 0).iter() {
                    out.push(Holding { commit, path, blob });
                }
            }
            out
        })
        .collect();
    // Stable: a commit's holdings stay in the order its tree lists them.
    out.sort_by_key(|holding| holding.commit);
    out
}
