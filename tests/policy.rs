//! A change cannot weaken the gate that judges it (issue 19, item 1): range, pull-request
//! and pre-push scans take `.leakward.toml`, `.leakwardignore` and an in-repository baseline
//! from the base commit, and an audit obeys none of the repository's policy files.

mod common;

use common::{git_in, github_token, Repo};

/// Configs a pull request could add to switch off the rule that finds its own token.
const WEAKENING: &[&str] = &[
    "no_default_rules = true\n",
    "disable = [\"github-pat-classic\"]\n",
    "[allow]\npaths = [\"**\"]\n",
    "[allow]\nregexes = [\".*\"]\n",
    "[allow]\nstopwords = [\"ghp_\"]\n",
];

/// A repository whose `main` holds one clean file, with `feature` checked out from it.
fn with_feature() -> Repo {
    let repo = Repo::new();
    repo.commit_file("README.md", "hello\n");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo
}

/// The fingerprint `scan` gives the only finding in `path`.
fn fingerprint(repo: &Repo, path: &str) -> String {
    let run = repo.leakward(&["scan", path, "-f", "json", "-q", "--no-ignore"]);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{run:?}");
    findings[0]["fingerprint"].as_str().unwrap().to_string()
}

#[test]
fn a_pull_request_cannot_switch_off_its_own_gate_with_a_config() {
    for config in WEAKENING {
        let repo = with_feature();
        repo.write("secret.txt", format!("{}\n", github_token()));
        repo.write(".leakward.toml", config);
        // The config does weaken detection where it is obeyed: the work tree's own scan.
        let own = repo.leakward(&["scan", "secret.txt", "-q"]);
        assert_eq!(own.code, 0, "{config:?} does not weaken `scan`: {own:?}");
        repo.commit("weaken the gate and add a token");
        for args in [
            &["history", "--pr", "main"][..],
            &["history", "main..feature"],
            &["history", "--since", "main"],
        ] {
            let run = repo.leakward(args);
            assert_eq!(run.code, 1, "{config:?} {args:?}: {run:?}");
            assert!(
                run.stderr
                    .contains(".leakward.toml is changed by the commits under review")
                    && run.stderr.contains("was not applied"),
                "{config:?} {args:?}: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_pull_request_cannot_ignore_its_own_secret() {
    let repo = with_feature();
    repo.write("secret.txt", format!("{}\n", github_token()));
    let print = fingerprint(&repo, "secret.txt");
    repo.write(".leakwardignore", format!("{print}\n"));
    assert_eq!(
        repo.leakward(&["scan", ".", "-q"]).code,
        0,
        "the ignore file works"
    );
    repo.commit("ignore my own token");
    let run = repo.leakward(&["history", "--pr", "main"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(".leakwardignore is changed"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_pull_request_cannot_baseline_its_own_secret() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    let written = repo.leakward(&[
        "scan",
        ".",
        "-q",
        "--write-baseline",
        ".leakward-baseline.json",
    ]);
    assert_eq!(written.code, 0, "{written:?}");
    repo.commit("an empty baseline");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("secret.txt", format!("{}\n", github_token()));
    repo.leakward(&[
        "scan",
        ".",
        "-q",
        "--write-baseline",
        ".leakward-baseline.json",
    ]);
    let args = [
        "history",
        "--pr",
        "main",
        "--baseline",
        ".leakward-baseline.json",
    ];
    repo.commit("baseline my own token");
    let run = repo.leakward(&args);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(".leakward-baseline.json is changed"),
        "{}",
        run.stderr
    );
    // The same baseline, named from outside the repository, is the operator's and is obeyed.
    let outside = repo.sibling("operator-baseline.json");
    std::fs::copy(repo.root.join(".leakward-baseline.json"), &outside).unwrap();
    let run = repo.leakward(&[
        "history",
        "--pr",
        "main",
        "--baseline",
        outside.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn a_baseline_the_base_does_not_have_counts_nothing_as_known() {
    let repo = with_feature();
    repo.write("secret.txt", format!("{}\n", github_token()));
    repo.leakward(&[
        "scan",
        ".",
        "-q",
        "--write-baseline",
        ".leakward-baseline.json",
    ]);
    repo.commit("add a token and a baseline that accepts it");
    let run = repo.leakward(&[
        "history",
        "--pr",
        "main",
        "--baseline",
        ".leakward-baseline.json",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("is not in the base commit"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_base_branch_policy_is_honoured() {
    let repo = Repo::new();
    repo.commit_file(".leakward.toml", "[allow]\npaths = [\"fixtures/**\"]\n");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("fixtures/token.txt", format!("{}\n", github_token()));
    repo.commit("a fixture the base allows");
    let run = repo.leakward(&["history", "--pr", "main"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("not applied"), "{}", run.stderr);
    repo.write("src/token.txt", format!("{}\n", github_token()));
    repo.commit("a token the base does not allow");
    assert_eq!(repo.leakward(&["history", "--pr", "main"]).code, 1);
}

#[test]
fn an_extended_gitleaks_config_is_read_from_the_base_too() {
    let repo = Repo::new();
    repo.write(
        ".leakward.toml",
        "[extend]\npath = \"gitleaks-base.toml\"\n",
    );
    repo.write("gitleaks-base.toml", "[extend]\nuseDefault = true\n");
    repo.commit("a gitleaks config that extends another file");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "gitleaks-base.toml",
        "[extend]\nuseDefault = true\ndisabledRules = [\"github-pat-classic\"]\n",
    );
    repo.write("secret.txt", format!("{}\n", github_token()));
    assert_eq!(repo.leakward(&["scan", "secret.txt", "-q"]).code, 0);
    repo.commit("weaken the extended file");
    let run = repo.leakward(&["history", "--pr", "main"]);
    assert_eq!(run.code, 1, "{run:?}");
}

#[test]
fn an_operator_config_is_obeyed_as_given() {
    let repo = with_feature();
    repo.write("secret.txt", format!("{}\n", github_token()));
    repo.commit("a token");
    let config = repo.sibling("operator.toml");
    std::fs::write(&config, WEAKENING[2]).unwrap();
    let run = repo.leakward(&[
        "history",
        "--pr",
        "main",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
}

/// A clone of a repository whose `main` is clean, with `origin/HEAD` set as `git clone`
/// sets it, and a bare `origin` to push to.
fn cloned() -> (Repo, std::path::PathBuf) {
    let upstream = Repo::new();
    upstream.commit_file("README.md", "hello\n");
    let bare = upstream.sibling("origin.git");
    git_in(
        &upstream.root,
        &["clone", "-q", "--bare", ".", bare.to_str().unwrap()],
    );
    let clone = upstream.sibling("clone");
    git_in(
        &upstream.root,
        &[
            "clone",
            "-q",
            bare.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    (upstream, clone)
}

#[test]
fn a_push_cannot_switch_off_its_own_gate() {
    let zero = "0".repeat(40);
    for (branch, new_branch) in [("main", false), ("feature", true)] {
        for config in [WEAKENING[0], WEAKENING[2]] {
            let (_keep, clone) = cloned();
            let git = |args: &[&str]| git_in(&clone, args).trim().to_string();
            let old = git(&["rev-parse", "HEAD"]);
            if new_branch {
                git(&["checkout", "-q", "-b", branch]);
            }
            std::fs::write(clone.join(".leakward.toml"), config).unwrap();
            std::fs::write(clone.join("secret.txt"), format!("{}\n", github_token())).unwrap();
            git(&["add", "-A"]);
            git(&["commit", "-q", "-m", "weaken and leak"]);
            let new = git(&["rev-parse", "HEAD"]);
            let remote = if new_branch { &zero } else { &old };
            let stdin = format!("refs/heads/{branch} {new} refs/heads/{branch} {remote}\n");
            let mut command = common::command(env!("CARGO_BIN_EXE_leakward"), &clone);
            command.args(["pre-push", "origin", "url"]);
            let run = common::run_with_stdin(&mut command, stdin.as_bytes());
            assert_eq!(run.code, 1, "{branch} {config:?}: {run:?}");
            assert!(run.stderr.contains("was not applied"), "{}", run.stderr);
        }
    }
}

#[test]
fn an_audit_does_not_obey_the_repository_policy() {
    let repo = Repo::new();
    repo.write(".leakward.toml", WEAKENING[2]);
    repo.write("secret.txt", format!("{}\n", github_token()));
    repo.commit("a leaked repository that allows everything");
    let root = repo.root.to_str().unwrap().to_string();
    let run = repo.audit(&repo.root, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains(".leakward.toml of the audited repository was not applied")
            && run.stderr.contains("--config"),
        "{}",
        run.stderr
    );
    let config = format!("{root}/.leakward.toml");
    let run = repo.audit(&repo.root, &["--config", &config]);
    assert_eq!(run.code, 0, "opted in: {run:?}");
}

#[test]
fn an_audit_does_not_obey_the_repository_ignore_file() {
    let repo = Repo::new();
    repo.write("secret.txt", format!("{}\n", github_token()));
    let print = fingerprint(&repo, "secret.txt");
    repo.write(".leakwardignore", format!("{print}\n"));
    repo.commit("a leaked repository that ignores its token");
    let run = repo.audit(&repo.root, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains(".leakwardignore of the audited repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_lower_bound_that_names_no_commit_scans_the_whole_tip() {
    let repo = Repo::new();
    repo.commit_file("old.txt", format!("{}\n", github_token()));
    repo.commit_file("README.md", "hello\n");
    let cases = [
        ("0".repeat(40), "is all zeros"),
        ("1234567".repeat(5) + "12345", "is not in this repository"),
    ];
    for (lower, why) in cases {
        let range = format!("{lower}..HEAD");
        let run = repo.leakward(&["history", &range, "-f", "json"]);
        assert_eq!(run.code, 1, "{range}: {run:?}");
        assert_eq!(run.findings().len(), 1, "{range}");
        assert!(run.stderr.contains(why), "{range}: {}", run.stderr);
    }
}

#[test]
fn a_push_of_refs_with_different_policies_is_refused() {
    let (_keep, clone) = cloned();
    let git = |args: &[&str]| git_in(&clone, args).trim().to_string();
    let main_old = git(&["rev-parse", "HEAD"]);
    git(&["checkout", "-q", "-b", "other"]);
    std::fs::write(clone.join(".leakward.toml"), WEAKENING[2]).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "a policy of its own"]);
    git(&["push", "-q", "origin", "other"]);
    let other_old = git(&["rev-parse", "HEAD"]);
    git(&["commit", "-q", "--allow-empty", "-m", "more"]);
    let other_new = git(&["rev-parse", "HEAD"]);
    git(&["checkout", "-q", "main"]);
    git(&["commit", "-q", "--allow-empty", "-m", "more"]);
    let main_new = git(&["rev-parse", "HEAD"]);
    let stdin = format!(
        "refs/heads/main {main_new} refs/heads/main {main_old}\nrefs/heads/other {other_new} refs/heads/other {other_old}\n"
    );
    let mut command = common::command(env!("CARGO_BIN_EXE_leakward"), &clone);
    command.args(["pre-push", "origin", "url"]);
    let run = common::run_with_stdin(&mut command, stdin.as_bytes());
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("push them one at a time"),
        "{}",
        run.stderr
    );
}

/// `pre-push` lets the person pushing accept a finding in the baseline they push with it
/// (the one-step baseline flow), while a CI scan of the same commits does not.
#[test]
fn a_push_may_baseline_its_own_finding_but_a_pull_request_may_not() {
    let (_keep, clone) = cloned();
    let git = |args: &[&str]| git_in(&clone, args).trim().to_string();
    let old = git(&["rev-parse", "HEAD"]);
    std::fs::write(clone.join("secret.txt"), format!("{}\n", github_token())).unwrap();
    let mut write = common::command(env!("CARGO_BIN_EXE_leakward"), &clone);
    write.args([
        "scan",
        ".",
        "-q",
        "--write-baseline",
        ".leakward-baseline.json",
    ]);
    common::run(&mut write);
    git(&["add", "-A"]);
    git(&[
        "commit",
        "-q",
        "-m",
        "a token and the baseline that accepts it",
    ]);
    let new = git(&["rev-parse", "HEAD"]);
    let stdin = format!("refs/heads/main {new} refs/heads/main {old}\n");
    let pre_push = |baseline: bool| {
        let mut command = common::command(env!("CARGO_BIN_EXE_leakward"), &clone);
        command.args(["pre-push", "origin", "url"]);
        if baseline {
            command.args(["--baseline", ".leakward-baseline.json"]);
        }
        common::run_with_stdin(&mut command, stdin.as_bytes())
    };
    let run = pre_push(true);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains("was applied as they have it"),
        "{}",
        run.stderr
    );
    assert_eq!(
        pre_push(false).code,
        1,
        "without the baseline the token blocks"
    );
    let mut pr = common::command(env!("CARGO_BIN_EXE_leakward"), &clone);
    pr.args([
        "history",
        &format!("{old}..{new}"),
        "--baseline",
        ".leakward-baseline.json",
    ]);
    let run = common::run(&mut pr);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("is not in the base commit"),
        "{}",
        run.stderr
    );
}
