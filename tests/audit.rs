//! `leakward audit` on repositories built with the `git` CLI: a secret in every place one
//! can hide (HEAD, a tag, the reflog, a stash, an amended-away commit, a deleted branch, a
//! dangling commit, an unreferenced blob), bare clones and mirrors, the report formats, and
//! damaged repositories (a truncated pack, a shallow clone).

mod audit_common;
mod githist_common;

use std::path::Path;

use audit_common::Repo;
use githist_common::token;
use serde_json::Value;

/// The JSON audit document and the exit code.
fn audit_json(repo: &Repo, dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["-f", "json", "-q", "--show-secrets"];
    all.extend(args);
    let out = repo.audit(dir, &all);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), doc)
}

/// The audit entry of `secret`.
fn entry<'a>(doc: &'a Value, secret: &str) -> &'a Value {
    doc["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["secret"] == secret)
        .unwrap_or_else(|| panic!("{secret} not found in {doc:#}"))
}

/// The labels of what reaches an entry.
fn reach(entry: &Value) -> Vec<String> {
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

fn commit_secret(repo: &Repo, path: &str, message: &str) -> (String, String) {
    let secret = token();
    repo.write(path, &format!("TOKEN={secret}\n"));
    let id = repo.commit_as("Alice", message);
    (secret, id)
}

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
    repo.write("stash.env", &format!("TOKEN={stashed}\n"));
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
    let stdout = String::from_utf8_lossy(&text.stdout);
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

/// Checks that every tag of an XML-style document is closed in order; returns the names of
/// the elements seen.
fn balanced_tags(html: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let close = rest[open..].find('>').expect("a tag ends") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "mismatched </{name}>"
            );
        } else {
            seen.push(name.clone());
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    seen
}

#[test]
fn the_html_report_is_well_formed_self_contained_and_escaped() {
    let repo = Repo::new();
    let (secret, _) = commit_secret(&repo, "<script>alert(1)</script>.env", "<b>bold</b>");
    let out = repo.audit(&repo.path(), &["-f", "html", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let html = String::from_utf8(out.stdout).unwrap();
    let tags = balanced_tags(&html);
    assert!(
        !tags
            .iter()
            .any(|t| t == "script" || t == "link" || t == "img"),
        "{tags:?}"
    );
    assert!(
        !html.contains("http://") || !html.contains("src="),
        "no external assets"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.env"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(!html.contains(&secret), "redacted by default");
    let shown = repo.audit(&repo.path(), &["-f", "html", "-q", "--show-secrets"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains(&secret));
}

#[test]
fn csv_has_one_row_per_secret_and_defuses_formulas() {
    let repo = Repo::new();
    commit_secret(&repo, "=cmd.env", "formula path");
    commit_secret(&repo, "b.env", "second");
    let out = repo.audit(&repo.path(), &["-f", "csv", "-q"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("fingerprint,rule_id,confidence"));
    assert!(csv.contains(",'=cmd.env,"), "{csv}");
}

#[test]
fn a_truncated_pack_gives_exit_2_naming_it() {
    let repo = Repo::new();
    for n in 0..20 {
        repo.write(
            &format!("file{n}.txt"),
            &format!("content {n}\n").repeat(50),
        );
        repo.commit(&format!("commit {n}"));
    }
    commit_secret(&repo, "late.env", "late secret");
    repo.pack();
    let pack_dir = repo.path().join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack");
    let len = std::fs::metadata(&pack).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
    file.set_len(len / 2).unwrap();
    drop(file);

    let out = repo.audit(&repo.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let name = pack.file_name().unwrap().to_str().unwrap();
    assert!(
        stderr.contains(name) && stderr.contains("truncated"),
        "{stderr}"
    );
    assert!(stderr.contains("scan incomplete"), "{stderr}");
}

#[test]
fn a_shallow_clone_is_incomplete() {
    let repo = Repo::new();
    let (secret, _) = commit_secret(&repo, "old.env", "old");
    repo.write("old.env", "TOKEN=\n");
    repo.commit("remove");
    repo.write("README", "more\n");
    repo.commit("more");
    let shallow = repo.sibling("shallow");
    let url = format!("file://{}", repo.path().display());
    repo.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &url,
        shallow.to_str().unwrap(),
    ]);
    let out = repo.audit(&shallow, &["-f", "json", "--show-secrets"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("shallow"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&secret));
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
fn a_missing_object_gives_exit_2_naming_it() {
    let repo = Repo::new();
    commit_secret(&repo, "a.env", "first");
    repo.write("b.txt", "plain\n");
    repo.commit("second");
    let blob = repo.git(&["rev-parse", "HEAD:b.txt"]);
    let loose = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(loose).unwrap();
    let out = repo.audit(&repo.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&blob), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("github-pat-classic"),
        "found the rest"
    );
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
