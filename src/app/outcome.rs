//! The one outcome of every scanning command: the findings, what was covered, what was
//! skipped and why, and what could not be read. Sources load chunks ([`Loaded`]), the scan
//! core turns each into a [`Piece`], and every command folds its pieces into an
//! [`Outcome`] the same way; [`super::Session::finish`] filters it and reports it.

use crate::chunk::{Chunk, Origin, Scope};
use crate::finding::Finding;
use crate::interrupt;
use crate::report::summary::Summary;
use crate::scan::{KeywordHits, Scanned, Scanner};
use crate::source::git::ObjectId;
use crate::source::{Loaded, Skip};

/// What a run found and covered.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub findings: Vec<Finding>,
    /// What was covered, skipped and unreadable, with the summary's other counters.
    pub summary: Summary,
    /// In a multi-repository run: what each repository's scan covered.
    pub units: Option<crate::report::coverage::Units>,
}

/// What scanning one file or blob gave.
pub(crate) enum Piece {
    /// Scanned: its size in bytes, and what the scan core found.
    Scanned {
        bytes: u64,
        scanned: Scanned,
    },
    /// Nothing to scan and nothing to count ([`Loaded::Nothing`]).
    Nothing,
    Skipped(Skip),
    /// It could not be read, and why.
    Failed(String),
}

impl Outcome {
    /// An empty outcome whose units are called `unit` (`file`, `blob`) in the summary.
    pub(crate) fn new(unit: &'static str) -> Outcome {
        Outcome {
            findings: Vec::new(),
            summary: Summary {
                unit,
                ..Summary::default()
            },
            units: None,
        }
    }

    /// Adds one piece; `what` names it if it could not be read.
    pub(crate) fn add(&mut self, what: impl FnOnce() -> String, piece: Piece) {
        match piece {
            Piece::Scanned { bytes, scanned } => {
                self.count(bytes, &scanned);
                self.findings.extend(scanned.findings);
            }
            Piece::Nothing => {}
            Piece::Skipped(skip) => self.skipped(skip),
            Piece::Failed(why) => self.summary.unreadable.push((what(), why)),
        }
    }

    /// Counts one scanned chunk of `bytes` bytes, leaving its findings to the caller.
    pub(crate) fn count(&mut self, bytes: u64, scanned: &Scanned) {
        let summary = &mut self.summary;
        summary.scanned += 1;
        summary.bytes += bytes;
        summary.binary += u64::from(scanned.binary);
        summary.add_capped(scanned);
    }

    /// Counts one file or blob that was not scanned.
    pub(crate) fn skipped(&mut self, skip: Skip) {
        match skip {
            Skip::TooLarge => self.summary.skipped_too_large += 1,
        }
    }

    /// Adds what `other` found and covered; `label` turns each of its findings' paths and
    /// unreadable names into this outcome's terms.
    pub(crate) fn absorb(&mut self, other: Outcome, label: impl Fn(&str) -> String) {
        let (summary, part) = (&mut self.summary, other.summary);
        summary.scanned += part.scanned;
        summary.bytes += part.bytes;
        summary.binary += part.binary;
        summary.cached += part.cached;
        summary.skipped_too_large += part.skipped_too_large;
        summary.skipped_symlinks += part.skipped_symlinks;
        summary.skipped_special += part.skipped_special;
        summary.capped += part.capped;
        summary.capped_max = summary.capped_max.max(part.capped_max);
        summary.known += part.known;
        summary.warnings.extend(part.warnings);
        summary.unreadable.extend(
            part.unreadable
                .into_iter()
                .map(|(what, why)| (label(&what), why)),
        );
        self.findings.extend(other.findings);
    }
}

/// Scans one loaded chunk at `origin`.
pub(crate) fn scan_loaded(scanner: &Scanner, origin: &Origin, loaded: Loaded) -> Piece {
    match loaded {
        Loaded::Bytes(bytes, scope) => {
            let scanned = scanner.scan(&Chunk {
                bytes: &bytes,
                origin,
                scope: &scope,
            });
            Piece::Scanned {
                bytes: bytes.len() as u64,
                scanned,
            }
        }
        Loaded::Nothing => Piece::Nothing,
        Loaded::Skipped(skip) => Piece::Skipped(skip),
        Loaded::Failed(why) => Piece::Failed(why),
    }
}

/// Scans one decoded blob once at each of `paths` (paths change what allowlists and path
/// rules say), merging the findings and what the per-file limit dropped; a blob over
/// `max_size` bytes is skipped. History and audit scan every blob this way. `hits`, if
/// known, is the keyword stage's result for `bytes` ([`Scanner::keyword_hits`]), found once
/// for every path.
pub(crate) fn scan_blob(
    scanner: &Scanner,
    id: ObjectId,
    paths: &[&str],
    bytes: &[u8],
    max_size: u64,
    hits: Option<&KeywordHits>,
) -> Piece {
    if bytes.len() as u64 > max_size {
        return Piece::Skipped(Skip::TooLarge);
    }
    let blob = id.to_string();
    let mut merged = Scanned::default();
    for path in paths {
        // A blob committed at thousands of paths is scanned thousands of times: a signal
        // must not wait for all of them. The caller reports nothing after one.
        if interrupt::requested() {
            break;
        }
        let origin = Origin {
            path: path.to_string(),
            commit: None,
            blob: Some(blob.clone()),
        };
        let chunk = Chunk {
            bytes,
            origin: &origin,
            scope: &Scope::All,
        };
        let scanned = match hits {
            Some(hits) => scanner.scan_with_hits(&chunk, hits),
            None => scanner.scan(&chunk),
        };
        merged.capped += scanned.capped;
        merged.capped_max = merged.capped_max.max(scanned.capped_max);
        merged.binary |= scanned.binary;
        merged.findings.extend(scanned.findings);
    }
    Piece::Scanned {
        bytes: bytes.len() as u64,
        scanned: merged,
    }
}
