//! The repositories of a multi-repository run, and the share of them one shard owns.
//!
//! A list file names one repository per line: a local path or bare clone, or `name=path` to
//! give it a label (the first `=` splits, so a path holding `=` needs a label). Blank lines
//! and lines starting with `#` are skipped. A repository's *name* (its label, or its path as
//! listed) is its identity: findings carry it, and [`Shard`] hashes it, so every repository
//! belongs to exactly one of N shards whatever the order of the list and on whatever
//! machine the shard runs. leakward never fetches: the job around it fetches what
//! `leakward shard FILE K/N` prints. See: issue 15.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::bounded;
use crate::error::{Error, Reason, Result};

/// One repository of a list: one unit of work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// The repository's identity in reports and shards: its label, or its path as listed.
    pub name: String,
    /// Where it is on this machine.
    pub path: PathBuf,
    /// The line as listed (without surrounding blanks), which `leakward shard` prints back.
    pub listed: String,
}

/// Reads and checks the list file at `path`.
pub(crate) fn read_list(path: &Path) -> Result<Vec<Unit>> {
    let text = bounded::read_text(path, bounded::CONFIG_LIMIT).map_err(|failure| Error::Input {
        path: path.to_path_buf(),
        reason: format!("cannot read the repository list: {failure}").into(),
    })?;
    parse_list(&text).map_err(|message| Error::Input {
        path: path.to_path_buf(),
        reason: message.into(),
    })
}

/// Parses a list's text; an error names the line and what is wrong with it.
fn parse_list(text: &str) -> std::result::Result<Vec<Unit>, String> {
    let mut units: Vec<(usize, Unit)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let listed = line.trim();
        if listed.is_empty() || listed.starts_with('#') {
            continue;
        }
        let (name, path) = match listed.split_once('=') {
            Some((name, path)) => (name.trim(), path.trim()),
            None => (listed.trim_end_matches('/'), listed),
        };
        if name.is_empty() {
            return Err(format!("line {number}: the label before `=` is empty"));
        }
        if path.is_empty() {
            return Err(format!("line {number}: no path after `{name}=`"));
        }
        if let Some((first, _)) = units.iter().find(|(_, unit)| unit.name == name) {
            return Err(format!(
                "line {number}: `{name}` is listed twice (first on line {first}); each repository must be one unit"
            ));
        }
        units.push((
            number,
            Unit {
                name: name.to_string(),
                path: PathBuf::from(path),
                listed: listed.to_string(),
            },
        ));
    }
    if units.is_empty() {
        return Err("lists no repository".into());
    }
    Ok(units.into_iter().map(|(_, unit)| unit).collect())
}

/// Limits on one unit of work (`--max-repo-time`, `--max-repo-bytes`): past either, the
/// unit stops and is reported incomplete, never as a success.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Budget {
    pub time: Option<Duration>,
    pub bytes: Option<u64>,
}

/// What one unit has spent of its [`Budget`], shared by the threads that scan it.
#[derive(Debug)]
pub(crate) struct Spending {
    budget: Budget,
    started: Instant,
    bytes: AtomicU64,
    /// Why the unit stopped, set once by whichever limit was passed first.
    exceeded: OnceLock<String>,
}

impl Spending {
    /// Starts the clock on a unit.
    pub(crate) fn start(budget: Budget) -> Spending {
        Spending {
            budget,
            started: Instant::now(),
            bytes: AtomicU64::new(0),
            exceeded: OnceLock::new(),
        }
    }

    /// Whether the unit may go on; checks the clock.
    pub(crate) fn within(&self) -> bool {
        if self.exceeded.get().is_some() {
            return false;
        }
        match self.budget.time {
            Some(limit) if self.started.elapsed() > limit => {
                let _ = self.exceeded.set(format!(
                    "stopped at the time budget (--max-repo-time {})",
                    jiff::SignedDuration::try_from(limit)
                        .map_or_else(|_| format!("{limit:?}"), |d| format!("{d:#}"))
                ));
                false
            }
            _ => true,
        }
    }

    /// Asks to scan `bytes` more: false, and the unit stops, if that passes a limit.
    pub(crate) fn charge(&self, bytes: u64) -> bool {
        if !self.within() {
            return false;
        }
        let spent = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        match self.budget.bytes {
            Some(limit) if spent > limit => {
                let _ = self.exceeded.set(format!(
                    "stopped at the size budget (--max-repo-bytes {limit})"
                ));
                false
            }
            _ => true,
        }
    }

    /// Why the unit stopped early, if it did.
    pub(crate) fn exceeded(&self) -> Option<&str> {
        self.exceeded.get().map(String::as_str)
    }
}

/// Shard K of N (`K/N`, counted from 1 as CI matrices and `--shard` options count): the
/// repositories whose name hashes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shard {
    /// Which shard, 1 to `count`.
    pub index: u64,
    /// How many shards share the list.
    pub count: u64,
}

impl Shard {
    /// Whether this shard owns the repository called `name`. The first eight bytes of the
    /// name's SHA-256 pick the shard: stable across versions, platforms and list order.
    pub(crate) fn owns(&self, name: &str) -> bool {
        let digest = Sha256::digest(name.as_bytes());
        let mut head = [0u8; 8];
        head.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(head) % self.count + 1 == self.index
    }

    /// The units of `units` this shard owns, in list order.
    pub(crate) fn select<'a>(&self, units: &'a [Unit]) -> Vec<&'a Unit> {
        units.iter().filter(|unit| self.owns(&unit.name)).collect()
    }
}

impl FromStr for Shard {
    type Err = Reason;

    fn from_str(text: &str) -> std::result::Result<Shard, Reason> {
        let usage = || {
            Reason(format!(
                "`{text}` is not K/N (shard K of N, 1 <= K <= N, e.g. 2/8)"
            ))
        };
        let (index, count) = text.split_once('/').ok_or_else(usage)?;
        let index: u64 = index.trim().parse().map_err(|_| usage())?;
        let count: u64 = count.trim().parse().map_err(|_| usage())?;
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(units: &[Unit]) -> Vec<(&str, &str)> {
        units
            .iter()
            .map(|u| (u.name.as_str(), u.path.to_str().unwrap()))
            .collect()
    }

    #[test]
    fn a_list_names_paths_and_labels_and_skips_comments() {
        let text = "# the team's repositories\n\n/srv/git/api.git\n  web = /srv/git/web  \nrepos/tools/\ncurl/curl=/srv/a=b\n";
        let units = parse_list(text).unwrap();
        assert_eq!(
            names(&units),
            [
                ("/srv/git/api.git", "/srv/git/api.git"),
                ("web", "/srv/git/web"),
                ("repos/tools", "repos/tools/"),
                ("curl/curl", "/srv/a=b"),
            ]
        );
        assert_eq!(units[1].listed, "web = /srv/git/web");
    }

    #[test]
    fn a_bad_list_names_the_line() {
        let cases = [
            ("a\n=b\n", "line 2: the label before `=` is empty"),
            ("a\nweb=\n", "line 2: no path after `web=`"),
            (
                "a\nb\na/\n",
                "line 3: `a` is listed twice (first on line 1)",
            ),
            (
                "x=a\nx=b\n",
                "line 2: `x` is listed twice (first on line 1)",
            ),
            ("# only a comment\n\n", "lists no repository"),
        ];
        for (text, expected) in cases {
            let error = parse_list(text).unwrap_err();
            assert!(error.starts_with(expected), "{text:?}: {error}");
        }
    }

    #[test]
    fn shards_parse_as_k_of_n() {
        assert_eq!("2/8".parse(), Ok(Shard { index: 2, count: 8 }));
        assert_eq!("1/1".parse::<Shard>().unwrap().to_string(), "1/1");
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_repository_has_exactly_one_shard_whatever_the_order() {
        let text: String = (0..500).map(|i| format!("org/repo-{i}\n")).collect();
        let units = parse_list(&text).unwrap();
        let mut reversed = units.clone();
        reversed.reverse();
        for count in [1, 2, 3, 7, 16] {
            let shards: Vec<Shard> = (1..=count).map(|index| Shard { index, count }).collect();
            let mut owners = vec![0; units.len()];
            for shard in &shards {
                for unit in shard.select(&units) {
                    owners[units.iter().position(|u| u == unit).unwrap()] += 1;
                }
                let forward: Vec<&str> = shard
                    .select(&units)
                    .iter()
                    .map(|u| u.name.as_str())
                    .collect();
                let mut backward: Vec<&str> = shard
                    .select(&reversed)
                    .iter()
                    .map(|u| u.name.as_str())
                    .collect();
                backward.reverse();
                assert_eq!(forward, backward, "{shard}: order changes nothing");
            }
            assert!(owners.iter().all(|&n| n == 1), "{count} shards");
            // A stable hash spreads 500 names roughly evenly: no shard is empty or has half.
            for shard in &shards {
                let share = shard.select(&units).len();
                assert!(
                    share > 0 && share < 500 / count as usize * 2,
                    "{shard}: {share}"
                );
            }
        }
    }

    #[test]
    fn the_shard_of_a_name_never_changes() {
        // Pinned: a change of hash would move repositories between the shards of running
        // jobs, so that some are scanned twice and others never.
        let owner = |name: &str| (1..=4).find(|&index| Shard { index, count: 4 }.owns(name));
        let pinned = [
            ("curl/curl", 4),
            ("git/git", 2),
            ("/srv/git/api.git", 3),
            ("web", 2),
        ];
        for (name, shard) in pinned {
            assert_eq!(owner(name), Some(shard), "{name}");
        }
    }
}
