//! gitleaks and betterleaks configs given to `--config`: rules, `[extend]`, allowlists and
//! `.gitleaksignore`, run through the real binary.

use std::path::Path;
use std::process::{Command, Output};

fn leakward(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakward"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Rule ids and paths of the JSONL findings, sorted.
fn findings(output: &Output) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("jsonl");
            (
                v["rule_id"].as_str().unwrap().to_string(),
                v["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// A value with the shape of the test rule's secret, built from a seed at run time.
fn token(seed: u64) -> String {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..24)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            b"abcdefghijklmnopqrstuvwxyz0123456789"[(state >> 33) as usize % 36] as char
        })
        .collect()
}

const BASE: &str = r#"
title = "shared rules"

[[rules]]
id = "acme-token"
description = "ACME internal token"
regex = '''acme_([a-z0-9]{24})'''
entropy = 3.0
keywords = ["acme_"]

[[rules.allowlists]]
regexTarget = "line"
regexes = ['''(?i)fixture''']

[[rules]]
id = "pem-file"
description = "A PEM file"
path = '''\.pem$'''
"#;

const TEAM: &str = r#"
title = "team config"

[extend]
path = "base.toml"

[[rules]]
id = "beta-key"
description = "Beta key"
regex = '''BETA-[A-Z0-9]{16}'''
keywords = ["beta-"]

[[allowlists]]
description = "generated and vendored code"
paths = ['''(^|/)vendor/''']

[[allowlists]]
targetRules = ["acme-token"]
condition = "AND"
paths = ['''(^|/)tests/''']
stopwords = ["sample"]
"#;

#[test]
fn a_gitleaks_config_with_extend_allowlists_and_path_rules_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "base.toml", BASE);
    write(d, "team.toml", TEAM);
    write(d, "src/app.txt", &format!("key = acme_{}\n", token(1)));
    write(
        d,
        "src/fixture.txt",
        &format!("fixture = acme_{}\n", token(2)),
    );
    write(d, "vendor/lib.txt", &format!("key = acme_{}\n", token(3)));
    write(
        d,
        "tests/a.txt",
        &format!("key = acme_sample{}\n", &token(4)[..18]),
    );
    write(d, "tests/b.txt", &format!("key = acme_{}\n", token(5)));
    write(d, "certs/server.pem", "not even a key\n");
    write(d, "src/beta.txt", "k = BETA-Q7W3E9R2T5Y8U1I4\n");

    let out = leakward(d, &["scan", ".", "--config", "team.toml", "-f", "jsonl"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = [
        ("acme-token", "src/app.txt"),
        ("acme-token", "tests/b.txt"),
        ("beta-key", "src/beta.txt"),
        ("pem-file", "certs/server.pem"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(findings(&out), want);
}

#[test]
fn without_use_default_only_the_configs_rules_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let out = leakward(dir.path(), &["rules", "list", "--config", "base.toml"]);
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1) // the header
        .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids, ["acme-token", "pem-file"]);

    let with_default = format!("[extend]\nuseDefault = true\ndisabledRules = [\"aws-access-key-id\", \"gitleaks-only-rule\"]\n{}", &BASE[BASE.find("[[rules]]").unwrap()..]);
    write(dir.path(), "default.toml", &with_default);
    let out = leakward(dir.path(), &["rules", "list", "--config", "default.toml"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        listed.contains("github-pat-classic"),
        "built-in rules are kept"
    );
    assert!(
        !listed.contains("aws-access-key-id"),
        "disabled rules are removed"
    );
    assert!(listed.contains("acme-token"));
}

#[test]
fn gitleaksignore_entries_suppress_by_position() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "base.toml", BASE);
    write(d, "a.txt", &format!("x\nkey = acme_{}\n", token(7)));
    write(d, "b.txt", &format!("key = acme_{}\n", token(8)));
    write(d, ".gitleaksignore", "# known\na.txt:acme-token:2\n");
    let out = leakward(d, &["scan", ".", "--config", "base.toml", "-f", "jsonl"]);
    assert_eq!(
        findings(&out),
        [("acme-token".to_string(), "b.txt".to_string())]
    );
}

#[test]
fn unsupported_and_invalid_configs_are_refused_in_one_line() {
    let cases: &[(&str, &str)] = &[
        (
            "[[rules]]\nid = \"lookahead\"\nregex = '''secret(?=[a-z]{8})'''\nkeywords = [\"secret\"]\n",
            "rule `lookahead`: invalid regex",
        ),
        (
            "[[rules]]\nid = \"composite\"\nregex = '''x{3}'''\n[[rules.required]]\nid = \"other\"\n",
            "rule `composite`: [[rules.required]] (composite rules) is not supported",
        ),
        ("[extend]\nurl = \"https://example.com/x.toml\"\n", "[extend] url is not supported"),
        ("[[rules]]\nid = \"typo\"\nregexx = '''x'''\n", "unknown field `regexx`"),
        (
            "[[allowlists]]\ntargetRules = [\"missing\"]\npaths = ['''x''']\n",
            "targets rule `missing`, which does not exist",
        ),
    ];
    for (config, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "g.toml", config);
        let out = leakward(dir.path(), &["scan", ".", "--config", "g.toml"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {stderr}");
        assert!(
            stderr.contains(want),
            "{config}: got {stderr:?}, want {want:?}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    }
}
