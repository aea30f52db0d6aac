//! Throwaway repositories for the audit tests, built with the `git` CLI with a fixed clock
//! and identity, and a way to run `leakward audit` on them.
//!
//! Git's global config points at an empty file inside the temporary directory rather than
//! `/dev/null`: the tests must not depend on the machine's `/dev/null` being a device.

#![allow(dead_code)]

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A repository in a temporary directory, with git isolated from the user's configuration.
pub struct Repo {
    dir: tempfile::TempDir,
    clock: Cell<u64>,
}

impl Repo {
    /// `git init -b main` in a new temporary directory.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(dir.path().join("gitconfig"), "").unwrap();
        std::fs::create_dir(dir.path().join("work")).unwrap();
        let repo = Repo {
            dir,
            clock: Cell::new(1_714_564_800),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// The work tree.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// A path next to the work tree.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs git in the work tree, one minute after the previous call, and returns its
    /// trimmed standard output; panics if git fails.
    pub fn git(&self, args: &[&str]) -> String {
        let date = format!("{} +0000", self.clock.get());
        self.clock.set(self.clock.get() + 60);
        let output = self
            .command("git")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Packs every reachable object into one pack and deletes their loose copies, without
    /// `git gc` (which feeds `/dev/null` to `pack-objects`).
    pub fn pack(&self) {
        use std::io::Write;
        let objects = self.git(&["rev-list", "--objects", "--all"]);
        let mut child = self
            .command("git")
            .args(["pack-objects", "-q", ".git/objects/pack/pack"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{objects}\n").as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "git pack-objects failed");
        self.git(&["prune-packed"]);
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

    /// Runs `leakward audit DIR ARGS`.
    pub fn audit(&self, dir: &Path, args: &[&str]) -> Output {
        self.command(env!("CARGO_BIN_EXE_leakward"))
            .arg("audit")
            .arg(dir)
            .args(args)
            .output()
            .expect("leakward runs")
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", self.dir.path().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Tester")
            .env("GIT_AUTHOR_EMAIL", "tester@example.com")
            .env("GIT_COMMITTER_NAME", "Tester")
            .env("GIT_COMMITTER_EMAIL", "tester@example.com")
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
        command
    }
}

/// The JSON audit document and the exit code.
pub fn audit_json(repo: &Repo, dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["-f", "json", "-q", "--show-secrets"];
    all.extend(args);
    let out = repo.audit(dir, &all);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), doc)
}

/// The audit entry of `secret`.
pub fn entry<'a>(doc: &'a Value, secret: &str) -> &'a Value {
    doc["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["secret"] == secret)
        .unwrap_or_else(|| panic!("{secret} not found in {doc:#}"))
}

/// The labels of what reaches an entry.
pub fn reach(entry: &Value) -> Vec<String> {
    entry["reached_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["kind"].as_str().unwrap(),
                r["label"].as_str().unwrap()
            )
        })
        .collect()
}

pub fn commit_secret(repo: &Repo, path: &str, message: &str) -> (String, String) {
    let secret = super::githist_common::token();
    repo.write(path, &format!("TOKEN={secret}\n"));
    let id = repo.commit_as("Alice", message);
    (secret, id)
}
