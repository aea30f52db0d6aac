//! Ctrl-C and SIGTERM: stop a long scan promptly and never report what it saw as a result.
//!
//! A signal sets one process-wide flag. The readers (file walk, commit diffs, pack
//! traversals, lookups by id) and the rayon workers check it between files and objects and
//! stop taking new work; [`check`] turns it into [`Error::Interrupted`] before anything is
//! reported, so a half-finished scan never looks clean. Some steps cannot look at the flag
//! (one large tree diff, a ref listing inside gix), so the signal handler also keeps a
//! deadline: if the run has not ended by then, it ends the process itself with the same
//! message and exit code. A second signal ends it at once. Ending the process skips
//! destructors, so the handler removes the temporary output files itself
//! ([`remove_on_exit`]): a signal never leaves one behind, nor touches the file it would
//! have replaced.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::error::{Error, Result};

/// The exit code of a run stopped by a signal: 128 + SIGINT, as shells report it.
pub(crate) const EXIT_CODE: u8 = 130;

/// The one line printed when a signal stops a run.
pub(crate) const MESSAGE: &str = "interrupted: the scan did not finish; no result";

/// How long the workers get to notice the flag before the handler ends the process itself.
const GRACE: Duration = Duration::from_millis(400);

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Set once the message is printed: `main` and the handler's deadline may race to it.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Temporary output files that the handler removes before it ends the process.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Installs the handler for SIGINT, SIGTERM and SIGHUP. Called once, by `main`; a failure
/// (a handler already installed by an embedding program) leaves the default behaviour.
pub(crate) fn install() {
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            exit_now();
        }
        std::thread::sleep(GRACE);
        exit_now();
    });
}

/// Whether a signal asked the run to stop.
pub(crate) fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// The flag itself, for gix's pack traversal, which checks it between objects.
pub(crate) fn flag() -> &'static AtomicBool {
    &REQUESTED
}

/// Fails with [`Error::Interrupted`] if a signal asked the run to stop.
pub(crate) fn check() -> Result<()> {
    if requested() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// Has the handler remove `path` if a signal ends the process.
pub(crate) fn remove_on_exit(path: &Path) {
    let mut paths = TEMPORARY.lock().unwrap_or_else(|e| e.into_inner());
    paths.push(path.to_path_buf());
}

/// Undoes [`remove_on_exit`]: `path` was renamed into place or removed.
pub(crate) fn forget(path: &Path) {
    let mut paths = TEMPORARY.lock().unwrap_or_else(|e| e.into_inner());
    paths.retain(|p| p != path);
}

/// Removes the temporary files, prints the message and ends the process with [`EXIT_CODE`].
fn exit_now() -> ! {
    let paths = TEMPORARY.lock().unwrap_or_else(|e| e.into_inner());
    for path in paths.iter() {
        let _ = std::fs::remove_file(path);
    }
    report();
    std::process::exit(i32::from(EXIT_CODE));
}

/// Prints the message for an interrupted run, once: `main` calls it when a run returns
/// [`Error::Interrupted`] before the handler's deadline.
pub(crate) fn report() {
    if !REPORTED.swap(true, Ordering::SeqCst) {
        // An audit's progress line may be on screen: clear it rather than append to it.
        let clear = if std::io::stderr().is_terminal() {
            "\r\x1b[K"
        } else {
            ""
        };
        eprintln!("{clear}leakward: {MESSAGE}");
    }
}
