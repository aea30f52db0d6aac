//! Where history walks start for an audit: every ref (whatever its namespace) and every
//! reflog entry, old and new ids, read from `logs/` as git writes it.

use std::fmt;
use std::path::Path;

use gix::hash::ObjectId;

use super::odb::Problem;
use crate::scan::allow::one_line;

/// What kind of thing reaches a commit. Ordered as reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Via {
    Head,
    Branch,
    Tag,
    Remote,
    Notes,
    PullRequest,
    Ref,
    Stash,
    Reflog,
    Dangling,
}

impl Via {
    /// The stable name of this kind in JSON and CSV reports.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Via::Head => "head",
            Via::Branch => "branch",
            Via::Tag => "tag",
            Via::Remote => "remote",
            Via::Notes => "notes",
            Via::PullRequest => "pull-request",
            Via::Ref => "ref",
            Via::Stash => "stash",
            Via::Reflog => "reflog",
            Via::Dangling => "dangling-commit",
        }
    }

    /// True for kinds that keep a commit reachable: everything but stashes, reflogs and
    /// dangling commits, which `git gc` and a clone leave behind.
    pub(crate) fn is_ref(self) -> bool {
        !matches!(self, Via::Stash | Via::Reflog | Via::Dangling)
    }
}

/// One thing that reaches commits: a ref, a reflog entry or a dangling commit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Source {
    pub via: Via,
    /// The branch, tag or remote-tracking name without its prefix; the full name of other
    /// refs and reflogs; the commit id of a dangling commit.
    pub name: String,
    /// For reflogs and stashes: the entry, counted from the newest (`name@{entry}`).
    pub entry: Option<u32>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match (self.via, self.entry) {
            (Via::Head, _) => f.write_str("HEAD"),
            (Via::Branch, _) => write!(f, "branch {name}"),
            (Via::Tag, _) => write!(f, "tag {name}"),
            (Via::Remote, _) => write!(f, "remote-tracking branch {name}"),
            (Via::Notes, _) => write!(f, "notes {name}"),
            (Via::PullRequest, _) => write!(f, "pull request ref {name}"),
            (Via::Ref, _) => write!(f, "ref {name}"),
            (Via::Stash, entry) => write!(f, "stash@{{{}}}", entry.unwrap_or(0)),
            (Via::Reflog, entry) => write!(f, "reflog entry {name}@{{{}}}", entry.unwrap_or(0)),
            (Via::Dangling, _) => write!(f, "dangling commit {name}"),
        }
    }
}

/// Every ref peeled to its object, and every reflog entry's old and new ids.
pub(crate) fn sources(
    repo: &gix::Repository,
    problems: &mut Vec<Problem>,
) -> Vec<(ObjectId, Source)> {
    let mut out = Vec::new();
    if let Ok(id) = repo.head_id() {
        out.push((id.detach(), source(Via::Head, "HEAD", None)));
    }
    let platform = repo.references();
    match platform
        .as_ref()
        .map_err(|e| e.to_string())
        .and_then(|p| p.all().map_err(|e| e.to_string()))
    {
        Err(e) => problems.push(("refs".into(), one_line(&e))),
        Ok(refs) => {
            for reference in refs {
                let mut reference = match reference {
                    Ok(r) => r,
                    Err(e) => {
                        problems.push(("refs".into(), one_line(&e.to_string())));
                        continue;
                    }
                };
                let name = reference.name().as_bstr().to_string();
                if crate::source::git::walk::is_dangling_symbolic(repo, &reference) {
                    continue; // names a deleted ref: no object to reach
                }
                match reference.peel_to_id() {
                    Ok(id) => out.push((id.detach(), classify(&name))),
                    Err(e) => problems.push((name, one_line(&e.to_string()))),
                }
            }
        }
    }
    let mut dirs = vec![repo.git_dir().join("logs")];
    if repo.common_dir() != repo.git_dir() {
        dirs.push(repo.common_dir().join("logs"));
    }
    for dir in dirs {
        reflogs(&dir, &dir, "", &mut out, problems);
    }
    // Linked worktrees keep their own HEAD reflog under `worktrees/NAME/logs`.
    if let Ok(worktrees) = std::fs::read_dir(repo.common_dir().join("worktrees")) {
        let mut names: Vec<_> = worktrees.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for path in names {
            let logs = path.join("logs");
            if logs == repo.git_dir().join("logs") {
                continue;
            }
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let prefix = format!("worktrees/{name}/");
            reflogs(&logs, &logs, &prefix, &mut out, problems);
        }
    }
    out
}

fn source(via: Via, name: &str, entry: Option<u32>) -> Source {
    Source {
        via,
        name: name.to_string(),
        entry,
    }
}

/// A ref's kind by its namespace.
fn classify(name: &str) -> Source {
    let prefixes = [
        ("refs/heads/", Via::Branch),
        ("refs/tags/", Via::Tag),
        ("refs/remotes/", Via::Remote),
    ];
    for (prefix, via) in prefixes {
        if let Some(short) = name.strip_prefix(prefix) {
            return source(via, short, None);
        }
    }
    if name == "refs/stash" {
        source(Via::Stash, name, Some(0))
    } else if name.starts_with("refs/notes/") {
        source(Via::Notes, name, None)
    } else if name.starts_with("refs/pull/") || name.starts_with("refs/merge-requests/") {
        source(Via::PullRequest, name, None)
    } else {
        source(Via::Ref, name, None)
    }
}

/// Reads every reflog under `dir`, recursively; `root` is the `logs` directory, and
/// `prefix` goes before each reflog's name.
fn reflogs(
    root: &Path,
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(ObjectId, Source)>,
    problems: &mut Vec<Problem>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            reflogs(root, &path, prefix, out, problems);
            continue;
        }
        let name = prefix.to_string()
            + &path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(e) => {
                problems.push((path.display().to_string(), one_line(&e.to_string())));
                continue;
            }
        };
        let via = if name == "refs/stash" {
            Via::Stash
        } else {
            Via::Reflog
        };
        let lines: Vec<&[u8]> = text
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        for (newest_first, line) in lines.iter().rev().enumerate() {
            // An entry's old id is what the ref held one entry further back.
            let fields = line.splitn(3, |&b| b == b' ').take(2);
            for (field, back) in fields.zip([1, 0]) {
                match ObjectId::from_hex(field) {
                    Ok(id) if !id.is_null() => {
                        let entry = Some(newest_first as u32 + back);
                        out.push((id, source(via, &name, entry)));
                    }
                    Ok(_) => {}
                    Err(_) => problems.push((
                        format!("{}@{{{newest_first}}}", name),
                        "reflog entry is not `OLD NEW ...`".into(),
                    )),
                }
            }
        }
    }
}
