//! Tokens on the `examples` lines of a rules file (a `.toml` file with `[[rule]]` tables) are
//! test data: not reported, in the working tree or in any version history holds, so a repository
//! that keeps its own rules scans clean even after the examples change.

mod common;

use common::{github_token, places, Repo};

fn rules_file(token: &str) -> String {
    format!(
        "[[rule]]\nid = \"acme-token\"\nregex = '''acme_[a-z]{{8}}'''\nexamples = [\"GITHUB_TOKEN={token}\"]\n"
    )
}

#[test]
fn examples_of_every_version_of_a_rules_file_are_not_reported() {
    let repo = Repo::new();
    let (old, new) = (github_token(), github_token());
    repo.commit_file("rules/acme.toml", rules_file(&old));
    repo.commit_file("rules/acme.toml", rules_file(&new));

    let (code, findings) = repo.findings(&["history"], "");
    assert_eq!((code, places(&findings)), (0, vec![]), "{findings:?}");
    let (code, findings) = repo.findings(&["scan", "."], "");
    assert_eq!((code, places(&findings)), (0, vec![]), "{findings:?}");
}

#[test]
fn the_same_line_outside_a_rules_file_is_reported() {
    let repo = Repo::new();
    let line = |token: &str| format!("examples = [\"GITHUB_TOKEN={token}\"]\n");
    // A TOML file without rules, and a rules file's text under another extension.
    repo.write(
        "settings.toml",
        format!("[server]\n{}", line(&github_token())),
    );
    repo.write("rules.txt", format!("[[rule]]\n{}", line(&github_token())));
    // A rules file, but the token is not on an examples line.
    repo.write(
        "conf/rules.toml",
        format!("[[rule]]\nid = \"x\"\ntoken = \"{}\"\n", github_token()),
    );
    let added = repo.commit("three tokens");

    let (code, findings) = repo.findings(&["history"], "");
    assert_eq!(code, 1, "{findings:?}");
    let mut got = places(&findings);
    got.sort();
    let want = [
        (added.clone(), "conf/rules.toml".to_string(), 3),
        (added.clone(), "rules.txt".to_string(), 2),
        (added, "settings.toml".to_string(), 2),
    ];
    assert_eq!(got, want);
}
