//! Blame by diff: which lines of a blob a commit added, so a finding is reported for the
//! commit that wrote its line and for no commit that merely kept it.

use gix::hash::ObjectId;

use super::added_lines::added_lines;
use crate::chunk::Scope;

/// The lines a commit added to `new`, as one scope per parent: a line was added if every
/// scope contains it (a merge adds only lines that are in none of its parents' versions).
/// `parents` holds the blob at the same path in each parent, `None` where there was none; a
/// root commit has no parents and added every line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Added(Vec<Scope>);

impl Added {
    /// Diffs `new` against each parent blob, as `read` returns it: `Ok(None)` for a parent
    /// too large to read, against which every line counts as added (a finding is attributed
    /// rather than lost), and (blob id, reason) for one that could not be read.
    pub(crate) fn compute<'a>(
        parents: &[Option<ObjectId>],
        new: &[u8],
        read: &dyn Fn(ObjectId) -> Result<Option<&'a [u8]>, (String, String)>,
    ) -> Result<Added, (String, String)> {
        let mut scopes = Vec::with_capacity(parents.len());
        for parent in parents {
            let old = match parent {
                Some(id) => read(*id)?,
                None => None,
            };
            scopes.push(match old {
                Some(old) => added_lines(old, new),
                None => Scope::All,
            });
        }
        Ok(Added(scopes))
    }

    /// True if the commit added the 1-based `line`.
    pub(crate) fn contains(&self, line: u32) -> bool {
        self.0.iter().all(|scope| scope.contains(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_adds_only_lines_in_no_parent() {
        let added = Added(vec![Scope::Lines(vec![2..=3]), Scope::Lines(vec![3..=4])]);
        let cases: &[(u32, bool)] = &[(1, false), (2, false), (3, true), (4, false)];
        for &(line, want) in cases {
            assert_eq!(added.contains(line), want, "line {line}");
        }
        assert!(Added(vec![]).contains(7), "a root commit adds every line");
        assert!(
            Added(vec![Scope::All]).contains(7),
            "a new path adds every line"
        );
    }
}
