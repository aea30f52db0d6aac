//! `leakward pre-push`: scan exactly the commits a `git push` sends, from the lines git
//! writes on the hook's standard input.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use super::history::scan_commits;
use super::options::Options;
use super::policy::{Policy, Review};
use super::Session;
use crate::bounded;
use crate::error::{Error, Result};
use crate::source::git::{self, repo as git_repo, shallow, walk, ObjectId, Repository};
use crate::source::stdin;

/// Runs `leakward pre-push` in the repository at `repo`, pushing to `remote`.
pub(super) fn run(repo: &Path, remote: &str, options: &Options) -> Result<ExitCode> {
    let started = Instant::now();
    let repo = git::open(repo)?;
    // git writes one short line per pushed ref; past the limit this is not git talking.
    let input = stdin::read_whole(bounded::CONFIG_LIMIT, "the pre-push lines")?;
    let input = String::from_utf8(input).map_err(|_| {
        Error::Usage("the pre-push lines on standard input are not UTF-8 text".into())
    })?;
    let updates = parse(&input)?;
    let mut commits = BTreeSet::new();
    let mut judged = Vec::new();
    for update in &updates {
        if let Some((selection, known)) = selection(&repo, update)? {
            commits.extend(walk::commits(&repo, &selection)?);
            judged.push((base(&repo, remote, &selection, known)?, selection.tips[0]));
        }
    }
    let commits: Vec<ObjectId> = commits.into_iter().collect();
    let mut review = Review {
        repo: &repo,
        base: judged.first().and_then(|(base, _)| *base),
        tips: judged.iter().map(|(_, tip)| *tip).collect(),
        pushed_baseline: true,
    };
    for (base, _) in &judged {
        if !review.agree(&options.detect, review.base, *base)? {
            return Err(Error::Usage(format!(
                "the refs pushed start from commits with different leakward policy files ({} and {}), so no one policy can judge them; push them one at a time",
                name(review.base),
                name(*base)
            )));
        }
    }
    review.base = review.base.or(judged.iter().find_map(|(base, _)| *base));
    let policy = Policy::Review(review);
    let mut session = Session::with_policy(options, &policy, true)?;
    drop(policy);
    // A push from a shallow clone sends no history past the boundary, and the boundary
    // commit is scanned whole: everything pushed is scanned, so the boundary is a warning.
    session.accept_shallow(true);
    let boundary = shallow::boundary(&repo)?;
    scan_commits(session, repo, &commits, &boundary, started)
}

/// The commit whose policy judges what `selection` pushes: the remote's old tip for an
/// update (`known`); for a new branch, where it forks from the remote's default branch
/// (`refs/remotes/REMOTE/HEAD`); `None` when there is neither (the built-in defaults).
fn base(
    repo: &Repository,
    remote: &str,
    selection: &walk::Selection,
    known: Option<ObjectId>,
) -> Result<Option<ObjectId>> {
    match (known, walk::remote_head(repo, remote)) {
        (Some(old), _) => Ok(Some(old)),
        (None, Some(head)) => walk::merge_base(repo, selection.tips[0], head),
        (None, None) => Ok(None),
    }
}

fn name(base: Option<ObjectId>) -> String {
    base.map_or_else(|| "none".into(), crate::source::git::policy::short)
}

/// One line of git's pre-push input: `<local ref> <local sha> <remote ref> <remote sha>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Update {
    pub local_ref: String,
    /// `None` for a deletion (all zeros).
    pub local: Option<ObjectId>,
    /// `None` for a new branch (all zeros).
    pub remote: Option<ObjectId>,
}

/// Parses every non-empty line; any malformed line fails the whole input.
pub(super) fn parse(input: &str) -> Result<Vec<Update>> {
    let mut updates = Vec::new();
    for (at, line) in input.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = || {
            Error::Usage(format!(
                "malformed pre-push input on line {}: `{}` (expected `<local ref> <local sha> <remote ref> <remote sha>`)",
                at + 1,
                crate::report::text::safe(line.trim())
            ))
        };
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [local_ref, local, _remote_ref, remote] = fields[..] else {
            return Err(bad());
        };
        let local = object_id(local).ok_or_else(bad)?;
        let remote = object_id(remote).ok_or_else(bad)?;
        updates.push(Update {
            local_ref: local_ref.to_string(),
            local: (!local.is_null()).then_some(local),
            remote: (!remote.is_null()).then_some(remote),
        });
    }
    Ok(updates)
}

fn object_id(hex: &str) -> Option<ObjectId> {
    if !matches!(hex.len(), 40 | 64) {
        return None;
    }
    ObjectId::from_hex(hex.as_bytes()).ok()
}

/// What one update sends: nothing for a deletion; what the remote's old tip lacks for an
/// update or force push; what no remote-tracking ref has for a new branch, or when the old
/// tip is not in this repository. With it, the old tip if this repository has it.
fn selection(
    repo: &Repository,
    update: &Update,
) -> Result<Option<(walk::Selection, Option<ObjectId>)>> {
    let Some(local) = update.local else {
        return Ok(None);
    };
    let local = walk::commit(repo, &local.to_string()).map_err(|_| {
        Error::git_message(format!(
            "pushed commit {local} of `{}` is not in the repository",
            update.local_ref
        ))
    })?;
    let known_remote = update.remote.filter(|id| git_repo::is_commit(repo, *id));
    let hidden = match known_remote {
        Some(remote) => vec![remote],
        None => walk::remote_tracking(repo)?,
    };
    let selection = walk::Selection {
        tips: vec![local],
        hidden,
    };
    Ok(Some((selection, known_remote)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_push_lines_parse() {
        let a = "1".repeat(40);
        let zero = "0".repeat(40);
        let input = format!(
            "refs/heads/main {a} refs/heads/main {zero}\n\nrefs/heads/x {zero} refs/heads/x {a}\n"
        );
        let updates = parse(&input).unwrap();
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[0].local, ObjectId::from_hex(a.as_bytes()).ok());
        assert_eq!(updates[0].remote, None);
        assert_eq!(updates[1].local, None);
        for bad in ["refs/heads/main", "a b c d", &format!("r {a} r {a} extra")] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert!(parse("").unwrap().is_empty());
    }
}
