//! Every report says whether the scan was complete (issue 19, item 2): JSON with `complete`
//! and `unreadable`, JSON Lines with a closing `incomplete` record, SARIF with
//! `executionSuccessful` and notifications, GitHub annotations with an `error` per item not
//! read, HTML with an "Incomplete" box; CSV holds findings only and the exit code says it.

mod common;

use serde_json::Value;

use common::{leakward, run_with_stdin, Run};

/// `leakward scan -q -f FORMAT -` of `input`, with a 1 KiB size limit.
fn scan(format: &str, input: &[u8]) -> Run {
    let mut command = leakward();
    command.args(["scan", "-q", "--max-file-size", "1K", "-f", format, "-"]);
    run_with_stdin(&mut command, input)
}

#[test]
fn every_format_says_whether_the_scan_was_complete() {
    let complete = b"nothing to see\n".as_slice();
    let too_large = vec![b'a'; 4096];
    for (input, code, done) in [(complete, 0, true), (too_large.as_slice(), 2, false)] {
        let json = scan("json", input);
        json.expect_code(code);
        let doc = json.json();
        assert_eq!(doc["complete"], done, "{doc:#}");
        assert_eq!(doc["unreadable"].as_array().unwrap().is_empty(), done);

        let sarif = scan("sarif", input);
        sarif.expect_code(code);
        let invocation = &sarif.json()["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], done, "{invocation:#}");

        let jsonl = scan("jsonl", input);
        jsonl.expect_code(code);
        let records: Vec<Value> = jsonl
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if done {
            assert!(records.is_empty(), "{}", jsonl.stdout);
        } else {
            assert_eq!(records.len(), 1, "{}", jsonl.stdout);
            assert_eq!(records[0]["kind"], "incomplete");
            assert_eq!(records[0]["unreadable"][0]["what"], "<stdin>");
        }

        let github = scan("github", input);
        github.expect_code(code);
        if done {
            assert_eq!(github.stdout, "", "{}", github.stdout);
        } else {
            assert_eq!(github.stdout.lines().count(), 1, "{}", github.stdout);
            assert!(
                github.stdout.starts_with(
                    "::error title=leakward%3A incomplete scan::cannot read <stdin>: larger than "
                ),
                "{}",
                github.stdout
            );
        }

        let html = scan("html", input);
        html.expect_code(code);
        assert_eq!(html.stdout.contains("Incomplete"), !done, "{}", html.stdout);

        let csv = scan("csv", input);
        csv.expect_code(code);
        assert_eq!(csv.stdout.lines().count(), 1, "header only: {}", csv.stdout);
    }
}
