//! Test and documentation evidence (issue 18): generic credentials in test code are dropped
//! where signals agree and lowered where only a path speaks, `explain` names the signals,
//! and the two settings (`report_test_credentials`, `block_test_fixtures`) turn it around.

mod common;

use base64::Engine;
use common::{
    password_line, password_value, private_key_block, random_string, rules_and_confidences,
    scan_in, tempdir, write,
};

#[test]
fn generic_credentials_in_test_code_are_weighed_by_their_evidence() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        // No evidence: the rule's own confidence.
        ("src/settings.py", "{line}\n", Some("medium")),
        // A test path alone, and a random value: reported, low.
        ("tests/settings.py", "{line}\n", Some("low")),
        // A test path and a test function agree: not reported.
        (
            "tests/test_login.py",
            "def test_login():\n    {line}\n",
            None,
        ),
        // A translation catalog's values are messages.
        ("hue/translations/de.json", "{line}\n", None),
    ];
    for &(path, template, want) in cases {
        let dir = tempdir();
        let text = template.replace("{line}", &password_line(&password_value()));
        write(dir.path(), path, &text);
        let got = rules_and_confidences(dir.path());
        let confidence = got
            .iter()
            .find(|(rule, _)| rule == "generic-password")
            .map(|(_, c)| c.as_str());
        assert_eq!(confidence, want, "{path}: {got:?}");
    }
}

#[test]
fn explain_names_the_signals_and_the_setting_reports_them() {
    let dir = tempdir();
    let text = format!(
        "def test_login():\n    {}\n",
        password_line(&password_value())
    );
    write(dir.path(), "tests/test_login.py", &text);
    let mut command = common::leakward();
    command
        .current_dir(dir.path())
        .args(["explain", "tests/test_login.py"]);
    let explained = common::run(&mut command);
    assert!(
        explained
            .stdout
            .contains("test, documentation or message data (test path, test function;"),
        "{}",
        explained.stdout
    );
    write(
        dir.path(),
        ".leakward.toml",
        "report_test_credentials = true\n",
    );
    let got = rules_and_confidences(dir.path());
    assert!(
        got.contains(&("generic-password".into(), "low".into())),
        "{got:?}"
    );
}

#[test]
fn private_keys_in_test_fixtures_are_low_unless_fixtures_block() {
    let dir = tempdir();
    write(dir.path(), "tests/fixtures/server.key", private_key_block());
    scan_in(dir.path(), &[".", "--quiet"]).expect_code(0);
    assert_eq!(
        rules_and_confidences(dir.path()),
        [("private-key".to_string(), "low".to_string())]
    );
    write(dir.path(), ".leakward.toml", "block_test_fixtures = true\n");
    scan_in(dir.path(), &[".", "--quiet"]).expect_code(1);
    let outside = common::tempdir();
    write(outside.path(), "src/server.key", private_key_block());
    scan_in(outside.path(), &[".", "--quiet"]).expect_code(1);
}

#[test]
fn distinctive_keys_in_documentation_warn_without_blocking() {
    let cases: &[(&str, &str, &str)] = &[
        ("src/settings.py", "key_id = \"{key}\"\n", "high"),
        ("docs/guide.rst", "key_id = \"{key}\"\n", "medium"),
        // A module docstring and an example heading in it: two witnesses agree, low.
        (
            "src/states/iam.py",
            "'''\n.. code-block:: yaml\n\n    create keys:\n      keyid: {key}\n'''\n",
            "low",
        ),
        // A docstring alone: one step down.
        (
            "src/states/iam.py",
            "'''\nCreate keys with\n\n      keyid: {key}\n'''\n",
            "medium",
        ),
    ];
    for &(path, template, want) in cases {
        let dir = tempdir();
        write(
            dir.path(),
            path,
            template.replace("{key}", &common::aws_key_id()),
        );
        let got = rules_and_confidences(dir.path());
        assert!(
            got.contains(&("aws-access-key-id".to_string(), want.to_string())),
            "{path}: {got:?}"
        );
    }
}

/// A bcrypt hash with a fresh salt and digest, generated now (the salt's last character
/// is one of `.Oeu`, as bcrypt's 128-bit salt leaves it).
fn bcrypt_hash() -> String {
    let crypt64 = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    format!(
        "$2b$12${}O{}",
        random_string(crypt64, 21),
        random_string(crypt64, 31)
    )
}

#[test]
fn password_hashes_in_test_classes_and_doctests_are_not_reported() {
    // Issue 18: hashing libraries' test vectors and documentation were the noisiest class.
    let cases: &[(&str, String, Option<&str>)] = &[
        (
            "passlib/tests/test_handlers.py",
            "class bcrypt_test(HandlerCase):\n    known = [\n        ('pw', '{hash}'),\n    ]\n"
                .into(),
            None,
        ),
        (
            "docs/lib/hash.rst",
            "    >>> hash.hash('password')\n    '{hash}'\n".into(),
            None,
        ),
        // A test path alone: reported, low.
        (
            "tests/helpers.py",
            "STORED = '{hash}'\n\ndef stored():\n    return STORED\n".into(),
            Some("low"),
        ),
        // A Python module of recorded data under tests is a fixture: not reported.
        (
            "tests/unit/modules/nxos/nxos_show_run.py",
            "initial = [\n    \"username admin password 5 {hash}  role network-admin\"\n]\n".into(),
            None,
        ),
        // Twin: the same data module outside tests is a constants module: reported.
        (
            "src/nxos_show_run.py",
            "initial = [\n    \"username admin password 5 {hash}  role network-admin\"\n]\n".into(),
            Some("medium"),
        ),
        // No evidence: a hash in code is data more often than a credential, medium.
        (
            "app/models.py",
            "STORED = '{hash}'\n".into(),
            Some("medium"),
        ),
    ];
    for (path, template, want) in cases {
        let dir = tempdir();
        write(dir.path(), path, template.replace("{hash}", &bcrypt_hash()));
        let got = rules_and_confidences(dir.path());
        let confidence = got
            .iter()
            .find(|(rule, _)| rule == "password-hash")
            .map(|(_, c)| c.as_str());
        assert_eq!(confidence, *want, "{path}: {got:?}");
    }
}

#[test]
fn values_shaped_as_data_are_not_credentials_and_explain_says_so() {
    let json = base64::engine::general_purpose::STANDARD.encode("{\"alg\":\"none\"}");
    let cases = [
        // Long and varied enough to pass the rule's entropy gate whatever is drawn.
        format!(
            "private_key_file = \"/srv/{}/keys/{}/id_ed25519\"\n",
            random_string(b"abcdefghijklmnopqrstuvwxyz0123456789", 12),
            random_string(b"abcdefghijklmnopqrstuvwxyz0123456789", 12)
        ),
        "PASSWORD_LOGIN_DISABLED = \"operation-not-allowed\"\n".to_string(),
        format!("secret_header = \"{json}\"\n"),
    ];
    for text in cases {
        let dir = tempdir();
        write(dir.path(), "src/settings.py", &text);
        assert_eq!(rules_and_confidences(dir.path()), [], "{text}");
        let mut command = common::leakward();
        command
            .current_dir(dir.path())
            .args(["explain", "src/settings.py"]);
        let explained = common::run(&mut command);
        assert!(
            explained.stdout.contains("value is data, not a credential"),
            "{text}: {}",
            explained.stdout
        );
    }
}

#[test]
fn test_targets_mocked_modules_and_published_playbooks_are_evidence() {
    // Issue 18: random-looking values whose only evidence was a test path. Each class has
    // a positive twin: the same generated value, in the same syntax, still reported.
    let cases: &[(&str, &str, Option<&str>)] = &[
        // ansible-test runs a target's tasks as a test: test path and test target agree.
        (
            "ansible_collections/acme/db/tests/integration/targets/db_user/tasks/main.yml",
            "- name: create a user\n  {line}\n",
            None,
        ),
        (
            "roles/db/molecule/default/converge.yml",
            "- name: create a user\n  {line}\n",
            None,
        ),
        // Twin: a data file under tests, not a target: the path alone speaks, low.
        (
            "ansible_collections/acme/db/tests/integration/db_user.yml",
            "- name: create a user\n  {line}\n",
            Some("low"),
        ),
        // A module that mocks its calls: test path and mocks agree.
        (
            "tests/unit/test_client.py",
            "from unittest import mock\n\n{line}\n",
            None,
        ),
        (
            "test/client.test.js",
            "jest.mock('../client');\n\nconst {line};\n",
            None,
        ),
        // Twin: the same module with live calls: a random value stays reported, low.
        (
            "tests/unit/test_client.py",
            "import boto3\n\n{line}\n",
            Some("low"),
        ),
        // Twin: mocks outside a test path are one signal: low, not dropped.
        (
            "src/client.py",
            "from unittest import mock\n\n{line}\n",
            Some("low"),
        ),
        // A published collection's sample playbook: one signal, low.
        (
            "ansible_collections/acme/db/playbooks/create_user.yml",
            "- hosts: db\n  vars:\n    {line}\n",
            Some("low"),
        ),
        // Twin: an infrastructure repository's own playbook keeps the rule's confidence.
        (
            "playbooks/create_user.yml",
            "- hosts: db\n  vars:\n    {line}\n",
            Some("medium"),
        ),
    ];
    for &(path, template, want) in cases {
        let dir = tempdir();
        let text = template.replace("{line}", &password_line(&password_value()));
        write(dir.path(), path, &text);
        let got = rules_and_confidences(dir.path());
        let confidence = got
            .iter()
            .find(|(rule, _)| rule == "generic-password")
            .map(|(_, c)| c.as_str());
        assert_eq!(confidence, want, "{path}: {got:?}");
    }
}

#[test]
fn explain_names_test_targets_mocks_and_published_playbooks() {
    let cases = [
        (
            "tests/integration/targets/db_user/tasks/main.yml",
            "a test framework runs the file as a test",
        ),
        (
            "tests/unit/test_client.py",
            "the file mocks the services it calls",
        ),
        (
            "ansible_collections/acme/db/playbooks/site.yml",
            "a sample playbook or inventory shipped in a published Ansible collection",
        ),
    ];
    for (path, reason) in cases {
        let dir = tempdir();
        let text = format!(
            "from unittest import mock\n{}\n",
            password_line(&password_value())
        );
        let text = if path.ends_with(".py") {
            text
        } else {
            format!("- {}\n", password_line(&password_value()))
        };
        write(dir.path(), path, &text);
        let mut command = common::leakward();
        command.current_dir(dir.path()).args(["explain", path]);
        let explained = common::run(&mut command);
        assert!(
            explained.stdout.contains(reason),
            "{path}: {}",
            explained.stdout
        );
    }
}
