//! Every failure has its message: one line on standard error saying what failed and what to
//! do, exit code 2, never a panic, a backtrace or `Error: ` debug formatting.
//!
//! Covered elsewhere, and not repeated here: `history` outside a repository and with bad
//! revisions (tests/history.rs), a permission-denied file and directory in `scan DIR` and a
//! closed pipe under `scan` (tests/cli_exit.rs), invalid config files and rules
//! (tests/cli_config.rs), an unwritable `--output` and baseline under `scan`
//! (tests/cli_formats.rs), a missing object under `audit` (tests/audit_damaged.rs).

mod common;

use std::path::Path;

use common::{command, github_token, Repo};
use common::{is_root, tempdir, write};

/// What a run printed, and its exit code.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn leakward(dir: &Path, args: &[&str]) -> Run {
    let out = command(env!("CARGO_BIN_EXE_leakward"), dir)
        .args(args)
        .output()
        .expect("leakward runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Fails unless the run exited 2 with exactly one line on stderr, an error that contains
/// every one of `parts`, and nothing that looks like a crash.
#[track_caller]
fn assert_one_line_error(what: &str, run: &Run, parts: &[&str]) {
    assert_eq!(run.code, 2, "{what}: exit code\n{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line\n{}", run.stderr);
    assert!(
        lines[0].starts_with("leakward: error: "),
        "{what}: {}",
        lines[0]
    );
    for part in parts {
        assert!(lines[0].contains(part), "{what}: {part:?} in {}", lines[0]);
    }
    assert_no_crash(what, &run.stderr);
}

#[track_caller]
fn assert_no_crash(what: &str, stderr: &str) {
    for crash in [
        "panicked",
        "backtrace",
        "Error: ",
        "Os {",
        "os error",
        "Custom {",
    ] {
        assert!(!stderr.contains(crash), "{what}: {crash:?} in {stderr}");
    }
}

#[test]
fn not_a_repository_for_every_git_command() {
    let dir = tempdir();
    let hint = "name the repository with --repo DIR";
    let cases: &[(&[&str], &str)] = &[
        (&["staged"], hint),
        (&["pre-push", "origin", "url"], hint),
        (&["install"], hint),
        (&["install", "--pre-push"], hint),
        (&["uninstall"], hint),
        (&["audit"], "name the repository: leakward audit DIR"),
        (
            &["audit", "elsewhere"],
            "name the repository: leakward audit DIR",
        ),
    ];
    std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
    for &(args, hint) in cases {
        let run = leakward(dir.path(), args);
        assert_one_line_error(
            &format!("{args:?}"),
            &run,
            &["is not in a git repository", hint],
        );
    }
    // `--repo` pointing somewhere that is not a repository says the same.
    let run = leakward(dir.path(), &["staged", "--repo", "elsewhere"]);
    assert_one_line_error(
        "staged --repo",
        &run,
        &["elsewhere is not in a git repository"],
    );
}

/// A repository with two commits on `main`.
fn two_commits() -> Repo {
    let repo = Repo::new();
    repo.commit_file("a.txt", "one\n");
    repo.commit_file("b.txt", "two\n");
    repo
}

#[test]
fn bad_refs_and_ranges_name_the_input_and_how_to_check_it() {
    let repo = two_commits();
    let blob = repo.git(&["rev-parse", "HEAD:a.txt"]).trim().to_string();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["history", "HEAD..nope"],
            &["bad range `HEAD..nope`", "A..B"],
        ),
        (&["history", "nope.."], &["bad range `nope..`"]),
        (
            &["history", "."],
            &["bad range `.`", "it is a path", "--repo ."],
        ),
        (
            &["history", "--branch", &blob],
            &["does not name a commit", "git rev-parse"],
        ),
        (
            &["history", "--since", "v9"],
            &["bad revision `v9`", "git rev-parse v9"],
        ),
    ];
    for &(args, parts) in cases {
        assert_one_line_error(&format!("{args:?}"), &leakward(&repo.root, args), parts);
    }
}

#[test]
fn pre_push_of_an_unknown_commit_or_garbage_is_one_line() {
    let repo = two_commits();
    let unknown = "1".repeat(40);
    let zero = "0".repeat(40);
    let cases = [
        (
            format!("refs/heads/main {unknown} refs/heads/main {zero}\n"),
            format!("pushed commit {unknown}"),
        ),
        (
            "garbage\n".to_string(),
            "malformed pre-push input on line 1".to_string(),
        ),
    ];
    for (stdin, part) in cases {
        let mut child = command(env!("CARGO_BIN_EXE_leakward"), &repo.root)
            .args(["pre-push", "origin", "url"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_one_line_error(&format!("pre-push {stdin:?}"), &run, &[&part]);
    }
}

/// Deletes the loose object of `id`.
fn delete_object(repo: &Repo, id: &str) {
    let path = repo.root.join(".git/objects").join(&id[..2]).join(&id[2..]);
    std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn a_missing_object_fails_closed_and_says_what_to_do() {
    let repo = two_commits();
    repo.commit_file("c.env", format!("T={}\n", github_token()));
    let blob = repo.git(&["rev-parse", "HEAD~1:b.txt"]).trim().to_string();
    delete_object(&repo, &blob);
    let run = leakward(&repo.root, &["history"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout.contains("github-pat-classic"),
        "the rest is still reported"
    );
    let line = format!("leakward: cannot read {blob}: missing from the object database");
    assert!(
        run.stderr.lines().any(|l| l.starts_with(&line)),
        "{line:?} in {}",
        run.stderr
    );
    assert!(run.stderr.contains("git fsck"), "{}", run.stderr);
    assert!(run.stderr.contains("scan incomplete"), "{}", run.stderr);
    assert_no_crash("history", &run.stderr);

    // A staged blob that is gone: the pre-commit check cannot pass.
    repo.write("d.txt", "staged\n");
    repo.git(&["add", "d.txt"]);
    let staged = repo.git(&["rev-parse", ":d.txt"]).trim().to_string();
    delete_object(&repo, &staged);
    let run = leakward(&repo.root, &["staged"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&staged), "{}", run.stderr);
    assert_no_crash("staged", &run.stderr);
}

#[test]
fn an_invalid_config_in_the_repository_stops_git_commands() {
    let repo = two_commits();
    repo.write(
        ".leakward.toml",
        "[[rule]]\nid = \"broken-rule\"\ndescription = \"d\"\nregex = '''x('''\nkeywords = [\"x\"]\nconfidence = \"high\"\n",
    );
    // `audit` does not read the repository's config (tests/policy.rs).
    for args in [&["history"][..], &["staged"]] {
        assert_one_line_error(
            &format!("{args:?}"),
            &leakward(&repo.root, args),
            &[".leakward.toml", "`broken-rule`"],
        );
    }
}

#[test]
fn unwritable_output_and_full_disk() {
    let repo = two_commits();
    repo.commit_file("c.env", format!("T={}\n", github_token()));
    let missing = "/nonexistent/dir/x.json";
    let full = "/dev/full";
    for command in ["history", "audit", "staged"] {
        let run = leakward(&repo.root, &[command, "-f", "json", "-o", missing]);
        assert_one_line_error(
            &format!("{command} -o {missing}"),
            &run,
            &[missing, "no such file or directory", "create its directory"],
        );
    }
    if !Path::new(full).exists() {
        eprintln!("skipped the full-disk cases: no {full} on this system");
        return;
    }
    for args in [
        &["scan", "-f", "json", "-o", full, "c.env"][..],
        &["scan", "-o", full, "c.env"],
        &["history", "-f", "sarif", "-o", full],
        &["audit", "-f", "csv", "-o", full],
    ] {
        assert_one_line_error(
            &format!("{args:?}"),
            &leakward(&repo.root, args),
            &[
                "cannot write /dev/full: no space left on device",
                "free some disk space",
            ],
        );
    }
    // Standard output on a full disk.
    let script = format!(
        "'{}' scan -f json c.env >/dev/full",
        env!("CARGO_BIN_EXE_leakward")
    );
    let out = command("sh", &repo.root)
        .args(["-c", &script])
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_one_line_error(
        "stdout on /dev/full",
        &run,
        &["cannot write the report to standard output: no space left on device"],
    );
}

/// README: a closed output pipe ends quietly, with the exit code the scan would have had.
#[test]
fn a_closed_pipe_ends_quietly_for_history_audit_and_install() {
    let repo = Repo::new();
    let body: String = (0..300)
        .map(|_| format!("T = {}\n", github_token()))
        .collect();
    repo.commit_file("many.env", body);
    for args in [
        "history --max-findings-per-file 1000",
        "audit --max-findings-per-file 1000",
        "history -f jsonl --max-findings-per-file 1000",
    ] {
        let script = format!(
            "{{ '{}' {args} 2>err.txt; echo $? >rc.txt; }} | head -n 1",
            env!("CARGO_BIN_EXE_leakward")
        );
        let out = command("sh", &repo.root)
            .args(["-c", &script])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
        let stderr = std::fs::read_to_string(repo.root.join("err.txt")).unwrap();
        assert!(!stderr.contains("error"), "{args}: {stderr}");
        assert_no_crash(args, &stderr);
        let code = std::fs::read_to_string(repo.root.join("rc.txt")).unwrap();
        assert_eq!(code.trim(), "1", "{args}: exit code: {stderr}");
    }
    // Install prints what it did; a reader that is already gone changes nothing.
    let script = format!(
        "{{ sleep 0.3; '{}' install 2>err.txt; echo $? >rc.txt; }} | true",
        env!("CARGO_BIN_EXE_leakward")
    );
    command("sh", &repo.root)
        .args(["-c", &script])
        .output()
        .unwrap();
    let stderr = std::fs::read_to_string(repo.root.join("err.txt")).unwrap();
    assert_no_crash("install", &stderr);
    assert_eq!(
        std::fs::read_to_string(repo.root.join("rc.txt"))
            .unwrap()
            .trim(),
        "0"
    );
    assert!(repo.root.join(".git/hooks/pre-commit").exists());
}

#[test]
fn unreadable_baseline_and_ignore_file() {
    let dir = tempdir();
    write(dir.path(), "a.txt", "nothing\n");
    std::fs::create_dir(dir.path().join("dir.json")).unwrap();
    let run = leakward(dir.path(), &["scan", "--baseline", "dir.json", "a.txt"]);
    assert_one_line_error(
        "baseline is a directory",
        &run,
        &[
            "dir.json: cannot read the baseline: not a regular file (a directory)",
            "--write-baseline",
        ],
    );

    use std::os::unix::fs::PermissionsExt;
    write(dir.path(), "locked.json", "{}\n");
    write(dir.path(), ".leakwardignore", "\n");
    for name in ["locked.json", ".leakwardignore"] {
        let path = dir.path().join(name);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let runs = [
        (
            "locked.json",
            leakward(dir.path(), &["scan", "--baseline", "locked.json", "a.txt"]),
        ),
        (".leakwardignore", leakward(dir.path(), &["scan", "."])),
    ];
    if is_root() {
        // Root reads files whatever their mode: the permission assertions cannot hold.
        eprintln!("skipped the permission-denied assertions: running as root");
        return;
    }
    for (name, run) in runs {
        assert_one_line_error(name, &run, &[name, "permission denied"]);
    }
}
