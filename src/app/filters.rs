//! The filters every command's outcome passes through, once, in [`super::Session::finish`]:
//! allowed commits, then the ignore files and the baseline (known findings). Each records
//! which of the user's entries it used, for `--list-unused-allowlist`.

use crate::config::{AllowedCommit, Config};

/// The config's allowed `commits`, with whether each has allowed anything yet.
pub(crate) struct CommitFilter {
    entries: Vec<AllowedCommit>,
    used: Vec<bool>,
}

impl CommitFilter {
    pub(crate) fn new(config: &Config) -> CommitFilter {
        let entries = config.allowed_commits();
        CommitFilter {
            used: vec![false; entries.len()],
            entries,
        }
    }

    /// True if an entry allows findings of rule `rule` in commit `commit` (a full id). Every
    /// entry that does is marked used.
    pub(crate) fn allows(&mut self, rule: &str, commit: &str) -> bool {
        let mut allowed = false;
        for (entry, used) in self.entries.iter().zip(&mut self.used) {
            if entry.allows(rule, commit) {
                *used = true;
                allowed = true;
            }
        }
        allowed
    }

    /// The entries that allowed nothing.
    pub(crate) fn unused(&self) -> impl Iterator<Item = &AllowedCommit> {
        self.entries
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(entry, _)| entry)
    }
}
