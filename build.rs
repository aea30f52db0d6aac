//! Converts the built-in catalog, `patterns.toml`, to JSON at build time.
//!
//! Every run loads the catalog, and parsing 280 KB of TOML was most of a pre-commit hook's
//! start-up; the same data as JSON deserialises into the same typed specs several times
//! faster. `patterns.toml` stays the one source: this is a derived form, checked against it
//! by the test suite (`config::tests::builtin_json_matches_the_toml`).

use std::{env, fs, path::PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=patterns.toml");
    let text = fs::read_to_string("patterns.toml").expect("patterns.toml is readable");
    let value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("patterns.toml is not valid TOML: {e}"));
    let json = serde_json::to_string(&value).expect("a TOML value serialises as JSON");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("patterns.json"), json).expect("OUT_DIR is writable");
}
