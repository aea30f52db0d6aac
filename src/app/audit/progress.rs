//! A one-line progress display on standard error for long audits: blobs scanned, objects
//! per second and an estimate of the time left. Shown only when standard error is a
//! terminal, so logs and pipes stay clean.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(200);

/// Runs `work`, redrawing the progress line from `done` (of `total`) while it runs, if
/// `enabled` and standard error is a terminal; clears the line afterwards.
pub fn while_running<R: Send>(
    enabled: bool,
    total: u64,
    done: &AtomicU64,
    work: impl FnOnce() -> R + Send,
) -> R {
    if !enabled || !std::io::stderr().is_terminal() {
        return work();
    }
    let finished = AtomicBool::new(false);
    let started = Instant::now();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                let line = line(done.load(Ordering::Relaxed), total, started.elapsed());
                let _ = write!(std::io::stderr().lock(), "\r{line}\x1b[K");
            }
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        });
        let result = work();
        finished.store(true, Ordering::Relaxed);
        result
    })
}

/// `leakward: audit 1200/5000 blobs, 3400/s, about 1s left`.
fn line(done: u64, total: u64, elapsed: Duration) -> String {
    let rate = done as f64 / elapsed.as_secs_f64().max(1e-3);
    let left = if rate > 0.0 && total > done {
        format!(", about {:.0}s left", (total - done) as f64 / rate)
    } else {
        String::new()
    };
    format!("leakward: audit {done}/{total} blobs, {rate:.0}/s{left}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_rate_and_time_left() {
        let cases: &[(u64, u64, u64, &str)] = &[
            (
                100,
                300,
                1,
                "leakward: audit 100/300 blobs, 100/s, about 2s left",
            ),
            (300, 300, 3, "leakward: audit 300/300 blobs, 100/s"),
            (0, 10, 1, "leakward: audit 0/10 blobs, 0/s"),
        ];
        for &(done, total, secs, want) in cases {
            assert_eq!(line(done, total, Duration::from_secs(secs)), want);
        }
    }
}
