//! Reading the JSON Lines reports of multi-repository runs (`history --repos`, `merge`).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// The records of a JSON Lines report, each with its kind (`finding` for findings).
pub fn records(path: &Path) -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap();
            let kind = value["kind"].as_str().unwrap_or("finding").to_string();
            (kind, value)
        })
        .collect()
}

/// (repository, fingerprint) of every finding of a report.
pub fn found(path: &Path) -> BTreeSet<(String, String)> {
    records(path)
        .into_iter()
        .filter(|(kind, _)| kind == "finding")
        .map(|(_, f)| {
            let field = |name: &str| f[name].as_str().unwrap().to_string();
            (field("repository"), field("fingerprint"))
        })
        .collect()
}

/// The coverage records of a report.
pub fn coverage(path: &Path) -> Vec<Value> {
    records(path)
        .into_iter()
        .filter(|(kind, _)| kind == "coverage")
        .map(|(_, record)| record)
        .collect()
}
