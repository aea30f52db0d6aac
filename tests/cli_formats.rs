//! Report formats of `leakward scan` (text, json, jsonl, csv, sarif), redaction in each,
//! and `--output`.

mod common;

use std::path::Path;

use common::{aws_key_id, github_token, scan_in, tempdir, write};
use serde_json::Value;

const FORMATS: &[&str] = &["text", "json", "jsonl", "csv", "sarif"];

/// A directory with one GitHub token (line 2) and one AWS key id (line 3) in `keys.env`.
fn two_secrets() -> (tempfile::TempDir, String, String) {
    let dir = tempdir();
    let token = github_token();
    let key = aws_key_id();
    write(
        dir.path(),
        "keys.env",
        format!("# keys\nGH={token}\nAWS={key}\n"),
    );
    (dir, token, key)
}

fn scan_format(dir: &Path, format: &str, extra: &[&str]) -> common::Run {
    let mut args = vec!["--format", format];
    args.extend_from_slice(extra);
    args.push(".");
    scan_in(dir, &args)
}

#[test]
fn json_has_a_version_and_the_finding_fields() {
    let (dir, _, _) = two_secrets();
    let run = scan_format(dir.path(), "json", &[]);
    run.expect_code(1);
    let doc = run.json();
    assert_eq!(doc["version"], 1, "{doc}");
    assert_eq!(doc["tool"]["name"], "leakward");
    let findings = run.findings();
    let github = findings
        .iter()
        .find(|f| f["rule_id"] == "github-pat-classic")
        .expect("github finding");
    for field in [
        "rule_id",
        "description",
        "confidence",
        "blocking",
        "path",
        "line",
        "column",
        "end_line",
        "secret",
        "redacted",
        "line_text",
        "fingerprint",
    ] {
        assert!(!github[field].is_null(), "missing {field}: {github}");
    }
    assert_eq!(github["path"], "keys.env");
    assert_eq!(github["line"], 2);
    assert_eq!(github["column"], 4);
    assert_eq!(github["blocking"], true);
    assert_eq!(github["redacted"], true);
    assert_eq!(github["fingerprint"].as_str().unwrap().len(), 32);
}

#[test]
fn jsonl_is_one_object_per_line() {
    let (dir, _, _) = two_secrets();
    let run = scan_format(dir.path(), "jsonl", &[]);
    run.expect_code(1);
    let mut ids = Vec::new();
    for line in run.stdout.lines() {
        let f: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}"));
        assert!(f.is_object(), "{line}");
        assert_eq!(f["version"], 1, "{line}");
        assert_eq!(f["path"], "keys.env", "{line}");
        ids.push(f["rule_id"].as_str().unwrap().to_string());
    }
    assert!(ids.contains(&"github-pat-classic".into()), "{ids:?}");
    assert!(ids.contains(&"aws-access-key-id".into()), "{ids:?}");

    let clean = tempdir();
    write(clean.path(), "a.txt", "nothing\n");
    let empty = scan_format(clean.path(), "jsonl", &[]);
    empty.expect_code(0);
    assert_eq!(empty.stdout, "");
}

#[test]
fn csv_has_a_header_and_one_row_per_finding() {
    let (dir, _, _) = two_secrets();
    let run = scan_format(dir.path(), "csv", &[]);
    run.expect_code(1);
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    for column in [
        "rule_id",
        "confidence",
        "path",
        "line",
        "column",
        "secret",
        "fingerprint",
    ] {
        assert!(header.contains(&column), "no {column} in {header:?}");
    }
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(row[at("path")], "keys.env");
    }
    let github = rows
        .iter()
        .find(|r| r[at("rule_id")] == "github-pat-classic")
        .expect("github row");
    assert_eq!(github[at("line")], "2");
    assert_eq!(github[at("column")], "4");
    assert!(rows.iter().any(|r| r[at("rule_id")] == "aws-access-key-id"));
}

#[test]
fn sarif_has_the_fields_github_code_scanning_needs() {
    let (dir, _, _) = two_secrets();
    let run = scan_format(dir.path(), "sarif", &[]);
    run.expect_code(1);
    let log = run.json();
    assert_eq!(log["version"], "2.1.0");
    let sarif_run = &log["runs"][0];
    let driver = &sarif_run["tool"]["driver"];
    assert_eq!(driver["name"], "leakward");
    let rule_ids: Vec<&str> = driver["rules"]
        .as_array()
        .expect("driver.rules")
        .iter()
        .map(|r| r["id"].as_str().expect("rule id"))
        .collect();
    let results = sarif_run["results"].as_array().expect("results");
    let mut seen = Vec::new();
    for result in results {
        let id = result["ruleId"].as_str().expect("ruleId");
        assert!(
            rule_ids.contains(&id),
            "{id} not in driver.rules {rule_ids:?}"
        );
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rule_ids[index], id, "ruleIndex points at another rule");
        assert!(result["message"]["text"].is_string(), "{result}");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "keys.env");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        let fingerprints = result["partialFingerprints"]
            .as_object()
            .expect("partialFingerprints");
        assert!(!fingerprints.is_empty(), "{result}");
        seen.push((id, location["region"]["startLine"].as_u64().unwrap()));
    }
    assert!(seen.contains(&("github-pat-classic", 2)), "{seen:?}");
    assert!(seen.contains(&("aws-access-key-id", 3)), "{seen:?}");
}

#[test]
fn secrets_are_redacted_in_every_format_unless_show_secrets() {
    let (dir, token, key) = two_secrets();
    for format in FORMATS {
        let redacted = scan_format(dir.path(), format, &[]);
        redacted.expect_code(1);
        for secret in [&token, &key] {
            assert!(
                !redacted.stdout.contains(secret.as_str()),
                "{format} prints a secret:\n{}",
                redacted.stdout
            );
            // Not even most of it: redaction keeps a short prefix only.
            assert!(
                !redacted.stdout.contains(&secret[..12]),
                "{format} prints too much of a secret:\n{}",
                redacted.stdout
            );
            assert!(!redacted.stderr.contains(&secret[..12]), "{format} stderr");
        }
        let shown = scan_format(dir.path(), format, &["--show-secrets"]);
        for secret in [&token, &key] {
            assert!(
                shown.stdout.contains(secret.as_str()),
                "{format} --show-secrets hides a secret:\n{}",
                shown.stdout
            );
        }
    }
}

/// Regression: each finding masked its own secret in the line it shows, but printed the
/// other secrets of that line in full.
#[test]
fn secrets_sharing_a_line_are_all_redacted() {
    let dir = tempdir();
    let token = github_token();
    let key = aws_key_id();
    let other = github_token();
    write(
        dir.path(),
        "one-line.env",
        format!("GH={token} AWS={key} AGAIN={token} GH2={other}\n"),
    );
    for format in FORMATS {
        let run = scan_format(dir.path(), format, &[]);
        run.expect_code(1);
        for secret in [&token, &key, &other] {
            assert!(
                !run.stdout.contains(&secret[..12]),
                "{format} prints a secret of the same line:\n{}",
                run.stdout
            );
        }
    }
    let shown = scan_format(dir.path(), "text", &["--show-secrets"]);
    assert!(
        shown.stdout.contains(&format!("GH={token} AWS={key}")),
        "{}",
        shown.stdout
    );
}

#[test]
fn output_flag_writes_the_report_to_a_file() {
    let (dir, _, _) = two_secrets();
    let out = tempdir();
    let report = out.path().join("report.json");
    let run = scan_in(
        dir.path(),
        &[
            "--format",
            "json",
            "--output",
            report.to_str().unwrap(),
            ".",
        ],
    );
    run.expect_code(1);
    assert_eq!(run.stdout, "", "nothing on stdout");
    let doc: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"github-pat-classic"), "{ids:?}");
}

#[test]
fn unwritable_output_fails_before_scanning() {
    let (dir, _, _) = two_secrets();
    let run = scan_in(
        dir.path(),
        &[
            "--output",
            "no/such/dir/report.txt",
            "--write-baseline",
            "b.json",
            ".",
        ],
    );
    run.expect_code(2);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].contains("no/such/dir/report.txt"), "{}", lines[0]);
    assert!(
        !run.stderr.contains("scanned"),
        "it scanned first: {}",
        run.stderr
    );
    assert!(!dir.path().join("b.json").exists(), "it scanned first");
}

#[test]
fn unwritable_baseline_fails_before_anything_is_written() {
    let (dir, _, _) = two_secrets();
    for baseline in ["no/such/dir/baseline.json", "keys.env/baseline.json"] {
        let run = scan_in(
            dir.path(),
            &["--write-baseline", baseline, "--output", "report.txt", "."],
        );
        run.expect_code(2);
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "{}", run.stderr);
        assert!(lines[0].contains(baseline), "{}", lines[0]);
        assert!(
            !dir.path().join("report.txt").exists(),
            "{baseline}: the report was opened before the baseline path was checked"
        );
    }
}

#[test]
fn text_gives_one_block_per_finding_with_a_hint() {
    let (dir, _, _) = two_secrets();
    let run = scan_format(dir.path(), "text", &[]);
    run.expect_code(1);
    let json = scan_format(dir.path(), "json", &[]);
    let findings = json.findings();
    let github = findings
        .iter()
        .find(|f| f["rule_id"] == "github-pat-classic")
        .unwrap();
    let block = run
        .stdout
        .split("\n\n")
        .find(|b| b.starts_with("keys.env:2:4  github-pat-classic"))
        .unwrap_or_else(|| panic!("no block for the token:\n{}", run.stdout));
    let fingerprint = github["fingerprint"].as_str().unwrap();
    for want in [
        "(high confidence, blocking)",
        "\n  secret:  ghp_",
        "\n  line:    GH=ghp_",
        "\n  fix:     ",
        &format!("`{fingerprint} keys.env` to .leakwardignore"),
    ] {
        assert!(block.contains(want), "{want:?} not in:\n{block}");
    }
}

#[test]
fn summary_on_stderr_counts_files_bytes_and_findings_unless_quiet() {
    let (dir, _, _) = two_secrets();
    write(dir.path(), "notes.md", "nothing here\n");
    let run = scan_format(dir.path(), "json", &[]);
    run.expect_code(1);
    let summary = run
        .stderr
        .lines()
        .find(|l| l.starts_with("leakward: scanned "))
        .unwrap_or_else(|| panic!("no summary:\n{}", run.stderr));
    for want in ["scanned 2 files (", " B) in ", "s; ", " high", " blocking)"] {
        assert!(summary.contains(want), "{want:?} not in {summary:?}");
    }
    assert!(run.stdout.starts_with('{'), "the summary stays off stdout");

    let quiet = scan_format(dir.path(), "json", &["--quiet"]);
    quiet.expect_code(1);
    assert_eq!(quiet.stderr, "", "--quiet prints nothing on stderr");
}
