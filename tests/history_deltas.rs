//! `leakward history` carries keyword hits from delta bases into their deltas: on histories
//! repacked so that blobs really are deltas, it must report exactly what a scan of every
//! blob whole (`LEAKWARD_WHOLE_BLOBS`) reports, findings, fingerprints and attributions
//! alike, while reading fewer bytes and running the regexes in fewer windows (their matches
//! carried too).

mod common;

use common::{eventful_history, leakward_in, CarryStats, Repo};
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

fn assert_same_findings(repo: &Repo) {
    let stats_on = [("LEAKWARD_CARRY_STATS", "1")];
    let (carried, stderr) = history(repo, &stats_on);
    let (whole, whole_stderr) = history(repo, &[stats_on[0], ("LEAKWARD_WHOLE_BLOBS", "1")]);
    assert!(!whole.is_empty());
    assert_eq!(carried, whole);
    let carried_stats = CarryStats::of(&stderr);
    assert!(
        carried_stats.carried_blobs > carried_stats.blobs / 2,
        "{stderr}"
    );
    assert!(carried_stats.searched * 4 < carried_stats.bytes, "{stderr}");
    assert!(
        carried_stats.carried_windows * 2 > carried_stats.windows,
        "{stderr}"
    );
    let whole_stats = CarryStats::of(&whole_stderr);
    assert_eq!(
        (whole_stats.carried_blobs, whole_stats.searched),
        (0, carried_stats.bytes),
        "{whole_stderr}"
    );
    assert_eq!(whole_stats.carried_windows, 0, "{whole_stderr}");
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
