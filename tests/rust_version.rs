//! The `rust-version` in Cargo.toml is true: no locked crate needs a newer compiler, and the
//! README names the same version. (It said 1.85 while the locked crates needed 1.88; see
//! issue 19.)

use std::process::Command;

use serde_json::Value;

/// A version as `(major, minor, patch)`, a missing part being 0.
fn parse(version: &str) -> (u64, u64, u64) {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

/// This machine's target triple, so that `cargo metadata` needs only the crates built here
/// (the others may not be downloaded; the check runs offline).
fn host() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("-vV").output().expect("rustc runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_string()
}

fn metadata() -> Value {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["metadata", "--locked", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host()])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn no_locked_crate_needs_a_newer_rust_than_ours() {
    let metadata = metadata();
    let packages = metadata["packages"].as_array().expect("packages");
    let ours = packages
        .iter()
        .find(|p| p["name"] == "leakward")
        .and_then(|p| p["rust_version"].as_str())
        .expect("Cargo.toml sets rust-version");
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| Some((p["name"].as_str()?, p["rust_version"].as_str()?)))
        .filter(|(_, needs)| parse(needs) > parse(ours))
        .map(|(name, needs)| format!("{name} needs {needs}"))
        .collect();
    assert!(newer.is_empty(), "rust-version is {ours}, but {newer:?}");
}

#[test]
fn the_readme_names_the_rust_version_of_cargo_toml() {
    let manifest = include_str!("../Cargo.toml");
    let ours = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("Cargo.toml sets rust-version")
        .trim_matches('"');
    let readme = include_str!("../README.md");
    let want = format!("a Rust toolchain ({ours} or newer)");
    assert!(readme.contains(&want), "the README does not say {want:?}");
    assert_eq!(
        readme.matches(" or newer)").count(),
        1,
        "another version is named"
    );
}
