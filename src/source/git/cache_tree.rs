//! The two sides of the staged diff, without the directories that the index's cache tree
//! proves unchanged.
//!
//! git records in the index (its `TREE` extension) the tree id of every directory whose
//! entries have not changed since they were last written as a tree, and `git diff --cached`
//! skips a directory whose recorded id is HEAD's. Turning HEAD's whole tree into an index
//! decodes every tree object of the commit (most of the hook's git work on curl); pruning
//! decodes only the directories on the way to what was staged. A pruned directory holds no
//! change on either side, so the diff of what is left is the diff of the whole: the staged
//! diff tracks renames but not copies, and only a change can be a rename's source.

use std::ops::Range;

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::index::entry::{Flags, Mode, Stat};
use gix::index::extension::Tree as CacheTree;
use gix::index::State;
use gix::objs::tree::EntryKind;
use gix::prelude::FindExt;
use gix::ObjectId;

use crate::error::{Error, Result};

/// HEAD's entries and the index's, both without the directories the cache tree proves
/// unchanged; each sorted as an index is.
pub(crate) struct Sides {
    pub(crate) head: State,
    pub(crate) staged: State,
}

/// Splits HEAD's tree `head_tree` and `index` into the parts that can differ. The paths of
/// HEAD read are validated as gix validates a whole tree read into an index, and a
/// directory counts as unchanged only when its cached id is HEAD's and it holds as many
/// index entries as the cache tree says, so a stale or damaged extension prunes nothing.
pub(crate) fn sides(repo: &gix::Repository, head_tree: ObjectId, index: &State) -> Result<Sides> {
    let mut walk = Walk {
        repo,
        index,
        protect: protect_options(repo),
        head: State::new(repo.object_hash()),
        pruned: Vec::new(),
        buffer: Vec::new(),
    };
    if !head_tree.is_empty_tree() {
        walk.directory(head_tree, &mut BString::default(), index.tree())?;
    }
    let Walk {
        mut head,
        mut pruned,
        ..
    } = walk;
    pruned.sort_by_key(|range| range.start);
    head.sort_entries();
    Ok(Sides {
        head,
        staged: without(index, &pruned),
    })
}

struct Walk<'a> {
    repo: &'a gix::Repository,
    index: &'a State,
    protect: gix::validate::path::component::Options,
    head: State,
    /// The index entries of the directories pruned, in index order.
    pruned: Vec<Range<usize>>,
    buffer: Vec<u8>,
}

impl Walk<'_> {
    /// Adds HEAD's entries under `path` (`tree`, the tree object there), unless `cached`
    /// proves the directory unchanged.
    fn directory(
        &mut self,
        tree: ObjectId,
        path: &mut BString,
        cached: Option<&CacheTree>,
    ) -> Result<()> {
        if let Some(range) = cached.and_then(|node| self.unchanged(tree, path.as_bstr(), node)) {
            self.pruned.push(range);
            return Ok(());
        }
        let entries = self.entries(tree, path.as_bstr())?;
        for (kind, name, id) in entries {
            let parent = path.len();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.push_str(&name);
            let symlink =
                (kind == EntryKind::Link).then_some(gix::validate::path::component::Mode::Symlink);
            gix::validate::path::component(name.as_bstr(), symlink, self.protect)
                .map_err(|e| invalid_path(path.as_bstr(), e))?;
            let mode = match kind {
                EntryKind::Tree => {
                    let child = cached.and_then(|node| {
                        node.children
                            .iter()
                            .find(|c| c.name.as_slice() == name.as_slice())
                    });
                    self.directory(id, path, child)?;
                    path.truncate(parent);
                    continue;
                }
                EntryKind::Blob => Mode::FILE,
                EntryKind::BlobExecutable => Mode::FILE_EXECUTABLE,
                EntryKind::Link => Mode::SYMLINK,
                EntryKind::Commit => Mode::COMMIT,
            };
            self.head.dangerously_push_entry(
                Stat::default(),
                id,
                Flags::empty(),
                mode,
                path.as_bstr(),
            );
            path.truncate(parent);
        }
        Ok(())
    }

    /// The index entries under the directory `path`, if the cache tree's `node` for it is
    /// valid, names HEAD's `tree` and counts exactly those entries.
    fn unchanged(&self, tree: ObjectId, path: &BStr, node: &CacheTree) -> Option<Range<usize>> {
        if node.id != tree {
            return None;
        }
        let count = usize::try_from(node.num_entries?).ok()?;
        let range = if path.is_empty() {
            0..self.index.entries().len()
        } else {
            let mut prefix = BString::from(path.to_vec());
            prefix.push(b'/');
            self.index.prefixed_entries_range(prefix.as_bstr())?
        };
        (range.len() == count).then_some(range)
    }

    /// The entries of the tree object `id` at `path`: kind, name and object id.
    fn entries(
        &mut self,
        id: ObjectId,
        path: &BStr,
    ) -> Result<Vec<(EntryKind, BString, ObjectId)>> {
        let what = || format!("cannot read the tree of `{path}` in HEAD");
        let tree = self
            .repo
            .objects
            .find_tree_iter(&id, &mut self.buffer)
            .map_err(|e| Error::git(&what(), e))?;
        tree.map(|entry| {
            entry
                .map(|e| (e.mode.kind(), e.filename.to_owned(), e.oid.to_owned()))
                .map_err(|e| Error::git(&what(), e))
        })
        .collect()
    }
}

/// The path checks gix applies to a tree read into an index, from the same settings and with
/// the same defaults (`core.protectNTFS` on everywhere, the others on their own systems).
fn protect_options(repo: &gix::Repository) -> gix::validate::path::component::Options {
    let config = repo.config_snapshot();
    gix::validate::path::component::Options {
        protect_windows: config
            .boolean("gitoxide.core.protectWindows")
            .unwrap_or(cfg!(windows)),
        protect_hfs: config
            .boolean("core.protectHFS")
            .unwrap_or(cfg!(target_os = "macos")),
        protect_ntfs: config.boolean("core.protectNTFS").unwrap_or(true),
    }
}

fn invalid_path(path: &BStr, error: gix::validate::path::component::Error) -> Error {
    Error::git(&format!("the path \"{path}\" in HEAD is invalid"), error)
}

/// `index` without the entries in `pruned` (ranges in index order).
fn without(index: &State, pruned: &[Range<usize>]) -> State {
    let mut kept = State::new(index.object_hash());
    let mut next = pruned.iter().peekable();
    let mut at = 0;
    while at < index.entries().len() {
        if let Some(range) = next.next_if(|r| r.start <= at) {
            at = at.max(range.end);
            continue;
        }
        let entry = &index.entries()[at];
        kept.dangerously_push_entry(
            entry.stat,
            entry.id,
            entry.flags,
            entry.mode,
            entry.path(index),
        );
        at += 1;
    }
    kept
}
