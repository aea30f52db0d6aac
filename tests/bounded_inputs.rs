//! Inputs that never end, are not files, or are not there (issue 19, items 2 to 4): each
//! is read up to a limit or refused with a one-line error naming it, and exit code 2.
//! Never a silent "no findings", never a read that grows without bound, never a crash.
//! Limits are tested with small limits and `/dev/zero`, never by filling memory.

#![cfg(unix)]

mod common;

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{github_token, leakward, run, tempdir, write, Repo, Run};

/// Runs `leakward ARGS` in `dir` with `/dev/zero` (an endless stream) on standard input.
fn with_endless_input(dir: &Path, args: &[&str]) -> Run {
    let mut command = leakward();
    command
        .current_dir(dir)
        .args(args)
        .stdin(File::open("/dev/zero").unwrap());
    run(&mut command)
}

/// Runs `leakward ARGS` in `dir` through the shell with standard input closed (`0<&-`).
fn with_closed_input(dir: &Path, args: &[&str]) -> Run {
    let script = "exec \"$0\" \"$@\" 0<&-";
    let mut command = Command::new("sh");
    command
        .current_dir(dir)
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_leakward"))
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped());
    run(&mut command)
}

/// Fails unless the run exited 2 with one line of error on stderr holding every `part`.
#[track_caller]
fn expect_one_line_error(run: &Run, parts: &[&str]) {
    run.expect_code(2);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    for part in parts {
        assert!(lines[0].contains(part), "{part:?} in {}", run.stderr);
    }
}

/// Puts something named `.leakward.toml` into a directory.
type Make = fn(&Path);

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn files_that_are_not_regular_are_refused_by_name() {
    let dir = tempdir();
    let d = dir.path();
    mkfifo(&d.join("pipe"));
    write(d, "gitleaks.toml", "[extend]\npath = \"/dev/zero\"\n");
    let not_regular = "not a regular file";
    let cases: &[(&[&str], &[&str])] = &[
        (&["scan", "/dev/zero"], &["/dev/zero", "character device"]),
        (
            &["scan", "pipe"],
            &["pipe", "a fifo", "leakward scan - < pipe"],
        ),
        (&["explain", "/dev/zero"], &["/dev/zero", not_regular]),
        (&["explain", "pipe"], &["pipe", not_regular]),
        (
            &["scan", "--config", "/dev/zero", "gitleaks.toml"],
            &["/dev/zero", not_regular],
        ),
        (
            &["scan", "--config", "pipe", "gitleaks.toml"],
            &["pipe", not_regular],
        ),
        (
            &["rules", "check", "/dev/zero"],
            &["/dev/zero", not_regular],
        ),
        (
            &["scan", "--config", "gitleaks.toml", "gitleaks.toml"],
            &["/dev/zero", "extended config", not_regular],
        ),
        (
            &["scan", "--baseline", "/dev/zero", "gitleaks.toml"],
            &["/dev/zero", "baseline", not_regular],
        ),
    ];
    for (args, parts) in cases {
        let mut command = leakward();
        command.current_dir(d).args(*args);
        expect_one_line_error(&run(&mut command), parts);
    }
}

#[test]
fn oversized_configs_are_refused_at_the_limit() {
    let dir = tempdir();
    let d = dir.path();
    // One byte over 16 MiB of comments: valid TOML, but not a config anyone writes.
    let mut text = "# padding line\n".repeat((16 << 20) / 15 + 1).into_bytes();
    text.truncate((16 << 20) + 1);
    write(d, "big.toml", &text);
    let mut command = leakward();
    command
        .current_dir(d)
        .args(["scan", "--config", "big.toml", "big.toml"]);
    expect_one_line_error(&run(&mut command), &["big.toml", "larger than 16.0 MiB"]);
}

#[test]
fn endless_standard_input_stops_at_the_limit() {
    let dir = tempdir();
    let d = dir.path();
    let cases: &[(&[&str], &str)] = &[
        (
            &["scan", "--max-file-size", "1K", "-"],
            "cannot read <stdin>: larger than 1.0 KiB (raise with --max-file-size)",
        ),
        (
            &["explain", "--max-file-size", "1K", "-"],
            "larger than 1.0 KiB",
        ),
    ];
    for (args, part) in cases {
        let run = with_endless_input(d, args);
        run.expect_code(2);
        assert!(run.stderr.contains(part), "{args:?}: {}", run.stderr);
    }
    let repo = Repo::new();
    repo.commit_file("a.txt", "a\n");
    let run = with_endless_input(&repo.path(), &["pre-push", "origin", "url"]);
    expect_one_line_error(&run, &["pre-push lines", "larger than 16.0 MiB"]);
}

#[test]
fn closed_standard_input_is_an_error_not_an_empty_scan() {
    let dir = tempdir();
    let repo = Repo::new();
    repo.commit_file("a.txt", "a\n");
    let cases: &[(&Path, &[&str])] = &[
        (dir.path(), &["scan", "-"]),
        (dir.path(), &["explain", "-"]),
        (&repo.path(), &["pre-push", "origin", "url"]),
    ];
    for &(at, args) in cases {
        expect_one_line_error(&with_closed_input(at, args), &["closed or /dev/null"]);
        // `leakward()` gives the command /dev/null, which carries no input either.
        let mut command = leakward();
        command.current_dir(at).args(args);
        expect_one_line_error(&run(&mut command), &["closed or /dev/null"]);
    }
}

#[test]
fn explain_honours_the_size_limit() {
    let dir = tempdir();
    write(dir.path(), "big.txt", "a = 1\n".repeat(400));
    let mut command = leakward();
    command
        .current_dir(dir.path())
        .args(["explain", "--max-file-size", "1K", "big.txt"]);
    expect_one_line_error(
        &run(&mut command),
        &["big.txt", "larger than 1.0 KiB", "--max-file-size"],
    );
}

#[test]
fn a_repository_config_that_is_not_a_regular_file_is_an_error() {
    let cases: &[(&str, Make)] = &[
        ("symbolic link", |d| {
            write(d, "elsewhere.toml", "");
            std::os::unix::fs::symlink("elsewhere.toml", d.join(".leakward.toml")).unwrap();
        }),
        ("symbolic link", |d| {
            std::os::unix::fs::symlink("missing.toml", d.join(".leakward.toml")).unwrap();
        }),
        ("fifo", |d| mkfifo(&d.join(".leakward.toml"))),
        ("directory", |d| {
            std::fs::create_dir(d.join(".leakward.toml")).unwrap()
        }),
    ];
    for (kind, make) in cases {
        let dir = tempdir();
        make(dir.path());
        write(dir.path(), "a.txt", "nothing\n");
        let mut command = leakward();
        command.current_dir(dir.path()).args(["scan", "."]);
        expect_one_line_error(&run(&mut command), &[".leakward.toml", kind]);
    }
}

#[test]
fn thread_counts_past_a_sane_multiple_of_the_cores_are_refused() {
    let dir = tempdir();
    write(dir.path(), "a.txt", "nothing\n");
    for threads in ["20000", "100000"] {
        let mut command = leakward();
        command
            .current_dir(dir.path())
            .args(["scan", "--threads", threads, "."]);
        expect_one_line_error(&run(&mut command), &["--threads", threads, "per core"]);
    }
    let mut command = leakward();
    command
        .current_dir(dir.path())
        .args(["scan", "--threads", "2", "."]);
    run(&mut command).expect_code(0);
}

#[test]
fn the_largest_size_limit_reads_files_whole() {
    // `take(max + 1)` overflowed here: a panic in debug builds, `take(0)` and exit 0 in
    // release, with the secret unread.
    let dir = tempdir();
    write(dir.path(), "a.env", format!("T={}\n", github_token()));
    let most = u64::MAX.to_string();
    let mut command = leakward();
    command
        .current_dir(dir.path())
        .args(["scan", "--max-file-size", &most, "a.env"]);
    run(&mut command).expect_code(1);
    let mut command = leakward();
    command.args(["scan", "--max-file-size", &most, "-"]);
    common::run_with_stdin(&mut command, format!("T={}\n", github_token()).as_bytes())
        .expect_code(1);

    let repo = Repo::new();
    repo.commit_file("a.env", format!("T={}\n", github_token()));
    repo.write("b.env", format!("T={}\n", github_token()));
    repo.git(&["add", "b.env"]);
    for args in [&["history"][..], &["staged"], &["audit", "."]] {
        let mut all = args.to_vec();
        all.extend(["--max-file-size", &most]);
        let run = repo.leakward(&all);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
    }
}

#[test]
fn a_fifo_under_a_directory_is_counted_and_never_opened() {
    let dir = tempdir();
    mkfifo(&dir.path().join("pipe"));
    write(dir.path(), "a.txt", "nothing\n");
    let mut command = leakward();
    command.current_dir(dir.path()).args(["scan", "."]);
    let run = run(&mut command);
    run.expect_code(0);
    assert!(
        run.stderr.contains("scanned 1 file")
            && run
                .stderr
                .contains("skipped 1 special file (fifos, sockets, devices: not read)"),
        "{}",
        run.stderr
    );
}

#[test]
fn threads_a_process_limit_forbids_are_an_error_not_a_panic() {
    // Under `ulimit -u` rayon could not start its pool: the error was discarded and the
    // first parallel scan panicked (exit 101). A limit of one process allows no thread.
    let dir = tempdir();
    let d = dir.path();
    write(d, "a.txt", "nothing\n");
    std::fs::copy(env!("CARGO_BIN_EXE_leakward"), d.join("leakward")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    for args in ["scan a.txt", "scan --threads 2 a.txt"] {
        let script = format!("ulimit -u 1 && exec ./leakward {args}");
        // Root's own processes are not limited: the limit is tried as `nobody`.
        let mut command = if common::is_root() {
            let mut command = Command::new("setpriv");
            command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "bash"]);
            command
        } else {
            Command::new("bash")
        };
        command.current_dir(d).arg("-c").arg(&script);
        let run = run(&mut command);
        expect_one_line_error(&run, &["cannot start", "worker threads", "ulimit -u"]);
    }
}
