//! `leakward history` on real repositories built with the `git` CLI: attribution to the
//! commit that added a line, side branches, merge resolutions, ranges, `--since`, `--pr`,
//! report formats and errors.

mod common;

use common::{github_token as token, places, Repo};
use serde_json::Value;

fn scan(repo: &Repo, args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["history"];
    all.extend(args);
    repo.findings(&all, "")
}

#[test]
fn a_removed_secret_is_found_with_the_commit_that_added_it() {
    let repo = Repo::new();
    repo.write("app.py", "import os\n\ndef main():\n    pass\n");
    repo.commit("initial");
    let secret = token();
    repo.write(
        "app.py",
        format!("import os\nTOKEN = \"{secret}\"\n\ndef main():\n    pass\n"),
    );
    let added = repo.commit_as("Alice", "add the api client");
    repo.write("app.py", "import os\n\ndef main():\n    print()\n");
    repo.commit("remove the token");

    let (code, findings) = scan(&repo, &[]);
    assert_eq!(code, 1, "a high-confidence token blocks");
    assert_eq!(places(&findings), [(added.clone(), "app.py".into(), 2)]);
    let commit = &findings[0]["commit"];
    assert_eq!(commit["author_name"], "Alice");
    assert_eq!(commit["author_email"], "alice@example.com");
    assert_eq!(commit["summary"], "add the api client");
    assert!(commit["date"].as_str().unwrap().ends_with('Z'));
    assert_eq!(findings[0]["rule_id"], "github-pat-classic");
    assert_eq!(findings[0]["confidence"], "high");
    let blob = repo.git(&["rev-parse", &format!("{added}:app.py")]);
    assert_eq!(findings[0]["blob"], blob.as_str());
}

#[test]
fn a_secret_on_an_unmerged_side_branch_is_found() {
    let repo = Repo::new();
    repo.write("README", "hello\n");
    repo.commit("initial");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "src/config.rs",
        format!("const KEY: &str = \"{}\";\n", token()),
    );
    let added = repo.commit("feature work");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README", "hello again\n");
    repo.commit("main work");

    let (_, findings) = scan(&repo, &[]);
    assert_eq!(places(&findings), [(added, "src/config.rs".into(), 1)]);
    let (code, findings) = scan(&repo, &["--branch", "main"]);
    assert_eq!((code, findings.len()), (0, 0), "main alone never had it");
}

#[test]
fn a_line_added_while_resolving_a_merge_is_attributed_to_the_merge() {
    let repo = Repo::new();
    repo.write("settings.ini", "[server]\nport = 1\nhost = a\n");
    repo.commit("initial");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("settings.ini", "[server]\nport = 2\nhost = a\n");
    repo.write("side.txt", format!("key = {}\n", token()));
    let side = repo.commit("side change");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("settings.ini", "[server]\nport = 3\nhost = a\n");
    repo.commit("main change");
    let merge = repo.git_output(&["merge", "-q", "side"]);
    assert!(!merge.status.success(), "the merge must conflict");
    let resolution = format!("[server]\nport = 4\nhost = a\ntoken = {}\n", token());
    repo.write("settings.ini", &resolution);
    let merged = repo.commit("merge side");

    let (_, findings) = scan(&repo, &[]);
    assert_eq!(
        places(&findings),
        {
            let mut want = vec![
                (merged, "settings.ini".to_string(), 4),
                (side, "side.txt".to_string(), 1),
            ];
            want.sort();
            want
        },
        "the resolution's line belongs to the merge; the merged-in line to its own commit"
    );
}

#[test]
fn a_range_and_since_exclude_what_came_before() {
    let repo = Repo::new();
    repo.write("old.env", format!("TOKEN={}\n", token()));
    let before = repo.commit("old secret");
    repo.write("old.env", format!("TOKEN=rotated\nOTHER={}\n", token()));
    let inside = repo.commit("new secret");

    let (_, all) = scan(&repo, &[]);
    assert_eq!(all.len(), 2);
    let want = [(inside.clone(), "old.env".to_string(), 2)];
    let (_, ranged) = scan(&repo, &[&format!("{before}..HEAD")]);
    assert_eq!(places(&ranged), want);
    let (_, since) = scan(&repo, &["--since", &before]);
    assert_eq!(places(&since), want);
    let (code, empty) = scan(&repo, &["HEAD..HEAD"]);
    assert_eq!((code, empty.len()), (0, 0));
}

#[test]
fn pr_reports_only_the_branch_own_additions() {
    let repo = Repo::new();
    repo.write("base.txt", format!("a = {}\n", token()));
    repo.commit("secret on main before the branch");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.txt", format!("b = {}\n", token()));
    let own = repo.commit("feature secret");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("later.txt", format!("c = {}\n", token()));
    repo.commit("secret on main after the branch");
    repo.git(&["checkout", "-q", "feature"]);

    let (code, findings) = scan(&repo, &["--pr", "main"]);
    assert_eq!(code, 1);
    assert_eq!(places(&findings), [(own, "feature.txt".into(), 1)]);
}

#[test]
fn the_same_secret_in_two_commits_and_paths_is_attributed_to_each() {
    let repo = Repo::new();
    let secret = token();
    repo.write("a.txt", format!("first = {secret}\n"));
    let first = repo.commit("a");
    repo.write("b.txt", format!("header\nsecond = {secret}\n"));
    let second = repo.commit("b");
    std::fs::copy(repo.path().join("a.txt"), repo.path().join("c.txt")).unwrap();
    let copied = repo.commit("copy a to c");
    repo.write("a.txt", format!("first = {secret}\nmore\n"));
    repo.commit("edit a without touching the secret");

    let (_, findings) = scan(&repo, &[]);
    let mut want = vec![
        (first, "a.txt".to_string(), 1),
        (second, "b.txt".to_string(), 2),
        (copied, "c.txt".to_string(), 1),
    ];
    want.sort();
    assert_eq!(places(&findings), want);
    let fingerprints: Vec<&Value> = findings.iter().map(|f| &f["fingerprint"]).collect();
    assert!(
        fingerprints.windows(2).all(|w| w[0] == w[1]),
        "one secret, one fingerprint"
    );
}

#[test]
fn sarif_carries_commit_metadata_and_content_fingerprints() {
    let repo = Repo::new();
    repo.write("k.txt", format!("{}\n", token()));
    let added = repo.commit_as("Bob", "add key");
    let (_, json) = scan(&repo, &[]);
    let output = repo.leakward(&["history", "-f", "sarif", "-q"]);
    assert_eq!(Some(output.code), Some(1));
    let sarif = output.json();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["properties"]["commit"]["id"], added.as_str());
    assert_eq!(result["properties"]["commit"]["author_name"], "Bob");
    assert_eq!(
        result["partialFingerprints"]["leakwardFingerprint/v1"],
        json[0]["fingerprint"]
    );
    let text = repo.leakward(&["history", "-q"]);
    let text = text.stdout.as_str();
    assert!(
        text.contains(&format!("commit:  {} Bob", &added[..12])),
        "{text}"
    );
    assert!(text.contains("add key"), "{text}");
}

#[test]
fn bad_input_fails_with_one_line_and_exit_2() {
    let repo = Repo::new();
    repo.write("a", "a\n");
    repo.commit("a");
    let not_a_repo = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str, &std::path::Path)] = &[
        (
            &["history", "nope..HEAD"],
            "bad range `nope..HEAD`",
            &repo.path(),
        ),
        (
            &["history", "--branch", "nope"],
            "bad revision `nope`",
            &repo.path(),
        ),
        (
            &["history", "--since", "nope"],
            "bad revision `nope`",
            &repo.path(),
        ),
        (
            &["history", "--pr", "nope"],
            "bad revision `nope`",
            &repo.path(),
        ),
        (
            &["history"],
            "is not in a git repository",
            not_a_repo.path(),
        ),
    ];
    for &(args, want, dir) in cases {
        let output = common::leakward_in(dir, args, &[]);
        let stderr = output.stderr.as_str();
        assert_eq!(Some(output.code), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
}

#[test]
fn packed_and_loose_objects_give_the_same_findings() {
    let repo = Repo::new();
    repo.write("a.txt", format!("one\n{}\n", token()));
    repo.commit("first");
    repo.git(&["repack", "-adq"]);
    repo.write("a.txt", format!("one\ntwo\n{}\n", token()));
    repo.commit("second, loose");
    let (_, mixed) = scan(&repo, &[]);
    assert_eq!(
        mixed.len(),
        2,
        "one finding from the pack, one from a loose object"
    );
    repo.git(&["repack", "-adq"]);
    let (_, packed) = scan(&repo, &[]);
    assert_eq!(places(&packed), places(&mixed));
}

/// Regression: reusing one diff recorder across commits prefixed paths with the directory
/// the previous diff ended in (`src/mod0/src/mod3/f3.rs`).
#[test]
fn paths_stay_exact_across_many_commits_in_one_worker() {
    let repo = Repo::new();
    let mut want = Vec::new();
    for i in 0..12 {
        let path = format!("src/mod{}/f{i}.rs", i % 4);
        repo.write(&path, format!("{}\n", token()));
        want.push((repo.commit(&format!("commit {i}")), path, 1));
    }
    want.sort();
    let (_, findings) = scan(&repo, &["-j", "1"]);
    assert_eq!(places(&findings), want);
}

/// `refs/remotes/origin/HEAD` left naming a deleted branch holds no commit: the scan goes on
/// (as git does) instead of failing on it.
#[test]
fn a_dangling_symbolic_ref_is_skipped() {
    let repo = Repo::new();
    repo.write("app.env", format!("TOKEN={}\n", token()));
    repo.commit("add a token");
    repo.git(&[
        "symbolic-ref",
        "refs/remotes/origin/HEAD",
        "refs/remotes/origin/gone",
    ]);
    let (code, findings) = scan(&repo, &[]);
    assert_eq!((code, findings.len()), (1, 1));
}

/// A blob over `--max-file-size` is counted as skipped from its header, never scanned.
#[test]
fn a_blob_over_the_size_limit_is_skipped_and_reported() {
    let repo = Repo::new();
    let filler = "x = 1\n".repeat(1_000);
    repo.write("big.py", format!("{filler}TOKEN = \"{}\"\n", token()));
    repo.write("small.py", "y = 2\n");
    repo.commit("add files");
    let run = repo.leakward(&["history", "--max-file-size", "2K", "-f", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("skipped 1 over 2.0 KiB"),
        "{}",
        run.stderr
    );
    let (code, findings) = scan(&repo, &["--max-file-size", "1M"]);
    assert_eq!((code, findings.len()), (1, 1));
}
