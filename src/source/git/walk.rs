//! Which commits a history scan visits: all refs, one ref, a range, or what a push sends.
//!
//! Every selection comes down to tips to walk from and hidden commits not to cross, as in
//! `git rev-list TIPS --not HIDDEN`.

use gix::hash::ObjectId;
use gix::revision::plumbing::Spec;

use crate::error::{Error, Result};
use crate::scan::allow::one_line;

/// Commits reachable from `tips` and from none of `hidden`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Selection {
    pub tips: Vec<ObjectId>,
    pub hidden: Vec<ObjectId>,
}

/// Every ref (branches, tags, remote-tracking refs, the stash), peeled to commits.
/// Refs that point at other objects (a tag of a blob) select nothing.
pub(crate) fn all_refs(repo: &gix::Repository) -> Result<Selection> {
    Ok(Selection {
        tips: ref_commits(repo, None)?,
        hidden: Vec::new(),
    })
}

/// The commits of every remote-tracking ref (`refs/remotes/**`): what remotes already have.
pub(crate) fn remote_tracking(repo: &gix::Repository) -> Result<Vec<ObjectId>> {
    ref_commits(repo, Some("refs/remotes/"))
}

fn ref_commits(repo: &gix::Repository, prefix: Option<&str>) -> Result<Vec<ObjectId>> {
    let mut tips: Vec<ObjectId> = ref_heads(repo, prefix)?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    tips.sort();
    tips.dedup();
    Ok(tips)
}

/// Every ref under `prefix` (all refs for `None`) that peels to a commit, by full name
/// (`refs/heads/main`), with that commit, sorted by name: what a coverage record lists.
pub(crate) fn ref_heads(
    repo: &gix::Repository,
    prefix: Option<&str>,
) -> Result<Vec<(String, ObjectId)>> {
    let failed =
        |e: &dyn std::fmt::Display| Error::git("cannot list references", one_line(&e.to_string()));
    let platform = repo.references().map_err(|e| failed(&e))?;
    let refs = match prefix {
        None => platform.all(),
        Some(prefix) => platform.prefixed(prefix),
    }
    .map_err(|e| failed(&e))?;
    let mut heads = Vec::new();
    for reference in refs {
        let mut reference = reference.map_err(|e| failed(&e))?;
        let name = reference.name().as_bstr().to_string();
        if is_dangling_symbolic(repo, &reference) {
            // `refs/remotes/origin/HEAD` naming a branch that was deleted: it holds no
            // commit, so there is nothing to scan (git skips it too).
            continue;
        }
        let id = reference.peel_to_id().map_err(|e| {
            Error::git(
                &format!("cannot resolve ref `{name}`"),
                one_line(&e.to_string()),
            )
        })?;
        if is_commit(repo, id.detach()) {
            heads.push((name, id.detach()));
        }
    }
    heads.sort();
    Ok(heads)
}

/// A symbolic ref whose target ref does not exist.
pub(crate) fn is_dangling_symbolic(repo: &gix::Repository, reference: &gix::Reference<'_>) -> bool {
    match reference.target() {
        gix::refs::TargetRef::Symbolic(target) => {
            matches!(repo.try_find_reference(target), Ok(None))
        }
        gix::refs::TargetRef::Object(_) => false,
    }
}

fn is_commit(repo: &gix::Repository, id: ObjectId) -> bool {
    repo.find_header(id)
        .is_ok_and(|header| header.kind() == gix::object::Kind::Commit)
}

/// One revision (`main`, `v1.0`, `HEAD~2`, an id), peeled to a commit.
pub(crate) fn commit(repo: &gix::Repository, rev: &str) -> Result<ObjectId> {
    let bad = |cause: String| {
        Error::git(
            &format!("bad revision `{rev}`"),
            format!("{cause}; name a branch, tag or commit of this repository (`git rev-parse {rev}` checks it)"),
        )
    };
    let id = repo
        .rev_parse_single(rev)
        .map_err(|e| bad(one_line(&e.to_string())))?;
    let object = id.object().map_err(|e| bad(one_line(&e.to_string())))?;
    let commit = object
        .peel_to_commit()
        .map_err(|_| bad("it does not name a commit".into()))?;
    Ok(commit.id)
}

/// `A..B` (or `A..`, `..B`, which mean HEAD on the missing side), or a single revision.
pub(crate) fn range(repo: &gix::Repository, spec: &str) -> Result<Selection> {
    let bad = |cause: String| {
        Error::git(
            &format!("bad range `{spec}`"),
            format!("{cause}; write it as A..B with a branch, tag or commit on each side"),
        )
    };
    let parsed = repo
        .rev_parse(spec)
        .map_err(|e| bad(one_line(&e.to_string())))?
        .detach();
    let peel = |id: ObjectId| -> Result<ObjectId> {
        let hex = id.to_string();
        commit(repo, &hex).map_err(|_| bad(format!("{hex} is not a commit")))
    };
    match parsed {
        Spec::Include(id) => Ok(Selection {
            tips: vec![peel(id)?],
            hidden: Vec::new(),
        }),
        Spec::Range { from, to } => Ok(Selection {
            tips: vec![peel(to)?],
            hidden: vec![peel(from)?],
        }),
        _ => Err(bad("only `REV` and `A..B` ranges are supported".into())),
    }
}

/// The lower bound of a range `A..B` when it is a full object id that names no commit in
/// this repository: all zeros (what CI systems pass as the "before" of a new branch or tag)
/// or a commit that a force push replaced and nothing fetched. `None` for any other spec.
pub(crate) fn unknown_lower_bound<'s>(repo: &gix::Repository, spec: &'s str) -> Option<&'s str> {
    let (from, to) = spec.split_once("..")?;
    let full = matches!(from.len(), 40 | 64) && from.bytes().all(|b| b.is_ascii_hexdigit());
    if !full || to.starts_with('.') {
        return None;
    }
    let id = ObjectId::from_hex(from.as_bytes()).ok()?;
    (id.is_null() || !is_commit(repo, id)).then_some(from)
}

/// The commit the remote's default branch points at (`refs/remotes/REMOTE/HEAD`, which
/// `git clone` sets), if this repository knows it.
pub(crate) fn remote_head(repo: &gix::Repository, remote: &str) -> Option<ObjectId> {
    let mut reference = repo
        .try_find_reference(&format!("refs/remotes/{remote}/HEAD"))
        .ok()??;
    let id = reference.peel_to_id().ok()?.detach();
    is_commit(repo, id).then_some(id)
}

/// The best common ancestor of `a` and `b`, or `None` for unrelated histories.
pub(crate) fn merge_base(
    repo: &gix::Repository,
    a: ObjectId,
    b: ObjectId,
) -> Result<Option<ObjectId>> {
    repo.merge_base(a, b)
        .map(|id| id.map(|id| id.detach()))
        .map_err(|e| {
            Error::git(
                &format!("cannot find the merge base of {a} and {b}"),
                one_line(&e.to_string()),
            )
        })
}

/// `REV..HEAD`.
pub(crate) fn since(repo: &gix::Repository, rev: &str) -> Result<Selection> {
    Ok(Selection {
        tips: vec![commit(repo, "HEAD")?],
        hidden: vec![commit(repo, rev)?],
    })
}

/// `merge-base(BASE, HEAD)..HEAD`: what a pull request from HEAD into BASE introduces.
pub(crate) fn pull_request(repo: &gix::Repository, base: &str) -> Result<Selection> {
    let head = commit(repo, "HEAD")?;
    let base_id = commit(repo, base)?;
    let merge_base = repo
        .merge_base(base_id, head)
        .map_err(|e| {
            Error::git(
                &format!("cannot find the merge base of `{base}` and HEAD"),
                one_line(&e.to_string()),
            )
        })?
        .map(|id| id.detach());
    Ok(Selection {
        tips: vec![head],
        // Unrelated histories: everything on HEAD is the pull request's own.
        hidden: merge_base.into_iter().collect(),
    })
}

/// The selected commits, each once, in walk order.
pub(crate) fn commits(repo: &gix::Repository, selection: &Selection) -> Result<Vec<ObjectId>> {
    if selection.tips.is_empty() {
        return Ok(Vec::new());
    }
    let failed =
        |e: &dyn std::fmt::Display| Error::git("cannot walk the commits", one_line(&e.to_string()));
    let walk = repo
        .rev_walk(selection.tips.iter().copied())
        .with_hidden(selection.hidden.iter().copied())
        .all()
        .map_err(|e| failed(&e))?;
    let mut out = Vec::new();
    for info in walk {
        out.push(info.map_err(|e| failed(&e))?.id);
    }
    Ok(out)
}
