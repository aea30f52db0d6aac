//! Limits under hostile input for `leakward scan DIR`: a very long line, a file full of
//! matches, a file over the size limit, symbolic links (loops and links out of the root), a
//! very deep tree and many tiny files. Each stays bounded in time and output, and every limit
//! that bites is named in the summary with the flag that changes it.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{github_token, random_string, scan_in, tempdir, write};
use leakward::internals::is_placeholder;

/// Only the test rule runs, so timings measure the pipeline, not the catalog.
const RULE: &str = r#"
no_default_rules = true
[[rule]]
id = "lim-token"
description = "test token"
regex = 'tok_([0-9a-f]{16})'
keywords = ["tok_"]
confidence = "high"
"#;

/// `count` distinct `tok_` tokens, each reported by the test rule.
fn tokens(count: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let secret = random_string(b"0123456789abcdef", 16);
        if !is_placeholder(secret.as_bytes()) {
            out.push(format!("tok_{secret}"));
        }
    }
    out
}

/// Fails if `run` took longer than `limit`: a guard against hangs and quadratic blow-ups (the
/// long-line case once took 84 s in a release build), not a speed claim, so every limit is
/// several times what a loaded 2-core machine needs for a debug build; benchmarks carry speed.
#[track_caller]
fn within(started: Instant, limit: Duration, what: &str) {
    let took = started.elapsed();
    assert!(took < limit, "{what} took {took:?}, over {limit:?}");
}

#[test]
fn a_long_minified_line_prints_a_bounded_window_and_scans_in_linear_time() {
    let dir = tempdir();
    let d = dir.path();
    write(d, ".leakward.toml", RULE);
    // 20,000 matches on one 420 KB line: before per-line facts were computed once, this
    // took 84 s in a release build (each match looked at the whole line again).
    write(d, "bundle.min.js", tokens(20_000).join(";") + "\n");
    let started = Instant::now();
    let run = scan_in(d, &[".", "-f", "json", "--max-findings-per-file", "5"]);
    within(
        started,
        Duration::from_secs(60),
        "20,000 matches on one line",
    );
    run.expect_code(1);
    for finding in run.findings() {
        let shown = finding["line_text"].as_str().unwrap();
        // 80 characters either side of the redacted secret, and two ellipses.
        assert!(shown.chars().count() <= 2 * 80 + 16 + 2, "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
    }

    // One secret in the middle of a 2 MB line of code: the window is still 80 characters.
    let dir = tempdir();
    let token = github_token();
    let filler = "a=b;".repeat(250_000);
    write(
        dir.path(),
        "app.min.js",
        format!("{filler}k=\"{token}\";{filler}\n"),
    );
    let run = scan_in(dir.path(), &[".", "-f", "json"]);
    run.expect_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1);
    let shown = findings[0]["line_text"].as_str().unwrap();
    assert!(shown.chars().count() < 200, "{shown}");
    assert!(!shown.contains(&token), "the secret stays redacted");
    assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
}

#[test]
fn the_per_file_cap_bites_is_reported_and_can_be_raised() {
    let dir = tempdir();
    let d = dir.path();
    write(d, ".leakward.toml", RULE);
    write(d, "many.txt", tokens(5_000).join("\n") + "\n");
    let started = Instant::now();
    let run = scan_in(d, &[".", "-f", "json", "--max-findings-per-file", "50"]);
    within(started, Duration::from_secs(60), "5,000 matches");
    run.expect_code(1);
    assert_eq!(run.findings().len(), 50);
    assert!(
        run.stderr.contains(
            "4950 more not shown (per-file limit; raise with --max-findings-per-file), some of them blocking"
        ),
        "{}",
        run.stderr
    );
    let default = scan_in(d, &[".", "-f", "json"]);
    assert_eq!(default.findings().len(), 100, "the default cap");
    let raised = scan_in(d, &[".", "-f", "json", "--max-findings-per-file", "5000"]);
    assert_eq!(raised.findings().len(), 5_000);
    assert!(
        !raised.stderr.contains("per-file limit"),
        "{}",
        raised.stderr
    );
}

#[test]
fn a_file_over_the_size_limit_is_skipped_unread_and_reported() {
    let dir = tempdir();
    let d = dir.path();
    write(d, ".leakward.toml", RULE);
    // A sparse 1 GiB file costs no disk; reading it would take seconds and a GiB of memory.
    let huge = std::fs::File::create(d.join("huge.bin")).unwrap();
    huge.set_len(1 << 30).unwrap();
    write(
        d,
        "small.txt",
        format!("k = {}\n{}\n", tokens(1)[0], "x".repeat(2000)),
    );
    let started = Instant::now();
    let run = scan_in(d, &["."]);
    within(started, Duration::from_secs(5), "skipping a 1 GiB file");
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("skipped 1 over 10.0 MiB (raise with --max-file-size)"),
        "{}",
        run.stderr
    );
    // The flag moves the limit both ways.
    let lowered = scan_in(d, &[".", "--max-file-size", "1K"]);
    lowered.expect_code(0);
    assert!(
        lowered.stderr.contains("skipped 2 over 1.0 KiB"),
        "{}",
        lowered.stderr
    );
    let raised = scan_in(d, &["small.txt", "--max-file-size", "3K"]);
    raised.expect_code(1);
}

#[cfg(unix)]
#[test]
fn symlinks_are_counted_not_followed_so_loops_end_and_nothing_outside_is_read() {
    use std::os::unix::fs::symlink;
    let outside = tempdir();
    write(
        outside.path(),
        "secret.txt",
        format!("k = {}\n", tokens(1)[0]),
    );
    let dir = tempdir();
    let d = dir.path();
    write(d, ".leakward.toml", RULE);
    write(d, "sub/inside.txt", format!("k = {}\n", tokens(1)[0]));
    symlink(outside.path(), d.join("out_dir")).unwrap();
    symlink(outside.path().join("secret.txt"), d.join("out_file")).unwrap();
    symlink(".", d.join("self")).unwrap();
    symlink("..", d.join("sub/up")).unwrap();
    symlink("loop2", d.join("loop1")).unwrap();
    symlink("loop1", d.join("loop2")).unwrap();
    let started = Instant::now();
    let run = scan_in(d, &[".", "-f", "json"]);
    within(started, Duration::from_secs(5), "a tree with symlink loops");
    run.expect_code(1);
    let paths: Vec<String> = run
        .findings()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        paths,
        ["sub/inside.txt"],
        "nothing outside the root is read"
    );
    assert!(
        run.stderr.contains("skipped 6 symlinks (not followed)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_tree_deeper_than_the_path_limit_fails_closed_without_overflowing_the_stack() {
    let dir = tempdir();
    let d = dir.path();
    write(d, ".leakward.toml", RULE);
    write(d, "top.txt", format!("k = {}\n", tokens(1)[0]));
    // 5,000 levels of `d/` is a 10,000-byte path, past Linux's 4,096-byte PATH_MAX, so it
    // is built one relative step at a time, in a child process (the working directory is
    // process-wide).
    let status = std::process::Command::new("python3")
        .current_dir(d)
        .args([
            "-c",
            "import os\nfor _ in range(5000):\n os.mkdir('d'); os.chdir('d')\nopen('leaf.txt','w').write('x')",
        ])
        .status();
    let Ok(status) = status else {
        eprintln!("python3 is not available: the deep tree is built by the manual check only");
        return;
    };
    assert!(status.success());
    let started = Instant::now();
    let run = scan_in(d, &[".", "-f", "json", "--no-ignore"]);
    within(started, Duration::from_secs(30), "a 5,000-level tree");
    // What cannot be reached is reported, and the run fails closed; the rest is scanned.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("(scan incomplete)"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.findings().len(), 1);
    remove_deep(d);
}

/// Removes a tree too deep for absolute paths, innermost first, by relative steps.
fn remove_deep(dir: &Path) {
    let _ = std::process::Command::new("python3")
        .current_dir(dir)
        .args([
            "-c",
            "import os\nn=0\nwhile os.path.isdir('d'):\n os.chdir('d'); n+=1\nfor f in os.listdir('.'): os.remove(f)\nfor _ in range(n):\n os.chdir('..'); os.rmdir('d')",
        ])
        .status();
}

#[test]
fn many_tiny_files_are_all_scanned() {
    let dir = tempdir();
    let d = dir.path();
    write(d, ".leakward.toml", RULE);
    for i in 0..3_000 {
        write(d, &format!("d{}/f{i}.txt", i % 30), format!("value {i}\n"));
    }
    write(d, "d7/secret.txt", format!("k = {}\n", tokens(1)[0]));
    let started = Instant::now();
    let run = scan_in(d, &[".", "-f", "json"]);
    within(started, Duration::from_secs(60), "3,000 tiny files");
    run.expect_code(1);
    assert!(run.stderr.contains("scanned 3002 files"), "{}", run.stderr);
    assert_eq!(run.findings().len(), 1);
}
