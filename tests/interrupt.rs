//! Ctrl-C and SIGTERM during a long `scan`, `history` or `audit`: the run stops promptly,
//! prints one line, exits 130, and reports nothing.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Repo;
use common::{leakward, tempdir, write};

/// Files of text dense with rule keywords: a debug build needs many seconds to scan them.
const FILES: usize = 40;
const LINES_PER_FILE: usize = 5_000;

/// How long the run gets to start before the signal, and the most the signal may take.
const HEAD_START: Duration = Duration::from_millis(1500);
const PROMPT: Duration = Duration::from_secs(2);

fn keyword_heavy_text(seed: usize) -> String {
    (0..LINES_PER_FILE)
        .map(|n| {
            format!("let api_key_{seed}_{n} = lookup(\"password secret token aws github\");\n")
        })
        .collect()
}

fn fill(dir: &Path) {
    for i in 0..FILES {
        write(dir, &format!("src/f{i:02}.txt"), keyword_heavy_text(i));
    }
}

/// Sends `signal` to a running child after [`HEAD_START`], and returns how long it took
/// to exit and what it printed. Fails if the child ended before the signal: then the input
/// is too small to show anything.
fn interrupt(mut child: Child, signal: &str) -> (Duration, Option<i32>, String, String) {
    std::thread::sleep(HEAD_START);
    assert!(
        child.try_wait().expect("poll the child").is_none(),
        "the run finished before the signal; make the input larger"
    );
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal}");
    let sent = Instant::now();
    let deadline = sent + Duration::from_secs(60);
    while child.try_wait().expect("poll the child").is_none() {
        assert!(
            Instant::now() < deadline,
            "still running 60 s after {signal}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = sent.elapsed();
    let output = child.wait_with_output().expect("collect the output");
    (
        took,
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[track_caller]
fn assert_interrupted(
    what: &str,
    (took, code, stdout, stderr): (Duration, Option<i32>, String, String),
) {
    assert_eq!(code, Some(130), "{what}: exit code; stderr: {stderr}");
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        ["leakward: interrupted: the scan did not finish; no result"],
        "{what}: stderr"
    );
    assert!(stdout.is_empty(), "{what}: a partial report: {stdout}");
    assert!(took < PROMPT, "{what}: took {took:?} to stop");
    eprintln!("{what}: stopped {took:?} after the signal");
}

fn spawn(command: &mut Command) -> Child {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the leakward binary runs")
}

#[test]
fn scan_stops_on_sigint_and_sigterm() {
    let dir = tempdir();
    fill(dir.path());
    for signal in ["INT", "TERM"] {
        let mut command = leakward();
        command
            .current_dir(dir.path())
            .args(["scan", "-f", "json", "."]);
        assert_interrupted(
            &format!("scan, SIG{signal}"),
            interrupt(spawn(&mut command), signal),
        );
    }
}

#[test]
fn history_and_audit_stop_on_sigint() {
    let repo = Repo::new();
    fill(&repo.root);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "many keywords"]);
    for args in [&["history"][..], &["audit"]] {
        let mut command = common::command(env!("CARGO_BIN_EXE_leakward"), &repo.root);
        command.args(args).args(["-o", "report.json", "-f", "json"]);
        assert_interrupted(&format!("{args:?}"), interrupt(spawn(&mut command), "INT"));
        let report = std::fs::read(repo.root.join("report.json")).unwrap_or_default();
        assert!(report.is_empty(), "{args:?}: a partial report was written");
    }
}

/// An interrupted run leaves the report and baseline of the run before it as they were, and
/// no temporary file beside them (the handler removes it even when it ends the process).
#[test]
fn an_interrupt_leaves_existing_outputs_intact() {
    let dir = tempdir();
    fill(dir.path());
    let out = tempdir();
    write(out.path(), "report.json", "the last complete report\n");
    write(out.path(), "base.json", "the last baseline\n");
    let report = out.path().join("report.json");
    let baseline = out.path().join("base.json");
    let mut command = leakward();
    command
        .current_dir(dir.path())
        .args(["scan", "-f", "json", "-o"]);
    command
        .arg(&report)
        .arg("--write-baseline")
        .arg(&baseline)
        .arg(".");
    assert_interrupted("scan -o", interrupt(spawn(&mut command), "INT"));
    let read = |path: &Path| std::fs::read_to_string(path).expect("the old output is there");
    assert_eq!(read(&report), "the last complete report\n");
    assert_eq!(read(&baseline), "the last baseline\n");
    let names: Vec<_> = std::fs::read_dir(out.path())
        .expect("read the output directory")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert_eq!(names.len(), 2, "left behind: {names:?}");
}
