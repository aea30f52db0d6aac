//! Staged changes: what `git commit` would record, read from the index rather than the
//! working tree, with each file scoped to the lines the commit adds.
//!
//! The diff is HEAD's tree against the index (`GIT_INDEX_FILE` is honoured through
//! [`super::open`]). Renames are tracked by similarity, as `git diff --cached -M` does, so a
//! moved file is diffed against its old content and a secret it already held does not block
//! the move. Copies are not tracked: a copy is a new place for a secret, and is scanned whole.

use gix::bstr::ByteSlice;
use gix::diff::index::ChangeRef;
use gix::index::entry::Mode;
use gix::ObjectId;

use super::added_lines::added_lines;
use crate::chunk::Scope;
use crate::error::{Error, Result};
use crate::source::{Loaded, Skip};

/// One staged file whose content the commit adds or changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StagedFile {
    /// Repository-relative, `/`-separated path in the index.
    pub path: String,
    /// The staged blob: what the commit will record.
    pub blob: ObjectId,
    /// The blob it replaces (in HEAD, or the source of a rename), if it was a regular file.
    pub previous: Option<ObjectId>,
}

/// What the staged changes hold, before any content is read.
#[derive(Debug, Default)]
pub(crate) struct Staged {
    /// Regular files (plain or executable) that were added, modified or renamed, sorted by path.
    pub files: Vec<StagedFile>,
    /// Entries that hold no scannable text: symlinks (their blob is a path) and submodules.
    pub not_files: u64,
}

/// Lists the staged changes of `repo`: HEAD's tree (empty when HEAD is unborn) against the
/// index. Deletions add nothing and are left out.
pub(crate) fn changes(repo: &gix::Repository) -> Result<Staged> {
    let repo = &without_index_checksum(repo)?;
    let head_tree = repo
        .head_tree_id_or_empty()
        .map_err(|e| Error::git("cannot resolve HEAD", e))?
        .detach();
    let index = repo
        .index_or_empty()
        .map_err(|e| Error::git("cannot read the index", e))?;
    if index.is_sparse() {
        return Err(Error::git_message("sparse indexes are not supported yet; run `git sparse-checkout disable` or set index.sparse=false".into()));
    }
    let sides = super::cache_tree::sides(repo, head_tree, &index)?;
    let mut staged = Staged::default();
    let fail = |e| Error::git("cannot diff HEAD against the index", e);
    let mut resource_cache = repo.diff_resource_cache_for_tree_diff().map_err(fail)?;
    // No pattern: everything under the directory the command runs in, as `git status` reads.
    let (mut pathspec, _) = repo
        .pathspec(
            true,
            None::<&str>,
            false,
            &gix::index::State::new(repo.object_hash()),
            gix::worktree::stack::state::attributes::Source::IdMapping,
        )
        .map_err(fail)?
        .into_parts();
    gix::diff::index(
        &sides.head,
        &sides.staged,
        |change| {
            record(&mut staged, change);
            Ok(gix::diff::index::Action::Continue(()))
        },
        Some(gix::diff::index::RewriteOptions {
            resource_cache: &mut resource_cache,
            find: repo,
            rewrites: renames(),
        }),
        &mut pathspec,
        // Only a pattern with attributes asks, and there is no pattern.
        &mut |_, _, _, _| false,
    )
    .map_err(fail)?;
    // Renames are emitted after everything else; reports want path order.
    staged.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(staged)
}

/// A handle on `repo` that reads the index without verifying its trailing checksum, as git
/// reads it (only `git fsck` verifies it): hashing curl's 400 KB index was 9M of the 23M
/// instructions of the hook's git work. Entries are still decoded and checked, so a damaged
/// index is still an error. The rename tracker's diff cache reads the same shared snapshot.
fn without_index_checksum(repo: &gix::Repository) -> Result<gix::Repository> {
    let mut repo = repo.clone();
    let mut config = repo.config_snapshot_mut();
    config
        .set_value(&gix::config::tree::Index::SKIP_HASH, "true")
        .map_err(|e| Error::git("cannot configure the index read", e))?;
    config
        .commit()
        .map_err(|e| Error::git("cannot configure the index read", e))?;
    Ok(repo)
}

/// Rename tracking as git's default: 50% similarity, at most 1000 candidates per side.
fn renames() -> gix::diff::Rewrites {
    gix::diff::Rewrites {
        copies: None,
        percentage: Some(0.5),
        limit: 1000,
        track_empty: false,
    }
}

fn record(staged: &mut Staged, change: ChangeRef<'_, '_>) {
    let (location, mode, id, previous) = match change {
        ChangeRef::Deletion { .. } => return,
        ChangeRef::Addition {
            location,
            entry_mode,
            id,
            ..
        } => (location, entry_mode, id, None),
        ChangeRef::Modification {
            location,
            previous_entry_mode,
            previous_id,
            entry_mode,
            id,
            ..
        } => (
            location,
            entry_mode,
            id,
            file_id(previous_entry_mode, previous_id),
        ),
        ChangeRef::Rewrite {
            source_entry_mode,
            source_id,
            location,
            entry_mode,
            id,
            copy,
            ..
        } => {
            let previous = if copy {
                None
            } else {
                file_id(source_entry_mode, source_id)
            };
            (location, entry_mode, id, previous)
        }
    };
    if !is_file(mode) {
        staged.not_files += 1;
        return;
    }
    staged.files.push(StagedFile {
        path: crate::path_text::from_bytes(&location),
        blob: id.into_owned(),
        previous,
    });
}

fn is_file(mode: Mode) -> bool {
    mode == Mode::FILE || mode == Mode::FILE_EXECUTABLE
}

fn file_id(mode: Mode, id: std::borrow::Cow<'_, gix::oid>) -> Option<ObjectId> {
    is_file(mode).then(|| id.into_owned())
}

/// Up to this many staged files are read on one thread, ahead of the scan ([`read_ahead`]):
/// starting a thread pool costs more than it saves for a typical commit.
const SEQUENTIAL_FILES: usize = 16;

/// The staged files of `changes`, read now when there are few enough to read on one thread
/// ([`load_each`] reads more in parallel, as it scans them). The pre-commit scan reads them
/// while the rules load on another thread.
pub(crate) fn read_ahead(
    repo: &gix::Repository,
    changes: &Staged,
    max_file_size: u64,
) -> Option<Vec<Loaded>> {
    (changes.files.len() <= SEQUENTIAL_FILES).then(|| {
        changes
            .files
            .iter()
            .map(|file| load(repo, file, max_file_size))
            .collect()
    })
}

/// Hands every staged file of `changes` to `visit`, with a state of its own per worker from
/// `init` (a scanner clone): the files [`read_ahead`] read (a few), on the calling thread,
/// or else (many) each loaded and visited in parallel. The results are in the order of
/// `changes.files`.
pub(crate) fn load_each<S, T: Send>(
    repo: gix::Repository,
    changes: &Staged,
    read: Option<Vec<Loaded>>,
    max_file_size: u64,
    init: impl Fn() -> S + Sync + Send,
    visit: impl Fn(&mut S, &StagedFile, Loaded) -> T + Sync + Send,
) -> Vec<T> {
    use rayon::prelude::*;
    if let Some(read) = read {
        let mut state = init();
        return changes
            .files
            .iter()
            .zip(read)
            .map(|(file, loaded)| visit(&mut state, file, loaded))
            .collect();
    }
    let shared = repo.into_sync();
    changes
        .files
        .par_iter()
        .map_init(
            || (shared.to_thread_local(), init()),
            |(repo, state), file| visit(state, file, load(repo, file, max_file_size)),
        )
        .collect()
}

/// Reads the staged blob of `file` and works out which of its lines the commit adds.
pub(crate) fn load(repo: &gix::Repository, file: &StagedFile, max_file_size: u64) -> Loaded {
    let bytes = match read_blob(repo, file.blob, max_file_size) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Loaded::Skipped(Skip::TooLarge),
        Err(reason) => return Loaded::Failed(reason.to_string()),
    };
    if is_lfs_pointer(&bytes) {
        return Loaded::Nothing;
    }
    let scope = match file.previous {
        None => Scope::All,
        // An old version over the limit is not diffed: the whole staged file is scanned,
        // which can only report more, never less.
        Some(previous) => match read_blob(repo, previous, max_file_size) {
            Ok(Some(old)) => added_lines(&old, &bytes),
            Ok(None) => Scope::All,
            Err(reason) => return Loaded::Failed(format!("its version in HEAD: {reason}")),
        },
    };
    if scope.is_empty() {
        return Loaded::Nothing;
    }
    Loaded::Bytes(bytes, scope)
}

/// The bytes of blob `id`, or `None` if it is larger than `max_size` (checked from the
/// object header, before anything is inflated).
fn read_blob(
    repo: &gix::Repository,
    id: ObjectId,
    max_size: u64,
) -> std::result::Result<Option<Vec<u8>>, crate::error::Reason> {
    let missing = |e: &dyn std::fmt::Display| {
        format!(
            "blob {id}: {}",
            crate::scan::allow::one_line(&e.to_string())
        )
    };
    let header = repo.find_header(id).map_err(|e| missing(&e))?;
    if header.size() > max_size {
        return Ok(None);
    }
    let mut blob = repo.find_blob(id).map_err(|e| missing(&e))?;
    Ok(Some(blob.take_data()))
}

/// True if `bytes` is exactly a Git LFS pointer file: the spec's version line, then only
/// `oid`, `size` and `ext-*` lines with the values the spec allows, so nothing else (a
/// secret among them) can hide in it.
pub(crate) fn is_lfs_pointer(bytes: &[u8]) -> bool {
    const VERSION: &[u8] = b"version https://git-lfs.github.com/spec/v1\n";
    let Some(rest) = bytes.strip_prefix(VERSION) else {
        return false;
    };
    if bytes.len() > 1024 || !rest.ends_with(b"\n") {
        return false;
    }
    let (mut oid, mut size) = (false, false);
    for line in rest[..rest.len() - 1].split(|&b| b == b'\n') {
        let Some((key, value)) = line.split_once_str(" ") else {
            return false;
        };
        let ok = match key {
            b"oid" => {
                oid = true;
                is_sha256_oid(value)
            }
            b"size" => {
                size = true;
                !value.is_empty() && value.iter().all(u8::is_ascii_digit)
            }
            _ if key.starts_with(b"ext-") => is_sha256_oid(value),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    oid && size
}

fn is_sha256_oid(value: &[u8]) -> bool {
    value.strip_prefix(b"sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .iter()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
    })
}

#[cfg(test)]
mod tests {
    use super::is_lfs_pointer;

    #[test]
    fn only_exact_lfs_pointers_are_recognised() {
        let oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
        let pointer =
            format!("version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 12345\n");
        let with_ext = format!(
            "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:{oid}\noid sha256:{oid}\nsize 1\n"
        );
        let cases: &[(&str, bool)] = &[
            (&pointer, true),
            (&with_ext, true),
            (&pointer.replace("size 12345\n", ""), false),
            (&format!("{pointer}token = abcdef\n"), false),
            (&pointer.replace("size 12345", "size 12a"), false),
            (pointer.trim_end(), false),
            ("version https://git-lfs.github.com/spec/v1\n", false),
            ("plain text\n", false),
        ];
        for &(text, want) in cases {
            assert_eq!(is_lfs_pointer(text.as_bytes()), want, "{text:?}");
        }
    }
}
