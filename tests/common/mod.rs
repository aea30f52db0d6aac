//! Shared set-up for the command-line tests: run the real `leakward` binary, make throwaway
//! directories, and generate fake credentials at test time.
//!
//! Tokens are generated, never written out literally, so that `leakward scan .` on this
//! repository stays clean. They are random but well-formed: a GitHub classic token carries a
//! valid CRC32 tail, so it is reported with high confidence.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use leakward::scan::checksum::base62_crc32;
use leakward::scan::entropy::shannon;

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

/// What a finished run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` if a signal ended the process.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with everything the run printed unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
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
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Runs with `--format json`: the `findings` array.
    #[track_caller]
    pub fn findings(&self) -> Vec<serde_json::Value> {
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
}

/// The finding of `rule` in a JSON report's findings, if there is one.
pub fn finding_of<'a>(
    findings: &'a [serde_json::Value],
    rule: &str,
) -> Option<&'a serde_json::Value> {
    findings.iter().find(|f| f["rule_id"] == rule)
}

/// Runs a command to completion, with no input.
pub fn run(command: &mut Command) -> Run {
    finish(command.output().expect("the leakward binary runs"))
}

/// Runs a command with `input` on its standard input.
pub fn run_with_stdin(command: &mut Command, input: &[u8]) -> Run {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the leakward binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(input).expect("write to stdin");
    drop(stdin);
    finish(
        child
            .wait_with_output()
            .expect("the leakward binary finishes"),
    )
}

fn finish(output: Output) -> Run {
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
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

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE32_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

thread_local! {
    static STATE: Cell<u64> = Cell::new(RandomState::new().hash_one(std::process::id()));
}

/// A random 64-bit number (splitmix64 over a per-thread random seed).
fn next_random() -> u64 {
    STATE.with(|state| {
        let mut z = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        state.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// `len` random characters of `alphabet`.
pub fn random_string(alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[(next_random() % alphabet.len() as u64) as usize] as char)
        .collect()
}

/// Keeps drawing until a value is clearly random: high entropy and no accidental word that
/// the placeholder filter looks for, so a test never fails on an unlucky draw.
fn draw(min_entropy: f64, make: impl Fn() -> String) -> String {
    loop {
        let value = make();
        let lower = value.to_ascii_lowercase();
        let wordy = ["xxx", "example", "dummy", "test", "fake", "here"]
            .iter()
            .any(|w| lower.contains(w));
        if shannon(value.as_bytes()) >= min_entropy && !wordy {
            return value;
        }
    }
}

/// A fake GitHub classic token whose CRC32 tail validates: `ghp_` + 30 base62 + 6 checksum.
pub fn github_token() -> String {
    draw(4.0, || {
        let payload = random_string(BASE62, 30);
        let tail = base62_crc32(crc32fast::hash(payload.as_bytes()));
        format!("ghp_{payload}{}", std::str::from_utf8(&tail).unwrap())
    })
}

/// A fake AWS access key id: `AKIA` + 16 characters of `[A-Z2-7]`.
pub fn aws_key_id() -> String {
    draw(3.5, || format!("AKIA{}", random_string(BASE32_UPPER, 16)))
}

/// A random password-like value of base62 characters.
pub fn password_value() -> String {
    draw(3.5, || random_string(BASE62, 20))
}

/// A line that the built-in `generic-password` rule (medium confidence) reports.
pub fn password_line(value: &str) -> String {
    // Split so that this source file never holds the assignment the rule looks for.
    format!("pass{}word = \"{value}\"", "")
}

/// True if the tests run as root, who can read files whatever their mode.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
