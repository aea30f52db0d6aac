//! Derives the built-in catalog's compiled forms from `patterns.toml` at build time.
//!
//! Every run loads the catalog, and parsing 280 KB of TOML was most of a pre-commit hook's
//! start-up. Scans load the rules less their examples from static tables written here
//! (`build/compact_catalog.rs`), which need no parsing at all; what checks or shows the
//! examples deserialises the whole catalog from JSON, several times faster than TOML.
//! `patterns.toml` stays the one source: both forms are checked against it by the test
//! suite (`config::tests::builtin_json_matches_the_toml`, `config::compact::tests`).

#[path = "build/compact_catalog.rs"]
mod compact_catalog;

use std::{env, fs, path::PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=patterns.toml");
    println!("cargo::rerun-if-changed=build/compact_catalog.rs");
    let text = fs::read_to_string("patterns.toml").expect("patterns.toml is readable");
    let value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("patterns.toml is not valid TOML: {e}"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let json = serde_json::to_string(&value).expect("a TOML value serialises as JSON");
    fs::write(out.join("patterns.json"), json).expect("OUT_DIR is writable");
    // A scan needs the rules' examples only as text to recognise them in scanned files, and
    // only once something is found: the catalog it loads leaves them out (they are a third
    // of it), and their texts ship beside it, one per line.
    let (lean, texts) = without_examples(value);
    let compact = compact_catalog::generate(&lean);
    fs::write(out.join("catalog.rs"), compact.code).expect("OUT_DIR is writable");
    fs::write(out.join("catalog-text.txt"), compact.text).expect("OUT_DIR is writable");
    fs::write(out.join("example-texts.txt"), texts.join("\n")).expect("OUT_DIR is writable");
}

/// The catalog with every rule's `examples` and `counterexamples` taken out, and their texts
/// (a string, or a table's `text`) in catalog order.
fn without_examples(mut catalog: toml::Value) -> (toml::Value, Vec<String>) {
    let mut texts = Vec::new();
    let rules = catalog
        .get_mut("rule")
        .and_then(toml::Value::as_array_mut)
        .expect("patterns.toml has [[rule]] tables");
    for rule in rules {
        let table = rule.as_table_mut().expect("a [[rule]] is a table");
        for key in ["examples", "counterexamples"] {
            let Some(toml::Value::Array(examples)) = table.remove(key) else {
                continue;
            };
            for example in examples {
                let text = match &example {
                    toml::Value::String(text) => text.clone(),
                    other => other
                        .get("text")
                        .and_then(toml::Value::as_str)
                        .expect("an example is a string or a table with `text`")
                        .to_string(),
                };
                texts.push(text);
            }
        }
    }
    (catalog, texts)
}
