//! `leakward install` and `leakward uninstall`: write leakward's hook scripts into a
//! repository's hooks directory, and take them out again.
//!
//! The scripts ship inside the binary, so installing needs nothing but `leakward` itself.
//! A marker line tells leakward's hooks from anyone else's: a foreign hook is never
//! overwritten without `--force` (which keeps it as `<hook>.before-leakward`), never removed,
//! and put back by `uninstall`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::error::{Error, IoFailure, Result, WriteFailure};
use crate::source::git;

/// Prints one line of what was done. The hooks are in place whether or not anyone reads
/// it, so a closed standard output (`leakward install | head -0`) is not an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(io::stdout(), $($arg)*);
    }};
}

/// The line every leakward hook script carries.
pub(super) const MARKER: &str = "leakward:managed-hook";

/// A hook leakward can install: git's name for it, the script, and how another hook can
/// call leakward instead (chaining).
struct Hook {
    name: &'static str,
    script: &'static str,
    chain: &'static str,
}

const PRE_COMMIT: Hook = Hook {
    name: "pre-commit",
    script: include_str!("../../hooks/pre-commit"),
    chain: "add `leakward staged` to it",
};

const PRE_PUSH: Hook = Hook {
    name: "pre-push",
    script: include_str!("../../hooks/pre-push"),
    chain: "add `leakward pre-push \"$@\"` to it, passing on git's standard input",
};

/// Runs `leakward install`: the pre-commit hook, and the pre-push hook with `pre_push`,
/// replacing hooks that are not leakward's only with `force`.
pub(super) fn install(repo: Option<&Path>, pre_push: bool, force: bool) -> Result<ExitCode> {
    let dir = hooks_dir(repo)?;
    let mut hooks = vec![PRE_COMMIT];
    if pre_push {
        hooks.push(PRE_PUSH);
    }
    // Check every hook before writing any, so a refusal leaves nothing half installed.
    let mut foreign = Vec::new();
    for hook in &hooks {
        let path = dir.join(hook.name);
        if read_existing(&path)?.is_some_and(|text| !text.contains(MARKER)) {
            if !force {
                return Err(Error::Usage(format!(
                    "{} exists and is not leakward's: to chain them, {}; to replace it, rerun with --force",
                    shown(&path),
                    hook.chain
                )));
            }
            let backup = backup_path(&path);
            if backup.symlink_metadata().is_ok() {
                return Err(Error::Usage(format!(
                    "{} exists and is not leakward's, and {} is taken by an earlier one: move one of them away first",
                    shown(&path),
                    shown(&backup)
                )));
            }
            foreign.push(path);
        }
    }
    fs::create_dir_all(&dir).map_err(|source| Error::Output {
        path: dir.clone(),
        source: WriteFailure(source),
    })?;
    for hook in &hooks {
        let path = dir.join(hook.name);
        if foreign.contains(&path) {
            let backup = backup_path(&path);
            fs::rename(&path, &backup).map_err(|source| Error::Output {
                path: backup.clone(),
                source: WriteFailure(source),
            })?;
            say!(
                "leakward: moved the existing {} hook to {}",
                hook.name,
                shown(&backup)
            );
        }
        write_script(&path, hook.script)?;
        say!(
            "leakward: installed the {} hook: {}",
            hook.name,
            shown(&path)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `leakward uninstall`: removes the hooks that carry leakward's marker.
pub(super) fn uninstall(repo: Option<&Path>) -> Result<ExitCode> {
    let dir = hooks_dir(repo)?;
    let mut removed = 0;
    for hook in [PRE_COMMIT, PRE_PUSH] {
        let path = dir.join(hook.name);
        match read_existing(&path)? {
            Some(text) if text.contains(MARKER) => {
                fs::remove_file(&path).map_err(|source| Error::Output {
                    path: path.clone(),
                    source: WriteFailure(source),
                })?;
                say!("leakward: removed the {} hook: {}", hook.name, shown(&path));
                removed += 1;
                restore_backup(&path)?;
            }
            Some(_) => say!(
                "leakward: left {} alone: it is not leakward's",
                shown(&path)
            ),
            None => {}
        }
    }
    if removed == 0 {
        say!("leakward: no leakward hooks in {}", shown(&dir));
    }
    Ok(ExitCode::SUCCESS)
}

/// Puts back the hook that `install --force` moved aside, if there is one.
fn restore_backup(hook: &Path) -> Result<()> {
    let backup = backup_path(hook);
    if backup.symlink_metadata().is_err() {
        return Ok(());
    }
    fs::rename(&backup, hook).map_err(|source| Error::Output {
        path: hook.to_path_buf(),
        source: WriteFailure(source),
    })?;
    say!(
        "leakward: restored the hook it replaced: {} (from {})",
        shown(hook),
        shown(&backup)
    );
    Ok(())
}

/// Where git looks for the hooks of the repository at `repo_arg` (default: the current
/// directory's).
fn hooks_dir(repo_arg: Option<&Path>) -> Result<PathBuf> {
    git::repo::hooks_dir(repo_arg.unwrap_or(Path::new(".")))
}

/// Where `install --force` keeps the hook it replaces.
fn backup_path(hook: &Path) -> PathBuf {
    let mut name = hook.file_name().unwrap_or_default().to_os_string();
    name.push(".before-leakward");
    hook.with_file_name(name)
}

/// The text of the hook at `path`, or `None` if there is none.
fn read_existing(path: &Path) -> Result<Option<String>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            context: format!("cannot read {}", shown(path)),
            source: IoFailure(source),
        }),
    }
}

fn write_script(path: &Path, script: &str) -> Result<()> {
    let failed = |source: io::Error| Error::Output {
        path: path.to_path_buf(),
        source: WriteFailure(source),
    };
    fs::write(path, script).map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(failed)?;
    }
    Ok(())
}

/// A hook path as printed: `core.hooksPath` comes from the repository, so its control
/// characters are escaped and bytes that are not UTF-8 shown as `\xHH`.
fn shown(path: &Path) -> String {
    crate::report::text::safe(&crate::path_text::from_path(path))
}
