//! `leakward audit` report formats: a well-formed, self-contained, escaped HTML page, and
//! CSV with one row per secret.

mod common;

use common::{balanced_tags, commit_secret, Repo};

#[test]
fn the_html_report_is_well_formed_self_contained_and_escaped() {
    let repo = Repo::new();
    let (secret, _) = commit_secret(&repo, "<script>alert(1)</script>.env", "<b>bold</b>");
    let out = repo.audit(&repo.path(), &["-f", "html", "-q"]);
    assert_eq!(Some(out.code), Some(1));
    let html = out.stdout;
    let tags = balanced_tags(&html);
    assert!(
        !tags
            .iter()
            .any(|t| t == "script" || t == "link" || t == "img"),
        "{tags:?}"
    );
    assert!(
        !html.contains("http://") || !html.contains("src="),
        "no external assets"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.env"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(!html.contains(&secret), "redacted by default");
    let shown = repo.audit(&repo.path(), &["-f", "html", "-q", "--show-secrets"]);
    assert!(shown.stdout.as_str().contains(&secret));
}

#[test]
fn csv_has_one_row_per_secret_and_defuses_formulas() {
    let repo = Repo::new();
    commit_secret(&repo, "=cmd.env", "formula path");
    commit_secret(&repo, "b.env", "second");
    let out = repo.audit(&repo.path(), &["-f", "csv", "-q"]);
    let csv = out.stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("fingerprint,rule_id,confidence"));
    assert!(csv.contains(",'=cmd.env,"), "{csv}");
}

/// One secret in one file kept through ten commits, copied to a second file in the last:
/// eleven places (path × line × commit), but two paths and ten commits. The HTML summary had
/// no path column and its "places" read as eleven leaks (issue 19); every format now counts
/// and lists the distinct paths and commits.
#[test]
fn reports_count_distinct_paths_and_commits_apart_from_places() {
    let repo = Repo::new();
    let (secret, _) = commit_secret(&repo, "config/a.env", "add");
    for n in 1..9 {
        repo.write("notes.txt", format!("{n}\n"));
        repo.commit_as("Alice", &format!("note {n}"));
    }
    repo.write("copy/b.env", format!("TOKEN={secret}\n"));
    repo.commit_as("Alice", "copy");

    let (_, doc) = common::audit_json(&repo, &repo.path(), &[]);
    let entry = common::entry(&doc, &secret);
    assert_eq!(entry["location_count"], 11, "{entry:#}");
    assert_eq!(entry["path_count"], 2, "{entry:#}");
    assert_eq!(
        entry["paths"],
        serde_json::json!(["config/a.env", "copy/b.env"])
    );
    assert_eq!(entry["commit_count"], 10, "{entry:#}");
    assert_eq!(entry["commits"].as_array().map(Vec::len), Some(10));

    let text = repo.audit(&repo.path(), &["-q"]).stdout;
    let line = |key: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in:\n{text}"))
            .trim()
            .to_string()
    };
    assert_eq!(line("paths:"), "paths:       2: config/a.env, copy/b.env");
    assert!(line("commits:").starts_with("commits:     10: "), "{text}");
    assert_eq!(
        line("appears in:"),
        "appears in:  11 place(s) (path, line and commit)"
    );

    let html = repo.audit(&repo.path(), &["-f", "html", "-q"]).stdout;
    assert!(
        html.contains("<th>paths</th><th>commits</th><th>places</th>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td><code>config/a.env</code>, <code>copy/b.env</code></td><td>10</td><td>11</td></tr>"
        ),
        "{html}"
    );

    let csv = repo.audit(&repo.path(), &["-f", "csv", "-q"]).stdout;
    let mut rows = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().expect("a header");
    let row = rows.next().expect("a row");
    let cell = |name: &str| row[header.iter().position(|h| *h == name).expect(name)];
    assert_eq!(
        (
            cell("location_count"),
            cell("path_count"),
            cell("commit_count"),
            cell("paths")
        ),
        ("11", "2", "10", "config/a.env; copy/b.env")
    );
}

/// A secret that a commit holds and a staged blob holds too is reported at its committed
/// place: the blob no commit holds has no path, and sorted first it gave rows an empty path.
#[test]
fn a_secret_is_reported_where_a_commit_holds_it_before_a_loose_blob() {
    let repo = Repo::new();
    let (secret, _) = commit_secret(&repo, "config.env", "add the config");
    repo.write("other.env", format!("OTHER={secret}\n"));
    repo.git(&["add", "other.env"]);
    for format in ["jsonl", "sarif", "csv"] {
        let out = repo.audit(&repo.path(), &["-f", format, "-q"]);
        assert_eq!(out.code, 1, "{format}: {out:?}");
        let path_of = match format {
            "jsonl" => out.stdout.contains("\"path\":\"config.env\""),
            "sarif" => {
                out.stdout.contains("\"uri\": \"config.env\"")
                    || out.stdout.contains("\"uri\":\"config.env\"")
            }
            _ => out
                .stdout
                .lines()
                .nth(1)
                .is_some_and(|row| row.contains("config.env")),
        };
        assert!(path_of, "{format}: {}", out.stdout);
    }
}
