//! Reading `leakward audit` JSON documents: entries by secret and what reaches them.

use std::path::Path;

use serde_json::Value;

use super::repo::Repo;
use super::tokens::github_token;

/// The exit code and JSON audit document of `leakward audit DIR ARGS`, secrets shown.
#[track_caller]
pub fn audit_json(repo: &Repo, dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["-f", "json", "-q", "--show-secrets"];
    all.extend(args);
    let run = repo.audit(dir, &all);
    (run.code, run.json())
}

/// The audit entry of `secret`.
#[track_caller]
pub fn entry<'a>(doc: &'a Value, secret: &str) -> &'a Value {
    doc["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["secret"] == secret)
        .unwrap_or_else(|| panic!("{secret} not found in {doc:#}"))
}

/// The labels of what reaches an entry.
pub fn reach(entry: &Value) -> Vec<String> {
    entry["reached_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["kind"].as_str().unwrap(),
                r["label"].as_str().unwrap()
            )
        })
        .collect()
}

/// Commits a fresh token in `path` as Alice; returns the token and the commit id.
pub fn commit_secret(repo: &Repo, path: &str, message: &str) -> (String, String) {
    let secret = github_token();
    repo.write(path, format!("TOKEN={secret}\n"));
    let id = repo.commit_as("Alice", message);
    (secret, id)
}
