//! From blob findings to one entry per distinct secret: which commits hold it, the first
//! commit that introduced it, the last that held it, whether HEAD still does, and what
//! reaches it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{modules, BlobFindings};
use crate::app::filters::CommitFilter;
use crate::app::phases::Phases;
use crate::chunk::Commit;
use crate::finding::{Finding, Fingerprint};
use crate::report::audit::{self, Audit, Location, Reach, Secret, Status};
use crate::scan::Scanner;
use crate::source::git::audit::contains;
use crate::source::git::audit::graph::Graph;
use crate::source::git::{self, repo as git_repo, ObjectId};

/// Locations listed per secret; the count says how many there are in all.
const MAX_LOCATIONS: usize = 20;
/// Distinct paths and commits listed per secret; their counts say how many there are in all.
const MAX_LISTED: usize = 100;
/// Things listed as reaching a secret (a mirror can have thousands of pull request refs).
const MAX_REACH: usize = 50;

/// One audited object database (the repository's, or a submodule's): what the lifecycles
/// of the secrets found in it are worked out from.
pub(crate) struct Database {
    /// The submodule's name; `None` for the repository itself.
    pub module: Option<String>,
    pub repo: git::ThreadSafeRepository,
    pub graph: Graph,
    /// Objects in the database, all kinds; commits; blobs scanned.
    pub objects: u64,
    pub commits: u64,
    pub blobs: u64,
    /// The blobs that had findings.
    pub found: HashSet<ObjectId>,
}

impl Database {
    /// A path of this database as the report names it: under `NAME/` for a submodule.
    pub(super) fn place(&self, path: &str) -> String {
        match &self.module {
            Some(name) if !path.is_empty() => format!("{name}/{path}"),
            _ => path.to_string(),
        }
    }

    /// A thing of this database that could not be read, as the report names it.
    pub(super) fn label(&self, what: &str) -> String {
        match &self.module {
            Some(name) => format!("submodule {name}: {what}"),
            None => what.to_string(),
        }
    }

    /// The findings of `findings` that this database's blobs gave, with their paths as this
    /// database names them.
    fn own(&self, findings: &[Finding]) -> BlobFindings {
        let prefix = self.module.as_ref().map(|name| format!("{name}/"));
        let mut by_blob: HashMap<ObjectId, Vec<Finding>> = HashMap::new();
        for finding in findings {
            let Some(blob) = finding
                .blob
                .as_deref()
                .and_then(|b| ObjectId::from_hex(b.as_bytes()).ok())
            else {
                continue;
            };
            if !self.found.contains(&blob) {
                continue;
            }
            let path = match &prefix {
                None => Some(finding.path.as_str()),
                Some(_) if finding.path.is_empty() => Some(""),
                Some(prefix) => finding.path.strip_prefix(prefix.as_str()),
            };
            if let Some(path) = path {
                let mut own = finding.clone();
                own.path = path.to_string();
                by_blob.entry(blob).or_default().push(own);
            }
        }
        let mut out: BlobFindings = by_blob.into_iter().collect();
        out.sort_by_key(|(id, _)| *id);
        out
    }
}

/// The audit report: one entry per distinct secret among `findings` (those that passed the
/// known-findings filter), with its lifecycle, database by database. A secret whose every
/// introducing commit `commits` allows is left out, as `history` leaves out the findings of
/// allowed commits.
pub(crate) fn report(
    databases: &[Database],
    findings: Vec<Finding>,
    scanner: &Scanner,
    commits: &mut CommitFilter,
    repository: String,
) -> Audit {
    let mut audit = Audit {
        repository,
        ..Audit::default()
    };
    for database in databases {
        let part = Input {
            repo: &database.repo,
            graph: &database.graph,
            blob_findings: database.own(&findings),
        }
        .build(scanner, commits);
        match &database.module {
            Some(name) => modules::absorb(&mut audit, name, part),
            None => audit.secrets.extend(part.secrets),
        }
        audit.objects += database.objects;
        audit.commits += database.commits;
        audit.blobs += database.blobs;
    }
    audit
}

/// What the lifecycles of one database are worked out from.
struct Input<'a> {
    repo: &'a git::ThreadSafeRepository,
    graph: &'a Graph,
    blob_findings: BlobFindings,
}

/// A path, a line, the commit holding it there (`None` for a blob no commit holds) and the
/// blob.
type Place = (Arc<str>, u32, Option<u32>, ObjectId);

/// The order places are listed in: by the author time of their commit (places without one
/// last), then path, line and blob. Places that differ only in commits of the same time keep
/// their order.
fn place_order(times: &[i64], a: &Place, b: &Place) -> std::cmp::Ordering {
    let when = |place: &Place| (place.2.map(|c| times[c as usize]), place.2.is_none());
    when(a)
        .cmp(&when(b))
        .then_with(|| a.0.cmp(&b.0))
        .then(a.1.cmp(&b.1))
        .then(a.3.cmp(&b.3))
}

/// Every finding of one secret, and where.
#[derive(Default)]
struct Group<'h> {
    findings: Vec<Finding>,
    /// Where each finding is, with the commits that hold its blob at its path.
    sources: Vec<Source<'h>>,
    holders: Vec<u32>,
    unreferenced: Vec<ObjectId>,
}

/// A finding's path, line and blob, and the commits holding that blob there (`None` for a
/// blob that no commit holds). The commits are borrowed, not copied per finding: a secret
/// kept for years in a file is one source held by thousands of commits, and a place per
/// (finding, commit) for every secret at once was most of an audit's peak memory (2.7
/// million on curl).
struct Source<'h> {
    path: Arc<str>,
    line: u32,
    blob: ObjectId,
    commits: Option<&'h [u32]>,
}

impl Group<'_> {
    /// Every (path, line, commit, blob) the secret is at, one per holding commit of each
    /// source; a blob that no commit holds is one place without a commit.
    fn places(&self) -> Vec<Place> {
        let mut places = Vec::new();
        for source in &self.sources {
            let at = |commit| (source.path.clone(), source.line, commit, source.blob);
            match source.commits {
                Some(commits) => places.extend(commits.iter().map(|&c| at(Some(c)))),
                None => places.push(at(None)),
            }
        }
        places
    }
}

impl Input<'_> {
    /// Groups the findings by fingerprint and works out each secret's lifecycle.
    fn build(self, scanner: &Scanner, commits: &mut CommitFilter) -> Audit {
        let mut paths: Vec<Arc<str>> = self
            .blob_findings
            .iter()
            .flat_map(|(_, fs)| fs.iter().map(|f| Arc::from(f.path.as_str())))
            .filter(|p: &Arc<str>| !p.is_empty())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let wanted: HashSet<ObjectId> = self.blob_findings.iter().map(|(id, _)| *id).collect();
        // Keyed by the path's index in `paths`, which is sorted: hashing a number, not a path.
        let mut held: HashMap<(ObjectId, u32), Vec<u32>> = HashMap::new();
        let mut phases = Phases::start("audit");
        let holdings = contains::holdings(
            self.repo,
            &self.graph.trees,
            &self.graph.times,
            &paths,
            &wanted,
        );
        phases.lap("holdings");
        for h in holdings {
            held.entry((h.blob, h.path)).or_default().push(h.commit);
        }
        let mut groups: HashMap<Fingerprint, Group> = HashMap::new();
        for (blob, findings) in &self.blob_findings {
            for f in findings {
                let g = groups.entry(f.fingerprint).or_default();
                let commits = paths
                    .binary_search_by(|p| (**p).cmp(f.path.as_str()))
                    .ok()
                    .and_then(|at| held.get(&(*blob, at as u32)))
                    .map(Vec::as_slice);
                match commits {
                    Some(commits) => g.holders.extend_from_slice(commits),
                    None => g.unreferenced.push(*blob),
                }
                g.sources.push(Source {
                    path: Arc::from(f.path.as_str()),
                    line: f.line,
                    blob: *blob,
                    commits,
                });
                g.findings.push(f.clone());
            }
        }
        let local = git_repo::local(self.repo);
        let mut metas: HashMap<u32, Arc<Commit>> = HashMap::new();
        let mut meta = |at: u32| {
            metas
                .entry(at)
                .or_insert_with(|| git_repo::commit_meta_of(&local, self.graph.ids[at as usize]))
                .clone()
        };
        let mut secrets = Vec::new();
        let mut keys: Vec<Fingerprint> = groups.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            let mut g = groups.remove(&key).unwrap_or_default();
            if self.allowed(&g, commits) {
                continue;
            }
            g.findings.sort_by(|a, b| {
                b.confidence
                    .cmp(&a.confidence)
                    .then(a.sort_key().cmp(&b.sort_key()))
            });
            g.holders.sort_unstable();
            g.holders.dedup();
            g.unreferenced.sort_unstable();
            g.unreferenced.dedup();
            secrets.push((self.secret(g, &mut meta, scanner), key));
        }
        secrets.sort_by(|(a, ka), (b, kb)| {
            let time = |s: &Secret| s.last.as_ref().map(|c| c.date.clone()).unwrap_or_default();
            b.finding
                .confidence
                .cmp(&a.finding.confidence)
                .then_with(|| time(b).cmp(&time(a)))
                .then(ka.cmp(kb))
        });
        Audit {
            secrets: secrets.into_iter().map(|(s, _)| s).collect(),
            ..Audit::default()
        }
    }

    /// The commits that introduced a secret: those that hold it while none of their parents
    /// do (all holders when every one has a parent holding it, as in a cycle of reflogs).
    fn introducers(&self, g: &Group) -> Vec<u32> {
        let holding: HashSet<u32> = g.holders.iter().copied().collect();
        g.holders
            .iter()
            .copied()
            .filter(|&at| self.graph.parents(at).iter().all(|p| !holding.contains(p)))
            .collect()
    }

    /// True if allowed `commits` cover every commit that introduced the secret and no blob
    /// that no commit holds has it. Every entry that allows one is marked used.
    fn allowed(&self, g: &Group, commits: &mut CommitFilter) -> bool {
        if !g.unreferenced.is_empty() || g.holders.is_empty() {
            return false;
        }
        let rule = &g.findings[0].rule_id;
        let mut all = true;
        for at in self.introducers(g) {
            all &= commits.allows(rule, &self.graph.ids[at as usize].to_string());
        }
        all
    }

    fn secret(
        &self,
        mut g: Group,
        meta: &mut impl FnMut(u32) -> Arc<Commit>,
        scanner: &Scanner,
    ) -> Secret {
        let graph = self.graph;
        let holding: HashSet<u32> = g.holders.iter().copied().collect();
        let time = |at: &u32| graph.times[*at as usize];
        let introducers = g
            .holders
            .iter()
            .filter(|&&at| graph.parents(at).iter().all(|p| !holding.contains(p)));
        let first = introducers
            .min_by_key(|at| (time(at), **at))
            .or_else(|| g.holders.iter().min_by_key(|at| (time(at), **at)))
            .map(|&at| meta(at));
        let last = g
            .holders
            .iter()
            .max_by_key(|at| (time(at), **at))
            .map(|&at| meta(at));
        let at_head = graph.head.is_some_and(|h| holding.contains(&h));
        let sources = graph.reach(&g.holders);
        let by_ref = sources.iter().any(|s| s.via.is_ref());
        let mut reached_by: Vec<Reach> = sources
            .into_iter()
            .map(|s| Reach {
                kind: s.via.as_str(),
                label: s.to_string(),
            })
            .collect();
        reached_by.extend(g.unreferenced.iter().map(|id| Reach {
            kind: "unreferenced-blob",
            label: format!("unreferenced blob {id}"),
        }));
        if reached_by.len() > MAX_REACH {
            let more = reached_by.len() - MAX_REACH;
            reached_by.truncate(MAX_REACH);
            reached_by.push(Reach {
                kind: "more",
                label: format!("{more} more"),
            });
        }
        let status = if at_head {
            Status::AtHead
        } else if by_ref {
            Status::Reachable
        } else {
            Status::Unreachable
        };
        let mut places = g.places();
        // Stable, by reference: a secret held for years has hundreds of thousands of places,
        // and a key cloned per comparison was a fifth of the lifecycle's time on curl.
        places.sort_by(|a, b| place_order(&graph.times, a, b));
        places.dedup();
        let location_count = places.len();
        // A place is a path, a line and a commit: one file in ten commits is ten places but
        // one path, so paths and commits are counted (and listed) apart.
        let mut paths: Vec<&str> = places
            .iter()
            .filter(|(path, ..)| !path.is_empty())
            .map(|(path, ..)| &**path)
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let path_count = paths.len();
        paths.truncate(MAX_LISTED);
        let paths: Vec<String> = paths.into_iter().map(str::to_string).collect();
        let mut seen = HashSet::new();
        // Oldest first, as the places are sorted.
        let mut commits: Vec<String> = places
            .iter()
            .filter_map(|(_, _, commit, _)| *commit)
            .filter(|c| seen.insert(*c))
            .map(|c| graph.ids[c as usize].to_string())
            .collect();
        let commit_count = commits.len();
        commits.truncate(MAX_LISTED);
        let locations = places
            .into_iter()
            .take(MAX_LOCATIONS)
            .map(|(path, line, commit, blob)| Location {
                path: path.to_string(),
                line,
                commit: commit.map(|c| graph.ids[c as usize].to_string()),
                blob: blob.to_string(),
            })
            .collect();
        let finding = g.findings.swap_remove(0);
        let rule = scanner
            .rules()
            .iter()
            .find(|r| *r.id == *finding.rule_id)
            .and_then(|r| r.remediation.clone());
        Secret {
            finding,
            status,
            first,
            last,
            locations,
            location_count,
            paths,
            path_count,
            commits,
            commit_count,
            reached_by,
            remediation: audit::remediation(rule.as_deref()),
        }
    }
}
