//! Fuzzes the scan core with the built-in rules on arbitrary bytes: no panic, and every
//! finding points inside the input.
#![no_main]

use std::sync::OnceLock;

use leakward::chunk::{Chunk, Origin, Scope};
use leakward::scan::{Options, Scanner};
use libfuzzer_sys::fuzz_target;

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| {
        let config = leakward::config::builtin().expect("the built-in rules load");
        Scanner::new(&config, Options::default()).expect("the built-in rules compile")
    })
}

fuzz_target!(|data: &[u8]| {
    let origin = Origin::path("fuzz/input.txt");
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let scope = Scope::Lines(vec![1..=lines / 2 + 1]);
    for scope in [&Scope::All, &scope] {
        let chunk = Chunk { bytes: data, origin: &origin, scope };
        let scanned = scanner().scan(&chunk);
        for finding in &scanned.findings {
            assert!(finding.line >= 1 && finding.line <= lines, "line {} of {lines}", finding.line);
            assert!(finding.end_line >= finding.line);
            assert!(scope.contains(finding.line));
        }
        scanner().scan_binary(&chunk);
    }
});
