//! Which lines a change added: a line diff of the old and new content of one path.
//!
//! Staged scans and history attribution both use it, so "added by this change" means the
//! same thing everywhere.

use gix::diff::blob::{Algorithm, Diff, InternedInput};

use crate::chunk::Scope;

/// The 1-based line ranges of `new` that are not in `old`, by a histogram line diff.
pub fn added_lines(old: &[u8], new: &[u8]) -> Scope {
    if old.is_empty() {
        return Scope::All;
    }
    let input = InternedInput::new(old, new);
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let ranges = diff
        .hunks()
        .filter(|hunk| !hunk.after.is_empty())
        .map(|hunk| hunk.after.start + 1..=hunk.after.end)
        .collect();
    Scope::Lines(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_lines_are_in_scope() {
        let old = b"a\nb\nc\n";
        let cases: &[(&[u8], Scope)] = &[
            (b"a\nb\nc\n", Scope::Lines(vec![])),
            (b"a\nX\nb\nc\n", Scope::Lines(vec![2..=2])),
            (b"a\nb\nc\nY\nZ\n", Scope::Lines(vec![4..=5])),
            (b"a\nc\n", Scope::Lines(vec![])),
            (b"a\nB\nc\n", Scope::Lines(vec![2..=2])),
        ];
        for (new, want) in cases {
            assert_eq!(
                &added_lines(old, new),
                want,
                "{:?}",
                String::from_utf8_lossy(new)
            );
        }
        assert_eq!(added_lines(b"", b"x\n"), Scope::All);
    }
}
