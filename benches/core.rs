//! Throughput of the scan core (`Scanner::scan` with the built-in rules) on generated inputs:
//! ordinary source code with no secrets, code dense with secrets, and minified JavaScript
//! with very long lines. Criterion reports bytes per second on one core.
//!
//! Run with `cargo bench --bench core`. Inputs are generated from a fixed seed, so every
//! run measures the same bytes, and no realistic token is ever written to the repository.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use leakward::chunk::{Chunk, Origin, Scope};
use leakward::config;
use leakward::internals::base62_crc32;
use leakward::scan::{Limits, Options, Scanner};

const MIB: usize = 1 << 20;

/// A small deterministic generator (xorshift64*), so inputs are the same on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const WORDS: &[&str] = &[
    "config",
    "request",
    "response",
    "handler",
    "buffer",
    "index",
    "count",
    "result",
    "error",
    "value",
    "items",
    "parse",
    "render",
    "client",
    "server",
    "session",
    "user",
    "account",
    "options",
    "context",
    "builder",
    "stream",
    "reader",
    "writer",
    "cache",
    "token_count",
    "key_name",
    "path",
    "status",
    "message",
];

/// One line of ordinary Rust-like code. Some lines hold keywords of the rules (`password`,
/// `pwd`, `token`), as real code does, so the prefilter fires without a secret behind it.
fn code_line(random: &mut Random) -> String {
    let a = random.pick(WORDS);
    let b = random.pick(WORDS);
    let c = random.pick(WORDS);
    match random.below(12) {
        0 => format!("    // Returns the {a} of the {b}, or an error if the {c} is missing."),
        1 => format!(
            "pub fn {a}_{b}(&self, {c}: &str) -> Result<{}, Error> {{",
            "Vec<u8>"
        ),
        2 => format!("    let {a} = self.{b}.get(&{c}).ok_or(Error::Missing)?;"),
        3 => format!(
            "    if {a}.len() > {} {{ return Err(Error::TooLong); }}",
            random.below(4096)
        ),
        4 => format!(
            "    let {a}_{b} = {c}.iter().map(|x| x * {}).sum::<u64>();",
            random.below(99)
        ),
        5 => "    let cwd = std::env::current_dir()?; // pwd".to_string(),
        6 => format!("    validate_password_strength(&{a}.{b})?;"),
        7 => format!("    log::debug!(\"{a} {b}: {{}}\", {c});"),
        8 => "}".to_string(),
        9 => String::new(),
        10 => format!("    assert_eq!({a}.{b}(), {c}::default());"),
        _ => format!("use crate::{a}::{{{b}, {c}}};"),
    }
}

/// A fake GitHub classic token with a valid CRC32 tail.
fn github_token(random: &mut Random) -> String {
    let payload = random.string(BASE62, 30);
    let tail = base62_crc32(crc32fast::hash(payload.as_bytes()));
    format!("ghp_{payload}{}", std::str::from_utf8(&tail).unwrap())
}

/// A line that holds a secret for one of the built-in rules.
fn secret_line(random: &mut Random) -> String {
    match random.below(3) {
        0 => format!("GITHUB_TOKEN={}", github_token(random)),
        1 => format!(
            "aws_access_key_id = AKIA{}",
            random.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        ),
        _ => format!("pass{}word = \"{}\"", "", random.string(BASE62, 20)),
    }
}

/// Text of about `size` bytes, line by line.
fn generate(size: usize, mut line: impl FnMut(usize) -> String) -> Vec<u8> {
    let mut out = String::with_capacity(size + 256);
    let mut number = 0;
    while out.len() < size {
        out.push_str(&line(number));
        out.push('\n');
        number += 1;
    }
    out.into_bytes()
}

/// About 4 MiB of source code with no secrets.
fn plain_code() -> Vec<u8> {
    let mut random = Random(0x5EED_0001);
    generate(4 * MIB, |_| code_line(&mut random))
}

/// About 1 MiB of code with a secret every few lines.
fn dense_secrets() -> Vec<u8> {
    let mut random = Random(0x5EED_0002);
    generate(MIB, |n| {
        if n % 4 == 3 {
            secret_line(&mut random)
        } else {
            code_line(&mut random)
        }
    })
}

/// About 4 MiB of minified JavaScript: lines of about 150,000 characters.
fn minified_js() -> Vec<u8> {
    let mut random = Random(0x5EED_0003);
    let statement = |random: &mut Random| {
        let a = random.pick(WORDS);
        let b = random.pick(WORDS);
        match random.below(6) {
            0 => format!("var {a}=function(e,t){{return e.{b}(t)}};"),
            1 => format!("{a}.{b}=\"{}\";", random.string(BASE62, 12)),
            2 => format!("if(!{a}){{throw new Error(\"{b} missing\")}}"),
            3 => format!("for(var i=0;i<{a}.length;i++){{{b}+={a}[i]}}"),
            4 => format!("this.{a}={b}||{{token:null,retries:{}}};", random.below(9)),
            _ => format!("export{{{a} as {b}}};"),
        }
    };
    generate(4 * MIB, |_| {
        let mut line = String::with_capacity(151_000);
        while line.len() < 150_000 {
            line.push_str(&statement(&mut random));
        }
        line
    })
}

fn scan_core(c: &mut Criterion) {
    let config = config::builtin().expect("the built-in rules load");
    let scanner = Scanner::new(
        &config,
        Options {
            large_inputs: true,
            // Build every finding of the dense input rather than counting most as capped.
            limits: Limits {
                max_findings_per_chunk: usize::MAX,
            },
            ..Options::default()
        },
    )
    .expect("the built-in rules compile");
    let inputs = [
        ("plain code, no secrets", plain_code(), false),
        ("code dense with secrets", dense_secrets(), true),
        ("minified js, long lines", minified_js(), false),
    ];
    let origin = Origin::path("bench.txt");
    let mut group = c.benchmark_group("scan");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    for (name, bytes, has_secrets) in &inputs {
        let chunk = Chunk {
            bytes,
            origin: &origin,
            scope: &Scope::All,
        };
        // A benchmark that silently finds nothing (or finds what is not there) measures
        // the wrong thing.
        let found = scanner.scan(&chunk).findings.len();
        assert_eq!(found > 0, *has_secrets, "{name}: {found} findings");
        eprintln!("{name}: {} bytes, {found} findings", bytes.len());
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(*name, |b| b.iter(|| scanner.scan(black_box(&chunk))));
    }
    group.finish();
}

criterion_group!(benches, scan_core);
criterion_main!(benches);
