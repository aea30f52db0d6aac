//! Which commits `history` scans, and whose policy judges them: the work tree's for whole
//! refs, a base commit's for a range, `--since` or `--pr` (see `app::policy`).

use crate::app::options::Request;
use crate::error::{Error, Result};
use crate::source::git::{walk, ObjectId, Repository};

/// What `history` scans, and whose policy judges it.
pub(super) struct Selected {
    pub selection: walk::Selection,
    /// For a range request (`A..B`, `--since`, `--pr`), how to name it.
    pub request: Option<String>,
    pub judge: Judge,
    /// Something the summary must say about the selection.
    pub note: Option<String>,
}

/// Whose policy files judge the selected commits.
pub(super) enum Judge {
    /// The work tree's: a scan of whole refs judges the repository as it is.
    Own,
    /// A base commit's (`None`: there is none, so the built-in defaults): a range judges
    /// commits under review, which must not bring their own policy.
    Base(Option<ObjectId>),
}

/// The commits to walk and whose policy judges them. `shallow`: the clone is shallow.
pub(super) fn select(repo: &Repository, request: &Request, shallow: bool) -> Result<Selected> {
    let own = |selection| Selected {
        selection,
        request: None,
        judge: Judge::Own,
        note: None,
    };
    let reviewed = |selection: walk::Selection, request: String, base| Selected {
        selection,
        request: Some(request),
        judge: Judge::Base(base),
        note: None,
    };
    Ok(match request {
        Request::Range(range) => {
            // In a shallow clone, a lower bound that is not there is most likely history the
            // clone lacks: that stays an error that says how to fetch it.
            let lower = walk::unknown_lower_bound(repo, range)
                .filter(|lower| !shallow || lower.bytes().all(|b| b == b'0'));
            if let Some(lower) = lower {
                return unknown_lower_bound(repo, range, lower);
            }
            let selection = walk::range(repo, range).map_err(|e| path_given(range, e))?;
            match selection.hidden.first() {
                Some(&base) => reviewed(selection, format!("the range `{range}`"), Some(base)),
                None => own(selection),
            }
        }
        Request::Branch(branch) => own(walk::Selection {
            tips: vec![walk::commit(repo, branch)?],
            hidden: Vec::new(),
        }),
        Request::Since(rev) => {
            let selection = walk::since(repo, rev)?;
            let base = selection.hidden.first().copied();
            reviewed(selection, format!("`--since {rev}`"), base)
        }
        Request::Pr(base) => {
            let selection = walk::pull_request(repo, base)?;
            // Unrelated histories have no merge base: the branch merged into judges.
            let judge = match selection.hidden.first() {
                Some(&merge_base) => merge_base,
                None => walk::commit(repo, base)?,
            };
            reviewed(selection, format!("`--pr {base}`"), Some(judge))
        }
        Request::AllRefs => own(walk::all_refs(repo)?),
    })
}

/// `A..B` whose lower bound names no commit here (all zeros for a new branch or tag in CI;
/// a commit a force push replaced): every commit of B, judged by the built-in defaults,
/// since there is no base commit to take a policy from. Never "nothing to scan".
fn unknown_lower_bound(repo: &Repository, range: &str, lower: &str) -> Result<Selected> {
    let upper = match &range[lower.len() + 2..] {
        "" => "HEAD",
        upper => upper,
    };
    let tip = walk::commit(repo, upper)?;
    let why = if lower.bytes().all(|b| b == b'0') {
        "is all zeros (a new branch or tag)"
    } else {
        "is not in this repository (a force push replaced it, or it was never fetched)"
    };
    Ok(Selected {
        selection: walk::Selection {
            tips: vec![tip],
            hidden: Vec::new(),
        },
        // A request: in a shallow clone, the walk must not pass the boundary unnoticed.
        request: Some(format!("the range `{range}`")),
        judge: Judge::Base(None),
        note: Some(format!(
            "the range's lower bound {lower} {why}: scanning every commit of {upper}, with the built-in rules and none of the repository's policy files; `--pr BASE` scans only what {upper} adds over BASE, under BASE's policy"
        )),
    })
}

/// A range argument that does not parse but names a path (`leakward history .`, as one
/// writes `leakward scan .`) gets an error that says what to write instead.
fn path_given(range: &str, error: Error) -> Error {
    if std::path::Path::new(range).exists() {
        Error::git(
            &format!("bad range `{range}`"),
            format!("it is a path, not a revision: history scans the repository it runs in; to name another, use --repo {range}"),
        )
    } else {
        error
    }
}
