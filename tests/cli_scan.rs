//! `leakward scan` end to end: what is found and where, what is filtered or skipped, exit
//! codes, ordering, and output that stays safe for a terminal and a closed pipe.
//!
//! Every test runs the real binary on files it writes to a temporary directory. Assertions
//! name rule ids rather than counting findings, so a growing rule catalog does not break them.

mod common;

use std::path::Path;

use common::{
    aws_key_id, github_token, is_root, leakward, password_line, password_value, run,
    run_with_stdin, scan_in, tempdir, write,
};

/// The finding of `rule` in a JSON report, if there is one.
fn finding_of<'a>(findings: &'a [serde_json::Value], rule: &str) -> Option<&'a serde_json::Value> {
    findings.iter().find(|f| f["rule_id"] == rule)
}

#[test]
fn secrets_are_reported_with_rule_path_line_and_column() {
    let dir = tempdir();
    let token = github_token();
    let key = aws_key_id();
    write(
        dir.path(),
        "config/app.env",
        format!("# settings\n  GITHUB = {token}\n\nkey: {key}\n"),
    );

    let json = scan_in(dir.path(), &["--format", "json", "."]);
    json.expect_code(1);
    let findings = json.findings();
    let cases: &[(&str, u64, u64)] = &[("github-pat-classic", 2, 12), ("aws-access-key-id", 4, 6)];
    for &(rule, line, column) in cases {
        let f = finding_of(&findings, rule).unwrap_or_else(|| panic!("{rule} not reported"));
        assert_eq!(f["path"], "config/app.env", "{rule}");
        assert_eq!(f["line"], line, "{rule}");
        assert_eq!(f["column"], column, "{rule}");
        assert_eq!(f["confidence"], "high", "{rule}");
    }

    let text = scan_in(dir.path(), &["."]);
    text.expect_code(1);
    assert!(
        text.stdout
            .contains("config/app.env:2:12  github-pat-classic"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("config/app.env:4:6  aws-access-key-id"),
        "{}",
        text.stdout
    );
}

#[test]
fn placeholders_and_documented_example_keys_are_not_reported() {
    let dir = tempdir();
    let lines = [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE".to_string(),
        format!("token = ghp_{}", "x".repeat(36)),
        format!("token = ghp_{}", "0".repeat(36)),
        "GITHUB_TOKEN=ghp_${TOKEN}".to_string(),
        password_line("${DB_PASSWORD}"),
        password_line("<your-token>"),
        password_line("changeme"),
        password_line("xxxxxxxxxxxx"),
        password_line("123456789"),
    ];
    write(dir.path(), "settings.env", lines.join("\n") + "\n");

    let run = scan_in(dir.path(), &["--format", "json", "."]);
    run.expect_code(0);
    for rule in [
        "github-pat-classic",
        "aws-access-key-id",
        "generic-password",
    ] {
        assert!(
            finding_of(&run.findings(), rule).is_none(),
            "{rule} reported a placeholder:\n{}",
            run.stdout
        );
    }
}

#[test]
fn inline_markers_allow_their_line_only() {
    for marker in [
        "leakward:allow",
        "gitleaks:allow",
        "pragma: allowlist secret",
    ] {
        let dir = tempdir();
        let allowed = github_token();
        let other = github_token();
        write(
            dir.path(),
            "app.py",
            format!("TOKEN = \"{allowed}\"  # {marker}\nOTHER = \"{other}\"\n"),
        );
        let run = scan_in(dir.path(), &["--format", "json", "--show-secrets", "."]);
        run.expect_code(1);
        let secrets: Vec<_> = run.findings().iter().map(|f| f["secret"].clone()).collect();
        assert!(
            !secrets.contains(&allowed.as_str().into()),
            "{marker:?} did not allow its line: {secrets:?}"
        );
        assert!(
            secrets.contains(&other.as_str().into()),
            "{marker:?} allowed another line: {secrets:?}"
        );

        write(
            dir.path(),
            "app.py",
            format!("TOKEN = \"{allowed}\"  # {marker}\n"),
        );
        scan_in(dir.path(), &["."]).expect_code(0);
    }
}

#[test]
fn standard_input_is_scanned_as_stdin() {
    let token = github_token();
    let mut command = leakward();
    command.args(["scan", "--format", "json", "-"]);
    let run = run_with_stdin(&mut command, format!("export T={token}\n").as_bytes());
    run.expect_code(1);
    let findings = run.findings();
    let f = finding_of(&findings, "github-pat-classic").expect("token on stdin reported");
    assert_eq!(f["path"], "<stdin>");
    assert_eq!(f["line"], 1);
    assert_eq!(f["column"], 10);
}

#[test]
fn binary_and_oversized_files_are_skipped_and_counted() {
    let dir = tempdir();
    let mut binary = format!("T={}\n", github_token()).into_bytes();
    binary.extend_from_slice(b"\0\x01\x02 binary tail");
    write(dir.path(), "image.bin", binary);
    let big = format!("T={}\n{}", github_token(), "a = 1\n".repeat(400));
    write(dir.path(), "big.txt", &big);
    write(dir.path(), "small.txt", "nothing to see\n");

    let run = scan_in(
        dir.path(),
        &["--format", "json", "--max-file-size", "1K", "."],
    );
    run.expect_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("skipped 1 binary"), "{}", run.stderr);
    assert!(
        run.stderr.contains("skipped 1 over 1.0 KiB"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("scanned 1 file"), "{}", run.stderr);

    // The limit is what skipped it: raised, the same file is scanned and its token found.
    let raised = scan_in(
        dir.path(),
        &["--format", "json", "--max-file-size", "1M", "."],
    );
    raised.expect_code(1);
    assert_eq!(raised.findings()[0]["path"], "big.txt");
}

#[test]
fn gitignored_files_are_skipped_unless_no_ignore() {
    let dir = tempdir();
    write(dir.path(), ".gitignore", "secrets/\n*.log\n");
    write(
        dir.path(),
        "secrets/prod.env",
        format!("T={}\n", github_token()),
    );
    write(dir.path(), "debug.log", format!("K={}\n", aws_key_id()));
    write(dir.path(), "main.rs", "fn main() {}\n");

    scan_in(dir.path(), &["."]).expect_code(0);

    let run = scan_in(dir.path(), &["--format", "json", "--no-ignore", "."]);
    run.expect_code(1);
    let paths: Vec<_> = run.findings().iter().map(|f| f["path"].clone()).collect();
    assert!(paths.contains(&"secrets/prod.env".into()), "{paths:?}");
    assert!(paths.contains(&"debug.log".into()), "{paths:?}");
}

#[test]
fn the_git_directory_is_never_scanned() {
    let dir = tempdir();
    write(
        dir.path(),
        ".git/config",
        format!("token = {}\n", github_token()),
    );
    write(
        dir.path(),
        ".git/logs/HEAD",
        format!("key {}\n", aws_key_id()),
    );
    write(
        dir.path(),
        "sub/.git/config",
        format!("t {}\n", github_token()),
    );
    write(dir.path(), "README", "hello\n");
    for extra in [&[][..], &["--no-ignore"][..]] {
        let mut args = extra.to_vec();
        args.push(".");
        let run = scan_in(dir.path(), &args);
        run.expect_code(0);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn exit_code_is_0_when_clean_and_1_when_a_finding_blocks() {
    let dir = tempdir();
    write(
        dir.path(),
        "src/lib.rs",
        "pub fn add(a: u8, b: u8) -> u8 { a + b }\n",
    );
    scan_in(dir.path(), &["."]).expect_code(0);

    // A medium finding is reported but does not block by default.
    write(
        dir.path(),
        "db.env",
        password_line(&password_value()) + "\n",
    );
    let medium = scan_in(dir.path(), &["--format", "json", "."]);
    medium.expect_code(0);
    assert!(medium.rule_ids().contains(&"generic-password".to_string()));

    write(dir.path(), "ci.env", format!("T={}\n", github_token()));
    scan_in(dir.path(), &["."]).expect_code(1);
    scan_in(dir.path(), &["--block-on", "medium", "ci.env"]).expect_code(1);
}

/// Regression: the per-file limit kept the first findings in file order and the exit code
/// counted only those, so a high-confidence token after enough medium findings was dropped
/// and the run exited 0: the limit failed open.
#[test]
fn findings_over_the_per_file_limit_still_block() {
    let dir = tempdir();
    let mut lines: Vec<String> = (0..3).map(|_| password_line(&password_value())).collect();
    lines.push(format!("T={}", github_token()));
    write(dir.path(), "a.env", lines.join("\n") + "\n");

    let capped = scan_in(dir.path(), &["--max-findings-per-file", "3", "."]);
    capped.expect_code(1);
    assert!(
        capped.stderr.contains("1 more not shown"),
        "{}",
        capped.stderr
    );
    assert!(
        capped.stderr.contains("1 of them blocking"),
        "{}",
        capped.stderr
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
        format!("{} a.env\n", token["fingerprint"].as_str().unwrap()),
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
fn output_is_sorted_and_identical_across_runs() {
    let dir = tempdir();
    for i in (0..60).rev() {
        let body = format!(
            "a = 1\nK{i} = {}\nT{i} = {}\nb = 2 # {}\n",
            aws_key_id(),
            github_token(),
            github_token()
        );
        write(dir.path(), &format!("d{}/f{i:02}.txt", i % 7), body);
    }
    let first = scan_in(dir.path(), &["--format", "jsonl", "-j", "4", "."]);
    first.expect_code(1);
    let second = scan_in(dir.path(), &["--format", "jsonl", "-j", "1", "."]);
    assert_eq!(first.stdout, second.stdout, "two runs differ");

    let keys: Vec<(String, u64, u64)> = first
        .stdout
        .lines()
        .map(|line| {
            let f: serde_json::Value = serde_json::from_str(line).unwrap();
            let path = f["path"].as_str().unwrap().to_string();
            (
                path,
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(keys.len() >= 180, "{} findings", keys.len());
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "findings are not sorted by path, line, column"
    );
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

#[test]
fn no_color_flag_and_environment_print_no_escapes() {
    let dir = tempdir();
    write(dir.path(), "a.env", format!("T={}\n", github_token()));
    let mut with_env = leakward();
    with_env
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["scan", "."]);
    let runs = [
        scan_in(dir.path(), &["--no-color", "."]),
        run(&mut with_env),
        scan_in(dir.path(), &["."]),
    ];
    for run in &runs {
        run.expect_code(1);
        assert!(run.stdout.contains("github-pat-classic"), "{}", run.stdout);
        assert!(!run.stdout.contains("\x1b["), "{:?}", run.stdout);
        assert!(!run.stderr.contains("\x1b["), "{:?}", run.stderr);
    }
}

/// On a terminal (a pseudo-terminal from util-linux `script`), text is colored unless
/// `--no-color` or `NO_COLOR` says otherwise; other formats never are.
#[test]
fn color_only_on_a_terminal_and_never_when_told_not_to() {
    let probe = std::process::Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no util-linux `script` to provide a terminal");
        return;
    }
    let dir = tempdir();
    write(dir.path(), "a.env", format!("T={}\n", github_token()));
    let on_terminal = |args: &str, no_color: bool| {
        let mut command = std::process::Command::new("script");
        let line = format!("'{}' scan {args} a.env", env!("CARGO_BIN_EXE_leakward"));
        command
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .args(["-qec", &line, "/dev/null"]);
        if no_color {
            command.env("NO_COLOR", "1");
        }
        run(&mut command)
    };
    let cases: &[(&str, bool, bool)] = &[
        ("", false, true),
        ("--no-color", false, false),
        ("", true, false),
        ("--format json", false, false),
    ];
    for &(args, no_color, colored) in cases {
        let run = on_terminal(args, no_color);
        assert!(run.stdout.contains("github-pat-classic"), "{}", run.stdout);
        assert_eq!(
            run.stdout.contains("\x1b["),
            colored,
            "{args:?} NO_COLOR={no_color}: {:?}",
            run.stdout
        );
    }
}

#[test]
fn escape_sequences_in_names_and_lines_are_neutralised() {
    let dir = tempdir();
    let name = "a\x1b[31mb.env";
    write(
        dir.path(),
        name,
        format!("\x1b]0;pwned\x07 T={}\n", github_token()),
    );
    let run = scan_in(dir.path(), &["."]);
    run.expect_code(1);
    assert!(run.stdout.contains("github-pat-classic"), "{}", run.stdout);
    for stream in [&run.stdout, &run.stderr] {
        assert!(!stream.contains('\x1b'), "raw escape in {stream:?}");
        assert!(!stream.contains('\x07'), "raw bell in {stream:?}");
    }
    assert!(
        run.stdout.contains("a\\u{1b}[31mb.env:1:"),
        "{}",
        run.stdout
    );

    // Names are also neutralised when the file is named on the command line.
    let direct = scan_in(dir.path(), &[name]);
    direct.expect_code(1);
    assert!(!direct.stdout.contains('\x1b'), "{:?}", direct.stdout);
}

/// Regression: `a.env` given next to `.` (which also yields `./a.env`) was scanned twice
/// and counted twice in the summary.
#[test]
fn a_file_named_twice_is_scanned_once() {
    let dir = tempdir();
    write(dir.path(), "a.env", format!("T={}\n", github_token()));
    let run = scan_in(dir.path(), &["--format", "jsonl", ".", "a.env", "./a.env"]);
    run.expect_code(1);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stderr.contains("scanned 1 file "), "{}", run.stderr);
}

#[test]
fn a_file_given_directly_is_named_as_given() {
    let dir = tempdir();
    write(dir.path(), "sub/x.env", format!("T={}\n", github_token()));
    let run = scan_in(dir.path(), &["--format", "json", "./sub/x.env"]);
    run.expect_code(1);
    assert_eq!(run.findings()[0]["path"], "sub/x.env");
}

/// The tests generate their tokens at run time; none may sit in the source.
#[test]
fn this_repository_scans_clean() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = scan_in(Path::new(root), &["--format", "json", "."]);
    run.expect_code(0);
    for finding in run.findings() {
        let path = finding["path"].as_str().unwrap_or_default();
        assert!(
            !path.starts_with("tests/") && !path.starts_with("benches/"),
            "a test holds a secret: {finding}"
        );
    }
}
