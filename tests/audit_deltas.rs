//! `leakward audit` carries keyword hits from delta bases into their deltas, as `history`
//! does: on histories repacked so that blobs really are deltas, its report (every secret,
//! its fingerprint, locations, first and last commits, and what reaches it) must be exactly
//! what a scan of every blob whole (`LEAKWARD_WHOLE_BLOBS`) reports, while the keyword search
//! reads fewer bytes.

mod common;

use common::{commit_secret, eventful_history, github_token, leakward_in, CarryStats, Repo};
use serde_json::Value;

/// The eventful history, plus secrets only an audit sees: on a branch deleted afterwards
/// (its commit kept by the HEAD reflog, or dangling), and in a blob no commit holds,
/// written loose after the repack.
fn audited_history(repo: &Repo, repack: &[&str]) -> String {
    eventful_history(repo);
    repo.git(&["checkout", "-q", "-b", "doomed"]);
    commit_secret(repo, "branch.env", "on a branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "doomed"]);
    repo.git(repack);
    let loose = repo.sibling("loose.txt");
    let unreferenced = github_token();
    std::fs::write(&loose, format!("TOKEN={unreferenced}\n")).unwrap();
    repo.git(&["hash-object", "-w", loose.to_str().unwrap()]);
    unreferenced
}

/// The audit's JSON report, byte for byte, and what it printed to stderr.
fn audit(repo: &Repo, env: &[(&str, &str)]) -> (String, String) {
    let args = ["audit", ".", "-f", "json", "-q", "--show-secrets"];
    let run = leakward_in(&repo.path(), &args, env);
    assert_eq!(run.code, 1, "{}", run.stderr);
    (run.stdout, run.stderr)
}

fn assert_same_report(repack: &[&str]) {
    let repo = Repo::new();
    let unreferenced = audited_history(&repo, repack);
    let stats_on = ("LEAKWARD_CARRY_STATS", "1");
    let (carried, stderr) = audit(&repo, &[stats_on]);
    let (whole, whole_stderr) = audit(&repo, &[stats_on, ("LEAKWARD_WHOLE_BLOBS", "1")]);
    assert_eq!(carried, whole);

    let doc: Value = serde_json::from_str(&carried).unwrap();
    let secrets = doc["secrets"].as_array().unwrap();
    let rules: Vec<&str> = secrets
        .iter()
        .filter_map(|s| s["rule_id"].as_str())
        .collect();
    assert!(secrets.len() >= 5, "{rules:?}");
    let kinds: Vec<&str> = secrets
        .iter()
        .flat_map(|s| s["reached_by"].as_array().unwrap())
        .filter_map(|r| r["kind"].as_str())
        .collect();
    for kind in ["head", "unreferenced-blob"] {
        assert!(kinds.contains(&kind), "{kind} not in {kinds:?}");
    }
    // The deleted branch's commit: reached by the reflog, or dangling once gc expired it.
    assert!(
        secrets
            .iter()
            .any(|s| s["status"] == "unreachable" && s["locations"][0]["path"] == "branch.env"),
        "{doc:#}"
    );
    assert!(secrets.iter().any(|s| s["secret"] == unreferenced));
    // A secret copied and moved lives in several places and commits.
    assert!(
        secrets.iter().any(|s| s["path_count"].as_u64() >= Some(2)),
        "{doc:#}"
    );

    let carried_stats = CarryStats::of(&stderr);
    assert!(
        carried_stats.carried_blobs > carried_stats.blobs / 2,
        "{stderr}"
    );
    assert!(carried_stats.searched * 4 < carried_stats.bytes, "{stderr}");
    let whole_stats = CarryStats::of(&whole_stderr);
    assert_eq!(
        (whole_stats.carried_blobs, whole_stats.searched),
        (0, carried_stats.bytes),
        "{whole_stderr}"
    );
}

#[test]
fn carried_hits_give_the_report_of_whole_blobs_after_repack() {
    assert_same_report(&["repack", "-adfq", "--window=50", "--depth=50"]);
}

#[test]
fn carried_hits_give_the_report_of_whole_blobs_after_aggressive_gc() {
    assert_same_report(&["gc", "-q", "--aggressive"]);
}
