//! Progress on standard error while `history`, `pre-push` and `audit` scan blobs: a bar with
//! blobs scanned, their rate and the time left, drawn by `indicatif`.
//!
//! Shown only when standard error is a terminal and `-q` was not given, so logs and pipes
//! stay clean; reports go to standard output or a file, never to standard error, so the bar
//! never mixes into one. It is cleared when the work ends.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often the bar takes the count.
const TICK: Duration = Duration::from_millis(100);

/// The bar's line: `leakward: audit 1200/5000 blobs, 3400/s, about 1s left [=====>    ]`.
const TEMPLATE: &str = "leakward: {msg} {pos}/{len} blobs, {per_sec}, about {eta} left {wide_bar}";

/// Runs `work`, showing `done` of `total` blobs under `label` while it runs if `enabled`
/// and standard error is a terminal, and clears the bar afterwards.
pub(crate) fn while_running<R: Send>(
    enabled: bool,
    label: &'static str,
    total: u64,
    done: &AtomicU64,
    work: impl FnOnce() -> R + Send,
) -> R {
    if !enabled || !std::io::stderr().is_terminal() {
        return work();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(style());
    bar.set_message(label);
    bar.tick();
    let (stop, stopped) = mpsc::channel::<()>();
    let result = std::thread::scope(|scope| {
        let bar = &bar;
        scope.spawn(move || {
            // Wakes every tick to take the count, and at once when the work ends (the
            // sender is dropped).
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(TICK) {
                bar.set_position(done.load(Ordering::Relaxed));
            }
        });
        let result = work();
        drop(stop);
        result
    });
    bar.finish_and_clear();
    result
}

fn style() -> ProgressStyle {
    ProgressStyle::with_template(TEMPLATE).unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_valid() {
        assert!(ProgressStyle::with_template(TEMPLATE).is_ok());
    }

    #[test]
    fn without_a_terminal_the_work_just_runs() {
        let done = AtomicU64::new(0);
        let got = while_running(false, "audit", 3, &done, || 7);
        assert_eq!(got, 7);
    }
}
