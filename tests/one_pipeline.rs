//! `history`, `audit` and `pre-push` report through one pipeline (issue 17): they agree on
//! which secrets a repository holds, and an allowlisted commit suppresses its findings in
//! all three (`audit` ignored allowed `commits` before).

mod common;

use std::collections::BTreeSet;

use common::{audit_json, commit_secret, Repo};
use serde_json::Value;

/// The fingerprints of `findings` (findings or audit entries).
fn fingerprints(findings: &[Value]) -> BTreeSet<String> {
    findings
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

/// The fingerprints an audit of `repo` reports, run with `args`.
fn audited(repo: &Repo, args: &[&str]) -> BTreeSet<String> {
    let (code, doc) = audit_json(repo, &repo.path(), args);
    assert_ne!(code, 2, "{doc:#}");
    fingerprints(doc["secrets"].as_array().unwrap())
}

/// A repository with three secrets in three commits on `main`, the middle one kept through
/// a later edit of its file and the last one removed again: (repo, commits in order).
fn three_secrets() -> (Repo, Vec<String>) {
    let repo = Repo::new();
    let (_, first) = commit_secret(&repo, "a.env", "first secret");
    let (second_secret, second) = commit_secret(&repo, "b.env", "second secret");
    repo.write("b.env", format!("TOKEN={second_secret}\nMORE=1\n"));
    repo.commit("edit around the second secret");
    let (_, third) = commit_secret(&repo, "c.env", "third secret");
    repo.git(&["rm", "-q", "c.env"]);
    repo.commit("remove the third secret");
    (repo, vec![first, second, third])
}

#[test]
fn history_and_audit_report_the_same_secrets() {
    let (repo, _) = three_secrets();
    let (code, findings) = repo.findings(&["history"], "");
    assert_eq!(code, 1);
    let history = fingerprints(&findings);
    assert_eq!(history.len(), 3, "{findings:#?}");
    assert_eq!(audited(&repo, &[]), history);
}

#[test]
fn an_allowlisted_commit_suppresses_its_findings_in_history_audit_and_pre_push() {
    let (repo, commits) = three_secrets();
    let (_, all) = repo.findings(&["history"], "");
    let everything = fingerprints(&all);
    let of_commit = |id: &str| {
        fingerprints(
            &all.iter()
                .filter(|f| f["commit"]["id"] == id)
                .cloned()
                .collect::<Vec<_>>(),
        )
    };
    let allowed = of_commit(&commits[1]);
    assert_eq!(allowed.len(), 1);
    let config = repo.sibling("allow.toml");
    std::fs::write(
        &config,
        format!("[allow]\ncommits = [\"{}\"]\n", &commits[1][..12]),
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let want: BTreeSet<String> = everything.difference(&allowed).cloned().collect();
    assert_eq!(want.len(), 2);

    let (_, findings) = repo.findings(&["history", "--config", &config], "");
    assert_eq!(fingerprints(&findings), want, "history");

    assert_eq!(audited(&repo, &["--config", &config]), want, "audit");

    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let zero = "0".repeat(40);
    let stdin = format!("refs/heads/main {head} refs/heads/main {zero}\n");
    let (_, findings) = repo.findings(&["pre-push", "--config", &config], &stdin);
    assert_eq!(fingerprints(&findings), want, "pre-push");
}
