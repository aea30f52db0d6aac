//! Exit codes of `leakward scan` (0 clean, 1 blocking findings, 2 errors or gaps), one-line
//! errors, and a quiet end when the reader of stdout goes away.

mod common;

use std::path::Path;

use common::{
    finding_of, github_token, is_root, leakward, password_line, password_value, run,
    run_with_stdin, scan_in, tempdir, write,
};

#[test]
fn exit_code_is_0_when_clean_and_1_when_a_finding_blocks() {
    let dir = tempdir();
    write(
        dir.path(),
        "src/lib.rs",
        "pub fn add(a: u8, b: u8) -> u8 { a + b }\n",
    );
    scan_in(dir.path(), &["."]).expect_code(0);

    // A medium finding is reported but does not block by default (not in a dotenv file,
    // where a literal password is credential syntax and blocks).
    write(
        dir.path(),
        "db.conf",
        password_line(&password_value()) + "\n",
    );
    let medium = scan_in(dir.path(), &["--format", "json", "."]);
    medium.expect_code(0);
    assert!(medium
        .findings()
        .iter()
        .any(|f| f["confidence"] == "medium"));

    write(dir.path(), "ci.env", format!("T={}\n", github_token()));
    scan_in(dir.path(), &["."]).expect_code(1);
    scan_in(dir.path(), &["--block-on", "medium", "ci.env"]).expect_code(1);
}

/// Regression: the per-file limit kept the first findings in file order and the exit code
/// counted only those, so a high-confidence token after enough medium findings was dropped
/// and the run exited 0: the limit failed open. Now the most confident findings are kept.
#[test]
fn findings_over_the_per_file_limit_still_block() {
    let dir = tempdir();
    let mut lines: Vec<String> = (0..3).map(|_| password_line(&password_value())).collect();
    lines.push(format!("T={}", github_token()));
    write(dir.path(), "a.conf", lines.join("\n") + "\n");

    let capped = scan_in(dir.path(), &["--max-findings-per-file", "3", "."]);
    capped.expect_code(1);
    assert!(
        capped.stderr.contains("1 more not shown"),
        "{}",
        capped.stderr
    );
    let kept = scan_in(
        dir.path(),
        &["--max-findings-per-file", "3", "-f", "json", "."],
    );
    assert!(
        kept.rule_ids().contains(&"github-pat-classic".to_string()),
        "the high finding is kept over the medium ones: {}",
        kept.stdout
    );
    let mut command = leakward();
    command
        .current_dir(dir.path())
        .args(["scan", "--max-findings-per-file", "3", "-"]);
    let stdin = run_with_stdin(&mut command, (lines.join("\n") + "\n").as_bytes());
    stdin.expect_code(1);

    // A capped finding that the ignore file knows does not block.
    let full = scan_in(dir.path(), &["--format", "json", "."]);
    let findings = full.findings();
    let token = finding_of(&findings, "github-pat-classic").expect("token reported");
    write(
        dir.path(),
        ".leakwardignore",
        format!("{} a.conf\n", token["fingerprint"].as_str().unwrap()),
    );
    scan_in(dir.path(), &["--max-findings-per-file", "3", "."]).expect_code(0);
}

#[test]
fn missing_path_is_one_line_and_exit_2() {
    let dir = tempdir();
    let run = scan_in(dir.path(), &["no/such/dir"]);
    run.expect_code(2);
    assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("no/such/dir"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn bad_flags_exit_2() {
    let dir = tempdir();
    let cases: &[&[&str]] = &[
        &["--no-such-flag", "."],
        &["--format", "yaml", "."],
        &["--max-file-size", "lots", "."],
        &["--block-on", "critical", "."],
        &["-", "."],
    ];
    for args in cases {
        let run = scan_in(dir.path(), args);
        run.expect_code(2);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(first.contains("error"), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn unreadable_file_or_directory_fails_closed_with_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let dir = tempdir();
    write(dir.path(), "ok.txt", "fine\n");
    write(dir.path(), "locked.env", format!("T={}\n", github_token()));
    write(dir.path(), "closed/inner.env", "x\n");
    mode(&dir.path().join("locked.env"), 0o000);
    mode(&dir.path().join("closed"), 0o000);
    let mut command = if is_root() {
        // Root reads any file: run as `nobody` where the system allows it, else skip.
        let mut probe = std::process::Command::new("setpriv");
        probe.args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"]);
        if !probe.status().is_ok_and(|s| s.success()) {
            eprintln!("skipped: running as root, and setpriv cannot drop privileges");
            return;
        }
        mode(dir.path(), 0o755);
        let mut command = std::process::Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_leakward"));
        command
    } else {
        leakward()
    };
    command.current_dir(dir.path()).args(["scan", "."]);
    let run = run(&mut command);
    mode(&dir.path().join("locked.env"), 0o644);
    mode(&dir.path().join("closed"), 0o755);
    run.expect_code(2);
    for line in [
        "leakward: cannot read locked.env: permission denied",
        "leakward: cannot read closed: permission denied",
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line:?} in {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("2 unreadable"), "{}", run.stderr);
}

#[test]
fn closed_stdout_pipe_ends_quietly() {
    let dir = tempdir();
    for i in 0..40 {
        let body: String = (0..50)
            .map(|_| format!("T = {}\n", github_token()))
            .collect();
        write(dir.path(), &format!("f{i:02}.env"), body);
    }
    let script = format!(
        "{{ '{}' scan --format jsonl --max-findings-per-file 1000 . 2>err.txt; echo $? >rc.txt; }} | head -n 1",
        env!("CARGO_BIN_EXE_leakward")
    );
    let mut command = std::process::Command::new("sh");
    command.current_dir(dir.path()).args(["-c", &script]);
    let shell = run(&mut command);
    assert_eq!(shell.stdout.lines().count(), 1, "{}", shell.stdout);
    let stderr = std::fs::read_to_string(dir.path().join("err.txt")).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    let code = std::fs::read_to_string(dir.path().join("rc.txt")).unwrap();
    assert!(
        ["0", "1"].contains(&code.trim()),
        "exit code {code}: {stderr}"
    );
}

/// `explain` writes no report, so the report flags would be silently ignored there: clap
/// refuses them when it parses the command line, before anything is read (issue 17).
#[test]
fn explain_refuses_report_flags_at_parse_time() {
    let dir = tempdir();
    write(dir.path(), "a.txt", "nothing here\n");
    let cases: &[&[&str]] = &[
        &["--format", "json"],
        &["-o", "out.txt"],
        &["--write-baseline", "b.json"],
        &["--block-on", "low"],
        &["--quiet"],
        &["--threads", "2"],
    ];
    for flags in cases {
        let mut command = leakward();
        command
            .current_dir(dir.path())
            .arg("explain")
            .arg("a.txt")
            .args(*flags);
        let run = run(&mut command);
        run.expect_code(2);
        assert!(
            run.stderr.contains("unexpected argument"),
            "{flags:?}: {}",
            run.stderr
        );
        assert!(!dir.path().join("out.txt").exists() && !dir.path().join("b.json").exists());
    }
    let mut command = leakward();
    command
        .current_dir(dir.path())
        .args(["explain", "a.txt", "--show-secrets"]);
    run(&mut command).expect_code(0);
}
