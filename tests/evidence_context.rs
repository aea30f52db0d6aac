//! Evidence from the code around a value (issue 18): Python docstrings, sample configurations
//! whose every line is a comment, C unit-test functions and Rust test modules, with each
//! verdict checked against the same value where the evidence is absent. Values are generated
//! at run time.

mod common;

use base64::Engine;
use common::{
    aws_key_id, password_line, password_value, random_string, random_uuid, rules_and_confidences,
    scan_in, tempdir, write,
};

/// The confidence `rule` is reported at when `text` is the only file, at `path`.
fn confidence_of(path: &str, text: &str, rule: &str) -> Option<String> {
    let dir = tempdir();
    write(dir.path(), path, text);
    rules_and_confidences(dir.path())
        .into_iter()
        .find(|(r, _)| r == rule)
        .map(|(_, c)| c)
}

#[test]
fn credentials_in_python_docstrings_are_documentation() {
    let line = password_line(&password_value());
    let docstring = format!("\"\"\"\nConfigure the module:\n\n    {line}\n\"\"\"\nimport os\n");
    assert_eq!(
        confidence_of("salt/modules/pager.py", &docstring, "generic-password"),
        None
    );
    let code = format!("import os\n\n{line}\n");
    assert_eq!(
        confidence_of("salt/modules/pager.py", &code, "generic-password").as_deref(),
        Some("medium")
    );
}

#[test]
fn a_key_on_a_commented_line_of_a_sample_configuration_warns_without_blocking() {
    let key = aws_key_id();
    let template = format!(
        "# Cloud providers\n#my-aws:\n#  driver: ec2\n#  region: us-east-1\n#  id: {key}\n#  key: x\n"
    );
    let dir = tempdir();
    write(dir.path(), "conf/cloud.providers", &template);
    scan_in(dir.path(), &[".", "--quiet"]).expect_code(0);
    assert_eq!(
        rules_and_confidences(dir.path()),
        [("aws-access-key-id".to_string(), "medium".to_string())]
    );
    // One live line: a configuration in use, whose commented key may be the real one.
    let live = format!("{template}my-aws:\n  driver: ec2\n");
    let dir = tempdir();
    write(dir.path(), "conf/cloud.providers", live);
    scan_in(dir.path(), &[".", "--quiet"]).expect_code(1);
    // A source file of comments only is a note, and a key kept in a note blocks.
    let note = template.replace('#', "//");
    let dir = tempdir();
    write(dir.path(), "src/notes.go", note);
    scan_in(dir.path(), &[".", "--quiet"]).expect_code(1);
}

/// A PKCS#8-shaped private key whose DER body parses, as C string literals, one per line.
fn private_key_literals() -> String {
    let mut der = vec![0x30, 0x82, 0x01, 0x2c];
    der.extend(random_string(b"0123456789abcdef", 0x12c).bytes());
    let body = base64::engine::general_purpose::STANDARD.encode(&der);
    let mut text = String::from("            \"-----BEGIN PRIVATE KEY-----\\n\"\n");
    for chunk in body.as_bytes().chunks(64) {
        text.push_str(&format!(
            "            \"{}\\n\"\n",
            std::str::from_utf8(chunk).unwrap()
        ));
    }
    text.push_str("            \"-----END PRIVATE KEY-----\\n\";\n");
    text
}

/// A key assembled from literals is read through the logical-text layer, which keeps only
/// what blocks: in a unit test the key warns at most, so it is not reported from there.
#[test]
fn a_private_key_in_a_c_unit_test_function_does_not_block() {
    let key = private_key_literals();
    let body = |name: &str| {
        format!(
            "#include <stdio.h>\n\nstatic int {name}(void) {{\n        char *pem;\n        pem =\n{key}        return 0;\n}}\n"
        )
    };
    let dir = tempdir();
    write(dir.path(), "src/oidc.c", body("ut_assertion_create"));
    scan_in(dir.path(), &[".", "--quiet"]).expect_code(0);
    assert!(
        !rules_and_confidences(dir.path())
            .iter()
            .any(|(_, c)| c == "high"),
        "{:?}",
        rules_and_confidences(dir.path())
    );
    let dir = tempdir();
    write(dir.path(), "src/oidc.c", body("load_signing_key"));
    scan_in(dir.path(), &[".", "--quiet"]).expect_code(1);
}

#[test]
fn credentials_in_a_rust_test_module_are_test_data() {
    let value = password_value();
    let line = password_line(&value);
    let module = |name: &str| {
        format!(
            "pub fn f() {{}}\n\n#[cfg(test)]\nmod {name} {{\n    fn setup() {{\n        let {line};\n    }}\n}}\n"
        )
    };
    assert_eq!(
        confidence_of("src/db.rs", &module("tests"), "generic-password"),
        None
    );
    // `#[cfg(test)]` alone still says test code: one signal, low.
    assert_eq!(
        confidence_of("src/db.rs", &module("config"), "generic-password").as_deref(),
        Some("low")
    );
}

#[test]
fn encrypted_values_and_idempotency_tokens_are_not_credentials() {
    let mut salted = b"Salted__".to_vec();
    salted.extend(random_string(b"0123456789abcdef", 32).bytes());
    let encrypted = base64::engine::general_purpose::STANDARD.encode(&salted);
    assert_eq!(
        confidence_of(
            "group_vars/all.yml",
            &format!("{}\n", password_line(&encrypted)),
            "generic-password"
        ),
        None
    );
    // The same length of base64 that is not `openssl enc` output is reported.
    let mut random = b"Xalted__".to_vec();
    random.extend(random_string(b"0123456789abcdef", 32).bytes());
    let random = base64::engine::general_purpose::STANDARD.encode(&random);
    assert!(confidence_of(
        "group_vars/all.yml",
        &format!("{}\n", password_line(&random)),
        "generic-password"
    )
    .is_some());
    let uuid = random_uuid();
    let request = format!("{{\n  \"ClientRequestToken\": \"{uuid}\"\n}}\n");
    assert_eq!(
        confidence_of("stack/create.json", &request, "generic-secret"),
        None
    );
    let session = format!("{{\n  \"SessionToken\": \"{uuid}\"\n}}\n");
    assert!(confidence_of("stack/create.json", &session, "generic-secret").is_some());
}

#[test]
fn a_password_hash_in_a_test_fixture_is_the_fixtures() {
    let crypt64 = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let hash = format!(
        "$2b$12${}O{}",
        random_string(crypt64, 21),
        random_string(crypt64, 31)
    );
    let user = format!("[{{\"username\": \"admin\", \"hash\": \"{hash}\"}}]\n");
    assert_eq!(
        confidence_of("tests/fixtures/users.json", &user, "password-hash"),
        None
    );
    // Assigned to a password, it is a generic rule's match too, weighed as a hash.
    let dir = tempdir();
    write(
        dir.path(),
        "tests/fixtures/users.yml",
        format!("admin:\n  password: \"{hash}\"\n"),
    );
    assert_eq!(rules_and_confidences(dir.path()), []);
    // A test path alone still warns: a hash beside test code may be a real one. (A module
    // of nothing but constants under tests is a fixture: see `signals::data_module`.)
    assert_eq!(
        confidence_of(
            "tests/users.py",
            &format!("STORED = '{hash}'\n\ndef stored():\n    return STORED\n"),
            "password-hash"
        )
        .as_deref(),
        Some("low")
    );
    // Documentation's prose is enough: a hash is not a password, and one on a docs page is
    // the page's example. Outside docs and tests, with nothing to say otherwise, it warns.
    let prose = format!("An example hash (of ``password``) is ``{hash}``.\n");
    assert_eq!(
        confidence_of("docs/lib/bcrypt.rst", &prose, "password-hash"),
        None
    );
    assert_eq!(
        confidence_of("app/notes.txt", &prose, "password-hash").as_deref(),
        Some("medium")
    );
}

#[test]
fn a_name_that_says_dummy_or_default_lowers_a_credential() {
    let value = password_value();
    let line = |name: &str| format!("{name} = \"{value}\"\n");
    assert_eq!(
        confidence_of("app/auth.py", &line("DUMMY_SECRET"), "generic-secret").as_deref(),
        Some("low")
    );
    assert_eq!(
        confidence_of("app/auth.py", &line("APP_SECRET"), "generic-secret").as_deref(),
        Some("medium")
    );
}

#[test]
fn credentials_in_a_restructured_text_literal_block_are_examples() {
    let line = password_line(&password_value());
    let mut block = String::from("Examples\n--------\n\n.. code-block:: python\n\n");
    // Far below its heading, as module pages list their examples.
    for i in 0..60 {
        block.push_str(&format!("    step_{i}()\n"));
    }
    block.push_str(&format!("    {line}\n"));
    assert_eq!(
        confidence_of("docs/guide.rst", &block, "generic-password"),
        None
    );
    let prose = format!("Examples\n--------\n\nSet {line} in prose.\n");
    assert_eq!(
        confidence_of("docs/guide.rst", &prose, "generic-password").as_deref(),
        Some("low")
    );
}

#[test]
fn a_credential_deep_in_a_long_python_test_function_is_the_tests() {
    let value = password_value();
    let line = password_line(&value);
    // Generated API tests hold one test of hundreds of lines of request bodies, past any
    // fixed look-back for a test header.
    let filler = "        self.step(\"westus\")\n".repeat(500);
    let function = |name: &str| {
        format!(
            "import os\n\n\nclass SqlTests(MgmtTestCase):\n    def {name}(self, group):\n{filler}        {line}\n"
        )
    };
    assert_eq!(
        confidence_of(
            "tests/test_sql.py",
            &function("test_create"),
            "generic-password"
        ),
        None
    );
    // At module level of the same test file only the path speaks: reported, low.
    let module = format!("import os\n\n{}{line}\n", "step(\"westus\")\n".repeat(300));
    assert_eq!(
        confidence_of("tests/test_sql.py", &module, "generic-password").as_deref(),
        Some("low")
    );
    // The same long function outside tests, in a class that is no test: reported.
    let client = function("create").replace("SqlTests(MgmtTestCase)", "SqlClient");
    assert_eq!(
        confidence_of("app/sql.py", &client, "generic-password").as_deref(),
        Some("medium")
    );
}

#[test]
fn credentials_in_a_markdown_fence_are_examples() {
    let line = password_line(&password_value());
    let fenced = format!("# Setup\n\nConfigure it:\n\n```python\n{line}\n```\n");
    assert_eq!(
        confidence_of("README.md", &fenced, "generic-password"),
        None
    );
    // After the fence closes, only the docs path speaks: reported, low.
    let after = format!("# Setup\n\n```sh\nmake\n```\n\n{line}\n");
    assert_eq!(
        confidence_of("README.md", &after, "generic-password").as_deref(),
        Some("low")
    );
}

#[test]
fn a_local_host_on_a_sibling_line_of_the_block_is_evidence() {
    let line = password_line(&password_value());
    let block = |host: &str| format!("[database]\nhost = {host}\nuser = app\n{line}\n");
    // One signal (a development database): reported, low; beside a test path: not reported.
    assert_eq!(
        confidence_of("config/app.ini", &block("127.0.0.1"), "generic-password").as_deref(),
        Some("low")
    );
    assert_eq!(
        confidence_of("tests/app.ini", &block("127.0.0.1"), "generic-password"),
        None
    );
    assert_eq!(
        confidence_of(
            "config/app.ini",
            &block("db-7.corp-a3f1.net"),
            "generic-password"
        )
        .as_deref(),
        Some("medium")
    );
}

#[test]
fn a_published_default_is_reported_low() {
    let value = password_value();
    let signature = format!("def auth(nodes, user=\"hacluster\", passwd=\"{value}\"):\n    pass\n");
    assert_eq!(
        confidence_of("salt/modules/pcs.py", &signature, "generic-password").as_deref(),
        Some("low")
    );
    let call = format!("auth(nodes, user=\"hacluster\", passwd=\"{value}\")\n");
    assert_eq!(
        confidence_of("salt/modules/pcs.py", &call, "generic-password").as_deref(),
        Some("medium")
    );
    let role = format!("ise_{}\n", password_line(&value).replace(" = ", ": "));
    assert_eq!(
        confidence_of("roles/deploy/defaults/main.yml", &role, "generic-password").as_deref(),
        Some("low")
    );
    assert_eq!(
        confidence_of("roles/deploy/vars/main.yml", &role, "generic-password").as_deref(),
        Some("medium")
    );
}
