//! Many repositories: `history --repos` scans each listed repository as a unit with a
//! coverage record, shards split the list so each repository is covered once, and `merge`
//! turns the shards' reports into the report of one run, refusing what is not one run.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{
    coverage, found, github_token, leakward, password_line, password_value, records, run, tempdir,
    write, Repo,
};
use serde_json::Value;

/// Six repositories, each with a blocking token in a commit (one also with a medium
/// password), and the list naming them: three by path, three by `name=path`.
struct Org {
    repos: Vec<Repo>,
    /// The tokens committed, which no report may show in full.
    tokens: Vec<String>,
    dir: tempfile::TempDir,
}

impl Org {
    fn new() -> Org {
        let dir = tempdir();
        let mut repos = Vec::new();
        let mut tokens = Vec::new();
        let mut list = String::from("# the organisation\n");
        for i in 0..6 {
            let repo = Repo::new();
            repo.commit_file("README.md", format!("service {i}\n"));
            let token = github_token();
            repo.commit_file(&format!("config/{i}.env"), format!("TOKEN={token}\n"));
            tokens.push(token);
            if i == 2 {
                repo.commit_file(
                    "settings.py",
                    format!("{}\n", password_line(&password_value())),
                );
            }
            let path = repo.path();
            if i % 2 == 0 {
                list.push_str(&format!("{}\n", path.display()));
            } else {
                list.push_str(&format!("service-{i}={}\n", path.display()));
            }
            repos.push(repo);
        }
        write(dir.path(), "repos.txt", list);
        Org { repos, tokens, dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    /// `history --repos repos.txt ARGS -q -f jsonl -o OUT` in the organisation's directory.
    fn scan_to(&self, out: &str, args: &[&str]) -> common::Run {
        let mut all = vec![
            "history",
            "--repos",
            "repos.txt",
            "-q",
            "-f",
            "jsonl",
            "-o",
            out,
        ];
        all.extend(args);
        self.leakward(&all)
    }

    /// `leakward ARGS` in the organisation's directory.
    fn leakward(&self, args: &[&str]) -> common::Run {
        let mut command = leakward();
        command.current_dir(self.dir.path()).args(args);
        run(&mut command)
    }
}

#[test]
fn three_shards_merged_find_what_one_run_finds_and_cover_each_repository_once() {
    let org = Org::new();
    let whole = org.scan_to("all.jsonl", &[]);
    whole.expect_code(1);
    let all = found(&org.path("all.jsonl"));
    // Six tokens and one password, each in its own repository's name.
    assert_eq!(all.len(), 7, "{all:?}");
    let names: BTreeSet<String> = all.iter().map(|(r, _)| r.clone()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.contains("service-1"), "{names:?}");

    let mut shards = Vec::new();
    let mut union = Vec::new();
    for k in 1..=3 {
        let out = format!("shard-{k}.jsonl");
        let shard = org.scan_to(&out, &["--shard", &format!("{k}/3")]);
        assert!(matches!(shard.code, 0 | 1), "{shard:?}");
        union.extend(covered(&org.path(&out)));
        shards.push(out);
    }
    union.sort();
    let mut expected = covered(&org.path("all.jsonl"));
    expected.sort();
    assert_eq!(
        union, expected,
        "each repository is covered by exactly one shard"
    );

    let mut args = vec!["merge", "-q", "-f", "jsonl", "-o", "merged.jsonl"];
    args.extend(shards.iter().map(String::as_str));
    org.leakward(&args).expect_code(1);
    assert_eq!(found(&org.path("merged.jsonl")), all);
    let mut merged_coverage = covered(&org.path("merged.jsonl"));
    merged_coverage.sort();
    assert_eq!(merged_coverage, expected);

    // Every other format reads the same merged findings: SARIF as one run.
    let mut args = vec!["merge", "-q", "-f", "sarif"];
    args.extend(shards.iter().map(String::as_str));
    let sarif = org.leakward(&args);
    sarif.expect_code(1);
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let errors: Vec<String> = common::sarif_schema()
        .iter_errors(&log)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    assert_eq!(
        log["runs"][0]["properties"]["repositories"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 7);
    for format in ["text", "json", "csv", "html", "github"] {
        let mut args = vec!["merge", "-q", "-f", format];
        args.extend(shards.iter().map(String::as_str));
        let report = org.leakward(&args);
        report.expect_code(1);
        assert!(
            report.stdout.contains("service-1"),
            "{format}: {}",
            report.stdout
        );
        for token in &org.tokens {
            assert!(
                !report.stdout.contains(token.as_str()),
                "{format} shows a secret"
            );
        }
    }
    // A merge that blocks at medium is still a merge of the same findings, more blocking.
    let mut args = vec!["merge", "-q", "-f", "json", "--block-on", "low"];
    args.extend(shards.iter().map(String::as_str));
    let json = org.leakward(&args);
    json.expect_code(1);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["repositories"].as_array().unwrap().len(), 6);
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["blocking"] == true));
}

#[test]
fn coverage_records_say_what_was_scanned_and_a_broken_unit_is_incomplete() {
    let org = Org::new();
    let mut list = std::fs::read_to_string(org.path("repos.txt")).unwrap();
    list.push_str("gone=does/not/exist\n");
    // A directory inside a repository is not that repository.
    let inner = org.repos[0].path().join("config");
    list.push_str(&format!("inner={}\n", inner.display()));
    write(org.dir.path(), "repos.txt", list);
    let run = org.scan_to("r.jsonl", &[]);
    run.expect_code(2);
    let coverage = coverage(&org.path("r.jsonl"));
    assert_eq!(coverage.len(), 8);
    for record in &coverage {
        let name = record["repository"].as_str().unwrap();
        if name == "gone" || name == "inner" {
            assert_eq!(record["complete"], false, "{record}");
            assert!(
                record["reason"]
                    .as_str()
                    .unwrap()
                    .contains("not a git repository"),
                "{record}"
            );
            continue;
        }
        assert_eq!(record["complete"], true, "{record}");
        assert_eq!(record["refs"][0]["name"], "refs/heads/main", "{record}");
        assert_eq!(record["refs"][0]["head"].as_str().unwrap().len(), 40);
        assert!(record["commits"].as_u64().unwrap() >= 2, "{record}");
        assert!(record["blobs"].as_u64().unwrap() >= 2, "{record}");
        assert!(record["bytes"].as_u64().unwrap() > 0, "{record}");
        assert_eq!(record["tool_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(record["rules"].as_str().unwrap().len(), 32);
    }
    let records = records(&org.path("r.jsonl"));
    let (kind, end) = records.last().unwrap();
    assert_eq!(kind, "end");
    assert_eq!(end["repositories"], 8);
    assert_eq!(end["findings"], 7);
}

#[test]
fn a_budget_ends_a_repository_incomplete_and_the_run_exits_2() {
    let org = Org::new();
    for budget in [["--max-repo-bytes", "10"], ["--max-repo-time", "1ns"]] {
        org.scan_to("b.jsonl", &budget).expect_code(2);
        let coverage = coverage(&org.path("b.jsonl"));
        assert_eq!(coverage.len(), 6, "{budget:?}");
        for record in &coverage {
            assert_eq!(record["complete"], false, "{budget:?}: {record}");
            let reason = record["reason"].as_str().unwrap();
            assert!(reason.contains(budget[0]), "{budget:?}: {reason}");
        }
    }
    // A budget that is not a duration or size is refused before anything is scanned.
    let bad = org.leakward(&["history", "--repos", "repos.txt", "--max-repo-time", "soon"]);
    bad.expect_code(2);
    assert!(bad.stderr.contains("not a duration"), "{}", bad.stderr);
}

#[test]
fn a_listed_repository_cannot_switch_off_its_own_scan() {
    let org = Org::new();
    let repo = &org.repos[3];
    repo.commit_file(
        ".leakward.toml",
        "no_default_rules = true\n[allow]\npaths = [\"**\"]\n",
    );
    repo.commit_file(".leakwardignore", "**\n");
    org.scan_to("r.jsonl", &[]).expect_code(1);
    // What to do next speaks of the organisation's baseline, not of files in a repository.
    let text = org.leakward(&["history", "--repos", "repos.txt"]);
    text.expect_code(1);
    assert!(text.stderr.contains("--write-baseline"), "{}", text.stderr);
    assert!(!text.stderr.contains(".leakwardignore"), "{}", text.stderr);
    let names: BTreeSet<String> = found(&org.path("r.jsonl"))
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert!(names.contains("service-3"), "{names:?}");
}

#[test]
fn merge_refuses_what_is_not_one_run() {
    let org = Org::new();
    for k in 1..=2 {
        org.scan_to(&format!("s{k}.jsonl"), &["--shard", &format!("{k}/2")]);
    }
    org.scan_to("all.jsonl", &[]);
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["merge", "-q"];
        all.extend(args);
        let run = org.leakward(&all);
        run.expect_code(2);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    };
    // A repository covered twice: the whole run and a shard of it.
    refused(&["all.jsonl", "s1.jsonl"], "covers repository");
    refused(&["s1.jsonl", "s1.jsonl"], "the same file");

    // Another rule set: a shard scanned with a config of its own.
    write(org.dir.path(), "extra.toml", "[[rule]]\nid = \"org-internal\"\ndescription = \"An internal token\"\nregex = '''orgtok_[a-z0-9]{24}'''\nkeywords = [\"orgtok_\"]\nconfidence = \"high\"\n");
    org.scan_to("s2x.jsonl", &["--shard", "2/2", "--config", "extra.toml"]);
    refused(&["s1.jsonl", "s2x.jsonl"], "rule set");
    // The same config on both sides merges.
    org.scan_to("s1x.jsonl", &["--shard", "1/2", "--config", "extra.toml"]);
    let ok = org.leakward(&[
        "merge",
        "-q",
        "--config",
        "extra.toml",
        "s1x.jsonl",
        "s2x.jsonl",
    ]);
    ok.expect_code(1);

    // A cut-off report, a report missing a record, a damaged line: each named with its line.
    let text = std::fs::read_to_string(org.path("all.jsonl")).unwrap();
    write(org.dir.path(), "cut.jsonl", &text[..text.len() / 2]);
    refused(&["cut.jsonl"], "cut.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    write(
        org.dir.path(),
        "short.jsonl",
        format!("{}\n", lines[1..].join("\n")),
    );
    refused(&["short.jsonl"], "end record counts");
    let mut damaged = lines.clone();
    damaged[2] = "{\"version\":1,\"rule_id\":";
    write(
        org.dir.path(),
        "damaged.jsonl",
        format!("{}\n", damaged.join("\n")),
    );
    refused(&["damaged.jsonl"], "damaged.jsonl: line 3");
    // The JSON Lines of a single-repository run is not a shard report.
    let single = org.repos[0].leakward(&["history", "-q", "-f", "jsonl"]);
    write(org.dir.path(), "single.jsonl", &single.stdout);
    refused(&["single.jsonl"], "end");
}

/// (repository, cached) of every coverage record in a JSON Lines report.
fn cached(path: &Path) -> BTreeSet<(String, u64)> {
    coverage(path)
        .iter()
        .map(|c| {
            (
                c["repository"].as_str().unwrap().to_string(),
                c["cached"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_cache_gives_the_findings_of_a_cold_run_and_a_new_rule_set_starts_it_afresh() {
    let org = Org::new();
    let scan = |out: &str, extra: &[&str]| {
        org.scan_to(out, &[&["--cache", "cache"], extra].concat())
            .expect_code(1);
        org.path(out)
    };
    let cold = scan("cold.jsonl", &[]);
    assert!(
        cached(&cold).iter().all(|(_, n)| *n == 0),
        "{:?}",
        cached(&cold)
    );
    let warm = scan("warm.jsonl", &[]);
    assert_eq!(found(&warm), found(&cold));
    // Every repository's README blob was clean, so the second run counted it from the cache.
    assert!(
        cached(&warm).iter().all(|(_, n)| *n >= 1),
        "{:?}",
        cached(&warm)
    );

    // A new commit with a new secret: found, and every earlier finding is still reported.
    let token = github_token();
    org.repos[4].commit_file("deploy/new.env", format!("TOKEN={token}\n"));
    let nightly = scan("nightly.jsonl", &[]);
    let before = found(&cold);
    let after = found(&nightly);
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert!(before.is_subset(&after));

    // Another rule set: nothing in the cache applies.
    write(org.dir.path(), "extra.toml", "[[rule]]\nid = \"org-internal\"\ndescription = \"An internal token\"\nregex = '''orgtok_[a-z0-9]{24}'''\nkeywords = [\"orgtok_\"]\nconfidence = \"high\"\n");
    let other = scan("other.jsonl", &["--config", "extra.toml"]);
    assert!(
        cached(&other).iter().all(|(_, n)| *n == 0),
        "{:?}",
        cached(&other)
    );
    assert_eq!(found(&other), after);
}

/// The repositories a report has coverage records for.
fn covered(path: &Path) -> Vec<String> {
    coverage(path)
        .iter()
        .map(|c| c["repository"].as_str().unwrap().to_string())
        .collect()
}
