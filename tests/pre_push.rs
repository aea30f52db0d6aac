//! `leakward pre-push` with git's pre-push lines on standard input, against repositories
//! with a real (bare) remote: updates, new branches, deletions and force pushes.

mod common;

use common::{github_token as token, places, Repo};

const ZERO: &str = "0000000000000000000000000000000000000000";

/// A repository whose `main`, with one secret, is pushed to a bare `origin`.
fn pushed() -> (Repo, String) {
    let repo = Repo::new();
    let remote = repo.sibling("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.write("old.txt", format!("{}\n", token()));
    let old = repo.commit("already on the remote");
    repo.git(&["push", "-q", "origin", "main"]);
    (repo, old)
}

fn line(local_ref: &str, local: &str, remote_ref: &str, remote: &str) -> String {
    format!("{local_ref} {local} {remote_ref} {remote}\n")
}

#[test]
fn an_update_scans_only_the_new_commits() {
    let (repo, old) = pushed();
    repo.write("new.txt", format!("{}\n", token()));
    let new = repo.commit("new secret");
    repo.write("clean.txt", "nothing\n");
    let head = repo.commit("clean");
    let stdin = line("refs/heads/main", &head, "refs/heads/main", &old);
    let (code, findings) = repo.findings(&["pre-push", "origin", "url"], &stdin);
    assert_eq!(code, 1, "a blocking finding blocks the push");
    assert_eq!(places(&findings), [(new, "new.txt".into(), 1)]);
}

#[test]
fn a_new_branch_scans_what_no_remote_tracking_ref_has() {
    let (repo, _) = pushed();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.txt", format!("{}\n", token()));
    let new = repo.commit("feature secret");
    let stdin = line("refs/heads/feature", &new, "refs/heads/feature", ZERO);
    let (code, findings) = repo.findings(&["pre-push", "origin", "url"], &stdin);
    assert_eq!(code, 1);
    assert_eq!(places(&findings), [(new, "feature.txt".into(), 1)]);
}

#[test]
fn a_deletion_scans_nothing() {
    let (repo, old) = pushed();
    let stdin = line("(delete)", ZERO, "refs/heads/main", &old);
    let (code, findings) = repo.findings(&["pre-push"], &stdin);
    assert_eq!((code, findings.len()), (0, 0));
    let (code, findings) = repo.findings(&["pre-push"], "");
    assert_eq!(
        (code, findings.len()),
        (0, 0),
        "nothing pushed, nothing scanned"
    );
}

#[test]
fn a_force_push_scans_what_the_remote_does_not_have() {
    let (repo, _) = pushed();
    repo.write("gone.txt", format!("{}\n", token()));
    let replaced = repo.commit("to be rewritten");
    repo.git(&["push", "-q", "origin", "main"]);
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.write("rewritten.txt", format!("{}\n", token()));
    let new = repo.commit("rewritten");
    let stdin = line("refs/heads/main", &new, "refs/heads/main", &replaced);
    let (code, findings) = repo.findings(&["pre-push", "origin", "url"], &stdin);
    assert_eq!(code, 1);
    assert_eq!(
        places(&findings),
        [(new.clone(), "rewritten.txt".into(), 1)]
    );

    // A remote tip this repository has never seen: fall back to the remote-tracking refs.
    let unknown = "1234567890123456789012345678901234567890";
    let stdin = line("refs/heads/main", &new, "refs/heads/main", unknown);
    let (_, findings) = repo.findings(&["pre-push", "origin", "url"], &stdin);
    assert_eq!(places(&findings), [(new, "rewritten.txt".into(), 1)]);
}

#[test]
fn malformed_input_fails_with_one_line_and_exit_2() {
    let (repo, old) = pushed();
    let missing = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    let cases = [
        (
            "refs/heads/main only-three fields\n".to_string(),
            "malformed pre-push input on line 1",
        ),
        (
            line("refs/heads/main", "xyz", "refs/heads/main", &old),
            "malformed pre-push input",
        ),
        (
            line("refs/heads/main", missing, "refs/heads/main", &old),
            "is not in the repository",
        ),
    ];
    for (stdin, want) in cases {
        let output = repo.leakward_with_input(&["pre-push", "origin", "url"], &stdin);
        let stderr = output.stderr.as_str();
        assert_eq!(Some(output.code), Some(2), "{stdin:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stdin:?}: {stderr}");
        assert!(stderr.contains(want), "{stdin:?}: {stderr}");
    }
}
