//! `leakward audit` on repositories built with the `git` CLI: a secret in every place one
//! can hide (HEAD, a tag, the reflog, a stash, an amended-away commit, a deleted branch, a
//! dangling commit, an unreferenced blob, notes, pull request refs, a linked worktree's
//! reflog), and bare mirrors.

mod common;

use common::github_token as token;
use common::{audit_json, commit_secret, entry, reach, Repo};

#[test]
fn every_place_a_secret_can_hide_is_found_and_labelled() {
    let repo = Repo::new();
    repo.write("README", "hello\n");
    repo.commit("initial");
    let (at_head, head_commit) = commit_secret(&repo, "config/head.env", "add config");

    let (dangling, dangling_commit) = commit_secret(&repo, "dangling.env", "dangling");
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    repo.git(&["reflog", "expire", "--expire=now", "--all"]);

    let (in_reflog, _) = commit_secret(&repo, "reflog.env", "reflog only");
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);

    let stashed = token();
    repo.write("stash.env", format!("TOKEN={stashed}\n"));
    repo.git(&["add", "stash.env"]);
    repo.git(&["stash", "-q"]);

    repo.git(&["checkout", "-q", "-b", "doomed"]);
    let (on_deleted_branch, _) = commit_secret(&repo, "branch.env", "on a branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "doomed"]);

    repo.git(&["checkout", "-q", "--detach"]);
    let (tag_only, tagged) = commit_secret(&repo, "tag.env", "tagged");
    repo.git(&["tag", "-a", "-m", "release", "v1"]);
    repo.git(&["checkout", "-q", "main"]);

    let (amended, _) = commit_secret(&repo, "amend.env", "oops");
    repo.git(&["rm", "-q", "amend.env"]);
    repo.git(&["commit", "-q", "--amend", "--allow-empty", "-m", "fixed"]);

    let unreferenced = token();
    let blob_file = repo.sibling("blob.txt");
    std::fs::write(&blob_file, format!("TOKEN={unreferenced}\n")).unwrap();
    let blob = repo.git(&["hash-object", "-w", blob_file.to_str().unwrap()]);

    let (code, doc) = audit_json(&repo, &repo.path(), &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["complete"], true);
    assert_eq!(doc["secrets"].as_array().unwrap().len(), 8, "{doc:#}");

    let head = entry(&doc, &at_head);
    assert_eq!(head["status"], "at-head");
    assert_eq!(head["at_head"], true);
    assert_eq!(head["first_commit"]["id"], head_commit.as_str());
    assert_eq!(head["first_commit"]["author_name"], "Alice");
    assert!(reach(head).contains(&"branch branch main".to_string()));
    assert_eq!(head["locations"][0]["path"], "config/head.env");

    let d = entry(&doc, &dangling);
    assert_eq!(d["status"], "unreachable");
    assert_eq!(
        reach(d),
        [format!("dangling-commit dangling commit {dangling_commit}")]
    );

    let r = entry(&doc, &in_reflog);
    assert_eq!(r["status"], "unreachable");
    assert!(
        reach(r).iter().all(|l| l.starts_with("reflog ")),
        "{:?}",
        reach(r)
    );
    assert!(reach(r).iter().any(|l| l.contains("refs/heads/main@{")));

    let s = entry(&doc, &stashed);
    assert_eq!(s["status"], "unreachable");
    assert_eq!(reach(s), ["stash stash@{0}"]);

    let b = entry(&doc, &on_deleted_branch);
    assert_eq!(b["status"], "unreachable");
    assert!(
        reach(b)
            .iter()
            .all(|l| l.starts_with("reflog reflog entry HEAD@{")),
        "{:?}",
        reach(b)
    );

    let t = entry(&doc, &tag_only);
    assert_eq!(t["status"], "reachable");
    assert_eq!(t["first_commit"]["id"], tagged.as_str());
    assert!(
        reach(t).contains(&"tag tag v1".to_string()),
        "{:?}",
        reach(t)
    );
    assert!(!reach(t).iter().any(|l| l.starts_with("branch")));

    let a = entry(&doc, &amended);
    assert_eq!(a["status"], "unreachable");
    assert!(
        reach(a).iter().any(|l| l.contains("HEAD@{1}")),
        "{:?}",
        reach(a)
    );

    let u = entry(&doc, &unreferenced);
    assert_eq!(
        reach(u),
        [format!("unreferenced-blob unreferenced blob {blob}")]
    );
    assert_eq!(u["locations"][0]["blob"], blob.as_str());
    assert!(u["first_commit"].is_null());

    let text = repo.audit(&repo.path(), &[]);
    let stdout = text.stdout.as_str();
    assert!(
        !stdout.contains(&at_head),
        "text redacts secrets by default"
    );
    assert!(
        stdout.contains("still at HEAD") && stdout.contains("stash@{0}"),
        "{stdout}"
    );
    assert!(
        stdout.contains("git filter-repo"),
        "remediation says how to purge"
    );
}

#[test]
fn a_bare_mirror_is_audited_like_its_source() {
    let repo = Repo::new();
    let (secret, added) = commit_secret(&repo, "app.env", "add app");
    repo.write("app.env", "TOKEN=\n");
    repo.commit("remove it");
    let mirror = repo.sibling("mirror.git");
    repo.git(&["clone", "-q", "--mirror", ".", mirror.to_str().unwrap()]);
    let (code, doc) = audit_json(&repo, &mirror, &[]);
    assert_eq!(code, 1);
    let e = entry(&doc, &secret);
    assert_eq!(e["status"], "reachable");
    assert_eq!(e["first_commit"]["id"], added.as_str());
    assert_eq!(e["last_commit"]["id"], added.as_str());
}

#[test]
fn notes_and_pull_request_refs_are_audited() {
    let repo = Repo::new();
    repo.write("README", "hello\n");
    let base = repo.commit("initial");
    let noted = token();
    repo.git(&["notes", "add", "-m", &format!("TOKEN={noted}"), &base]);
    repo.git(&["checkout", "-q", "-b", "pr"]);
    let (in_pr, _) = commit_secret(&repo, "pr.env", "pull request work");
    let pr_head = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "pr"]);
    repo.git(&["update-ref", "refs/pull/7/head", &pr_head]);

    let (code, doc) = audit_json(&repo, &repo.path(), &[]);
    assert_eq!(code, 1);
    let n = entry(&doc, &noted);
    assert!(
        reach(n).contains(&"notes notes refs/notes/commits".to_string()),
        "{:?}",
        reach(n)
    );
    let p = entry(&doc, &in_pr);
    assert_eq!(p["status"], "reachable");
    assert!(reach(p).contains(&"pull-request pull request ref refs/pull/7/head".to_string()));
}

#[test]
fn a_linked_worktrees_head_reflog_is_read() {
    let repo = Repo::new();
    repo.write("README", "hello\n");
    repo.commit("initial");
    let linked = repo.sibling("linked");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "--detach",
        linked.to_str().unwrap(),
    ]);
    let secret = token();
    std::fs::write(linked.join("wt.env"), format!("TOKEN={secret}\n")).unwrap();
    let in_linked = |args: &[&str]| {
        let mut all = vec!["-C", linked.to_str().unwrap()];
        all.extend(args);
        repo.git(&all)
    };
    in_linked(&["add", "wt.env"]);
    in_linked(&["commit", "-q", "-m", "detached work"]);
    in_linked(&["checkout", "-q", "--detach", "main"]);

    let (_, doc) = audit_json(&repo, &repo.path(), &[]);
    let e = entry(&doc, &secret);
    assert_eq!(e["status"], "unreachable");
    assert!(
        reach(e)
            .iter()
            .any(|l| l.contains("worktrees/linked/HEAD@{")),
        "{:?}",
        reach(e)
    );
}

#[test]
fn a_dangling_symbolic_ref_is_skipped() {
    let repo = Repo::new();
    let (secret, _) = commit_secret(&repo, "app.env", "add a token");
    repo.git(&[
        "symbolic-ref",
        "refs/remotes/origin/HEAD",
        "refs/remotes/origin/gone",
    ]);
    let (code, doc) = audit_json(&repo, &repo.path(), &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(entry(&doc, &secret)["status"], "at-head");
}

#[test]
fn a_blob_over_the_size_limit_is_skipped_and_reported() {
    let repo = Repo::new();
    let filler = "x = 1\n".repeat(1_000);
    repo.write("big.py", format!("{filler}TOKEN = \"{}\"\n", token()));
    repo.commit("add a big file");
    let run = repo.audit(&repo.path(), &["--max-file-size", "2K", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("skipped 1 over 2.0 KiB"),
        "{}",
        run.stderr
    );
    let (code, _) = audit_json(&repo, &repo.path(), &["--max-file-size", "1M"]);
    assert_eq!(code, 1);
}

/// A long packed history (trees stored as deep delta chains, more commits than a worker
/// walks between two remappings of its packs): each secret is held by exactly the commits
/// whose tree has it, across a removal and a re-adding.
#[test]
fn a_long_packed_history_counts_exactly_the_commits_holding_a_secret() {
    use std::io::Write;
    const COMMITS: usize = 1200;
    let repo = Repo::new();
    let secret = token();
    let holds = |n: usize| (200..=450).contains(&n) || (900..=1100).contains(&n);
    let mut stream = String::new();
    for n in 1..=COMMITS {
        let mut settings = format!("VERSION = {n}\n");
        if holds(n) {
            settings.push_str(&format!("TOKEN = \"{secret}\"\n"));
        }
        let other = format!("counter {}\n", n * 7);
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{n}\ncommitter Tester <tester@example.com> {} +0000\ndata 6\nstep {}\n",
            1_600_000_000 + n * 60,
            n % 10
        ));
        if n > 1 {
            stream.push_str(&format!("from :{}\n", n - 1));
        }
        for (path, content) in [
            ("src/app/config/settings.py", &settings),
            ("src/other/count.txt", &other),
        ] {
            stream.push_str(&format!(
                "M 100644 inline {path}\ndata {}\n{content}\n",
                content.len()
            ));
        }
    }
    let mut child = common::command("git", &repo.path())
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("git runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "git fast-import failed");
    repo.git(&["reset", "-q", "--hard", "main"]);
    repo.pack();
    let ids: Vec<String> = repo
        .git(&["rev-list", "--reverse", "main"])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(ids.len(), COMMITS);

    let (_, doc) = audit_json(&repo, &repo.path(), &[]);
    let found = entry(&doc, &secret);
    let holding = (1..=COMMITS).filter(|&n| holds(n)).count();
    assert_eq!(found["commit_count"], holding, "{found:#}");
    assert_eq!(found["first_commit"]["id"], ids[199].as_str());
    assert_eq!(found["last_commit"]["id"], ids[1099].as_str());
    assert_eq!(found["status"], "reachable", "{found:#}");
}
