//! leakward: an offline, fast git secrets scanner.
//!
//! ```text
//! sources ─► chunks ─► prefilter ─► detectors ─► filters ─► findings ─► reports + exit code
//! (files,     (bytes +   (Aho-Corasick (regex,      (allowlists,  (rule, place,   (text, json,
//!  stdin,      origin +   over rule     entropy,     inline marks, fingerprint,    jsonl, sarif,
//!  git)        scope)     keywords)     checksums)   baseline)     confidence)     csv)
//! ```
//!
//! Data flows one way. [`source`] is the only code that touches the filesystem or git; [`scan`]
//! is pure (bytes in, findings out); [`report`] turns findings into bytes; [`app`] wires them.
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
pub mod scan;
pub mod selftest;
pub mod source;
pub(crate) mod suppress;

pub use app::run;
