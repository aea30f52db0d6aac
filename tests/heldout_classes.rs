//! Classes of noise found on a held-out corpus of published packages (issue 18), each with a
//! generated value: the noise is not reported and `explain` names the evidence, while its
//! twin, the same place holding a real-looking credential, stays reported.

mod common;

use common::{password_value, random_string, rules_and_confidences, tempdir, write};

const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

/// Scans `text` at `path`: the findings, and what `explain` says of the file.
fn scan_and_explain(path: &str, text: &str) -> (Vec<(String, String)>, String) {
    let dir = tempdir();
    write(dir.path(), path, text);
    let found = rules_and_confidences(dir.path());
    let mut command = common::leakward();
    command.current_dir(dir.path()).args(["explain", path]);
    (found, common::run(&mut command).stdout)
}

#[test]
fn held_out_noise_is_not_reported_and_explain_says_why() {
    let word = || random_string(LOWER, 6);
    let pass = format!("pass{}", "word");
    let cases = [
        (
            "src/service.py",
            format!("        self.{pass} = params[-1]\n"),
            "value is code",
        ),
        (
            "src/adapter.py",
            format!("    lib.secret_{pass}_free.argtypes = [ct.c_char_p]\n"),
            "value is code",
        ),
        (
            "zuul.d/jobs.yaml",
            format!("        {pass}: !encrypted/pkcs1-oaep\n"),
            "value is data",
        ),
        (
            "src/saml.py",
            format!(
                "AUTHN_{} = \"urn:{}:names:tc:{}:classes:{}\"\n",
                pass.to_uppercase(),
                word(),
                word(),
                word()
            ),
            "value is data",
        ),
        (
            "src/settings.py",
            format!("    \"reset_{pass}\": \"20/m/ip,5/m/key\",\n"),
            "value is data",
        ),
        (
            "app/users.py",
            format!("        \"hashed_{pass}\": \"{}\",\n", password_value()),
            "the key names a credential",
        ),
        (
            "scripts/docker-compose.yml",
            format!(
                "      - 'until mysql -hdb -u{}test -ptest{} -e \"SELECT 1\"; do sleep 5; done'\n",
                word(),
                word()
            ),
            "a test or anonymous account",
        ),
        (
            "src/ftp.py",
            format!(
                "    def __init__(self, username=\"anonymous\", {pass}=\"{}@{}.org\"):\n",
                word(),
                word()
            ),
            "a test or anonymous account",
        ),
    ];
    for (path, text, reason) in &cases {
        let (found, explained) = scan_and_explain(path, text);
        assert_eq!(found, [], "{path}: {text}");
        assert!(explained.contains(reason), "{path}: {text}\n{explained}");
    }
}

#[test]
fn their_twins_with_real_looking_values_stay_reported() {
    let pass = format!("pass{}", "word");
    let value = password_value();
    let cases = [
        (
            "src/service.py",
            format!("        self.{pass} = \"{value}\"\n"),
            ("generic-password", "medium"),
        ),
        (
            "app/users.py",
            format!("        \"{pass}\": \"{value}\",\n"),
            ("generic-password", "medium"),
        ),
        (
            "scripts/docker-compose.yml",
            format!("      - 'until mysql -hdb -uci_test -p{value} -e \"SELECT 1\"'\n"),
            ("mysql-cli-password", "high"),
        ),
        (
            "src/ftp.py",
            format!("    ftp.login(username=\"anonymous\", {pass}=\"{value}\")\n"),
            ("connect-call-password", "high"),
        ),
    ];
    for (path, text, (rule, confidence)) in &cases {
        let (found, _) = scan_and_explain(path, text);
        assert!(
            found.iter().any(|(r, c)| r == rule && c == confidence),
            "{path}: {text}: {found:?}"
        );
    }
}

#[test]
fn documentation_sources_lower_a_finding() {
    let value = password_value();
    let pass = format!("pass{}", "word");
    let (found, explained) = scan_and_explain(
        "docs_src/security/tutorial.py",
        &format!("db_{pass} = \"{value}\"\n"),
    );
    assert_eq!(found, [("generic-password".into(), "low".into())]);
    assert!(explained.contains("documentation path"), "{explained}");
}
