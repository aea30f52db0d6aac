//! leakward: an offline, fast git secrets scanner.
//!
//! ```text
//! sources ─► chunks ─► prefilter ─► detectors ─► filters ─► findings ─► reports + exit code
//! (files,     (bytes +   (Aho-Corasick (regex,      (allowlists,  (rule, place,   (text, json,
//!  stdin,      origin +   over rule     entropy,     inline marks, fingerprint,    jsonl, sarif,
//!  git)        scope)     keywords,     checksums,   baseline)     confidence)     csv, html,
//!                         layers)       layers)                                    github)
//! ```
//!
//! Many repositories: `history --repos` runs the history pipeline once per listed repository
//! (`repos`), each a unit with a coverage record, into one `Outcome`; `merge` reads shards'
//! JSON Lines back (`report::shards`) into the same `Outcome` and the same `finish`.
//!
//! Data flows one way. `source` is the only code that touches the filesystem or git (gix
//! appears nowhere else); every source loads into one `Loaded` type. [`scan`] is pure (bytes
//! in, findings out). Every command (`scan`, `staged`, `history`, `pre-push`, `audit`) folds
//! what it scanned into one `Outcome` (findings, what was covered, skipped and unreadable),
//! and one `finish` applies the filters (allowed commits, ignore files, baseline) and writes
//! the report through a view: one entry per finding, or per secret with its lifecycle
//! (`audit`). `report` turns findings into bytes. The private `app` module wires the stages,
//! from checked options that it builds once from the `cli` types; `app::run` is its entry.
//!
//! The library's API is small: [`main`] is the whole binary, and the scanning core can be
//! used alone: load rules ([`config::builtin`] or [`config::load`]), build a
//! [`scan::Scanner`], and scan [`chunk::Chunk`]s into [`finding::Finding`]s. Everything else
//! is crate-private (the `unreachable_pub` lint keeps it so); the hidden `internals` module
//! exposes what the integration tests, fuzz targets and benches exercise directly.
//!
//! Glossary:
//! - **chunk**: the bytes of one file or blob, with its origin and scope ([`chunk::Chunk`]).
//! - **scope**: the lines of a chunk in which findings count (all, or the lines a diff added).
//! - **rule**: one credential format, as data in `patterns.toml` (`config::spec::RuleSpec`).
//! - **keyword**: a string that occurs in every match of a rule; the prefilter looks for them.
//! - **finding**: a reported secret with its rule, place, confidence and fingerprint.
//! - **fingerprint**: a hash of rule id and secret, the identity baselines and ignore files use.

// Crate-private unless it is the API (or `internals`), so dead code shows as a warning.
#![warn(unreachable_pub)]

mod app;
pub(crate) mod bounded;
pub mod chunk;
pub(crate) mod cli;
pub mod config;
mod entry;
pub mod error;
pub mod finding;
pub(crate) mod interrupt;
pub mod path_text;
pub(crate) mod report;
pub(crate) mod repos;
pub mod scan;
pub mod selftest;
pub(crate) mod source;
pub(crate) mod suppress;

pub use entry::main;

/// Not API: the internals that the integration tests, the fuzz targets and the benches
/// exercise directly, in one place so that everything else can be crate-private (and the
/// compiler can tell what is dead). Hidden from the docs; it may change in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::path_text;
    pub use crate::report::redact::mask_shared_lines;
    pub use crate::report::text::safe;
    pub use crate::scan::checksum::{base58check_encode, base62_crc32};
    pub use crate::scan::entropy::shannon;
    pub use crate::scan::lines::Lines;
    pub use crate::scan::placeholder::is_placeholder;
    pub use crate::selftest;
    pub use crate::source::git::added_lines::added_lines;
    pub use crate::source::git::pack_headers::PackHeaders;
    pub use crate::source::git::pack_plan;
    pub use crate::source::git::packs::{decode_each, Undecoded};
}
