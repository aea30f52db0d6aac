//! `leakward install` / `uninstall`, and the installed hook end to end: a real `git commit`
//! of a generated token is blocked with a message that names the file and the rule.

mod common;

use std::fs;
use std::path::Path;

use common::{command, git_in, github_token, leakward_in, Repo, Run};

fn is_leakward_hook(path: &Path) -> bool {
    fs::read_to_string(path).is_ok_and(|text| text.contains("leakward:managed-hook"))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o111 == 0o111
}

fn commit(repo: &Repo, args: &[&str]) -> Run {
    Run::from(
        command("git", &repo.root)
            .arg("commit")
            .args(args)
            .output()
            .unwrap(),
    )
}

#[test]
fn install_writes_executable_hooks_and_uninstall_removes_them() {
    let repo = Repo::new();
    let hooks = repo.root.join(".git/hooks");
    let run = repo.leakward(&["install"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(is_leakward_hook(&hooks.join("pre-commit")));
    assert!(
        !hooks.join("pre-push").exists(),
        "pre-push only with --pre-push"
    );
    #[cfg(unix)]
    assert!(is_executable(&hooks.join("pre-commit")));

    assert_eq!(
        repo.leakward(&["install", "--pre-push"]).code,
        0,
        "reinstall"
    );
    let pre_push = fs::read_to_string(hooks.join("pre-push")).unwrap();
    assert!(pre_push.contains("leakward pre-push \"$@\""), "{pre_push}");

    let run = repo.leakward(&["uninstall"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!hooks.join("pre-commit").exists());
    assert!(!hooks.join("pre-push").exists());
}

#[test]
fn install_honours_a_relative_core_hooks_path_from_a_subdirectory() {
    let repo = Repo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    fs::create_dir_all(repo.root.join("sub")).unwrap();
    let run = leakward_in(&repo.root.join("sub"), &["install"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(is_leakward_hook(&repo.root.join(".githooks/pre-commit")));
    assert!(!repo.root.join(".git/hooks/pre-commit").exists());
}

#[test]
fn a_foreign_hook_is_kept_unless_forced() {
    let repo = Repo::new();
    let hook = repo.root.join(".git/hooks/pre-commit");
    let foreign = "#!/bin/sh\necho mine\n";
    fs::write(&hook, foreign).unwrap();

    let run = repo.leakward(&["install"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("leakward staged"),
        "says how to chain: {run:?}"
    );
    assert!(run.stderr.contains("--force"), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert_eq!(fs::read_to_string(&hook).unwrap(), foreign);

    let run = repo.leakward(&["uninstall"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(fs::read_to_string(&hook).unwrap(), foreign, "never removed");

    let run = repo.leakward(&["install", "--force"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(is_leakward_hook(&hook));
    let backup = repo.root.join(".git/hooks/pre-commit.before-leakward");
    assert_eq!(fs::read_to_string(&backup).unwrap(), foreign);

    // Uninstall puts the user's hook back where it was (it stayed renamed: issue 19).
    let run = repo.leakward(&["uninstall"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(fs::read_to_string(&hook).unwrap(), foreign, "restored");
    assert!(!backup.exists(), "the copy is gone once restored");
    assert!(run.stdout.contains("restored"), "{run:?}");
}

/// A second foreign hook replaced with --force must not overwrite the copy of the first.
#[test]
fn force_never_overwrites_an_earlier_copy() {
    let repo = Repo::new();
    let hook = repo.root.join(".git/hooks/pre-commit");
    let backup = repo.root.join(".git/hooks/pre-commit.before-leakward");
    fs::write(
        &backup,
        "#!/bin/sh
echo first
",
    )
    .unwrap();
    fs::write(
        &hook,
        "#!/bin/sh
echo second
",
    )
    .unwrap();
    let run = repo.leakward(&["install", "--force"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(run.stderr.contains("pre-commit.before-leakward"), "{run:?}");
    assert_eq!(
        fs::read_to_string(&backup).unwrap(),
        "#!/bin/sh\necho first\n"
    );
    assert_eq!(
        fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho second\n"
    );
}

#[test]
fn a_linked_worktree_installs_into_the_shared_hooks() {
    let repo = Repo::new();
    repo.commit_file("a.txt", "a\n");
    let linked = repo.add_worktree("linked", "side");
    let run = leakward_in(&linked, &["install"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(is_leakward_hook(&repo.root.join(".git/hooks/pre-commit")));
}

#[test]
fn the_installed_hook_blocks_a_commit_that_adds_a_secret() {
    let repo = Repo::new();
    repo.commit_file("README", "hello\n");
    assert_eq!(repo.leakward(&["install"]).code, 0);

    repo.write(
        "deploy/settings.env",
        format!("GH_TOKEN={}\n", github_token()),
    );
    repo.git(&["add", "deploy/settings.env"]);
    let run = commit(&repo, &["-q", "-m", "add settings"]);
    assert_ne!(run.code, 0, "{run:?}");
    let said = format!("{}{}", run.stdout, run.stderr);
    for needle in [
        "deploy/settings.env:1",
        "github-pat-classic",
        "leakward:allow",
        "--baseline",
    ] {
        assert!(said.contains(needle), "missing {needle:?} in {said}");
    }
    assert_eq!(
        git_in(&repo.root, &["rev-list", "--count", "HEAD"]).trim(),
        "1"
    );

    let run = commit(&repo, &["-q", "--no-verify", "-m", "on purpose"]);
    assert_eq!(run.code, 0, "{run:?}");

    // An edit elsewhere in the file that already holds it does not block again.
    repo.write("README", "hello\nworld\n");
    let run = commit(&repo, &["-q", "-a", "-m", "clean edit"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn the_hook_sees_the_temporary_index_of_commit_all_and_commit_paths() {
    let repo = Repo::new();
    repo.commit_file("a.txt", "a\n");
    repo.commit_file("b.txt", "b\n");
    assert_eq!(repo.leakward(&["install"]).code, 0);

    // Neither change is staged: git builds the index it commits while the hook runs.
    repo.write("a.txt", format!("a\nk = {}\n", github_token()));
    let run = commit(&repo, &["-q", "-a", "-m", "all"]);
    assert_ne!(run.code, 0, "commit -a: {run:?}");
    assert!(run.stderr.contains("a.txt:2"), "{run:?}");

    repo.write("b.txt", format!("b\nk = {}\n", github_token()));
    let run = commit(&repo, &["-q", "-m", "paths", "b.txt"]);
    assert_ne!(run.code, 0, "commit PATH: {run:?}");
    assert!(run.stderr.contains("b.txt:2"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn the_hook_fails_clearly_without_leakward_on_path() {
    let repo = Repo::new();
    assert_eq!(repo.leakward(&["install"]).code, 0);
    repo.write("a.txt", "a\n");
    repo.git(&["add", "a.txt"]);
    let git = git_in(&repo.root, &["--exec-path"]);
    let path = format!("{}:/usr/bin:/bin", Path::new(git.trim()).display());
    let out = command("git", &repo.root)
        .env("PATH", path)
        .args(["commit", "-q", "-m", "x"])
        .output()
        .unwrap();
    let run = Run::from(out);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("not on PATH"), "{run:?}");
}

#[test]
fn the_hook_lets_baselined_findings_through() {
    let repo = Repo::new();
    repo.commit_file("README", "hello\n");
    assert_eq!(repo.leakward(&["install"]).code, 0);
    repo.write("legacy.cfg", format!("token = {}\n", github_token()));
    repo.git(&["add", "legacy.cfg"]);
    assert_ne!(commit(&repo, &["-q", "-m", "blocked"]).code, 0);

    // The third way forward, as the block message words it.
    let run = repo.leakward(&["scan", ".", "--write-baseline", ".leakward-baseline.json"]);
    assert_eq!(run.code, 1, "{run:?}");
    repo.git(&["add", ".leakward-baseline.json"]);
    let run = commit(&repo, &["-q", "-m", "known"]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn the_hook_blocks_a_commit_in_a_linked_worktree() {
    // git runs hooks in a linked worktree with GIT_DIR set to its private git directory.
    let repo = Repo::new();
    repo.commit_file("a.txt", "a\n");
    assert_eq!(repo.leakward(&["install"]).code, 0);
    let linked = repo.add_worktree("linked", "side");
    fs::write(linked.join("s.txt"), format!("k = {}\n", github_token())).unwrap();
    git_in(&linked, &["add", "s.txt"]);
    let run = Run::from(
        command("git", &linked)
            .args(["commit", "-q", "-m", "s"])
            .output()
            .unwrap(),
    );
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("s.txt:1"), "{run:?}");
}

#[test]
fn a_foreign_pre_push_hook_gets_its_own_chaining_advice() {
    let repo = Repo::new();
    let hook = repo.root.join(".git/hooks/pre-push");
    fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
    let run = repo.leakward(&["install", "--pre-push"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("leakward pre-push \"$@\""), "{run:?}");
    assert!(
        !repo.root.join(".git/hooks/pre-commit").exists(),
        "a refusal installs nothing"
    );
}
