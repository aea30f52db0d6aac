//! Allowlist entries of each kind, `condition = "all"`, invalid entries and inline markers.

use super::*;

fn own(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn check(allow: &Allowlist, path: &str, secret: &str, line: &str) -> Option<AllowReason> {
    allow.reason(&Candidate {
        path,
        secret: secret.as_bytes(),
        matched: secret.as_bytes(),
        line: line.as_bytes(),
    })
}

#[test]
fn each_kind_of_entry_allows() {
    let allow = Allowlist::new(&AllowSpec {
        paths: own(&["testdata/**", "*.lock"]),
        path_regexes: own(&[r"\.snap$"]),
        regexes: own(&["^sk_test_"]),
        lines: own(&["(?i)nosec"]),
        stopwords: own(&["Sample"]),
        ..AllowSpec::default()
    })
    .unwrap();
    let cases: &[(&str, &str, &str, Option<AllowReason>)] = &[
        ("testdata/a.txt", "x", "", Some(AllowReason::Path)),
        ("deep/dir/Cargo.lock", "x", "", Some(AllowReason::Path)),
        ("ui/__snapshots__/a.snap", "x", "", Some(AllowReason::Path)),
        (
            "src/a.rs",
            "sk_test_123",
            "",
            Some(AllowReason::SecretRegex),
        ),
        (
            "src/a.rs",
            "k",
            "key = k # NOSEC",
            Some(AllowReason::LineRegex),
        ),
        ("src/a.rs", "mysampletoken", "", Some(AllowReason::Stopword)),
        ("src/a.rs", "sk_live_123", "key = sk_live_123", None),
    ];
    for &(path, secret, line, want) in cases {
        assert_eq!(
            check(&allow, path, secret, line),
            want,
            "{path} {secret} {line}"
        );
    }
}

#[test]
fn condition_all_needs_every_kind_set() {
    let allow = Allowlist::new(&AllowSpec {
        condition: Condition::All,
        paths: own(&["tests/**"]),
        regexes: own(&["^fake_"]),
        ..AllowSpec::default()
    })
    .unwrap();
    assert_eq!(
        check(&allow, "tests/a.rs", "fake_1", ""),
        Some(AllowReason::All)
    );
    assert_eq!(check(&allow, "src/a.rs", "fake_1", ""), None);
    assert_eq!(check(&allow, "tests/a.rs", "real_1", ""), None);
    assert!(
        !allow.allows_path("tests/a.rs"),
        "a path alone is not enough"
    );
}

#[test]
fn invalid_entries_are_named() {
    let bad_regex = AllowSpec {
        regexes: own(&["(unclosed"]),
        ..AllowSpec::default()
    };
    let err = Allowlist::new(&bad_regex).unwrap_err();
    assert!(
        err.contains("allow.regexes") && err.contains("(unclosed"),
        "{err}"
    );
    let bad_glob = AllowSpec {
        paths: own(&["a[b"]),
        ..AllowSpec::default()
    };
    assert!(Allowlist::new(&bad_glob).unwrap_err().contains("a[b"));
}

#[test]
fn inline_markers() {
    assert!(has_inline_marker(b"key = 'abc' # leakward:allow"));
    assert!(has_inline_marker(b"key = 'abc' // gitleaks:allow"));
    assert!(has_inline_marker(
        b"key = 'abc'  # pragma: allowlist secret"
    ));
    assert!(!has_inline_marker(b"key = 'abc'"));
}

#[test]
fn entries_that_allowed_something_are_not_unused() {
    let spec = AllowSpec {
        paths: own(&["vendor/**", "gone/**"]),
        regexes: own(&["^fake_", "^never_"]),
        stopwords: own(&["sample", "nothing"]),
        origin: Some("team.toml".into()),
        ..AllowSpec::default()
    };
    let allow = Allowlists::new(&[spec.clone(), spec]).unwrap();
    assert!(allow.allows_path("vendor/a.js"));
    let candidate = Candidate {
        path: "src/a.rs",
        secret: b"fake_SAMPLE_1",
        matched: b"fake_SAMPLE_1",
        line: b"",
    };
    assert_eq!(allow.reason(&candidate), Some(AllowReason::SecretRegex));
    let unused: Vec<(&str, String)> = allow
        .unused(Some("r"))
        .into_iter()
        .map(|e| (e.kind, e.value))
        .collect();
    let once = [
        ("path glob", "gone/**".to_string()),
        ("secret regex", "^never_".to_string()),
        ("stopword", "nothing".to_string()),
    ];
    // Both allowlists allowed the candidate, so both count their entries as used.
    let want: Vec<(&str, String)> = once.iter().chain(&once).cloned().collect();
    assert_eq!(unused, want);
    assert_eq!(
        allow.describe_match(&candidate)[..2],
        ["secret regex `^fake_`", "stopword `sample`"]
    );
}

#[test]
fn built_in_entries_are_never_listed() {
    let allow = Allowlist::new(&AllowSpec {
        regexes: own(&["^never_"]),
        ..AllowSpec::default()
    })
    .unwrap();
    assert!(allow.unused(None).is_empty());
}
