//! `leakward history` carries keyword hits from delta bases into their deltas: on histories
//! repacked so that blobs really are deltas, it must report exactly what a scan of every
//! blob whole (`LEAKWARD_WHOLE_BLOBS`) reports, findings, fingerprints and attributions
//! alike, while reading fewer bytes and running the regexes in fewer windows (their matches
//! carried too).

mod common;

use common::{eventful_history, leakward_in, Repo};
use serde_json::Value;

/// The findings of `leakward history` as sorted JSON lines, and what it printed to stderr.
fn history(repo: &Repo, env: &[(&str, &str)]) -> (Vec<String>, String) {
    let run = leakward_in(&repo.path(), &["history", "-f", "json", "-q"], env);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let mut findings: Vec<String> = run
        .findings()
        .iter()
        .map(|finding| serde_json::to_string(finding).unwrap())
        .collect();
    findings.sort();
    (findings, run.stderr)
}

/// (carried blobs, blobs, bytes the keyword search read, bytes, windows whose regex matches
/// were carried, windows) from the stats line.
fn stats(stderr: &str) -> (u64, u64, u64, u64, u64, u64) {
    let line = stderr
        .lines()
        .find(|line| line.starts_with("carry: "))
        .unwrap_or_else(|| panic!("no stats in {stderr:?}"));
    let numbers: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse().ok())
        .collect();
    (
        numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5],
    )
}

fn assert_same_findings(repo: &Repo) {
    let stats_on = [("LEAKWARD_CARRY_STATS", "1")];
    let (carried, stderr) = history(repo, &stats_on);
    let (whole, whole_stderr) = history(repo, &[stats_on[0], ("LEAKWARD_WHOLE_BLOBS", "1")]);
    assert!(!whole.is_empty());
    assert_eq!(carried, whole);
    let (carried_blobs, blobs, searched, bytes, carried_windows, windows) = stats(&stderr);
    assert!(carried_blobs > blobs / 2, "{stderr}");
    assert!(searched * 4 < bytes, "{stderr}");
    assert!(carried_windows * 2 > windows, "{stderr}");
    let (none_carried, _, whole_searched, _, no_windows, _) = stats(&whole_stderr);
    assert_eq!((none_carried, whole_searched), (0, bytes), "{whole_stderr}");
    assert_eq!(no_windows, 0, "{whole_stderr}");
}

#[test]
fn carried_hits_give_the_findings_of_whole_blobs_after_repack() {
    let repo = Repo::new();
    eventful_history(&repo);
    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
    let (findings, _) = history(&repo, &[]);
    let values: Vec<Value> = findings
        .iter()
        .map(|f| serde_json::from_str(f).unwrap())
        .collect();
    let rules: Vec<&str> = values
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert!(rules.len() >= 4, "{rules:?}");
    assert_same_findings(&repo);
}

#[test]
fn carried_hits_give_the_findings_of_whole_blobs_after_aggressive_gc() {
    let repo = Repo::new();
    eventful_history(&repo);
    repo.git(&["gc", "-q", "--aggressive", "--prune=now"]);
    assert_same_findings(&repo);
}
