//! `leakward history` and `pre-push` in shallow clones (`git clone --depth N`), as CI
//! checkouts often are: a boundary commit counts as adding its whole tree; older history is
//! not scanned, which makes `history` incomplete (exit 2, in every report) unless
//! `--allow-shallow` accepts it with a warning; a request that needs a missing commit fails.

mod common;

use std::path::Path;

use common::{command, git_in, github_token as token, places, run_with_stdin, Repo};
use serde_json::Value;

/// `git clone --depth DEPTH` of `repo` (extra `options` first) into a sibling directory.
fn clone(repo: &Repo, name: &str, depth: u32, options: &[&str]) -> std::path::PathBuf {
    let target = repo.sibling(name);
    let source = format!("file://{}", repo.path().display());
    let depth = depth.to_string();
    let mut args = vec!["clone", "-q", "--depth", &depth];
    args.extend(options);
    args.extend([source.as_str(), target.to_str().unwrap()]);
    repo.git(&args);
    target
}

/// Runs leakward in `dir` with JSON output: exit code, findings, standard error.
fn run(dir: &Path, args: &[&str], stdin: &str) -> (i32, Vec<Value>, String) {
    let mut all = args.to_vec();
    all.extend(["-f", "json"]);
    let mut leakward = command(env!("CARGO_BIN_EXE_leakward"), dir);
    leakward.args(&all);
    let out = run_with_stdin(&mut leakward, stdin.as_bytes());
    let findings = serde_json::from_str::<Value>(&out.stdout)
        .ok()
        .and_then(|doc| doc["findings"].as_array().cloned())
        .unwrap_or_default();
    (out.code, findings, out.stderr)
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("leakward: warning:"))
        .collect()
}

#[test]
fn a_depth_1_clone_finds_the_secret_in_its_only_commit_and_attributes_it() {
    let repo = Repo::new();
    repo.write("README", "hello\n");
    repo.commit("initial");
    repo.write("config.py", format!("TOKEN = \"{}\"\n", token()));
    let head = repo.commit("add the client");
    let shallow = clone(&repo, "shallow", 1, &[]);

    let (code, findings, stderr) = run(&shallow, &["history", "--allow-shallow"], "");
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(places(&findings), [(head.clone(), "config.py".into(), 1)]);
    assert_eq!(findings[0]["commit"]["summary"], "add the client");
    let warnings = warnings(&stderr);
    assert_eq!(warnings.len(), 1, "{stderr}");
    for part in [
        "shallow clone",
        "1 boundary commit",
        "not scanned",
        "git fetch --unshallow",
    ] {
        assert!(warnings[0].contains(part), "{part:?} in {stderr}");
    }
    assert!(!stderr.contains("cannot read"), "{stderr}");

    let (code, findings, _) = run(
        &shallow,
        &["history", "--branch", "HEAD", "--allow-shallow"],
        "",
    );
    assert_eq!(
        (code, places(&findings)),
        (1, vec![(head, "config.py".into(), 1)])
    );
}

#[test]
fn a_depth_2_clone_finds_secrets_of_the_boundary_commit_and_after_it() {
    let repo = Repo::new();
    repo.write("old.txt", format!("{}\n", token()));
    repo.commit("older than the clone");
    repo.write("boundary.txt", format!("{}\n", token()));
    let boundary = repo.commit("the boundary");
    repo.write("boundary.txt", format!("x\n{}\n", token()));
    let after = repo.commit("after the boundary");
    let shallow = clone(&repo, "shallow", 2, &[]);

    let (code, findings, stderr) = run(&shallow, &["history", "--allow-shallow"], "");
    assert_eq!(code, 1, "{stderr}");
    // The boundary commit's parent is not in the clone: everything it holds counts as added
    // by it, including the older secret it merely kept.
    assert_eq!(
        places(&findings),
        [
            (after, "boundary.txt".into(), 2),
            (boundary.clone(), "boundary.txt".into(), 1),
            (boundary, "old.txt".into(), 1),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    assert_eq!(warnings(&stderr).len(), 1, "{stderr}");
}

#[test]
fn shallow_history_is_incomplete_in_every_report_unless_allowed() {
    // Issue 19: the missing history was a warning on stderr, exit 0, and reports said nothing.
    let repo = Repo::new();
    repo.write("README", "hello\n");
    repo.commit("initial");
    repo.write("notes.txt", "nothing\n");
    repo.commit("clean");
    let shallow = clone(&repo, "shallow", 1, &[]);
    let report = |args: &[&str]| {
        let mut leakward = command(env!("CARGO_BIN_EXE_leakward"), &shallow);
        leakward.args(args).arg("-q");
        run_with_stdin(&mut leakward, b"")
    };

    let json = report(&["history", "-f", "json"]);
    json.expect_code(2);
    let doc = json.json();
    assert_eq!(doc["complete"], false, "{doc:#}");
    let what = doc["unreadable"][0]["what"].as_str().unwrap();
    assert!(what.contains("shallow boundary"), "{doc:#}");
    let why = doc["unreadable"][0]["why"].as_str().unwrap();
    assert!(why.contains("--allow-shallow"), "{doc:#}");

    let jsonl = report(&["history", "-f", "jsonl"]);
    jsonl.expect_code(2);
    let last: Value = serde_json::from_str(jsonl.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        (&last["kind"], &last["complete"]),
        (&"incomplete".into(), &false.into())
    );

    let sarif = report(&["history", "-f", "sarif"]);
    sarif.expect_code(2);
    let invocation = &sarif.json()["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation:#}");
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");

    report(&["history", "-f", "csv"]).expect_code(2);

    // Accepted: complete, clean, and the limit is still said in the report.
    let allowed = report(&["history", "--allow-shallow", "-f", "json"]);
    allowed.expect_code(0);
    let doc = allowed.json();
    assert_eq!(doc["complete"], true, "{doc:#}");
    let warning = doc["warnings"][0].as_str().unwrap();
    assert!(warning.contains("shallow clone"), "{doc:#}");
    let allowed = report(&["history", "--allow-shallow", "-f", "jsonl"]);
    allowed.expect_code(0);
    assert_eq!(allowed.stdout, "", "a clean run prints no JSON Lines");
}

#[test]
fn a_request_that_needs_a_missing_commit_exits_2_and_names_it() {
    let repo = Repo::new();
    repo.write("a.txt", "one\n");
    let base = repo.commit("base");
    repo.write("a.txt", "one\ntwo\n");
    repo.commit("main work");
    repo.git(&["checkout", "-q", "-b", "feature", &base]);
    repo.write("b.txt", format!("{}\n", token()));
    repo.commit("feature work");
    repo.write("b.txt", "gone\n");
    repo.commit("more feature work");
    let shallow = clone(&repo, "shallow", 1, &["--no-single-branch"]);

    // A new branch's all-zeros lower bound scans the whole tip, which a shallow clone lacks.
    let zeros = "0".repeat(40);
    let from_zeros = format!("{zeros}..HEAD");
    let cases: &[(&[&str], &str)] = &[
        (&["history", &from_zeros], &zeros),
        (&["history", "--pr", "origin/main"], "merge base"),
        (&["history", "--pr", &base], &base),
        (&["history", &format!("{base}..HEAD")], &base),
        (&["history", "--since", &base], &base),
        (&["history", "HEAD~1..HEAD"], "HEAD~1"),
    ];
    for &(args, named) in cases {
        let (code, findings, stderr) = run(&shallow, args, "");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!((code, findings.len()), (2, 0), "{args:?}: {stderr}");
        assert_eq!(lines.len(), 1, "{args:?}: one line: {stderr}");
        assert!(lines[0].contains(named), "{args:?} names {named}: {stderr}");
        assert!(
            lines[0].contains("git fetch --unshallow"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn pre_push_in_a_shallow_clone_scans_what_is_pushed() {
    let repo = Repo::new();
    repo.write("old.txt", format!("{}\n", token()));
    repo.commit("old secret, already pushed");
    repo.write("README", "hello\n");
    repo.commit("clean");
    let shallow = clone(&repo, "shallow", 1, &[]);
    let git = |args: &[&str]| git_in(&shallow, args).trim().to_string();
    let remote = git(&["rev-parse", "origin/main"]);
    std::fs::write(shallow.join("new.txt"), format!("{}\n", token())).unwrap();
    git(&["add", "new.txt"]);
    git(&["commit", "-q", "-m", "new secret"]);
    let head = git(&["rev-parse", "HEAD"]);

    let update = format!("refs/heads/main {head} refs/heads/main {remote}\n");
    let (code, findings, stderr) = run(&shallow, &["pre-push", "origin", "url"], &update);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(places(&findings), [(head.clone(), "new.txt".into(), 1)]);
    assert!(
        warnings(&stderr).is_empty(),
        "the boundary was not reached: {stderr}"
    );

    // A new branch to a remote with nothing: the boundary commit is pushed too, and counts
    // as adding everything it holds, the old secret included.
    git(&["update-ref", "-d", "refs/remotes/origin/main"]);
    let _ = git_output_ignored(
        &shallow,
        &["symbolic-ref", "-d", "refs/remotes/origin/HEAD"],
    );
    let zero = "0".repeat(40);
    let update = format!("refs/heads/main {head} refs/heads/main {zero}\n");
    let (code, findings, stderr) = run(&shallow, &["pre-push", "other", "url"], &update);
    assert_eq!(code, 1, "{stderr}");
    let mut paths: Vec<String> = places(&findings).into_iter().map(|p| p.1).collect();
    paths.sort();
    assert_eq!(paths, ["new.txt", "old.txt"], "{stderr}");
    assert_eq!(warnings(&stderr).len(), 1, "{stderr}");
}

/// Runs git where a failure is expected and fine (deleting a ref that may not exist).
fn git_output_ignored(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}
