//! Pipeline tests of the scanner with small hand-written rule sets.

use super::*;
use crate::chunk::{Origin, Scope};
use crate::config::{self, Config};
use std::path::Path;

fn scanner(rules_toml: &str, limits: Limits) -> Scanner {
    let file = config::parse(rules_toml, Path::new("test.toml")).unwrap();
    let mut config = Config {
        rules: Vec::new(),
        allow: Default::default(),
        block_on: Confidence::High,
        policy: Default::default(),
    };
    config::merge(&mut config, file, Path::new("test.toml")).unwrap();
    Scanner::new(
        &config,
        Options {
            limits,
            ..Options::default()
        },
    )
    .unwrap()
}

const RULES: &str = r#"
[[rule]]
id = "vendor"
description = "vendor token"
regex = '\b(vnd_[a-z0-9]{12})\b'
keywords = ["vnd_"]
confidence = "high"

[[rule]]
id = "generic"
description = "generic token"
regex = 'token = "([a-z0-9_]{8,})"'
keywords = ["token"]
confidence = "medium"
"#;

fn scan(scanner: &Scanner, text: &str, scope: Scope) -> Vec<(String, u32, u32)> {
    let origin = Origin::path("a.txt");
    let chunk = Chunk {
        bytes: text.as_bytes(),
        origin: &origin,
        scope: &scope,
    };
    scanner
        .scan(&chunk)
        .findings
        .into_iter()
        .map(|f| (f.rule_id.to_string(), f.line, f.column))
        .collect()
}

#[test]
fn overlapping_matches_are_reported_once_by_the_more_specific_rule() {
    let s = scanner(RULES, Limits::default());
    let got = scan(&s, "x\ntoken = \"vnd_k3j9x0q2m7w1\"\n", Scope::All);
    assert_eq!(got, vec![("vendor".to_string(), 2, 10)]);
    let got = scan(&s, "token = \"k3j9x0q2m7w1zz\"\n", Scope::All);
    assert_eq!(got, vec![("generic".to_string(), 1, 10)]);
}

#[test]
fn scope_keeps_only_findings_on_added_lines() {
    let s = scanner(RULES, Limits::default());
    let text = "vnd_a1b2c3d4e5f6\nvnd_q9w8e7r6t5y4\n";
    assert_eq!(scan(&s, text, Scope::Lines(vec![2..=2])).len(), 1);
    assert_eq!(scan(&s, text, Scope::Lines(vec![])).len(), 0);
    assert_eq!(scan(&s, text, Scope::All).len(), 2);
}

/// A scope keeps exactly the findings of a whole scan that start in it, whatever the scope:
/// single-line rules search only in-scope keyword lines, and a rule that can cross lines
/// (its keyword on a line the change did not add) still searches the whole chunk.
#[test]
fn a_scope_selects_exactly_the_whole_scans_findings_that_start_in_it() {
    let rules = format!(
        "{RULES}{}",
        r#"
[[rule]]
id = "split"
description = "keyword on one line, secret on the next"
regex = 'secret:\n +(sk_[a-z0-9]{10})'
keywords = ["secret:"]
confidence = "high"
"#
    );
    let s = scanner(&rules, Limits::default());
    let text = "vnd_a1b2c3d4e5f6\ntoken = \"k3j9x0q2m7w1zz\"\nsecret:\n  sk_a1b2c3d4e5\nvnd_q9w8e7r6t5y4\n";
    let all = scan(&s, text, Scope::All);
    assert_eq!(all.len(), 4, "{all:?}");
    let scopes: Vec<Vec<std::ops::RangeInclusive<u32>>> = vec![
        vec![],
        vec![1..=1],
        vec![2..=2],
        vec![4..=4],
        vec![3..=3],
        vec![1..=2, 4..=5],
        vec![5..=5],
    ];
    for ranges in scopes {
        let want: Vec<_> = all
            .iter()
            .filter(|(_, line, _)| ranges.iter().any(|r| r.contains(line)))
            .cloned()
            .collect();
        let got = scan(&s, text, Scope::Lines(ranges.clone()));
        assert_eq!(got, want, "{ranges:?}");
    }
}

#[test]
fn findings_per_chunk_are_capped_and_counted() {
    let s = scanner(
        RULES,
        Limits {
            max_findings_per_chunk: 3,
        },
    );
    let text: String = (0..10).map(|i| format!("vnd_k3j9x0q2m{i:03}\n")).collect();
    let origin = Origin::path("a.txt");
    let scanned = s.scan(&Chunk {
        bytes: text.as_bytes(),
        origin: &origin,
        scope: &Scope::All,
    });
    assert_eq!((scanned.findings.len(), scanned.capped), (3, 7));
}

#[test]
fn keywords_match_case_insensitively_but_regexes_decide() {
    let s = scanner(RULES, Limits::default());
    assert!(scan(&s, "VND_K3J9X0Q2M7W1", Scope::All).is_empty());
    assert_eq!(scan(&s, "TOKEN = \"k3j9x0q2m7w1zz\"", Scope::All).len(), 0);
}

#[test]
fn file_rules_report_files_by_path_even_when_binary() {
    let s = scanner(
        r#"
[[rule]]
id = "keystore"
description = "Java key store"
paths = ["*.jks"]
confidence = "low"
"#,
        Limits::default(),
    );
    let binary = b"\xfe\xed\xfe\xed\x00\x00\x00\x02";
    let scan_as = |path: &str, bytes: &[u8]| {
        let origin = Origin::path(path);
        let chunk = Chunk {
            bytes,
            origin: &origin,
            scope: &Scope::All,
        };
        s.scan_binary(&chunk).findings
    };
    let found = scan_as("certs/server.jks", binary);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].line, found[0].column, found[0].secret.as_str()),
        (1, 1, "")
    );
    assert_eq!(
        found[0].fingerprint,
        scan_as("elsewhere/copy.jks", binary)[0].fingerprint,
        "the fingerprint follows the content, not the name"
    );
    assert!(scan_as("certs/server.pem", binary).is_empty());
}

const PATH_RULES: &str = r#"
[[rule]]
id = "generic"
description = "generic password"
regex = 'password=(\S{8,})'
keywords = ["password"]
confidence = "medium"

[[rule]]
id = "app-config"
description = "password in an app config"
regex = 'password=(\S{8,})'
paths = ["app.conf"]
confidence = "medium"

[[rule]]
id = "key-file"
description = "key file by name"
paths = ["*.key"]
confidence = "low"
"#;

fn scan_at(scanner: &Scanner, path: &str, text: &str) -> Vec<String> {
    let origin = Origin::path(path);
    let chunk = Chunk {
        bytes: text.as_bytes(),
        origin: &origin,
        scope: &Scope::All,
    };
    let mut ids: Vec<String> = scanner
        .scan(&chunk)
        .findings
        .into_iter()
        .map(|f| f.rule_id.to_string())
        .collect();
    ids.sort();
    ids
}

/// At equal confidence a rule limited to paths knows the file's format, so it wins the
/// overlap even though the generic rule is listed first; a file rule stands for the whole
/// file and yields to any content finding in it.
#[test]
fn path_limited_rules_win_ties_and_file_rules_yield_to_content() {
    let s = scanner(PATH_RULES, Limits::default());
    let line = "password=k3j9x0q2m7w1\n";
    let cases: &[(&str, &str, &[&str])] = &[
        ("etc/app.conf", line, &["app-config"]),
        ("etc/other.conf", line, &["generic"]),
        ("etc/db.key", line, &["generic"]),
        ("etc/db.key", "opaque\n", &["key-file"]),
    ];
    for &(path, text, want) in cases {
        assert_eq!(scan_at(&s, path, text), want, "{path}: {text:?}");
    }
}

#[test]
fn the_built_in_rules_examples_are_recognised_though_scans_load_them_as_text_only() {
    // Scans load the catalog without its examples (config::builtin); the texts still come
    // with it, so a built-in rule's example found in a file is public test data.
    let whole = config::builtin_with_examples().unwrap();
    let (id, example) = whole
        .rules
        .iter()
        .filter(|r| r.spec.id == "github-pat-classic")
        .flat_map(|r| {
            r.spec
                .examples
                .iter()
                .map(|e| (r.spec.id.clone(), e.text()))
        })
        .next()
        .expect("the rule has an example");
    let lean = config::builtin().unwrap();
    assert!(lean.rules.iter().all(|r| r.spec.examples.is_empty()));
    let found = |report_rule_examples: bool| {
        let scanner = Scanner::new(
            &lean,
            Options {
                report_rule_examples,
                ..Options::default()
            },
        )
        .unwrap();
        scan(&scanner, &format!("{example}\n"), Scope::All)
            .into_iter()
            .filter(|(rule, _, _)| *rule == id)
            .count()
    };
    assert_eq!(found(true), 1, "{example}");
    assert_eq!(found(false), 0, "{example}");
}
