//! The graph of every commit in the database, and what reaches each one: a ref (branch, tag,
//! remote, stash, notes, pull request), a reflog entry, or nothing (a dangling commit).

use std::collections::{HashMap, VecDeque};

use gix::hash::ObjectId;
use rayon::prelude::*;

use super::odb::Problem;
use super::refs::{self, Source, Via};
use crate::scan::allow::one_line;
use crate::source::git::blobs;

/// Every commit of the database with its parents and author time, and what reaches it.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// Commit ids; a commit's index in here is its number everywhere else.
    pub ids: Vec<ObjectId>,
    index: HashMap<ObjectId, u32>,
    parents: Vec<Vec<u32>>,
    children: Vec<Vec<u32>>,
    /// Author time, seconds since the epoch (0 if unreadable).
    pub times: Vec<i64>,
    /// Root tree of each commit (`None` if the commit is unreadable).
    pub trees: Vec<Option<ObjectId>>,
    /// Commits with a parent that is not in the database (shallow boundaries, lost objects).
    pub incomplete: Vec<u32>,
    /// Where each walk starts: refs, reflog entries and dangling commits, by tip.
    sources: Vec<(u32, Source)>,
    /// The commit HEAD points at, if it is in the database.
    pub head: Option<u32>,
}

impl Graph {
    /// Reads every commit of `commits` and every ref and reflog of `repo`.
    pub(crate) fn build(
        repo: &gix::ThreadSafeRepository,
        commits: &[ObjectId],
        problems: &mut Vec<Problem>,
    ) -> Graph {
        let read: Vec<_> = commits
            .par_iter()
            .map_init(
                || blobs::worker_handle(repo, blobs::PACK_CACHE_BYTES, 0),
                |handle, &id| read_commit(handle, id),
            )
            .collect();
        let mut graph = Graph {
            ids: commits.to_vec(),
            index: commits
                .iter()
                .enumerate()
                .map(|(i, id)| (*id, i as u32))
                .collect(),
            ..Graph::default()
        };
        let mut parent_ids = Vec::with_capacity(read.len());
        for (at, result) in read.into_iter().enumerate() {
            match result {
                Ok((parents, time, tree)) => {
                    parent_ids.push(parents);
                    graph.times.push(time);
                    graph.trees.push(Some(tree));
                }
                Err(reason) => {
                    problems.push((format!("commit {}", commits[at]), reason.to_string()));
                    parent_ids.push(Vec::new());
                    graph.times.push(0);
                    graph.trees.push(None);
                }
            }
        }
        graph.children = vec![Vec::new(); commits.len()];
        for (at, parents) in parent_ids.into_iter().enumerate() {
            let mut known = Vec::with_capacity(parents.len());
            for parent in parents {
                match graph.index.get(&parent) {
                    Some(&p) => {
                        known.push(p);
                        graph.children[p as usize].push(at as u32);
                    }
                    None => {
                        if !graph.incomplete.contains(&(at as u32)) {
                            graph.incomplete.push(at as u32);
                        }
                        problems.push((
                            format!("object {parent}"),
                            format!("missing: parent of commit {}", commits[at]),
                        ));
                    }
                }
            }
            graph.parents.push(known);
        }
        let local = repo.to_thread_local();
        let found = refs::sources(&local, problems);
        for (id, source) in found {
            if let Some(&at) = graph.index.get(&id) {
                if source.via == Via::Head {
                    graph.head = Some(at);
                }
                graph.sources.push((at, source));
            }
        }
        graph.add_dangling();
        graph
    }

    /// Marks every commit that no ref or reflog reaches and that has no child as a dangling
    /// commit, as `git fsck` names them.
    fn add_dangling(&mut self) {
        let tips: Vec<u32> = self.sources.iter().map(|(at, _)| *at).collect();
        let reachable = self.walk(&tips, |g, at| &g.parents[at]);
        for (at, reached) in reachable.into_iter().enumerate() {
            if !reached && self.children[at].is_empty() {
                self.sources.push((
                    at as u32,
                    Source {
                        via: Via::Dangling,
                        name: self.ids[at].to_string(),
                        entry: None,
                    },
                ));
            }
        }
    }

    /// The parents of commit `at` that are in the database.
    pub(crate) fn parents(&self, at: u32) -> &[u32] {
        &self.parents[at as usize]
    }

    /// What reaches any of `holders`: every ref, the newest entry of every reflog, and every
    /// dangling commit whose history contains one of them. Sorted.
    pub(crate) fn reach(&self, holders: &[u32]) -> Vec<Source> {
        let below = self.walk(holders, |g, at| &g.children[at]);
        let mut newest: HashMap<(Via, &str), Option<u32>> = HashMap::new();
        for (tip, source) in &self.sources {
            if below[*tip as usize] {
                let entry = newest
                    .entry((source.via, source.name.as_str()))
                    .or_insert(source.entry);
                *entry = (*entry).min(source.entry);
            }
        }
        let mut out: Vec<Source> = newest
            .into_iter()
            .map(|((via, name), entry)| Source {
                via,
                name: name.to_string(),
                entry,
            })
            .collect();
        out.sort();
        out
    }

    /// Marks every commit reachable from `starts` along `next` edges, starts included.
    fn walk(&self, starts: &[u32], next: impl Fn(&Graph, usize) -> &Vec<u32>) -> Vec<bool> {
        let mut seen = vec![false; self.ids.len()];
        let mut queue: VecDeque<u32> = VecDeque::new();
        for &at in starts {
            if !seen[at as usize] {
                seen[at as usize] = true;
                queue.push_back(at);
            }
        }
        while let Some(at) = queue.pop_front() {
            for &n in next(self, at as usize) {
                if !seen[n as usize] {
                    seen[n as usize] = true;
                    queue.push_back(n);
                }
            }
        }
        seen
    }
}

/// A commit's parent ids, author time and root tree.
fn read_commit(
    repo: &gix::Repository,
    id: ObjectId,
) -> Result<(Vec<ObjectId>, i64, ObjectId), crate::error::Reason> {
    let commit = repo.find_commit(id).map_err(|e| one_line(&e.to_string()))?;
    let tree = commit
        .tree_id()
        .map_err(|e| one_line(&e.to_string()))?
        .detach();
    let parents = commit.parent_ids().map(|p| p.detach()).collect();
    let time = commit
        .author()
        .ok()
        .and_then(|a| a.time().ok())
        .map_or(0, |t| t.seconds);
    Ok((parents, time, tree))
}
