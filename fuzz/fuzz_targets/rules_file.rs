//! Fuzzes the rules and config loader (leakward and gitleaks formats): any text either
//! loads into a scanner or is refused with a one-line error, never a panic.
#![no_main]

use std::path::Path;

use leakward::config::{self, Config};
use leakward::scan::{Options, Scanner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.toml");
    let loaded = config::parse(text, path).and_then(|file| {
        let mut config = Config {
            rules: Vec::new(),
            allow: Vec::new(),
            block_on: leakward::finding::Confidence::High,
            policy: Default::default(),
        };
        config::merge(&mut config, file, path)?;
        Scanner::new(&config, Options::default())
    });
    if let Err(error) = loaded {
        let message = error.to_string();
        assert!(!message.contains('\n'), "multi-line error: {message:?}");
    }
});
