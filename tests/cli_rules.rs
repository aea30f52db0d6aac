//! `leakward rules`: list, show and check, run through the real binary.

mod common;

use common::{leakward, run, tempdir, write};

fn rules(args: &[&str]) -> common::Run {
    let mut command = leakward();
    command.arg("rules").args(args);
    run(&mut command)
}

#[test]
fn list_names_the_built_in_rules() {
    let run = rules(&["list"]);
    run.expect_code(0);
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for id in [
        "github-pat-classic",
        "aws-access-key-id",
        "generic-password",
    ] {
        assert!(ids.contains(&id), "{id} not listed:\n{}", run.stdout);
    }
}

/// `rules list` had no header and columns that drifted with long ids and keyword lists
/// (issue 19): a header names the columns, and every row starts each column where the
/// header does.
#[test]
fn list_has_a_header_and_aligned_columns() {
    let run = rules(&["list"]);
    run.expect_code(0);
    let mut lines = run.stdout.lines();
    let header = lines.next().expect("a header");
    let starts: Vec<usize> = ["ID", "CONFIDENCE", "DESCRIPTION", "KEYWORDS"]
        .iter()
        .map(|name| {
            header
                .find(name)
                .unwrap_or_else(|| panic!("{name}: {header}"))
        })
        .collect();
    assert_eq!(starts[0], 0, "{header}");
    let mut rows = 0;
    for line in lines {
        rows += 1;
        // Columns are aligned in characters (descriptions are not all ASCII).
        let chars: Vec<char> = line.chars().collect();
        for &start in &starts[1..] {
            // A file rule has no keywords: its last column is empty.
            if start == starts[3] && chars.len() <= start {
                continue;
            }
            assert!(
                chars[start - 2..start] == [' ', ' '] && chars[start] != ' ',
                "a column does not start at {start}: {line:?}"
            );
        }
        let rest: String = chars[starts[1]..].iter().collect();
        let confidence = rest.split_whitespace().next().unwrap_or_default();
        assert!(["high", "medium", "low"].contains(&confidence), "{line}");
    }
    assert!(rows > 400, "{rows} rules listed");
}

/// `rules show` with no id said `the following required arguments were not provided:` and
/// stopped before naming one (issue 19).
#[test]
fn show_without_an_id_names_the_missing_argument() {
    let run = rules(&["show"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr_lines(),
        ["leakward: error: the following required arguments were not provided: <ID> (see `leakward --help`)"]
    );
}

#[test]
fn show_prints_a_rule_with_its_regex() {
    let run = rules(&["show", "github-pat-classic"]);
    run.expect_code(0);
    let regex = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("regex:"))
        .unwrap_or_else(|| panic!("no regex line:\n{}", run.stdout));
    assert!(regex.contains("ghp_"), "{regex}");
    assert!(run.stdout.contains("confidence:  high"), "{}", run.stdout);
}

#[test]
fn show_of_an_unknown_rule_is_exit_2() {
    let run = rules(&["show", "nope"]);
    run.expect_code(2);
    assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("`nope`"), "{}", run.stderr);
}

// The built-in `generic-password` misses its own example `db_password = "..."`: `\b` does
// not match between `_` and `p`. patterns.toml is being rewritten on the `rules` branch;
// remove this `ignore` once that branch is merged.
#[test]
fn check_passes_on_the_built_in_catalog() {
    let run = rules(&["check"]);
    run.expect_code(0);
    assert!(run.stderr.contains("0 failures"), "{}", run.stderr);
}

#[test]
fn check_of_a_file_names_the_rule_that_misses_its_example() {
    let dir = tempdir();
    let file = dir.path().join("rules.toml");
    write(
        dir.path(),
        "rules.toml",
        r#"
[[rule]]
id = "good-rule"
description = "Finds itk_ tokens"
regex = '''\b(itk_[a-z0-9]{24})\b'''
keywords = ["itk_"]
confidence = "high"
examples = ["t = itk_q8v2m4x7c1z9b3n6k5j0h2g4"]
counterexamples = ["itk_short"]

[[rule]]
id = "blind-rule"
description = "Its regex cannot match its own example"
regex = '''\b(ork_[a-z]{40})\b'''
keywords = ["ork_"]
confidence = "high"
examples = ["t = ork_q8v2m4x7c1z9b3n6k5j0h2g4"]
counterexamples = ["ork_short"]
"#,
    );
    let run = rules(&["check", file.to_str().unwrap()]);
    run.expect_code(1);
    let failures: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("misses"))
        .collect();
    assert_eq!(failures.len(), 1, "{}", run.stderr);
    assert!(failures[0].contains("`blind-rule`"), "{}", run.stderr);
}

#[test]
fn check_of_a_good_file_passes_and_of_a_broken_file_is_exit_2() {
    let dir = tempdir();
    write(
        dir.path(),
        "good.toml",
        r#"
[[rule]]
id = "good-rule"
description = "Finds itk_ tokens"
regex = '''\b(itk_[a-z0-9]{24})\b'''
keywords = ["itk_"]
confidence = "high"
examples = ["t = itk_q8v2m4x7c1z9b3n6k5j0h2g4"]
counterexamples = ["itk_short"]
"#,
    );
    write(
        dir.path(),
        "broken.toml",
        "[[rule]]\nid = \"broken-rule\"\ndescription = \"d\"\nregex = '(unclosed'\nkeywords = [\"unclosed\"]\nconfidence = \"high\"\n",
    );
    let good = rules(&["check", dir.path().join("good.toml").to_str().unwrap()]);
    good.expect_code(0);
    let broken = rules(&["check", dir.path().join("broken.toml").to_str().unwrap()]);
    broken.expect_code(2);
    assert_eq!(broken.stderr_lines().len(), 1, "{}", broken.stderr);
    assert!(broken.stderr.contains("`broken-rule`"), "{}", broken.stderr);
}

#[test]
fn list_includes_user_rules_with_config() {
    let dir = tempdir();
    write(
        dir.path(),
        "extra.toml",
        "[[rule]]\nid = \"extra-rule\"\ndescription = \"d\"\nregex = 'xtk_[a-z]{8}'\nkeywords = [\"xtk_\"]\nconfidence = \"low\"\n",
    );
    let config = dir.path().join("extra.toml");
    let run = rules(&["list", "--config", config.to_str().unwrap()]);
    run.expect_code(0);
    assert!(run.stdout.contains("extra-rule"), "{}", run.stdout);
    assert!(run.stdout.contains("github-pat-classic"), "{}", run.stdout);
    let only = rules(&[
        "list",
        "--no-default-rules",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert!(
        !only.stdout.contains("github-pat-classic"),
        "{}",
        only.stdout
    );
}

/// A rule whose secret can be empty reported an empty "high" finding at every position the
/// keywords admitted (~400,000 on one file): it is refused when loaded, by `rules check` and
/// by every scan that uses it.
#[test]
fn a_rule_whose_secret_can_be_empty_is_refused() {
    let cases: &[(&str, &str)] = &[
        (r"(?:tok)?", "the regex matches the empty string"),
        (r"x*", "the regex matches the empty string"),
        (
            r"(?i)token\s*=\s*(\w*)",
            "the secret (group 1 of the regex) can be empty",
        ),
        (
            r"token=((?:ab)?|c)",
            "the secret (group 1 of the regex) can be empty",
        ),
    ];
    for &(regex, want) in cases {
        let dir = tempdir();
        write(
            dir.path(),
            "rules.toml",
            format!(
                "[[rule]]\nid = \"empty-rule\"\ndescription = \"d\"\nregex = '''{regex}'''\n\
                 keywords = [\"token\"]\nconfidence = \"high\"\n"
            ),
        );
        write(dir.path(), "a.txt", "token = \ntoken=\n");
        let file = dir.path().join("rules.toml");
        let check = rules(&["check", file.to_str().unwrap()]);
        let mut command = leakward();
        command.current_dir(dir.path());
        command.args(["scan", "--config", "rules.toml", "a.txt"]);
        let scan = run(&mut command);
        for (what, run) in [("rules check", &check), ("scan", &scan)] {
            run.expect_code(2);
            let lines = run.stderr_lines();
            assert_eq!(lines.len(), 1, "{what} {regex}: {}", run.stderr);
            assert!(
                lines[0].contains("rule `empty-rule`") && lines[0].contains(want),
                "{what} {regex}: {}",
                lines[0]
            );
        }
    }
}

/// The example `.leakward.toml` of the README's Configuration section: `scan` accepted it
/// while `rules check` refused it (`disable: no rule has the id generic-password`), because
/// `rules check` loaded the file without the built-in rules (issue 19). Both load it alike.
#[test]
fn the_readme_example_config_passes_rules_check_and_scan() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("## Configuration: `.leakward.toml`")
        .nth(1)
        .expect("the README has a Configuration section");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the Configuration section has a toml example");
    assert!(example.contains("disable = ["), "{example}");
    let dir = tempdir();
    write(dir.path(), "example.toml", example);
    let file = dir.path().join("example.toml");
    let check = rules(&["check", file.to_str().unwrap()]);
    check.expect_code(0);
    assert!(
        check.stderr.contains(": 1 rules, 0 failures"),
        "{}",
        check.stderr
    );
    let mut command = leakward();
    command.current_dir(dir.path());
    command.args(["scan", "--config", "example.toml", "."]);
    run(&mut command).expect_code(0);
}

/// What `scan` refuses, `rules check` refuses: a `disable` id that no rule has.
#[test]
fn rules_check_and_scan_refuse_the_same_unknown_disable() {
    let dir = tempdir();
    write(dir.path(), "bad.toml", "disable = [\"no-such-rule\"]\n");
    let file = dir.path().join("bad.toml");
    let check = rules(&["check", file.to_str().unwrap()]);
    let mut command = leakward();
    command.current_dir(dir.path());
    command.args(["scan", "--config", "bad.toml", "."]);
    let scan = run(&mut command);
    for (what, run) in [("rules check", &check), ("scan", &scan)] {
        run.expect_code(2);
        assert!(
            run.stderr
                .contains("disable: no rule has the id `no-such-rule`"),
            "{what}: {}",
            run.stderr
        );
    }
}
