//! `deploy/scan-shard.sh`, the script the Kubernetes Job and the GitHub Actions matrix run,
//! with the real binary on local repositories (git clones paths offline): the shards it
//! writes merge into what one run over the organisation finds, every ref of a mirror
//! included; a repository it cannot fetch is reported unscanned, never dropped; and its exit
//! codes tell an engine what a retry could fix.

mod common;

use std::path::{Path, PathBuf};

use common::{
    command, coverage, found, github_token, leakward_in, random_string, records, run,
    run_with_stdin, tempdir, write, Repo, Run,
};
use serde_json::Value;

/// The script under test.
fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/scan-shard.sh")
}

/// `sh deploy/scan-shard.sh ARGS` in `dir`, with the built leakward, a pinned git
/// environment, one clone attempt (no waiting between retries) and `env`.
fn scan_shard(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = command("sh", dir);
    command
        .arg(script())
        .args(args)
        .env("LEAKWARD", env!("CARGO_BIN_EXE_leakward"))
        .env("LEAKWARD_CLONE_ATTEMPTS", "1")
        .env_remove("LEAKWARD_WORK")
        .env_remove("LEAKWARD_GIT_TOKEN")
        .env_remove("LEAKWARD_GIT_TOKEN_FILE")
        .env_remove("LEAKWARD_GIT_USER");
    for (key, value) in env {
        command.env(key, value);
    }
    run(&mut command)
}

/// Four repositories with a token each: one on a side branch only, one only under a
/// pull-request ref (which `git clone --mirror` fetches and a plain clone would not).
/// The list names them as `name=path`, one by bare path, plus one that does not exist.
fn organisation(dir: &Path) -> Vec<Repo> {
    let mut repos = Vec::new();
    let mut list = String::from("# the organisation: name=URL\n");
    for i in 0..4 {
        let repo = Repo::new();
        repo.commit_file("README.md", format!("service {i}\n"));
        let secret = format!("TOKEN={}\n", github_token());
        match i {
            1 => {
                repo.git(&["checkout", "-q", "-b", "feature"]);
                repo.commit_file("feature.env", secret);
                repo.git(&["checkout", "-q", "main"]);
            }
            2 => {
                repo.git(&["checkout", "-q", "-b", "contributor"]);
                repo.commit_file("pr.env", secret);
                repo.git(&["update-ref", "refs/pull/7/head", "HEAD"]);
                repo.git(&["checkout", "-q", "main"]);
                repo.git(&["branch", "-q", "-D", "contributor"]);
            }
            _ => repo.commit_file(&format!("config/{i}.env"), secret),
        }
        if i == 3 {
            list.push_str(&format!("{}\n", repo.path().display()));
        } else {
            list.push_str(&format!("acme/service-{i} = {}\n", repo.path().display()));
        }
        repos.push(repo);
    }
    list.push_str(&format!("acme/gone={}\n", dir.join("gone").display()));
    write(dir, "repos.txt", list);
    repos
}

#[test]
fn shards_of_the_script_merge_into_what_one_run_finds() {
    let dir = tempdir();
    let _repos = organisation(dir.path());
    let whole = leakward_in(
        dir.path(),
        &[
            "history",
            "--repos",
            "repos.txt",
            "-q",
            "-f",
            "jsonl",
            "-o",
            "all.jsonl",
        ],
        &[],
    );
    whole.expect_code(2); // acme/gone cannot be read
    let all = found(&dir.path().join("all.jsonl"));
    assert_eq!(
        all.len(),
        4,
        "one token per repository, side refs included: {all:?}"
    );

    let mut reports = Vec::new();
    let mut covered = Vec::new();
    for k in 1..=3 {
        let out = format!("shard-{k}.jsonl");
        // Blocking findings and an unfetchable repository are results, not failures.
        scan_shard(dir.path(), &["repos.txt", &format!("{k}/3"), &out], &[]).expect_code(0);
        let report = dir.path().join(&out);
        assert!(
            records(&report)
                .last()
                .is_some_and(|(kind, _)| kind == "end"),
            "shard {k}'s report is whole"
        );
        covered.extend(coverage(&report));
        reports.push(out);
    }
    let mut names: Vec<&str> = covered
        .iter()
        .map(|c| c["repository"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    let mut expected: Vec<Value> = coverage(&dir.path().join("all.jsonl"));
    expected.sort_by_key(|c| c["repository"].as_str().unwrap().to_string());
    let expected_names: Vec<&str> = expected
        .iter()
        .map(|c| c["repository"].as_str().unwrap())
        .collect();
    assert_eq!(
        names, expected_names,
        "each repository covered by one shard"
    );
    let gone = covered
        .iter()
        .find(|c| c["repository"] == "acme/gone")
        .unwrap();
    assert_eq!(gone["complete"], false, "{gone}");
    assert!(
        gone["reason"].as_str().unwrap().contains("could-not-fetch"),
        "the reason says it was not fetched: {gone}"
    );
    for record in covered.iter().filter(|c| c["repository"] != "acme/gone") {
        assert_eq!(record["complete"], true, "{record}");
    }

    let mut args = vec!["merge", "-q", "-f", "jsonl", "-o", "merged.jsonl"];
    args.extend(reports.iter().map(String::as_str));
    let merged = leakward_in(dir.path(), &args, &[]);
    merged.expect_code(2);
    assert_eq!(found(&dir.path().join("merged.jsonl")), all);
}

#[test]
fn a_kept_work_directory_is_fetched_again_not_cloned() {
    let dir = tempdir();
    let repo = Repo::new();
    repo.commit_file("README.md", "service\n");
    write(
        dir.path(),
        "repos.txt",
        format!("acme/api={}\n", repo.path().display()),
    );
    let work = dir.path().join("mirrors");
    let env = [("LEAKWARD_WORK", work.to_str().unwrap())];
    scan_shard(dir.path(), &["repos.txt", "1/1", "first.jsonl"], &env).expect_code(0);
    assert!(found(&dir.path().join("first.jsonl")).is_empty());

    repo.commit_file("deploy.env", format!("TOKEN={}\n", github_token()));
    let second = scan_shard(dir.path(), &["repos.txt", "1/1", "second.jsonl"], &env);
    second.expect_code(0);
    let found = found(&dir.path().join("second.jsonl"));
    assert_eq!(
        found.len(),
        1,
        "the new commit reached the kept mirror: {second:?}"
    );
    let record = &coverage(&dir.path().join("second.jsonl"))[0];
    assert_eq!(record["commits"], 2, "{record}");
}

#[test]
fn a_shard_that_owns_nothing_writes_a_whole_empty_report() {
    let dir = tempdir();
    let repo = Repo::new();
    repo.commit_file("README.md", "service\n");
    write(
        dir.path(),
        "repos.txt",
        format!("acme/api={}\n", repo.path().display()),
    );
    let mut reports = Vec::new();
    for k in 1..=3 {
        let out = format!("shard-{k}.jsonl");
        scan_shard(dir.path(), &["repos.txt", &format!("{k}/3"), &out], &[]).expect_code(0);
        reports.push(out);
    }
    let owned: usize = reports
        .iter()
        .map(|out| coverage(&dir.path().join(out)).len())
        .sum();
    assert_eq!(owned, 1, "two of the three shards own nothing");
    let mut args = vec!["merge", "-q"];
    args.extend(reports.iter().map(String::as_str));
    leakward_in(dir.path(), &args, &[]).expect_code(0);
}

#[test]
fn exit_codes_say_whether_a_retry_could_help() {
    let dir = tempdir();
    let repo = Repo::new();
    repo.commit_file("README.md", "service\n");
    write(
        dir.path(),
        "repos.txt",
        format!("acme/api={}\n", repo.path().display()),
    );
    write(dir.path(), "twice.txt", "a=/x\na=/y\n");

    // Called wrongly: 64.
    let usage = scan_shard(dir.path(), &["repos.txt", "1/1"], &[]);
    usage.expect_code(64);
    assert!(usage.stderr.contains("usage: scan-shard.sh"), "{usage:?}");
    scan_shard(dir.path(), &["repos.txt", "1", "out.jsonl"], &[]).expect_code(64);

    // leakward refuses the input: 2, which the Job's podFailurePolicy does not retry.
    let twice = scan_shard(dir.path(), &["twice.txt", "1/1", "out.jsonl"], &[]);
    twice.expect_code(2);
    assert!(twice.stderr.contains("listed twice"), "{twice:?}");
    scan_shard(dir.path(), &["repos.txt", "4/3", "out.jsonl"], &[]).expect_code(2);

    // A refused option leaves no report behind, not even an earlier run's.
    write(dir.path(), "out.jsonl", "an earlier run's report\n");
    let refused = scan_shard(
        dir.path(),
        &["repos.txt", "1/1", "out.jsonl", "--config", "missing.toml"],
        &[],
    );
    refused.expect_code(2);
    assert!(!dir.path().join("out.jsonl").exists(), "{refused:?}");
}

#[test]
fn the_token_reaches_git_through_askpass_and_nowhere_else() {
    let dir = tempdir();
    let repo = Repo::new();
    repo.commit_file("README.md", "service\n");
    write(
        dir.path(),
        "repos.txt",
        format!("acme/api={}\n", repo.path().display()),
    );
    // A made-up credential: the test needs only a value that nothing else contains.
    let token = format!(
        "test-token-{}",
        random_string(b"abcdefghijklmnopqrstuvwxyz", 24)
    );
    write(dir.path(), "token", format!("{token}\n"));
    let work = dir.path().join("work");
    let token_file = dir.path().join("token");
    for env in [
        vec![("LEAKWARD_GIT_TOKEN_FILE", token_file.to_str().unwrap())],
        vec![
            ("LEAKWARD_GIT_TOKEN", token.as_str()),
            ("LEAKWARD_GIT_USER", "scanner"),
        ],
    ] {
        let mut env = env.clone();
        env.push(("LEAKWARD_WORK", work.to_str().unwrap()));
        let shard = scan_shard(dir.path(), &["repos.txt", "1/1", "out.jsonl"], &env);
        shard.expect_code(0);
        assert!(!shard.stderr.contains(&token), "{shard:?}");

        // What git gets when it asks for the credentials of an HTTPS remote.
        let mut fill = command("git", dir.path());
        fill.args(["credential", "fill"])
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("LEAKWARD_GIT_USER")
            .env("GIT_ASKPASS", work.join("askpass"));
        for (key, value) in &env {
            fill.env(key, value);
        }
        let asked = run_with_stdin(
            &mut fill,
            b"protocol=https\nhost=git.example.com\npath=acme/api.git\n\n",
        );
        asked.expect_code(0);
        let user = if env.len() == 3 {
            "scanner"
        } else {
            "x-access-token"
        };
        assert!(
            asked.stdout.contains(&format!("\nusername={user}\n")),
            "{asked:?}"
        );
        assert!(
            asked.stdout.contains(&format!("\npassword={token}\n")),
            "{asked:?}"
        );
    }
    // Nothing the script left behind holds the token: it is read when git asks.
    for entry in walk(&work)
        .into_iter()
        .chain([dir.path().join("out.jsonl")])
    {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&token),
            "{} holds the token",
            entry.display()
        );
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
