//! `--list-unused-allowlist`: every kind of user allowlist entry (config allowlists, global
//! and per rule, allowed commits, `.leakwardignore`, `.gitleaksignore`, the baseline, an
//! imported gitleaks config) is listed when it suppressed nothing and not when it did; and
//! `explain` names the entry that suppressed a candidate.

mod common;

use common::{random_string, scan_in, tempdir, write, Run};
use leakward::finding::Fingerprint;
use leakward::internals::is_placeholder;

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// The secret part of an `acme_` token: `prefix` then random characters, 24 in all, drawn
/// until nothing in it looks like a placeholder (which is filtered before allowlists).
fn acme_secret(prefix: &str) -> String {
    loop {
        let secret = format!("{prefix}{}", random_string(LOWER_ALNUM, 24 - prefix.len()));
        if !is_placeholder(secret.as_bytes()) {
            return secret;
        }
    }
}

const ACME_RULE: &str = r#"
[[rule]]
id = "acme-token"
description = "ACME internal token"
regex = 'acme_([a-z0-9]{24})'
keywords = ["acme_"]
confidence = "high"
"#;

/// The lines of stderr after the header that `--list-unused-allowlist` prints.
fn unused_lines(run: &Run) -> Vec<String> {
    let mut lines = run
        .stderr
        .lines()
        .skip_while(|l| !l.contains("suppressed nothing"));
    assert!(lines.next().is_some(), "no unused list in:\n{}", run.stderr);
    lines
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// The 1-based line of `needle` in `text`.
fn line_in(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the config"))
        + 1
}

#[test]
fn config_entries_of_every_kind_are_listed_only_when_unused() {
    let dir = tempdir();
    let d = dir.path();
    let config = format!(
        r#"[allow]
paths = ["fixtures/**", "gone/**"]
path_regexes = ['\.snap$', '\.gone$']
regexes = ['^usedrx', '^neverrx']
matches = ['acme_usedmt', 'acme_nevermt']
lines = ['used-line-marker', 'never-line-marker']
stopwords = ["usedsw", "neversw"]
commits = ["0123456789abcdef"]
{ACME_RULE}
[rule.allow]
regexes = ['^ruleused', '^rulenever']
"#
    );
    write(d, ".leakward.toml", &config);
    let token = |prefix: &str| format!("acme_{}", acme_secret(prefix));
    write(d, "fixtures/a.txt", format!("k = {}\n", token("")));
    write(d, "ui/a.snap", format!("k = {}\n", token("")));
    write(d, "src/secret.txt", format!("k = {}\n", token("usedrx")));
    write(d, "src/match.txt", format!("k = {}\n", token("usedmt")));
    write(
        d,
        "src/line.txt",
        format!("k = {} # used-line-marker\n", token("")),
    );
    write(d, "src/stop.txt", format!("k = {}\n", token("usedsw")));
    write(d, "src/rule.txt", format!("k = {}\n", token("ruleused")));
    write(d, "src/reported.txt", format!("k = {}\n", token("")));

    let plain = scan_in(d, &[".", "-f", "json"]);
    plain.expect_code(1);
    assert!(!plain.stderr.contains("suppressed nothing"));
    let listed = scan_in(d, &[".", "-f", "json", "--list-unused-allowlist"]);
    listed.expect_code(1);
    assert_eq!(listed.findings().len(), 1, "{}", listed.stdout);

    // The config is found at the scanned root, `.`.
    let at = |needle: &str| format!("./.leakward.toml:{}:", line_in(&config, needle));
    let want = vec![
        format!("{} path glob `gone/**`", at("gone/**")),
        format!("{} path regex `\\.gone$`", at("gone$")),
        format!("{} secret regex `^neverrx`", at("^neverrx")),
        format!("{} match regex `acme_nevermt`", at("acme_nevermt")),
        format!("{} line regex `never-line-marker`", at("never-line-marker")),
        format!("{} stopword `neversw`", at("neversw")),
        format!(
            "{} rule `acme-token`: secret regex `^rulenever`",
            at("^rulenever")
        ),
        format!("{} commit `0123456789abcdef`", at("0123456789abcdef")),
    ];
    assert_eq!(unused_lines(&listed), want, "{}", listed.stderr);
    assert!(
        !listed.stderr.contains("patterns.toml"),
        "built-in entries are never listed: {}",
        listed.stderr
    );

    let json = listed.json();
    let entries = json["unused_allowlist"].as_array().expect("a JSON list");
    assert_eq!(entries.len(), want.len());
    assert_eq!(entries[2]["kind"], "secret regex");
    assert_eq!(entries[2]["value"], "^neverrx");
    assert_eq!(entries[2]["line"], line_in(&config, "^neverrx"));
    assert_eq!(entries[6]["rule"], "acme-token");
    assert!(plain.json().get("unused_allowlist").is_none());
}

#[test]
fn ignore_file_gitleaks_ignore_and_baseline_entries_are_listed_only_when_unused() {
    let dir = tempdir();
    let d = dir.path();
    write(d, ".leakward.toml", ACME_RULE);
    let (a, b, c) = (acme_secret(""), acme_secret(""), acme_secret(""));
    write(d, "src/a.txt", format!("k = acme_{a}\n"));
    write(d, "src/b.txt", format!("k = acme_{b}\n"));
    write(d, "src/c.txt", format!("k = acme_{c}\n"));
    let fingerprint = |secret: &str| Fingerprint::new("acme-token", secret.as_bytes());
    let stale = fingerprint(&acme_secret(""));
    write(
        d,
        ".leakwardignore",
        format!("# reviewed\n{} src/a.txt\n{stale}\n", fingerprint(&a)),
    );
    write(
        d,
        ".gitleaksignore",
        "src/c.txt:acme-token:1\nsrc/gone.txt:acme-token:3\n",
    );
    let stale_baseline = fingerprint(&acme_secret(""));
    let baseline = serde_json::json!({
        "version": 1,
        "findings": [
            {"fingerprint": fingerprint(&b).to_string(), "rule": "acme-token", "path": "src/b.txt"},
            {"fingerprint": stale_baseline.to_string(), "rule": "acme-token", "path": "src/old.txt"},
        ]
    });
    write(d, "base.json", baseline.to_string());

    let run = scan_in(
        d,
        &[".", "--baseline", "base.json", "--list-unused-allowlist"],
    );
    run.expect_code(0);
    scan_in(d, &[".", "--baseline", "base.json"]).expect_code(0);
    let want = vec![
        format!("./.leakwardignore:3: fingerprint `{stale}`"),
        "./.gitleaksignore:2: rule `acme-token`: gitleaks ignore entry `src/gone.txt:acme-token:3`"
            .to_string(),
        format!("base.json: rule `acme-token`: baseline fingerprint `{stale_baseline}`"),
    ];
    assert_eq!(unused_lines(&run), want, "{}", run.stderr);
}

#[test]
fn an_imported_gitleaks_config_names_its_own_and_its_extended_files() {
    let dir = tempdir();
    let d = dir.path();
    let base = r#"
title = "base"
[[rules]]
id = "acme-token"
description = "ACME"
regex = '''acme_([a-z0-9]{24})'''
keywords = ["acme_"]
[[rules.allowlists]]
regexes = ['''^baseused''', '''^basenever''']
"#;
    let team = r#"
title = "team"
[extend]
path = "base.toml"
[allowlist]
paths = ['''(^|/)vendor/''', '''(^|/)third_party/''']
stopwords = ["teamsw", "teamnever"]
commits = ["fedcba9876543210"]
[[allowlists]]
targetRules = ["acme-token"]
regexTarget = "line"
regexes = ['''(?i)reviewed-ok''', '''(?i)never-reviewed''']
"#;
    write(d, "base.toml", base);
    write(d, "team.toml", team);
    write(
        d,
        "vendor/lib.txt",
        format!("k = acme_{}\n", acme_secret("")),
    );
    write(
        d,
        "src/a.txt",
        format!("k = acme_{}\n", acme_secret("baseused")),
    );
    write(
        d,
        "src/b.txt",
        format!("k = acme_{}\n", acme_secret("teamsw")),
    );
    write(
        d,
        "src/c.txt",
        format!("k = acme_{} # Reviewed-OK\n", acme_secret("")),
    );
    let run = scan_in(
        d,
        &[
            "src",
            "vendor",
            "--config",
            "team.toml",
            "--list-unused-allowlist",
        ],
    );
    run.expect_code(0);
    let want = vec![
        format!(
            "team.toml:{}: path regex `(^|/)third_party/`",
            line_in(team, "third_party")
        ),
        format!(
            "team.toml:{}: stopword `teamnever`",
            line_in(team, "teamnever")
        ),
        format!(
            "base.toml:{}: rule `acme-token`: secret regex `^basenever`",
            line_in(base, "basenever")
        ),
        format!(
            "team.toml:{}: rule `acme-token`: line regex `(?i)never-reviewed`",
            line_in(team, "never-reviewed")
        ),
        format!(
            "team.toml:{}: commit `fedcba9876543210`",
            line_in(team, "fedcba98")
        ),
    ];
    assert_eq!(unused_lines(&run), want, "{}", run.stderr);
}

#[test]
fn allowed_commits_are_used_by_the_findings_they_allow_in_history() {
    let repo = common::Repo::new();
    repo.commit_file("a.txt", format!("k = {}\n", common::github_token()));
    let first = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.commit_file("b.txt", "nothing here\n");
    let config = repo.sibling("config.toml");
    std::fs::write(
        &config,
        format!("[allow]\ncommits = [\"{}\", \"0000000\"]\n", &first[..10]),
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let run = repo.leakward(&["history", "--config", &config, "--list-unused-allowlist"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{config}:2: commit `0000000`")),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(&first[..10]), "{}", run.stderr);
}

#[test]
fn explain_names_the_entry_that_suppressed_a_candidate() {
    let dir = tempdir();
    let d = dir.path();
    write(
        d,
        ".leakward.toml",
        format!("[allow]\nregexes = ['^usedrx', '^other']\n{ACME_RULE}\n[rule.allow]\nstopwords = ['rulesw']\n"),
    );
    let ignored = acme_secret("");
    write(
        d,
        ".leakwardignore",
        format!("\n{}\n", Fingerprint::new("acme-token", ignored.as_bytes())),
    );
    write(
        d,
        "app.txt",
        format!(
            "a = acme_{}\nb = acme_{}\nc = acme_{ignored}\n",
            acme_secret("usedrx"),
            acme_secret("rulesw")
        ),
    );
    let mut command = common::leakward();
    command.current_dir(d).args(["explain", "app.txt"]);
    let run = common::run(&mut command);
    run.expect_code(0);
    let line = |n: &str| {
        run.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(n))
            .unwrap_or_else(|| panic!("no line {n} in:\n{}", run.stdout))
            .to_string()
    };
    assert!(
        line("1:").contains("the global allowlist (a regex on the secret): secret regex `^usedrx`"),
        "{}",
        run.stdout
    );
    assert!(line("2:").contains("stopword `rulesw`"), "{}", run.stdout);
    assert!(line("3:").contains(".leakwardignore:2"), "{}", run.stdout);
}
