//! Audit sources: the whole object database, reachable or not, and where each commit lives.
//!
//! An audit reads what the history scan reads plus everything it cannot see: dangling
//! commits and blobs, stashes, reflog entries, notes and refs in any namespace.

pub(crate) mod contains;
pub(crate) mod graph;
pub(crate) mod odb;
pub(crate) mod paths;
pub(crate) mod refs;
