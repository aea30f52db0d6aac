//! The run summary printed on stderr: what was scanned, what was skipped and why, what was
//! found, and how long it took.

use std::io::{self, Write};
use std::time::Duration;

use crate::finding::Confidence;

/// Counters of one run.
#[derive(Debug, Default, Clone)]
pub(crate) struct Summary {
    /// What a unit is called: `file` or `blob`.
    pub unit: &'static str,
    pub scanned: u64,
    pub bytes: u64,
    /// Binary files or blobs, of which only the text runs were scanned (they count as
    /// scanned too).
    pub binary: u64,
    /// Of the scanned, how many an earlier run's `--cache` found clean (counted, not read).
    pub cached: u64,
    pub skipped_too_large: u64,
    /// Symbolic links under a scanned directory, which are not followed.
    pub skipped_symlinks: u64,
    /// FIFOs, sockets and devices under a scanned directory, which are not read.
    pub skipped_special: u64,
    /// The size limit in bytes, to name in the summary when it bites.
    pub max_file_size: u64,
    /// Things the user should know about what was and was not scanned, one line each, that
    /// do not make the scan incomplete (a shallow clone's missing history, with
    /// `--allow-shallow` or in a push). Reports carry them too.
    pub warnings: Vec<String>,
    /// Items that could not be read: (path or id, reason). Any makes the exit code 2.
    pub unreadable: Vec<(String, String)>,
    /// Findings dropped by the per-file limit.
    pub capped: u64,
    /// Of those, how many would block (and are not known): they fail the run all the same.
    pub capped_blocking: u64,
    /// The highest confidence among the capped findings.
    pub capped_max: Option<crate::finding::Confidence>,
    /// Findings by confidence: low, medium, high.
    pub found: [u64; 3],
    /// Findings hidden by `.leakwardignore` or the baseline.
    pub known: u64,
    pub blocking: u64,
    pub elapsed: Duration,
}

impl Summary {
    /// Counts what the per-file limit dropped from one chunk.
    pub(crate) fn add_capped(&mut self, scanned: &crate::scan::Scanned) {
        self.capped += scanned.capped as u64;
        self.capped_max = self.capped_max.max(scanned.capped_max);
    }

    pub(crate) fn count_finding(&mut self, confidence: Confidence, block_on: Confidence) {
        self.found[confidence as usize] += 1;
        if confidence >= block_on {
            self.blocking += 1;
        }
    }

    /// Writes the summary, one line per warning, and one line per unreadable item.
    pub(crate) fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        for warning in &self.warnings {
            writeln!(out, "leakward: warning: {warning}")?;
        }
        for (path, reason) in &self.unreadable {
            writeln!(
                out,
                "leakward: cannot read {}: {reason}",
                super::text::safe(path)
            )?;
        }
        let mut parts = vec![format!(
            "scanned {} {}{} ({}) in {:.2}s",
            self.scanned,
            self.unit,
            plural(self.scanned),
            human_bytes(self.bytes),
            self.elapsed.as_secs_f64()
        )];
        if self.cached > 0 {
            parts.push(format!("{} clean in the cache", self.cached));
        }
        if self.binary > 0 {
            parts.push(format!("{} binary (text runs scanned)", self.binary));
        }
        if self.skipped_too_large > 0 {
            parts.push(format!(
                "skipped {} over {} (raise with --max-file-size)",
                self.skipped_too_large,
                human_bytes(self.max_file_size)
            ));
        }
        if self.skipped_symlinks > 0 {
            parts.push(format!(
                "skipped {} symlink{} (not followed)",
                self.skipped_symlinks,
                plural(self.skipped_symlinks)
            ));
        }
        if self.skipped_special > 0 {
            parts.push(format!(
                "skipped {} special file{} (fifos, sockets, devices: not read)",
                self.skipped_special,
                plural(self.skipped_special)
            ));
        }
        if !self.unreadable.is_empty() {
            parts.push(format!(
                "{} unreadable (scan incomplete)",
                self.unreadable.len()
            ));
        }
        let total: u64 = self.found.iter().sum();
        if total == 0 {
            parts.push("no findings".into());
        } else {
            let [low, medium, high] = self.found;
            let mut by = Vec::new();
            for (count, name) in [(high, "high"), (medium, "medium"), (low, "low")] {
                if count > 0 {
                    by.push(format!("{count} {name}"));
                }
            }
            parts.push(format!(
                "{total} finding{}: {} ({} blocking)",
                plural(total),
                by.join(", "),
                self.blocking
            ));
        }
        if self.capped > 0 {
            let blocking = if self.capped_blocking > 0 {
                ", some of them blocking".to_string()
            } else {
                String::new()
            };
            parts.push(format!(
                "{} more not shown (per-file limit; raise with --max-findings-per-file){blocking}",
                self.capped
            ));
        }
        if self.known > 0 {
            parts.push(format!("{} known (ignore file or baseline)", self.known));
        }
        writeln!(out, "leakward: {}", parts.join("; "))
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Bytes in B, KiB, MiB or GiB with one decimal.
pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
