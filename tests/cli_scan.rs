//! `leakward scan` end to end: what is found and where, what is filtered or skipped, and
//! ordering. Exit codes are in `cli_exit.rs`, terminal safety in `cli_terminal.rs`.
//!
//! Every test runs the real binary on files it writes to a temporary directory. Assertions
//! name rule ids rather than counting findings, so a growing rule catalog does not break them.

mod common;

use std::path::Path;

use common::{
    aws_key_id, finding_of, github_token, leakward, password_line, run_with_stdin, scan_in,
    tempdir, write,
};

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

/// Lines and columns are 1-based; columns count characters, not bytes; CRLF and a missing
/// final newline change nothing.
#[test]
fn lines_and_columns_count_characters_whatever_the_line_endings() {
    let prefixes = ["", "  ", "\t", "é=", "日本語 = ", "\u{feff}x "];
    for ending in ["\n", "\r\n"] {
        let dir = tempdir();
        let mut text = format!("first line{ending}{ending}");
        for prefix in prefixes {
            text.push_str(&format!("{prefix}{}{ending}", github_token()));
        }
        text.push_str(&format!("last {}", github_token()));
        write(dir.path(), "t.txt", &text);
        let run = scan_in(dir.path(), &["--format", "json", "."]);
        run.expect_code(1);
        let got: Vec<(u64, u64)> = run
            .findings()
            .iter()
            .filter(|f| f["rule_id"] == "github-pat-classic")
            .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
            .collect();
        let mut want: Vec<(u64, u64)> = prefixes
            .iter()
            .enumerate()
            .map(|(i, p)| (i as u64 + 3, p.chars().count() as u64 + 1))
            .collect();
        want.push((prefixes.len() as u64 + 3, 6));
        assert_eq!(got, want, "line ending {ending:?}");
    }
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
fn standard_input_over_the_size_limit_is_not_scanned_and_fails_the_run() {
    // Issue 19: the input is the whole scan, so skipping it leaves nothing judged (exit 2).
    let mut input = format!("T={}\n", github_token());
    input.push_str(&"filler line\n".repeat(200_000));
    let mut command = leakward();
    command.args(["scan", "--max-file-size", "1K", "-"]);
    let run = run_with_stdin(&mut command, input.as_bytes());
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("cannot read <stdin>: larger than 1.0 KiB (raise with --max-file-size)"),
        "{}",
        run.stderr
    );
}

#[test]
fn binary_files_are_scanned_as_text_runs_and_oversized_ones_skipped_and_counted() {
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
    // Issue 19: a NUL byte does not hide the token on the line before it.
    run.expect_code(1);
    assert_eq!(path_lines(&run), ["image.bin:1"], "{}", run.stdout);
    assert!(
        run.stderr.contains("1 binary (text runs scanned)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("skipped 1 over 1.0 KiB"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("scanned 2 files"), "{}", run.stderr);

    // The limit is what skipped it: raised, the same file is scanned and its token found.
    let raised = scan_in(
        dir.path(),
        &["--format", "json", "--max-file-size", "1M", "."],
    );
    raised.expect_code(1);
    assert_eq!(path_lines(&raised), ["big.txt:1", "image.bin:1"]);
}

/// `path:line` of every finding of a JSON report.
fn path_lines(run: &common::Run) -> Vec<String> {
    let findings = run.findings();
    findings
        .iter()
        .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]))
        .collect()
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
