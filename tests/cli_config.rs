//! How users tell `leakward scan` what not to report and what to look for: `.leakwardignore`,
//! baselines, and user configs (`.leakward.toml` at the root, or `--config FILE`).

mod common;

use common::{aws_key_id, github_token, password_line, password_value, scan_in, tempdir, write};

/// The fingerprint of the one finding of `rule` in `dir` (found with `--format json`).
fn fingerprint_of(dir: &std::path::Path, rule: &str) -> String {
    let run = scan_in(dir, &["--format", "json", "."]);
    let findings = run.findings();
    let finding = findings
        .iter()
        .find(|f| f["rule_id"] == rule)
        .unwrap_or_else(|| panic!("{rule} not reported:\n{}", run.stdout));
    finding["fingerprint"].as_str().unwrap().to_string()
}

/// A user rule that finds `itk_` followed by 24 lower-case letters or digits.
const INTERNAL_RULE: &str = r#"
[[rule]]
id = "internal-token"
description = "Internal service token"
regex = '''\b(itk_[a-z0-9]{24})\b'''
keywords = ["itk_"]
min_entropy = 3.0
confidence = "high"
examples = ["itk_q8v2m4x7c1z9b3n6k5j0h2g4"]
counterexamples = ["itk_short"]
"#;

fn internal_token() -> String {
    format!(
        "itk_{}",
        common::random_string(b"abcdefghijklmnopqrstuvwxyz0123456789", 24)
    )
}

#[test]
fn ignore_file_fingerprints_hide_findings_where_their_glob_matches() {
    let dir = tempdir();
    write(dir.path(), "app/a.env", format!("T={}\n", github_token()));
    write(dir.path(), "app/b.env", format!("K={}\n", aws_key_id()));
    let github = fingerprint_of(dir.path(), "github-pat-classic");
    let aws = fingerprint_of(dir.path(), "aws-access-key-id");

    let cases: &[(String, bool, bool)] = &[
        (format!("# reviewed\n{github}\n"), false, true),
        (format!("{github} app/*.env  # scoped\n"), false, true),
        (format!("{github} /app/a.env\n"), false, true),
        (format!("{github} other/**\n"), true, true),
        (format!("{github}\n{aws} app/b.env\n"), false, false),
    ];
    for (ignore, github_shown, aws_shown) in cases {
        write(dir.path(), ".leakwardignore", ignore);
        let run = scan_in(dir.path(), &["--format", "json", "."]);
        let ids = run.rule_ids();
        assert_eq!(
            ids.contains(&"github-pat-classic".into()),
            *github_shown,
            "{ignore:?}: {ids:?}"
        );
        assert_eq!(
            ids.contains(&"aws-access-key-id".into()),
            *aws_shown,
            "{ignore:?}: {ids:?}"
        );
        run.expect_code(if *github_shown || *aws_shown { 1 } else { 0 });
    }
}

/// Regression: a glob in `.leakwardignore` was matched against the path as the command line
/// named it, so `app/*.env` worked for `leakward scan .` inside the root but not for
/// `leakward scan repo` from its parent.
#[test]
fn ignore_file_globs_are_relative_to_the_scanned_root() {
    let dir = tempdir();
    let repo = dir.path().join("repo");
    write(&repo, "app/a.env", format!("T={}\n", github_token()));
    let fingerprint = fingerprint_of(&repo, "github-pat-classic");
    write(
        &repo,
        ".leakwardignore",
        format!("{fingerprint} app/*.env\n"),
    );
    for root in ["repo", "./repo", "repo/", repo.to_str().unwrap()] {
        let run = scan_in(dir.path(), &["--format", "json", root]);
        run.expect_code(0);
        assert!(run.findings().is_empty(), "{root}: {}", run.stdout);
    }
    // The path the allow hint prints (as the command line names it) works too.
    write(
        &repo,
        ".leakwardignore",
        format!("{fingerprint} repo/app/a.env\n"),
    );
    scan_in(dir.path(), &["repo"]).expect_code(0);
    // A glob for another directory still does not hide it.
    write(
        &repo,
        ".leakwardignore",
        format!("{fingerprint} other/*.env\n"),
    );
    scan_in(dir.path(), &["repo"]).expect_code(1);
}

#[test]
fn malformed_ignore_file_names_file_and_line() {
    let dir = tempdir();
    write(dir.path(), "a.txt", "nothing\n");
    let cases = [
        "# comment\n\nnot-a-fingerprint\n",
        "# comment\n\n0123456789abcdef0123456789abcdef a/** extra\n",
        "# comment\n\n0123456789abcdef0123456789abcdef a/[\n",
    ];
    for ignore in cases {
        write(dir.path(), ".leakwardignore", ignore);
        let run = scan_in(dir.path(), &["."]);
        run.expect_code(2);
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "{ignore:?}: {}", run.stderr);
        assert!(
            lines[0].contains(".leakwardignore") && lines[0].contains("line 3"),
            "{ignore:?}: {}",
            lines[0]
        );
    }
}

#[test]
fn a_config_read_as_gitleaks_names_the_line_and_the_leakward_form() {
    // `[rules]` (a table) reads as a gitleaks config, whose `rules` is a list: the error
    // must say why the file was read that way, where it failed, and what leakward expects.
    let dir = tempdir();
    write(dir.path(), "a.txt", "nothing\n");
    write(
        dir.path(),
        ".leakward.toml",
        "# my rules\n[rules]\nno_default_rules = true\n",
    );
    let run = scan_in(dir.path(), &["."]);
    run.expect_code(2);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    for part in [".leakward.toml", "gitleaks", "line 2", "[[rule]]"] {
        assert!(lines[0].contains(part), "{part}: {}", lines[0]);
    }
}

#[test]
fn baseline_hides_known_findings_but_not_new_ones() {
    let dir = tempdir();
    let work = dir.path().join("repo");
    let old_token = github_token();
    let old_key = aws_key_id();
    write(&work, "old.env", format!("T={old_token}\nK={old_key}\n"));
    let baseline = dir.path().join("baseline.json");
    let baseline_arg = baseline.to_str().unwrap();

    scan_in(&work, &["--write-baseline", baseline_arg, "."]).expect_code(1);
    let first = std::fs::read(&baseline).unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(
        !text.contains(&old_token),
        "baseline holds a secret: {text}"
    );
    assert!(!text.contains(&old_key), "baseline holds a secret: {text}");
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let fingerprints: Vec<&str> = parsed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert!(
        fingerprints.contains(&fingerprint_of(&work, "github-pat-classic").as_str()),
        "{text}"
    );

    scan_in(&work, &["--write-baseline", baseline_arg, "."]);
    assert_eq!(std::fs::read(&baseline).unwrap(), first, "rewriting churns");

    let known = scan_in(
        &work,
        &["--format", "json", "--baseline", baseline_arg, "."],
    );
    known.expect_code(0);
    assert!(known.findings().is_empty(), "{}", known.stdout);
    assert!(known.stderr.contains("known"), "{}", known.stderr);

    let new_token = github_token();
    write(&work, "new.env", format!("NEW={new_token}\n"));
    let fresh = scan_in(
        &work,
        &[
            "--format",
            "json",
            "--show-secrets",
            "--baseline",
            baseline_arg,
            ".",
        ],
    );
    fresh.expect_code(1);
    let secrets: Vec<_> = fresh
        .findings()
        .iter()
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(secrets, vec![new_token]);
}

#[test]
fn missing_or_invalid_baseline_is_an_error() {
    let dir = tempdir();
    write(dir.path(), "a.txt", "nothing\n");
    write(dir.path(), "bad.json", "{\"version\": 1}\n");
    for baseline in ["missing.json", "bad.json"] {
        let run = scan_in(dir.path(), &["--baseline", baseline, "a.txt"]);
        run.expect_code(2);
        assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(baseline), "{}", run.stderr);
    }
}

#[test]
fn user_config_adds_a_rule() {
    let dir = tempdir();
    let token = internal_token();
    write(dir.path(), "svc.yaml", format!("auth: {token}\n"));
    scan_in(dir.path(), &["."]).expect_code(0);

    write(dir.path(), ".leakward.toml", INTERNAL_RULE);
    let run = scan_in(dir.path(), &["--format", "json", "."]);
    run.expect_code(1);
    assert!(
        run.rule_ids().contains(&"internal-token".into()),
        "{}",
        run.stdout
    );
}

#[test]
fn config_flag_names_a_config_outside_the_root() {
    let dir = tempdir();
    let work = dir.path().join("repo");
    write(&work, "svc.yaml", format!("auth: {}\n", internal_token()));
    let config = dir.path().join("leakward.toml");
    write(dir.path(), "leakward.toml", INTERNAL_RULE);
    let run = scan_in(
        &work,
        &[
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
            ".",
        ],
    );
    run.expect_code(1);
    assert!(
        run.rule_ids().contains(&"internal-token".into()),
        "{}",
        run.stdout
    );
}

#[test]
fn user_config_disables_a_rule() {
    let dir = tempdir();
    write(
        dir.path(),
        "a.env",
        format!("T={}\nK={}\n", github_token(), aws_key_id()),
    );
    write(
        dir.path(),
        ".leakward.toml",
        "disable = [\"github-pat-classic\"]\n",
    );
    let run = scan_in(dir.path(), &["--format", "json", "."]);
    run.expect_code(1);
    let ids = run.rule_ids();
    assert!(!ids.contains(&"github-pat-classic".into()), "{ids:?}");
    assert!(ids.contains(&"aws-access-key-id".into()), "{ids:?}");
}

#[test]
fn user_config_block_on_medium_makes_medium_findings_block() {
    let dir = tempdir();
    // Not a dotenv file: there a literal password is credential syntax, and blocks.
    write(
        dir.path(),
        "db.conf",
        password_line(&password_value()) + "\n",
    );
    scan_in(dir.path(), &["."]).expect_code(0);
    write(dir.path(), ".leakward.toml", "block_on = \"medium\"\n");
    let run = scan_in(dir.path(), &["--format", "json", "."]);
    run.expect_code(1);
    let findings = run.findings();
    let f = findings
        .iter()
        .find(|f| f["confidence"] == "medium")
        .expect("medium finding");
    assert_eq!(f["blocking"], true);
    // The command line wins over the config.
    scan_in(dir.path(), &["--block-on", "high", "."]).expect_code(0);
}

#[test]
fn no_default_rules_uses_only_the_users_rules() {
    let dir = tempdir();
    write(
        dir.path(),
        "a.env",
        format!("T={}\nI={}\n", github_token(), internal_token()),
    );
    write(dir.path(), ".leakward.toml", INTERNAL_RULE);
    let run = scan_in(dir.path(), &["--format", "json", "--no-default-rules", "."]);
    run.expect_code(1);
    assert_eq!(run.rule_ids(), vec!["internal-token".to_string()]);

    // The same, set in the config file.
    write(
        dir.path(),
        ".leakward.toml",
        format!("no_default_rules = true\n{INTERNAL_RULE}"),
    );
    let run = scan_in(dir.path(), &["--format", "json", "."]);
    assert_eq!(run.rule_ids(), vec!["internal-token".to_string()]);
}

#[test]
fn invalid_user_rules_fail_with_one_line_naming_the_rule() {
    let rule = |id: &str, regex: &str, extra: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\ndescription = \"d\"\nregex = '''{regex}'''\nconfidence = \"high\"\n{extra}\n"
        )
    };
    let cases: &[(&str, String)] = &[
        (
            "bad-regex",
            rule("bad-regex", "itk_(", "keywords = [\"itk_\"]"),
        ),
        (
            "unknown-field",
            rule(
                "unknown-field",
                "itk_x",
                "keywords = [\"itk_\"]\nseverity = 3",
            ),
        ),
        (
            "twice",
            rule("twice", "itk_x", "keywords = [\"itk_\"]")
                + &rule("twice", "itk_y", "keywords = [\"itk_\"]"),
        ),
        (
            "aws-access-key-id",
            rule(
                "aws-access-key-id",
                "AKIA[A-Z]{16}",
                "keywords = [\"akia\"]",
            ),
        ),
        ("no-keywords", rule("no-keywords", "itk_x", "")),
    ];
    for (id, config) in cases {
        let dir = tempdir();
        write(dir.path(), "a.txt", "nothing\n");
        write(dir.path(), ".leakward.toml", config);
        let run = scan_in(dir.path(), &["."]);
        run.expect_code(2);
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "{id}: {}", run.stderr);
        assert!(lines[0].contains(&format!("`{id}`")), "{id}: {}", lines[0]);
        assert!(lines[0].contains(".leakward.toml"), "{id}: {}", lines[0]);
        assert!(!run.stderr.contains("panicked"), "{id}: {}", run.stderr);
    }
}

#[test]
fn invalid_config_file_syntax_and_missing_config_exit_2() {
    let dir = tempdir();
    write(dir.path(), "a.txt", "nothing\n");
    write(dir.path(), "broken.toml", "block_on = \n");
    write(dir.path(), "typo.toml", "blok_on = \"low\"\n");
    for config in ["broken.toml", "typo.toml", "missing.toml"] {
        let run = scan_in(dir.path(), &["--config", config, "a.txt"]);
        run.expect_code(2);
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "{config}: {}", run.stderr);
        assert!(lines[0].contains(config), "{config}: {}", lines[0]);
    }
}

/// The run that wrote a baseline ended by advising to run `--write-baseline` (issue 19): it
/// now says the findings are in that baseline and how to use it.
#[test]
fn the_run_that_writes_a_baseline_says_what_comes_next() {
    let dir = tempdir();
    write(dir.path(), "a.env", format!("T={}\n", github_token()));
    let plain = scan_in(dir.path(), &["a.env"]);
    plain.expect_code(1);
    assert!(
        plain
            .stderr
            .contains("--write-baseline .leakward-baseline.json"),
        "{}",
        plain.stderr
    );
    let writing = scan_in(dir.path(), &["--write-baseline", "known.json", "a.env"]);
    writing.expect_code(1);
    let advice = writing
        .stderr_lines()
        .into_iter()
        .find(|l| l.trim_start().starts_with("3. "))
        .unwrap_or_else(|| panic!("no third way forward:\n{}", writing.stderr))
        .trim()
        .to_string();
    assert_eq!(
        advice,
        "3. to accept them as known findings: they are now in the baseline known.json; commit it, \
         and scan with --baseline known.json (the pre-commit hook does when \
         .leakward-baseline.json exists)"
    );
    assert!(
        !writing.stderr.contains("--write-baseline"),
        "{}",
        writing.stderr
    );
    scan_in(dir.path(), &["--baseline", "known.json", "a.env"]).expect_code(0);
}
