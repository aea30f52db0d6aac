//! Throughput of the keyword prefilter alone, on real files: `cargo run --release --example
//! prefilter_speed -- DIR [MAX_MB]` reads up to MAX_MB (default 64) of text files under DIR
//! into memory and reports, for the prefilter as the scanner uses it and for the Aho-Corasick
//! automata it replaced (issue 16, item 3), MB/s of wall time and MB per CPU-second of the
//! measuring thread (throughput per core, however busy the machine). Nothing is written.

use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use leakward::internals::builtin_prefilter;

fn collect(dir: &std::path::Path, budget: &mut usize, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        if *budget == 0 {
            return;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&path, budget, out);
        } else if kind.is_file() {
            if let Ok(bytes) = std::fs::read(&path) {
                if bytes.len() > 8 << 20 || bytes[..bytes.len().min(8000)].contains(&0) {
                    continue;
                }
                *budget = budget.saturating_sub(bytes.len());
                out.push(bytes);
            }
        }
    }
}

/// Nanoseconds this thread has spent on a CPU (Linux schedstat): MB per CPU-second is
/// throughput per core, whatever else the machine runs.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn measure(name: &str, files: &[Vec<u8>], mut run: impl FnMut(&[u8]) -> usize) {
    let total: usize = files.iter().map(Vec::len).sum();
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut hits = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let cpu = cpu_ns();
        hits = files.iter().map(|f| run(f)).sum::<usize>();
        cpu_rates.push(total as f64 / ((cpu_ns() - cpu) as f64 / 1e9) / 1e6);
        rates.push(total as f64 / started.elapsed().as_secs_f64() / 1e6);
    }
    rates.sort_by(f64::total_cmp);
    cpu_rates.sort_by(f64::total_cmp);
    println!(
        "{name:<52} {:>6.0} MB/s wall, {:>6.0} MB per CPU-s (medians of 5), {hits} found",
        rates[2], cpu_rates[2]
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: prefilter_speed DIR [MAX_MB]");
    let max_mb: usize = args
        .next()
        .map_or(64, |m| m.parse().expect("MAX_MB is a number"));
    let mut files = Vec::new();
    collect(std::path::Path::new(&dir), &mut (max_mb << 20), &mut files);
    let total: usize = files.iter().map(Vec::len).sum();
    println!("{} files, {:.1} MB", files.len(), total as f64 / 1e6);

    let prefilter = builtin_prefilter().expect("the built-in rules load and compile");
    measure("Prefilter::candidates (as used)", &files, |f| {
        prefilter.candidates(f).iter().count()
    });

    let keywords = prefilter.keywords().to_vec();
    let shortest = keywords.iter().map(String::len).min().unwrap_or(0);
    println!("{} distinct keywords, shortest {shortest}", keywords.len());
    for (kind, label) in [
        (AhoCorasickKind::DFA, "DFA"),
        (AhoCorasickKind::ContiguousNFA, "contiguous NFA"),
    ] {
        let overlapping = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(&keywords)
            .unwrap();
        measure(&format!("aho-corasick {label}, overlapping"), &files, |f| {
            overlapping.find_overlapping_iter(f).count()
        });
        let leftmost = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(kind))
            .build(&keywords)
            .unwrap();
        measure(&format!("aho-corasick {label}, leftmost"), &files, |f| {
            leftmost.find_iter(f).count()
        });
    }
    measure("memchr count of b'\\n' (memory floor)", &files, |f| {
        memchr::memchr_iter(b'\n', f).count()
    });
}
