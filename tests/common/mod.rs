//! Shared set-up for the integration tests: run the real `leakward` binary, build throwaway
//! directories and git repositories, and generate fake credentials at test time.
//!
//! Tokens are generated, never written out literally, so that `leakward scan .` on this
//! repository stays clean.

#![allow(dead_code, unused_imports)] // Each test binary uses a different part of it.

mod audit;
mod histories;
mod html;
mod process;
mod repo;
mod sarif;
mod shards;
mod tokens;

pub use audit::{audit_json, commit_secret, entry, reach};
pub use histories::{eventful_history, CarryStats};
pub use html::balanced_tags;
pub use process::{
    finding_of, is_root, leakward, place, places, rules_and_confidences, run, run_with_stdin,
    scan_in, script_gives_a_terminal, tempdir, write, Run,
};
pub use repo::{command, git_in, leakward_in, Repo};
pub use sarif::sarif_schema;
pub use shards::{coverage, found, records};
pub use tokens::{
    aws_key_id, github_token, password_line, password_value, private_key_block, random_string,
    random_uuid,
};
