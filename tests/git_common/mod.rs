//! Throwaway git repositories for integration tests, built with the `git` CLI (never gix),
//! with a pinned environment so no test depends on the machine's git configuration.

#![allow(dead_code)] // Each test crate uses a different part of it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use leakward::scan::checksum::base62_crc32;

/// A temporary repository; deleted when dropped.
pub struct Repo {
    _dir: tempfile::TempDir,
    /// The top of the main work tree.
    pub root: PathBuf,
}

impl Repo {
    /// `git init` on branch `main` in a fresh temporary directory.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).unwrap();
        let repo = Repo { _dir: dir, root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A path next to the work tree, inside the temporary directory.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.root.parent().unwrap().join(name)
    }

    /// Runs git in the work tree and panics unless it succeeds.
    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.root, args)
    }

    /// Writes `bytes` to `path` (relative to the work tree), creating parent directories.
    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let full = self.root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    /// Writes, stages and commits one file.
    pub fn commit_file(&self, path: &str, bytes: impl AsRef<[u8]>) {
        self.write(path, bytes);
        self.git(&["add", path]);
        self.git(&["commit", "-q", "-m", &format!("add {path}")]);
    }

    /// Runs `leakward ARGS` in the work tree.
    pub fn leakward(&self, args: &[&str]) -> Run {
        leakward_in(&self.root, args, &[])
    }
}

/// The pinned environment: no global or system config, a fixed identity, and the built
/// binary first on `PATH` so hooks find it. Variables git sets for hooks are cleared, in
/// case the tests themselves run from one.
pub fn command(program: &str, dir: &Path) -> Command {
    let bin = Path::new(env!("CARGO_BIN_EXE_leakward")).parent().unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("PATH", std::env::join_paths(paths).unwrap())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("NO_COLOR", "1");
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX"] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs git in `dir` and panics unless it succeeds; returns its standard output.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = command("git", dir).args(args).output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs the built `leakward` in `dir` with extra environment variables.
pub fn leakward_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = command(env!("CARGO_BIN_EXE_leakward"), dir);
    cmd.args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    Run::from(cmd.output().expect("run leakward"))
}

/// The result of one process run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// The `path:line` of every finding in a text report.
    pub fn places(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter(|line| !line.starts_with(' ') && !line.is_empty())
            .filter_map(|line| line.split_whitespace().next())
            .map(|place| {
                place
                    .rsplit_once(':')
                    .map_or(place, |(pl, _col)| pl)
                    .to_string()
            })
            .collect()
    }
}

/// A fresh GitHub classic token with a valid checksum, which the built-in rule
/// `github-pat-classic` reports with high confidence. Generated so that no token-shaped
/// literal lives in the sources.
pub fn github_token() -> String {
    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut state = nanos
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        | 1;
    let payload: String = (0..30)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            BASE62[(state % 62) as usize] as char
        })
        .collect();
    let tail = base62_crc32(crc32fast::hash(payload.as_bytes()));
    format!("ghp_{payload}{}", String::from_utf8_lossy(&tail))
}
