//! Throwaway git repositories built with the `git` CLI (never gix), with a pinned
//! environment and a fixed clock, so no test depends on the machine's git configuration.

use std::cell::Cell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

use super::process::{run, run_with_stdin, Run};

/// A repository in a temporary directory (the work tree is `repo/` inside it); deleted
/// when dropped.
pub struct Repo {
    dir: tempfile::TempDir,
    /// The top of the work tree.
    pub root: PathBuf,
    clock: Cell<u64>,
}

impl Repo {
    /// `git init -b main` in a fresh temporary directory.
    pub fn new() -> Repo {
        let dir = super::process::tempdir();
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).expect("create the work tree");
        let repo = Repo {
            dir,
            root,
            clock: Cell::new(1_714_564_800),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// The work tree.
    pub fn path(&self) -> PathBuf {
        self.root.clone()
    }

    /// A path next to the work tree, inside the temporary directory (for remotes and clones).
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `git worktree add -b BRANCH` at a sibling path `name`; returns the new work tree.
    pub fn add_worktree(&self, name: &str, branch: &str) -> PathBuf {
        let linked = self.sibling(name);
        self.git(&[
            "worktree",
            "add",
            "-q",
            "-b",
            branch,
            linked.to_str().unwrap(),
        ]);
        linked
    }

    /// Runs git in the work tree and returns its trimmed standard output; panics if git fails.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        let output = self.git_output(args);
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Runs git in the work tree, one minute after the previous call, and returns whatever
    /// it did.
    pub fn git_output(&self, args: &[&str]) -> Output {
        let date = format!("{} +0000", self.clock.get());
        self.clock.set(self.clock.get() + 60);
        command("git", &self.root)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(args)
            .output()
            .expect("git runs")
    }

    /// Packs every reachable object into one pack and deletes their loose copies, without
    /// `git gc` (which feeds `/dev/null` to `pack-objects`).
    pub fn pack(&self) {
        let objects = self.git(&["rev-list", "--objects", "--all"]);
        let mut child = command("git", &self.root)
            .args(["pack-objects", "-q", ".git/objects/pack/pack"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("git runs");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin
            .write_all(format!("{objects}\n").as_bytes())
            .expect("write to git");
        drop(stdin);
        assert!(child.wait().unwrap().success(), "git pack-objects failed");
        self.git(&["prune-packed"]);
    }

    /// Writes `content` to `path` (relative to the work tree), creating directories.
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        super::process::write(&self.root, path, content);
    }

    /// Writes, stages and commits one file.
    pub fn commit_file(&self, path: &str, content: impl AsRef<[u8]>) {
        self.write(path, content);
        self.git(&["add", path]);
        self.git(&["commit", "-q", "-m", &format!("add {path}")]);
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

    /// Runs `leakward ARGS` in the work tree.
    pub fn leakward(&self, args: &[&str]) -> Run {
        leakward_in(&self.root, args, &[])
    }

    /// Runs `leakward ARGS` in the work tree with `input` on its standard input.
    pub fn leakward_with_input(&self, args: &[&str], input: &str) -> Run {
        let mut command = command(env!("CARGO_BIN_EXE_leakward"), &self.root);
        command.args(args);
        run_with_stdin(&mut command, input.as_bytes())
    }

    /// Runs `leakward ARGS -f json -q` in the work tree and returns the exit code and the
    /// findings; panics if the run failed.
    #[track_caller]
    pub fn findings(&self, args: &[&str], input: &str) -> (i32, Vec<Value>) {
        let mut all = args.to_vec();
        all.extend(["-f", "json", "-q"]);
        let run = self.leakward_with_input(&all, input);
        assert!(run.code != 2, "leakward {args:?} failed: {}", run.stderr);
        (run.code, run.findings())
    }

    /// Runs `leakward audit DIR ARGS`.
    pub fn audit(&self, dir: &Path, args: &[&str]) -> Run {
        let mut command = command(env!("CARGO_BIN_EXE_leakward"), &self.root);
        command.arg("audit").arg(dir).args(args);
        run(&mut command)
    }
}

/// `program` in `dir` with the pinned environment: an empty global git config, no system
/// config, a fixed identity, no colour, and the built binary first on `PATH` so hooks find
/// it. Variables git sets for hooks are cleared, in case the tests themselves run from one.
pub fn command(program: &str, dir: &Path) -> Command {
    let bin = Path::new(env!("CARGO_BIN_EXE_leakward")).parent().unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .env("PATH", std::env::join_paths(paths).unwrap())
        .env("GIT_CONFIG_GLOBAL", empty_git_config())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX"] {
        command.env_remove(var);
    }
    command
}

/// An empty file to stand for the global git config. Not `/dev/null`: the tests must not
/// depend on the machine's `/dev/null` being a device.
fn empty_git_config() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::temp_dir().join("leakward-test-empty-gitconfig");
        std::fs::write(&path, "").expect("write an empty git config");
        path
    })
}

/// Runs git in `dir` and panics unless it succeeds; returns its standard output.
#[track_caller]
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let output = command("git", dir).args(args).output().expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs the built `leakward` in `dir` with extra environment variables.
pub fn leakward_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = command(env!("CARGO_BIN_EXE_leakward"), dir);
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    run(&mut command)
}
