//! One byte must not hide a secret (issue 19, item 5): content that looks binary is scanned
//! by its text runs, and the same bytes get the same answer whichever way they arrive:
//! a file, standard input, the index, history, a push or an audit.

mod common;

use serde_json::Value;

use common::{github_token, leakward, run_with_stdin, Repo};

/// Where a finding is and what it is: rule, line, column and fingerprint.
fn identity(finding: &Value) -> (String, u64, u64, String) {
    (
        finding["rule_id"].as_str().unwrap().to_string(),
        finding["line"].as_u64().unwrap(),
        finding["column"].as_u64().unwrap(),
        finding["fingerprint"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_leading_nul_does_not_hide_a_token_from_any_source() {
    let token = github_token();
    let contents: &[(&str, Vec<u8>)] = &[
        ("leading NUL", format!("\0k = {token}\n").into_bytes()),
        (
            "binary header",
            [
                &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe"[..],
                b"\nk = ",
                token.as_bytes(),
                b"\n",
            ]
            .concat(),
        ),
        (
            "NUL after the token",
            format!("line one\nk = {token}\n\0\x01\x02 tail\n").into_bytes(),
        ),
    ];
    for (what, content) in contents {
        let repo = Repo::new();
        repo.commit_file("README", "base\n");
        let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
        repo.write("blob.bin", content);
        repo.git(&["add", "blob.bin"]);

        let (code, staged) = repo.findings(&["staged"], "");
        assert_eq!(code, 1, "{what}: staged");
        let (code, file) = repo.findings(&["scan", "blob.bin"], "");
        assert_eq!(code, 1, "{what}: scan FILE");
        let mut command = leakward();
        command.args(["scan", "-f", "json", "-q", "-"]);
        let stdin = run_with_stdin(&mut command, content);
        stdin.expect_code(1);
        let stdin = stdin.findings();

        let head = repo.commit("binary");
        let (code, history) = repo.findings(&["history"], "");
        assert_eq!(code, 1, "{what}: history");
        let push = format!("refs/heads/main {head} refs/heads/main {base}\n");
        let (code, pushed) = repo.findings(&["pre-push", "origin", "url"], &push);
        assert_eq!(code, 1, "{what}: pre-push");

        let want: Vec<_> = file.iter().map(identity).collect();
        assert_eq!(want.len(), 1, "{what}: {file:?}");
        for (source, found) in [
            ("staged", &staged),
            ("scan -", &stdin),
            ("history", &history),
            ("pre-push", &pushed),
        ] {
            let got: Vec<_> = found.iter().map(identity).collect();
            assert_eq!(got, want, "{what}: {source} differs from scan FILE");
        }

        let audit = repo.audit(&repo.path(), &["-f", "json", "-q", "--show-secrets"]);
        audit.expect_code(1);
        common::entry(&audit.json(), &token);
    }
}
