//! `leakward explain`: for a reported, an entropy-filtered and an allowlisted candidate, the
//! output names the stage that kept or dropped each.

use std::process::Command;

/// A GitHub classic token with a valid CRC32 tail, built at run time.
fn github_token() -> String {
    let payload: String = (0..30)
        .map(|i| b"Zq3RkT9vWm2XyPb7Lc4NdJf8Hs6Ga1"[(i * 7 + 3) % 30] as char)
        .collect();
    let tail = leakward::internals::base62_crc32(crc32fast::hash(payload.as_bytes()));
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

fn leakward_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_leakward"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `explain FILE` read `.leakward.toml` and `.leakwardignore` from the file's directory and
/// `scan FILE` from the current directory, so they disagreed (issue 19). Both now read them
/// from the current directory.
#[test]
fn explain_and_scan_read_the_same_config_and_ignore_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("sub/a.env"),
        format!("T={}\n", github_token()),
    )
    .unwrap();
    // In the file's directory: neither command reads it.
    std::fs::write(
        dir.path().join("sub/.leakward.toml"),
        "[allow]\npaths = ['**']\n",
    )
    .unwrap();
    let verdicts = |when: &str| {
        let scan = leakward_in(dir.path(), &["scan", "sub/a.env"]);
        let explain = leakward_in(dir.path(), &["explain", "sub/a.env"]);
        let explained = String::from_utf8_lossy(&explain.stdout).into_owned();
        assert_eq!(explain.status.code(), Some(0), "{when}: {explained}");
        (scan.status.code(), explained)
    };
    let (scan, explained) = verdicts("no ignore file");
    assert_eq!(scan, Some(1), "scan reports the token");
    assert!(
        explained.contains("REPORTED (high confidence)"),
        "{explained}"
    );
    let fingerprint = explained
        .split("fingerprint ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a fingerprint")
        .to_string();
    // At the root, naming the file by its path from the root: both suppress it.
    std::fs::write(
        dir.path().join(".leakwardignore"),
        format!("{fingerprint} sub/a.env\n"),
    )
    .unwrap();
    let (scan, explained) = verdicts("root ignore file");
    assert_eq!(scan, Some(0), "scan suppresses the token");
    assert!(
        explained.contains("suppressed: ignore file entry"),
        "{explained}"
    );
}

#[test]
fn explain_line_past_the_end_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "one\ntwo\nthree").unwrap();
    for (line, code) in [("3", 0), ("4", 2), ("0", 2)] {
        let out = leakward_in(dir.path(), &["explain", "--line", line, "a.txt"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "--line {line}: {stderr}");
        if code == 2 {
            assert_eq!(
                stderr.lines().collect::<Vec<_>>(),
                [format!(
                    "leakward: error: --line {line} is not a line of a.txt: it has 3"
                )],
            );
        }
    }
}

/// A key percent-encoded in a query string is found through the percent-encoding layer:
/// `explain` names the decoding path and shows the text the rules read, secret redacted.
#[test]
fn explain_shows_the_decoding_path_and_logical_text() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    let mut der = vec![0x30, 0x82, 0x01, 0x2c];
    der.extend((0..300u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let pem = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        lines.join("\n")
    );
    let encoded: String = pem
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    std::fs::write(
        dir.path().join("upload.sh"),
        format!("x=1\ncurl \"https://vault.internal/import?pem={encoded}\"\n"),
    )
    .unwrap();
    let out = leakward_in(dir.path(), &["explain", "upload.sh"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("private-key (through percent-encoding)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2:"),
        "reported at the encoded line: {stdout}"
    );
    assert!(
        stdout.contains("read as: curl \"https://vault.internal/import?pem="),
        "{stdout}"
    );
    assert!(!stdout.contains(&lines[1][..40]), "secrets stay redacted");
}
