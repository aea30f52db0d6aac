//! `leakward explain`: for a reported, an entropy-filtered and an allowlisted candidate, the
//! output names the stage that kept or dropped each.

use std::process::Command;

/// A GitHub classic token with a valid CRC32 tail, built at run time.
fn github_token() -> String {
    let payload: String = (0..30)
        .map(|i| b"Zq3RkT9vWm2XyPb7Lc4NdJf8Hs6Ga1"[(i * 7 + 3) % 30] as char)
        .collect();
    let tail = leakward::scan::checksum::base62_crc32(crc32fast::hash(payload.as_bytes()));
    format!("ghp_{payload}{}", String::from_utf8_lossy(&tail))
}

#[test]
fn explain_names_the_stage_for_each_candidate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".leakward.toml"),
        "[allow]\nlines = ['(?i)rotated-last-week']\n",
    )
    .unwrap();
    let text = format!(
        "token = \"{}\"\npassword = \"aaaabbbb\"\nold = \"{}\" # rotated-last-week\n",
        github_token(),
        github_token().replace("ghp_Z", "ghp_Y")
    );
    std::fs::write(dir.path().join("app.py"), text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_leakward"))
        .args(["explain", "app.py"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line_of = |n: &str| {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(n))
            .unwrap_or_else(|| panic!("no line {n} in:\n{stdout}"))
            .to_string()
    };
    assert!(
        line_of("1:10").contains("REPORTED (high confidence)"),
        "{stdout}"
    );
    assert!(
        line_of("3:8").contains("the global allowlist (a regex on the line)"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.trim_start().starts_with("2:") && l.contains("entropy")),
        "an entropy-filtered password on line 2: {stdout}"
    );
    assert!(!stdout.contains(&github_token()), "secrets stay redacted");
}
