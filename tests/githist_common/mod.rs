//! Throwaway git repositories built with the `git` CLI, fake tokens made at run time, and a
//! way to run the `leakward` binary on them, for the history and pre-push tests.
#![allow(dead_code)]

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

/// A repository in a temporary directory, with git isolated from the user's configuration.
pub struct Repo {
    dir: tempfile::TempDir,
    clock: Cell<u64>,
}

impl Repo {
    /// `git init -b main` in a new temporary directory.
    pub fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("temporary directory"),
            clock: Cell::new(1_714_564_800),
        };
        repo.git(&["init", "-q", "-b", "main", "work"]);
        repo
    }

    /// The work tree.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// A directory next to the work tree, for remotes.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs git in the work tree (or in the temporary directory for `init`) and returns
    /// its trimmed standard output; panics if git fails.
    pub fn git(&self, args: &[&str]) -> String {
        let output = self.git_output(args);
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Runs git and returns whatever it did.
    pub fn git_output(&self, args: &[&str]) -> Output {
        let cwd = if args.first() == Some(&"init") {
            self.dir.path().to_path_buf()
        } else {
            self.path()
        };
        let date = format!("{} +0000", self.clock.get());
        self.clock.set(self.clock.get() + 60);
        isolated(Command::new("git"))
            .current_dir(cwd)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(args)
            .output()
            .expect("git runs")
    }

    /// Writes `content` to `path` in the work tree, creating directories.
    pub fn write(&self, path: &str, content: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }

    /// Stages everything and commits as `author`; returns the new commit id.
    pub fn commit_as(&self, author: &str, message: &str) -> String {
        self.git(&["add", "-A"]);
        let identity = format!("{author} <{}@example.com>", author.to_lowercase());
        self.git(&[
            "commit",
            "-q",
            "--allow-empty",
            "--author",
            &identity,
            "-m",
            message,
        ]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Stages everything and commits as Tester.
    pub fn commit(&self, message: &str) -> String {
        self.commit_as("Tester", message)
    }

    /// Runs `leakward ARGS --repo WORK` with `stdin` as standard input.
    pub fn leakward(&self, args: &[&str], stdin: &str) -> Output {
        run_leakward(&self.path(), args, stdin)
    }

    /// Runs `leakward SUBCOMMAND ARGS -f json -q` and returns the exit code and findings.
    pub fn findings(&self, args: &[&str], stdin: &str) -> (i32, Vec<Value>) {
        let mut all = args.to_vec();
        all.extend(["-f", "json", "-q"]);
        let output = self.leakward(&all, stdin);
        let code = output.status.code().expect("exit code");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(code != 2, "leakward {args:?} failed: {stderr}");
        let document: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("leakward {args:?}: not JSON ({e}): {stderr}"));
        (
            code,
            document["findings"].as_array().cloned().unwrap_or_default(),
        )
    }
}

fn isolated(mut command: Command) -> Command {
    command
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}

/// Runs the `leakward` binary with `--repo repo` appended to `args`.
pub fn run_leakward(repo: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = isolated(Command::new(env!("CARGO_BIN_EXE_leakward")))
        .args(args)
        .arg("--repo")
        .arg(repo)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("leakward runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A fresh fake GitHub classic token with a valid checksum: `ghp_`, 30 random base62
/// characters, and their CRC32 in base62. Made at run time so that no source file holds one.
pub fn token() -> String {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut x = seed ^ STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) | 1;
    let payload: String = (0..30)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            BASE62[(x % 62) as usize] as char
        })
        .collect();
    let tail = leakward::scan::checksum::base62_crc32(crc32fast::hash(payload.as_bytes()));
    format!("{}_{payload}{}", "ghp", String::from_utf8_lossy(&tail))
}

/// A findings' commit id, path and line, for compact assertions.
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
