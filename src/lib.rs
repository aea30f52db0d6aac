//! leakward: an offline, fast git secrets scanner.
//!
//! ```text
//! sources ─► chunks ─► prefilter ─► detectors ─► filters ─► findings ─► reports + exit code
//! (files,     (bytes +   (keyword      (regex,      (allowlists,  (rule, place,   (text, json,
//!  stdin,      origin +   table over    entropy,     inline marks, fingerprint,    jsonl, sarif,
//!  git)        scope)     keywords,     checksums,   baseline)     confidence)     csv, html,
//!                         layers)       layers)                                    github)
//! ```
//!
//! Many repositories: `history --repos` runs the history pipeline once per listed repository
//! ([`repos`]), each a unit with a coverage record, into one `Outcome`; `merge` reads shards'
//! JSON Lines back ([`report::shards`]) into the same `Outcome` and the same `finish`.
//!
//! Data flows one way. [`source`] is the only code that touches the filesystem or git (gix
//! appears nowhere else); every source loads into one `Loaded` type. [`scan`] is pure (bytes
//! in, findings out). Every command (`scan`, `staged`, `history`, `pre-push`, `audit`) folds
//! what it scanned into one `Outcome` (findings, what was covered, skipped and unreadable),
//! and one `finish` applies the filters (allowed commits, ignore files, baseline) and writes
//! the report through a view: one entry per finding, or per secret with its lifecycle
//! (`audit`). [`report`] turns findings into bytes. The private `app` module wires the stages,
//! from checked options that it builds once from the [`cli`] types; [`run`] is its entry.
//!
//! Glossary:
//! - **chunk**: the bytes of one file or blob, with its origin and scope ([`chunk::Chunk`]).
//! - **scope**: the lines of a chunk in which findings count (all, or the lines a diff added).
//! - **rule**: one credential format, as data in `patterns.toml` ([`config::spec::RuleSpec`]).
//! - **keyword**: a string that occurs in every match of a rule; the prefilter looks for them.
//! - **finding**: a reported secret with its rule, place, confidence and fingerprint.
//! - **fingerprint**: a hash of rule id and secret, the identity baselines and ignore files use.

mod app;
pub(crate) mod bounded;
pub mod chunk;
pub mod cli;
pub mod config;
pub mod error;
pub mod finding;
pub mod interrupt;
pub mod path_text;
pub mod report;
pub mod repos;
pub mod scan;
pub mod selftest;
pub mod source;
pub(crate) mod suppress;

pub use app::run;
