//! Hostile file names are printed safely: names with control characters, terminal escape
//! sequences, newlines, CSV separators, invalid UTF-8 or `..` never put a raw control byte
//! on any output, never break a report's format, and still name their file unambiguously.
//! Covers files in a scanned directory and paths in git trees (staged, history, audit).

mod common;

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Stdio};

use leakward::internals::path_text;
use leakward::internals::safe;

/// File names that would misbehave if printed raw; each is a valid Unix file name and a
/// valid git path.
const NAMES: &[&[u8]] = &[
    b"ctl\x01\x02.env",
    b"red\x1b[31mX\x1b[0m.env",
    b"title\x1b]0;pwned\x07.env",
    b"two\nlines.env",
    b"cr\rreturn.env",
    b"bad\xffutf8.env",
    b"bad\xfeutf8.env",
    b"comma,\"quote\".env",
    b"=HYPERLINK(1).env",
    b"del\x7f.env",
    b"c1\xc2\x9bcsi.env",
];

/// What one run printed, as bytes.
struct Printed {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn run(command: &mut Command, stdin: &[u8]) -> Printed {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("leakward runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    Printed {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

/// Fails if `bytes` are not UTF-8 or hold a control character other than a line break.
#[track_caller]
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| {
        panic!(
            "{what}: not UTF-8 ({e}): {:?}",
            String::from_utf8_lossy(bytes)
        )
    });
    let raw: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(
        raw.is_empty(),
        "{what}: raw control characters {raw:?} in {text:?}"
    );
}

/// The name of `bytes` as leakward's JSON reports it.
fn json_name(prefix: &str, bytes: &[u8]) -> String {
    format!("{prefix}{}", path_text::from_bytes(bytes))
}

/// A directory holding one file with a token under each hostile name.
fn hostile_directory() -> tempfile::TempDir {
    let dir = common::tempdir();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    for name in NAMES {
        let path = dir.path().join("d").join(OsStr::from_bytes(name));
        std::fs::write(path, format!("T={}\n", common::github_token())).unwrap();
    }
    dir
}

fn scan(dir: &Path, args: &[&str]) -> Printed {
    let mut command = common::leakward();
    command.current_dir(dir).arg("scan").args(args);
    run(&mut command, b"")
}

#[test]
fn every_format_of_a_directory_scan_is_clean_and_names_each_file() {
    let dir = hostile_directory();
    let want: Vec<String> = NAMES.iter().map(|n| json_name("d/", n)).collect();
    for format in ["text", "json", "jsonl", "sarif", "csv"] {
        let printed = scan(dir.path(), &["-f", format, "d"]);
        assert_eq!(
            printed.code,
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&printed.stderr)
        );
        assert_clean(&format!("{format} stdout"), &printed.stdout);
        assert_clean(&format!("{format} stderr"), &printed.stderr);
        let stdout = String::from_utf8(printed.stdout).unwrap();
        let mut got: Vec<String> = match format {
            "json" => serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["path"].as_str().unwrap().to_string())
                .collect(),
            "jsonl" => stdout
                .lines()
                .map(|l| {
                    let finding: serde_json::Value = serde_json::from_str(l).unwrap();
                    finding["path"].as_str().unwrap().to_string()
                })
                .collect(),
            "sarif" => sarif_paths(&stdout),
            "csv" => csv_paths(&stdout),
            _ => text_paths(&stdout),
        };
        got.sort();
        let mut want: Vec<String> = match format {
            "text" => want.iter().map(|w| safe(w)).collect(),
            "csv" => want.iter().map(|w| csv_name(w)).collect(),
            _ => want.clone(),
        };
        want.sort();
        assert_eq!(got, want, "{format}: every file, each under its own name");
    }
}

/// The path of each SARIF result, percent-decoded back to the file's bytes and shown as
/// leakward shows paths.
fn sarif_paths(stdout: &str) -> Vec<String> {
    let sarif: serde_json::Value = serde_json::from_str(stdout).unwrap();
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(uri.bytes().all(|b| b.is_ascii_graphic()), "uri {uri:?}");
            path_text::from_bytes(&percent_decode(uri))
        })
        .collect()
}

fn percent_decode(uri: &str) -> Vec<u8> {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = std::str::from_utf8(&bytes[at + 1..at + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

/// CSV: one line per finding after the header, and the path cell (the fourth) of each.
fn csv_paths(stdout: &str) -> Vec<String> {
    let mut lines = stdout.lines();
    assert!(
        lines.next().unwrap().starts_with("rule_id,"),
        "header: {stdout}"
    );
    lines
        .map(|line| {
            let cells = split_csv(line);
            assert_eq!(cells.len(), 12, "one row per line: {line:?}");
            cells[3].clone()
        })
        .collect()
}

/// Splits one RFC 4180 row (quoted cells with `""` for a quote).
fn split_csv(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(String::new()),
            _ => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

/// A path as a CSV cell holds it: control characters escaped, formulas defused.
fn csv_name(name: &str) -> String {
    let mut escaped = String::new();
    for c in name.chars() {
        if c.is_control() {
            escaped.extend(c.escape_unicode());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// The `path` of every `path:line:column  rule` heading of a text report.
fn text_paths(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .map(|l| {
            let place = l.split("  ").next().unwrap();
            let (rest, _column) = place.rsplit_once(':').unwrap();
            rest.rsplit_once(':').unwrap().0.to_string()
        })
        .collect()
}

#[test]
fn a_terminal_sees_no_raw_escapes_either() {
    let probe = Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no util-linux `script` to provide a terminal");
        return;
    }
    let dir = hostile_directory();
    let line = format!("'{}' scan d", env!("CARGO_BIN_EXE_leakward"));
    let mut command = Command::new("script");
    command
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .args(["-qec", &line, "/dev/null"]);
    let printed = run(&mut command, b"");
    let text = String::from_utf8(printed.stdout).expect("UTF-8 on the terminal");
    // The terminal shows leakward's own colors; nothing else may reach it raw.
    let without_colors = [
        "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[33m", "\x1b[36m",
    ]
    .iter()
    .fold(text.replace("\r\n", "\n"), |t, code| t.replace(code, ""));
    assert_clean("terminal", without_colors.as_bytes());
    for name in NAMES {
        let shown = safe(&json_name("d/", name));
        assert!(
            without_colors.contains(&format!("{shown}:1:")),
            "{shown:?} in {without_colors}"
        );
    }
}

#[test]
fn paths_with_dot_dot_are_reported_as_given() {
    let dir = hostile_directory();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let sub = dir.path().join("sub");
    let name = NAMES[1];
    let mut target = b"../d/".to_vec();
    target.extend_from_slice(name);
    let mut command = common::leakward();
    command
        .current_dir(&sub)
        .args(["scan", "-f", "json"])
        .arg(OsStr::from_bytes(&target))
        .arg("../d/../d/bad\u{fffd}missing");
    let printed = run(&mut command, b"");
    // The second path does not exist: one line naming it, exit 2.
    assert_eq!(printed.code, Some(2));
    assert_clean("stderr", &printed.stderr);
    let stderr = String::from_utf8(printed.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("../d/../d/bad\u{fffd}missing"), "{stderr}");

    let mut command = common::leakward();
    command
        .current_dir(&sub)
        .args(["scan", "-f", "json"])
        .arg(OsStr::from_bytes(&target));
    let printed = run(&mut command, b"");
    assert_eq!(printed.code, Some(1));
    let json: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
    assert_eq!(json["findings"][0]["path"], json_name("../d/", name));
}

#[test]
fn error_messages_and_the_summary_escape_names() {
    let dir = hostile_directory();
    for name in NAMES {
        let mut missing = b"gone/".to_vec();
        missing.extend_from_slice(name);
        let mut command = common::leakward();
        command
            .current_dir(dir.path())
            .arg("scan")
            .arg(OsStr::from_bytes(&missing));
        let printed = run(&mut command, b"");
        assert_eq!(printed.code, Some(2));
        assert_clean("error", &printed.stderr);
        let stderr = String::from_utf8(printed.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(&safe(&json_name("gone/", name))),
            "{stderr}"
        );
    }
    // An unreadable output path with a hostile name, and a config file with one.
    let mut command = common::leakward();
    command
        .current_dir(dir.path())
        .args(["scan", "-o"])
        .arg(OsStr::from_bytes(b"no/dir/\x1b[31mout\xff.json"))
        .arg("d");
    let printed = run(&mut command, b"");
    assert_eq!(printed.code, Some(2));
    assert_clean("output error", &printed.stderr);
    let stderr = String::from_utf8(printed.stderr).unwrap();
    assert!(
        stderr.contains("no/dir/\\u{1b}[31mout\\xff.json"),
        "{stderr}"
    );
}

/// A repository whose tree holds a secret under each hostile name; git's index accepts
/// any byte but NUL and `/` in a name (and refuses `..` components).
fn hostile_repository() -> common::Repo {
    let repo = common::Repo::new();
    repo.commit_file("README.md", "a project\n");
    let mut records = Vec::new();
    for name in NAMES {
        let blob = hash_object(&repo, format!("T={}\n", common::github_token()).as_bytes());
        records.extend_from_slice(format!("100644 {blob}\t").as_bytes());
        records.extend_from_slice(name);
        records.push(0);
    }
    let mut command = common::command("git", &repo.root);
    command.args(["update-index", "-z", "--index-info"]);
    let printed = run(&mut command, &records);
    assert_eq!(
        printed.code,
        Some(0),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    repo
}

fn hash_object(repo: &common::Repo, content: &[u8]) -> String {
    let mut command = common::command("git", &repo.root);
    command.args(["hash-object", "-w", "--stdin"]);
    let printed = run(&mut command, content);
    String::from_utf8(printed.stdout)
        .unwrap()
        .trim()
        .to_string()
}

fn leakward_in(repo: &common::Repo, args: &[&str]) -> Printed {
    let mut command = common::command(env!("CARGO_BIN_EXE_leakward"), &repo.root);
    command.args(args);
    run(&mut command, b"")
}

/// The paths of a JSON report's findings, or of an audit's secret locations.
fn reported_paths(json: &serde_json::Value) -> Vec<String> {
    let mut paths: Vec<String> = if let Some(findings) = json["findings"].as_array() {
        findings
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    } else {
        json["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["locations"].as_array().unwrap().clone())
            .map(|l| l["path"].as_str().unwrap().to_string())
            .collect()
    };
    paths.sort();
    paths.dedup();
    paths
}

#[test]
fn git_tree_paths_are_reported_safely_by_staged_history_and_audit() {
    let repo = hostile_repository();
    let mut want: Vec<String> = NAMES.iter().map(|n| json_name("", n)).collect();
    want.sort();
    let check = |args: &[&str]| {
        for format in ["json", "text", "csv"] {
            let mut all = args.to_vec();
            all.extend(["-f", format]);
            let printed = leakward_in(&repo, &all);
            assert_eq!(
                printed.code,
                Some(1),
                "{all:?}: {}",
                String::from_utf8_lossy(&printed.stderr)
            );
            assert_clean(&format!("{all:?} stdout"), &printed.stdout);
            assert_clean(&format!("{all:?} stderr"), &printed.stderr);
            if format == "json" {
                let json: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
                assert_eq!(reported_paths(&json), want, "{all:?}");
            }
        }
    };
    check(&["staged"]);
    repo.git(&["commit", "-q", "-m", "hostile names"]);
    check(&["history"]);
    check(&["audit"]);
    // The audit finds every secret still at HEAD: paths go back to tree bytes exactly.
    let audit = leakward_in(&repo, &["audit", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    for secret in json["secrets"].as_array().unwrap() {
        let locations = secret["locations"].as_array().unwrap();
        assert!(
            locations.iter().all(|l| !l["commit"].is_null()),
            "each location has the commit that holds it: {secret}"
        );
    }
}
