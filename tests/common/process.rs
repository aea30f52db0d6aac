//! Running the `leakward` binary and reading what it printed: the exit code, stdout,
//! stderr, and the findings of a JSON report.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A `leakward` command with a predictable environment: no `NO_COLOR`, no user git config.
pub fn leakward() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leakward"));
    command
        .env_remove("NO_COLOR")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("XDG_CONFIG_HOME", "/nonexistent-leakward-test")
        .stdin(Stdio::null());
    command
}

/// `leakward scan ARGS...` run inside `dir`, so reports name files relative to it.
pub fn scan_in(dir: &Path, args: &[&str]) -> Run {
    let mut command = leakward();
    command.current_dir(dir).arg("scan").args(args);
    run(&mut command)
}

/// `(rule_id, confidence)` of every finding of a `--format json` scan of `dir`.
pub fn rules_and_confidences(dir: &Path) -> Vec<(String, String)> {
    scan_in(dir, &[".", "--format", "json", "--quiet"])
        .findings()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("rule_id"), s("confidence"))
        })
        .collect()
}

/// What a finished run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// The exit code; -1 if a signal ended the process.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with everything the run printed unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The non-empty lines of stderr.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    /// Parses stdout as one JSON document.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n--- stderr\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Runs with `--format json`: the `findings` array.
    #[track_caller]
    pub fn findings(&self) -> Vec<Value> {
        self.json()["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("no findings array:\n{}", self.stdout))
            .clone()
    }

    /// Runs with `--format json`: the rule ids of every finding, in report order.
    #[track_caller]
    pub fn rule_ids(&self) -> Vec<String> {
        self.findings()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The `path:line` of every finding in a text report.
    pub fn places(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter(|line| !line.starts_with(' ') && !line.is_empty())
            .filter_map(|line| line.split_whitespace().next())
            .map(|place| {
                place
                    .rsplit_once(':')
                    .map_or(place, |(path_line, _column)| path_line)
                    .to_string()
            })
            .collect()
    }
}

/// The finding of `rule` in a JSON report's findings, if there is one.
pub fn finding_of<'a>(findings: &'a [Value], rule: &str) -> Option<&'a Value> {
    findings.iter().find(|f| f["rule_id"] == rule)
}

/// A finding's commit id, path and line, for compact assertions.
pub fn place(finding: &Value) -> (String, String, u64) {
    (
        finding["commit"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        finding["path"].as_str().unwrap_or_default().to_string(),
        finding["line"].as_u64().unwrap_or_default(),
    )
}

/// Every finding's place, sorted.
pub fn places(findings: &[Value]) -> Vec<(String, String, u64)> {
    let mut out: Vec<_> = findings.iter().map(place).collect();
    out.sort();
    out
}

/// Runs a command to completion, with no input.
pub fn run(command: &mut Command) -> Run {
    Run::from(command.output().expect("the command runs"))
}

/// Runs a command with `input` on its standard input.
pub fn run_with_stdin(command: &mut Command, input: &[u8]) -> Run {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // A command may exit without reading all of its input; that is its answer, not an error.
    let _ = stdin.write_all(input);
    drop(stdin);
    Run::from(child.wait_with_output().expect("the command finishes"))
}

/// A fresh temporary directory, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("leakward-test-")
        .tempdir()
        .expect("create a temporary directory")
}

/// Writes `content` to `dir/relative`, creating parent directories.
pub fn write(dir: &Path, relative: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent directories");
    }
    std::fs::write(&path, content).expect("write a test file");
}

/// True if the tests run as root, who can read files whatever their mode.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Whether util-linux `script` is here to run a command on a pseudo-terminal, as the tests
/// of terminal-only output (colour, progress) need.
pub fn script_gives_a_terminal() -> bool {
    Command::new("script")
        .args(["-qec", "true", "/dev/null"])
        .output()
        .is_ok_and(|o| o.status.success())
}
