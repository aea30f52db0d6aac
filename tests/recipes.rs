//! The README's CI recipes and the hooks, run as written (issue 19, item 8): each recipe's
//! script is read from README.md and run with the CI system's variables on a clone of a
//! scratch repository, for a pull or merge request, a push to the default branch, a new
//! branch's first push and force pushes. A README change that breaks a recipe fails here.

mod common;

use std::path::{Path, PathBuf};

use common::{command, git_in, github_token, Repo, Run};
use serde_json::Value;

const ZERO: &str = "0000000000000000000000000000000000000000";

/// The script of a README recipe: the lines indented under the first line that ends with
/// `opener`, inside the first fenced YAML block after the line `heading`, unindented.
fn recipe(heading: &str, opener: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("read README.md");
    let after = &readme[readme
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading:?}"))..];
    let block = after.split("```yaml\n").nth(1).expect("a yaml block");
    let block = &block[..block.find("```").expect("a closed block")];
    let mut lines = block
        .lines()
        .skip_while(|l| !l.trim_end().ends_with(opener));
    let open = lines
        .next()
        .unwrap_or_else(|| panic!("no {opener:?} in {heading:?}"));
    let indent = |l: &str| l.len() - l.trim_start().len();
    let body: Vec<&str> = lines
        .take_while(|l| l.trim().is_empty() || indent(l) > indent(open))
        .collect();
    let margin = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min();
    body.iter()
        .map(|l| l.get(margin.unwrap_or(0)..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn github_script() -> String {
    recipe("GitHub Actions, with SARIF", "run: |")
}

fn gitlab_script() -> String {
    recipe("GitLab CI", "- |")
}

/// A developer's repository with a bare `origin` that CI clones from.
struct Project {
    dev: Repo,
    origin: PathBuf,
    clones: std::cell::Cell<u32>,
}

impl Project {
    /// `main` with one clean commit, pushed.
    fn new() -> Project {
        let dev = Repo::new();
        dev.commit_file("README.md", "hello\n");
        let origin = dev.sibling("origin.git");
        dev.git(&["init", "-q", "--bare", origin.to_str().unwrap()]);
        dev.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
        dev.git(&["push", "-q", "origin", "main"]);
        Project {
            dev,
            origin,
            clones: std::cell::Cell::new(0),
        }
    }

    fn head(&self) -> String {
        self.dev.git(&["rev-parse", "HEAD"])
    }

    /// Commits `files` (path, content) and returns the new commit.
    fn commit(&self, files: &[(&str, String)]) -> String {
        for (path, content) in files {
            self.dev.write(path, content);
        }
        self.dev.commit("change")
    }

    fn push(&self, args: &[&str]) {
        let mut all = vec!["push", "-q", "origin"];
        all.extend(args);
        self.dev.git(&all);
    }

    /// A CI checkout of `sha` as the runner makes it: a clone over git's transport (so a
    /// commit no ref reaches is not in it), detached at `sha`. `single`: only `branch` is
    /// fetched, as GitLab does.
    fn checkout(&self, sha: &str, single: Option<&str>) -> PathBuf {
        self.clones.set(self.clones.get() + 1);
        let dir = self.dev.sibling(&format!("ci-{}", self.clones.get()));
        let mut args = vec!["clone", "-q", "--no-local"];
        if let Some(branch) = single {
            args.extend(["--single-branch", "--branch", branch]);
        }
        args.extend([self.origin.to_str().unwrap(), dir.to_str().unwrap()]);
        git_in(&self.dev.root, &args);
        git_in(&dir, &["checkout", "-q", "--detach", sha]);
        dir
    }
}

/// Runs `script` with `sh -e` (as CI runners do) in `dir` with the variables `env`.
fn run_script(dir: &Path, script: &str, env: &[(&str, &str)]) -> Run {
    let mut command = command("sh", dir);
    command.arg("-ec").arg(script);
    for (key, value) in env {
        command.env(key, value);
    }
    common::run(&mut command)
}

/// The number of results in the SARIF file the GitHub recipe writes; panics if it is missing.
fn sarif_results(dir: &Path) -> usize {
    let text = std::fs::read_to_string(dir.join("leakward.sarif")).expect("leakward.sarif written");
    let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    log["runs"][0]["results"].as_array().expect("results").len()
}

/// The number of findings in the JSON report the GitLab recipe writes.
fn json_findings(dir: &Path) -> usize {
    let text = std::fs::read_to_string(dir.join("leakward.json")).expect("leakward.json written");
    let report: Value = serde_json::from_str(&text).expect("a JSON report");
    report["findings"].as_array().expect("findings").len()
}

fn token_file() -> String {
    format!("{}\n", github_token())
}

/// GitHub's variables for a push of `git_ref` from `before` to `sha`.
fn github_push<'a>(git_ref: &'a str, before: &'a str, sha: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("EVENT", "push"),
        ("BASE_REF", ""),
        ("DEFAULT_BRANCH", "main"),
        ("REF", git_ref),
        ("BEFORE", before),
        ("SHA", sha),
    ]
}

#[test]
fn github_recipe_pull_request() {
    let project = Project::new();
    project.dev.git(&["checkout", "-q", "-b", "feature"]);
    let tip = project.commit(&[
        ("secret.txt", token_file()),
        (".leakward.toml", "[allow]\npaths = [\"**\"]\n".into()),
    ]);
    project.push(&["feature"]);
    let dir = project.checkout(&tip, None);
    let env = [
        ("EVENT", "pull_request"),
        ("BASE_REF", "main"),
        ("DEFAULT_BRANCH", "main"),
        ("REF", "refs/pull/1/merge"),
        ("BEFORE", ""),
        ("SHA", &tip),
    ];
    let run = run_script(&dir, &github_script(), &env);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(sarif_results(&dir), 1);
    assert!(run.stderr.contains("was not applied"), "{}", run.stderr);
}

#[test]
fn github_recipe_new_branch_first_push() {
    let project = Project::new();
    project.dev.git(&["checkout", "-q", "-b", "clean"]);
    let clean = project.commit(&[("notes.txt", "nothing here\n".into())]);
    project.push(&["clean"]);
    let dir = project.checkout(&clean, None);
    let run = run_script(
        &dir,
        &github_script(),
        &github_push("refs/heads/clean", ZERO, &clean),
    );
    assert_eq!((run.code, sarif_results(&dir)), (0, 0), "{run:?}");

    project.dev.git(&["checkout", "-q", "-b", "leaky"]);
    let leaky = project.commit(&[("secret.txt", token_file())]);
    project.push(&["leaky"]);
    let dir = project.checkout(&leaky, None);
    let run = run_script(
        &dir,
        &github_script(),
        &github_push("refs/heads/leaky", ZERO, &leaky),
    );
    assert_eq!((run.code, sarif_results(&dir)), (1, 1), "{run:?}");
}

#[test]
fn github_recipe_force_push() {
    let project = Project::new();
    project.dev.git(&["checkout", "-q", "-b", "feature"]);
    let old = project.commit(&[("a.txt", "first try\n".into())]);
    project.push(&["feature"]);
    project.dev.git(&["reset", "-q", "--hard", "main"]);
    let new = project.commit(&[("secret.txt", token_file())]);
    project.push(&["--force", "feature"]);
    let dir = project.checkout(&new, None);
    assert!(
        !command("git", &dir)
            .args(["cat-file", "-e", &old])
            .status()
            .unwrap()
            .success(),
        "the replaced commit is gone from CI's clone"
    );
    let run = run_script(
        &dir,
        &github_script(),
        &github_push("refs/heads/feature", &old, &new),
    );
    assert_eq!((run.code, sarif_results(&dir)), (1, 1), "{run:?}");

    // A force push of the default branch itself: every commit of it is scanned.
    project.dev.git(&["checkout", "-q", "main"]);
    let old_main = project.commit(&[("draft.txt", "draft\n".into())]);
    project.push(&["main"]);
    project
        .dev
        .git(&["commit", "-q", "--amend", "-m", "rewritten"]);
    let new_main = project.commit(&[("leak.txt", token_file())]);
    project.push(&["--force", "main"]);
    let dir = project.checkout(&new_main, None);
    let run = run_script(
        &dir,
        &github_script(),
        &github_push("refs/heads/main", &old_main, &new_main),
    );
    assert_eq!((run.code, sarif_results(&dir)), (1, 1), "{run:?}");
    assert!(
        run.stderr.contains("is not in this repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_recipe_push_to_the_default_branch_honours_its_baseline() {
    let project = Project::new();
    let token = token_file();
    // Accept the token first: its fingerprint goes into the baseline, on its own.
    project.dev.write("t.txt", &token);
    let written = project.dev.leakward(&[
        "scan",
        "t.txt",
        "-q",
        "--write-baseline",
        ".leakward-baseline.json",
    ]);
    assert_eq!(written.code, 1, "{written:?}");
    std::fs::remove_file(project.dev.root.join("t.txt")).unwrap();
    project.dev.commit("accept a known token");
    project.push(&["main"]);
    let before = project.head();
    let known = project.commit(&[("known.txt", token.clone())]);
    project.push(&["main"]);
    let dir = project.checkout(&known, None);
    let run = run_script(
        &dir,
        &github_script(),
        &github_push("refs/heads/main", &before, &known),
    );
    assert_eq!((run.code, sarif_results(&dir)), (0, 0), "{run:?}");

    let fresh = project.commit(&[("fresh.txt", token_file())]);
    project.push(&["main"]);
    let dir = project.checkout(&fresh, None);
    let run = run_script(
        &dir,
        &github_script(),
        &github_push("refs/heads/main", &known, &fresh),
    );
    assert_eq!((run.code, sarif_results(&dir)), (1, 1), "{run:?}");
}

/// GitLab's variables for a push pipeline of `branch` from `before` to `sha`.
fn gitlab_push<'a>(branch: &'a str, before: &'a str, sha: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", ""),
        ("CI_COMMIT_BRANCH", branch),
        ("CI_DEFAULT_BRANCH", "main"),
        ("CI_COMMIT_BEFORE_SHA", before),
        ("CI_COMMIT_SHA", sha),
    ]
}

#[test]
fn gitlab_recipe_merge_request() {
    let project = Project::new();
    let base = project.head();
    project.dev.git(&["checkout", "-q", "-b", "feature"]);
    let tip = project.commit(&[
        ("secret.txt", token_file()),
        (".leakwardignore", "# nothing yet\n".into()),
    ]);
    project.push(&["feature"]);
    let dir = project.checkout(&tip, Some("feature"));
    let env = [
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", base.as_str()),
        ("CI_COMMIT_BRANCH", ""),
        ("CI_DEFAULT_BRANCH", "main"),
        ("CI_COMMIT_BEFORE_SHA", ZERO),
        ("CI_COMMIT_SHA", &tip),
    ];
    let run = run_script(&dir, &gitlab_script(), &env);
    assert_eq!((run.code, json_findings(&dir)), (1, 1), "{run:?}");
}

#[test]
fn gitlab_recipe_pushes() {
    let project = Project::new();
    // A push to the default branch scans what it adds, not the whole history.
    let old = project.commit(&[("old.txt", token_file())]);
    project.push(&["main"]);
    let clean = project.commit(&[("clean.txt", "nothing\n".into())]);
    project.push(&["main"]);
    let dir = project.checkout(&clean, Some("main"));
    let run = run_script(&dir, &gitlab_script(), &gitlab_push("main", &old, &clean));
    assert_eq!((run.code, json_findings(&dir)), (0, 0), "{run:?}");

    // A new branch's first push, from a clone that only has that branch.
    project.dev.git(&["checkout", "-q", "-b", "feature"]);
    let tip = project.commit(&[("secret.txt", token_file())]);
    project.push(&["feature"]);
    let dir = project.checkout(&tip, Some("feature"));
    let run = run_script(&dir, &gitlab_script(), &gitlab_push("feature", ZERO, &tip));
    assert_eq!((run.code, json_findings(&dir)), (1, 1), "{run:?}");

    // A force push whose old commit is gone.
    project
        .dev
        .git(&["commit", "-q", "--amend", "-m", "rewritten"]);
    let rewritten = project.head();
    project.push(&["--force", "feature"]);
    let dir = project.checkout(&rewritten, Some("feature"));
    let run = run_script(
        &dir,
        &gitlab_script(),
        &gitlab_push("feature", &tip, &rewritten),
    );
    assert_eq!((run.code, json_findings(&dir)), (1, 1), "{run:?}");
}

/// Runs every `entry:` of `.pre-commit-hooks.yaml` as the pre-commit framework does (from
/// the repository's top, no file names) and returns the exit codes.
fn framework_hooks(dir: &Path) -> Vec<i32> {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .expect("read .pre-commit-hooks.yaml");
    let entries: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    assert_eq!(entries.len(), 2, "{hooks}");
    entries
        .iter()
        .map(|entry| run_script(dir, entry, &[]).code)
        .collect()
}

#[test]
fn pre_commit_framework_hooks_pass_the_baseline() {
    let repo = Repo::new();
    repo.commit_file("README.md", "hello\n");
    repo.write("secret.txt", token_file());
    repo.git(&["add", "secret.txt"]);
    assert_eq!(framework_hooks(&repo.root), [1, 1]);
    repo.leakward(&[
        "scan",
        "secret.txt",
        "-q",
        "--write-baseline",
        ".leakward-baseline.json",
    ]);
    assert_eq!(framework_hooks(&repo.root), [0, 0]);
}

#[test]
fn pre_push_hook_passes_the_baseline() {
    let project = Project::new();
    let install = project.dev.leakward(&["install", "--pre-push"]);
    assert_eq!(install.code, 0, "{install:?}");
    let token = token_file();
    project.dev.write("t.txt", &token);
    project.dev.leakward(&[
        "scan",
        "t.txt",
        "-q",
        "--write-baseline",
        ".leakward-baseline.json",
    ]);
    std::fs::remove_file(project.dev.root.join("t.txt")).unwrap();
    project.dev.commit("accept a known token");
    let push = project.dev.git_output(&["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "{push:?}");
    project.dev.write("known.txt", &token);
    project.dev.git(&["add", "known.txt"]);
    project
        .dev
        .git(&["commit", "-q", "--no-verify", "-m", "a known token"]);
    let push = project.dev.git_output(&["push", "-q", "origin", "main"]);
    assert!(
        push.status.success(),
        "the baseline lets it through: {push:?}"
    );
    project.dev.write("fresh.txt", token_file());
    project.dev.git(&["add", "fresh.txt"]);
    project
        .dev
        .git(&["commit", "-q", "--no-verify", "-m", "a new token"]);
    let push = project.dev.git_output(&["push", "-q", "origin", "main"]);
    assert!(!push.status.success(), "a new token is blocked: {push:?}");
}

/// The baseline flow as a new user meets it, with both hooks installed: the commit is
/// blocked, the block message's third way forward writes the baseline, and then one commit
/// and one push pass; the next new token is still blocked at commit and at push.
#[test]
fn the_baseline_flow_takes_one_commit_and_one_push() {
    let project = Project::new();
    for args in [&["install"][..], &["install", "--pre-push"]] {
        let install = project.dev.leakward(args);
        assert_eq!(install.code, 0, "{install:?}");
    }
    let dev = &project.dev;
    dev.write("config.py", format!("TOKEN = \"{}\"\n", github_token()));
    dev.git(&["add", "config.py"]);
    let blocked = dev.git_output(&["commit", "-q", "-m", "add the config"]);
    assert!(!blocked.status.success(), "{blocked:?}");
    let advice = String::from_utf8_lossy(&blocked.stderr);
    let command = "leakward scan . --write-baseline .leakward-baseline.json";
    assert!(advice.contains(command), "{advice}");
    let written = dev.leakward(&["scan", ".", "--write-baseline", ".leakward-baseline.json"]);
    assert_eq!(
        written.code, 1,
        "the scan still reports what it accepts: {written:?}"
    );
    dev.git(&["add", ".leakward-baseline.json"]);
    let commit = dev.git_output(&["commit", "-q", "-m", "add the config"]);
    assert!(commit.status.success(), "{commit:?}");
    let push = dev.git_output(&["push", "-q", "origin", "main"]);
    assert!(push.status.success(), "{push:?}");
    assert!(
        String::from_utf8_lossy(&push.stderr).contains("was applied as they have it"),
        "{push:?}"
    );
    dev.write("other.py", format!("TOKEN = \"{}\"\n", github_token()));
    dev.git(&["add", "other.py"]);
    let blocked = dev.git_output(&["commit", "-q", "-m", "another token"]);
    assert!(!blocked.status.success(), "{blocked:?}");
    dev.git(&["commit", "-q", "--no-verify", "-m", "another token"]);
    let push = dev.git_output(&["push", "-q", "origin", "main"]);
    assert!(!push.status.success(), "a new token is blocked: {push:?}");
}
