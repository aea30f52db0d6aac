//! The input of the scan core: a chunk of bytes, where it came from, and which lines count.
//!
//! Sources (files, stdin, git) build chunks; the scanner never looks beyond them.

use std::ops::RangeInclusive;
use std::sync::Arc;

/// Bytes to scan, with their origin and scope. The scanner borrows them and keeps nothing.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    /// The raw content: any bytes, not necessarily UTF-8.
    pub bytes: &'a [u8],
    /// Where the bytes came from; copied into every finding.
    pub origin: &'a Origin,
    /// Which lines a finding may start on.
    pub scope: &'a Scope,
}

/// Where a chunk came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The path as the user knows it: relative to the scanned root or repository, `/`-separated.
    pub path: String,
    /// The commit that introduced the content, for history scans.
    pub commit: Option<Arc<Commit>>,
    /// The git object id of the content, when it is a blob.
    pub blob: Option<String>,
}

impl Origin {
    /// An origin that is just a path.
    pub fn path(path: impl Into<String>) -> Self {
        Origin {
            path: path.into(),
            ..Origin::default()
        }
    }
}

/// Metadata of a commit that findings are attributed to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    /// Full hex object id.
    pub id: String,
    pub author_name: String,
    pub author_email: String,
    /// Author date, RFC 3339 in UTC.
    pub date: String,
    /// First line of the message.
    pub summary: String,
}

/// The lines of a chunk in which findings are reported.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every line.
    #[default]
    All,
    /// Only these 1-based, inclusive line ranges (the lines a change added), sorted.
    Lines(Vec<RangeInclusive<u32>>),
}

impl Scope {
    /// True if a finding that starts on the 1-based `line` is in scope.
    pub fn contains(&self, line: u32) -> bool {
        match self {
            Scope::All => true,
            Scope::Lines(ranges) => {
                let at = ranges.partition_point(|r| *r.end() < line);
                ranges.get(at).is_some_and(|r| r.contains(&line))
            }
        }
    }

    /// True if no line is in scope, so the chunk need not be scanned at all.
    pub fn is_empty(&self) -> bool {
        matches!(self, Scope::Lines(ranges) if ranges.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_contains_only_listed_lines() {
        let scope = Scope::Lines(vec![2..=3, 7..=7, 10..=20]);
        let cases: &[(u32, bool)] = &[
            (1, false),
            (2, true),
            (3, true),
            (4, false),
            (7, true),
            (8, false),
            (15, true),
            (21, false),
        ];
        for &(line, want) in cases {
            assert_eq!(scope.contains(line), want, "line {line}");
        }
        assert!(Scope::All.contains(99));
        assert!(Scope::Lines(vec![]).is_empty());
        assert!(!Scope::All.is_empty());
    }
}
