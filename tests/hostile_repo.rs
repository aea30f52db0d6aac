//! A hostile repository never runs code: every leakward command that reads a repository is
//! run in one whose config, attributes and hooks point every command git could run at a
//! script that leaves a marker file, and no marker may appear. The commands still work.
//!
//! The repository is built with the git CLI first; the hostile settings go in last, so that
//! building it does not set them off.

mod common;

use std::path::{Path, PathBuf};

use common::{command, github_token, Repo, Run};

const ZERO: &str = "0000000000000000000000000000000000000000";

/// Every config key that names a command git (or a library reading git config) could run.
const COMMAND_KEYS: &[&str] = &[
    "core.fsmonitor",
    "core.sshCommand",
    "core.pager",
    "core.editor",
    "core.askPass",
    "core.gitProxy",
    "core.alternateRefsCommand",
    "credential.helper",
    "diff.external",
    "diff.x.textconv",
    "diff.x.command",
    "filter.x.clean",
    "filter.x.smudge",
    "filter.x.process",
    "merge.x.driver",
    "gpg.program",
    "gpg.ssh.program",
    "sequence.editor",
    "pager.log",
    "uploadpack.packObjectsHook",
    "remote.origin.uploadpack",
    "remote.origin.receivepack",
];

/// Hooks git knows; each is installed in `.git/hooks` and in the `core.hooksPath` directory.
const HOOKS: &[&str] = &[
    "pre-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-push",
    "post-checkout",
    "post-merge",
    "pre-rebase",
    "reference-transaction",
    "fsmonitor-watchman",
    "post-index-change",
    "pre-auto-gc",
];

/// A repository with a feature branch holding a secret, a staged secret, a bare `origin`
/// and every hostile setting; `markers` is where the hostile commands would write.
struct Hostile {
    repo: Repo,
    markers: PathBuf,
    main: String,
    feature: String,
}

fn marker_command(markers: &Path, name: &str) -> String {
    format!("touch '{}/{}'", markers.display(), name.replace('.', "_"))
}

fn hook_script(markers: &Path, name: &str) -> String {
    format!("#!/bin/sh\n{}\n", marker_command(markers, name))
}

fn hostile() -> Hostile {
    let repo = Repo::new();
    let markers = repo.sibling("markers");
    std::fs::create_dir(&markers).unwrap();
    repo.commit_file("README.md", "a project\n");
    let main = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let origin = repo.sibling("origin.git");
    common::git_in(
        repo.root.parent().unwrap(),
        &["init", "-q", "--bare", "origin.git"],
    );
    repo.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.commit_file("app.env", format!("TOKEN={}\n", github_token()));
    let feature = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.write("staged.env", format!("TOKEN={}\n", github_token()));
    repo.git(&["add", "staged.env"]);

    repo.write(".gitattributes", "* diff=x filter=x merge=x\n");
    for key in COMMAND_KEYS {
        repo.git(&["config", key, &marker_command(&markers, key)]);
    }
    repo.git(&["config", "filter.x.required", "true"]);
    let hooks_path = repo.sibling("hooks-path");
    std::fs::create_dir(&hooks_path).unwrap();
    for hook in HOOKS {
        for (dir, tag) in [
            (repo.root.join(".git/hooks"), "hook"),
            (hooks_path.clone(), "hooks-path"),
        ] {
            let path = dir.join(hook);
            std::fs::write(&path, hook_script(&markers, &format!("{tag}-{hook}"))).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    repo.git(&["config", "core.hooksPath", hooks_path.to_str().unwrap()]);
    assert_no_markers(&markers, "building the repository");
    Hostile {
        repo,
        markers,
        main,
        feature,
    }
}

/// A leakward run: exit code, stdout and stderr.
fn leakward(repo: &Repo, args: &[&str], stdin: &str) -> Run {
    repo.leakward_with_input(args, stdin)
}

#[track_caller]
fn assert_no_markers(markers: &Path, after: &str) {
    let left: Vec<String> = std::fs::read_dir(markers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "after {after}, these ran: {left:?}");
}

/// The sanity check of the test itself: git does run the hostile settings, so a missing
/// marker after a leakward command means leakward did not run them.
#[test]
fn the_hostile_settings_are_live_for_git() {
    let hostile = hostile();
    for args in [
        &["status"][..],
        // With the filter switched off, git gets as far as the diff drivers.
        &[
            "-c",
            "filter.x.process=",
            "-c",
            "filter.x.smudge=",
            "-c",
            "filter.x.required=false",
            "log",
            "-p",
            "-1",
            "--textconv",
        ],
        &[
            "-c",
            "filter.x.process=",
            "-c",
            "filter.x.clean=",
            "-c",
            "filter.x.required=false",
            "commit",
            "-q",
            "-m",
            "staged",
        ],
    ] {
        // git fails on several of them (a `touch` is no filter process); only what it ran counts.
        let _ = command("git", &hostile.repo.root)
            .args(args)
            .output()
            .unwrap();
    }
    let mut ran: Vec<String> = std::fs::read_dir(&hostile.markers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    ran.sort();
    eprintln!("git ran: {ran:?}");
    for expected in [
        "core_fsmonitor",
        "filter_x_process",
        "diff_x_textconv",
        "hooks-path-pre-commit",
    ] {
        assert!(
            ran.iter().any(|r| r == expected),
            "git did not run {expected}: {ran:?}"
        );
    }
}

#[test]
fn no_leakward_command_runs_the_repository_code() {
    let hostile = hostile();
    let repo = &hostile.repo;
    let push = format!(
        "refs/heads/feature {} refs/heads/feature {ZERO}\n",
        hostile.feature
    );
    let range = format!("{}..{}", hostile.main, hostile.feature);
    // (arguments, standard input, expected exit code)
    let cases: &[(&[&str], &str, i32)] = &[
        (&["scan", "."], "", 1),
        (&["scan", "app.env"], "", 1),
        (&["staged"], "", 1),
        (&["history"], "", 1),
        (&["history", &range], "", 1),
        (&["history", "--branch", "feature"], "", 1),
        (&["history", "--since", "main"], "", 1),
        (&["history", "--pr", "main"], "", 1),
        (&["pre-push", "origin", "url"], &push, 1),
        (&["audit"], "", 1),
        (&["explain", "app.env"], "", 0),
        (&["install", "--pre-push"], "", 2),
        (&["install", "--pre-push", "--force"], "", 0),
        (&["uninstall"], "", 0),
    ];
    for &(args, stdin, want) in cases {
        let run = leakward(repo, args, stdin);
        assert_eq!(
            run.code, want,
            "leakward {args:?}\n--- stdout\n{}\n--- stderr\n{}",
            run.stdout, run.stderr
        );
        if want == 1 {
            assert!(
                run.stdout.contains("github-pat-classic"),
                "{args:?}: {}",
                run.stdout
            );
        }
        assert_no_markers(&hostile.markers, &format!("leakward {args:?}"));
    }
}

/// git refuses a repository owned by someone else unless `safe.directory` lists it; gix
/// opens it with reduced trust instead. leakward reads it (reading runs nothing), and the
/// owner's hostile settings still never run. Needs root to hand the repository to another
/// user, so it is skipped otherwise.
#[test]
fn a_repository_owned_by_another_user_is_read_and_runs_nothing() {
    if !is_root() {
        eprintln!("skipped: only root can give the repository to another user");
        return;
    }
    let hostile = hostile();
    let chown = std::process::Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&hostile.repo.root)
        .status()
        .unwrap();
    assert!(chown.success());
    let git = command("git", &hostile.repo.root)
        .args(["log", "-1"])
        .output()
        .unwrap();
    let git_says = String::from_utf8_lossy(&git.stderr);
    assert!(
        !git.status.success() && git_says.contains("dubious ownership"),
        "git refuses it: {git_says}"
    );
    for (args, want) in [(&["history"][..], 1), (&["staged"], 1), (&["audit"], 1)] {
        let run = leakward(&hostile.repo, args, "");
        assert_eq!(run.code, want, "leakward {args:?}: {}", run.stderr);
        assert_no_markers(&hostile.markers, &format!("leakward {args:?}"));
    }
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
