//! Credentials that grant nothing as found (issue 18): a JSON Web Token that is unsigned or
//! past its own `exp`, one whose claims are a document's or a test's, and a private key
//! block whose body is no key. Alone each is reported, low; beside a test or documentation
//! path or an example block it is not reported, and `explain` names why. Their live twins
//! (a signed token with ordinary claims, a whole key) stay reported.

mod common;

use base64::Engine;
use common::{private_key_block, random_string, rules_and_confidences, tempdir, write};

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An HS256 token with `claims` (a JSON object) and a random 32-byte signature, made now.
fn jwt(claims: &str) -> String {
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let signature: Vec<u8> = random_string(BASE62, 32).into_bytes();
    format!(
        "{}.{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.as_bytes()),
        b64(&signature)
    )
}

/// Ordinary claims: a subject and an issuer of nobody's documentation, valid until 2096.
fn ordinary_claims(exp: u64) -> String {
    format!(
        r#"{{"iss":"https://auth.{}.io/","sub":"u_{}","exp":{exp}}}"#,
        random_string(b"abcdefghijklmnopqrstuvwxyz", 9),
        random_string(BASE62, 10)
    )
}

/// The confidence the `jwt` or `private-key` rule reports `text` at, written to `path`.
fn confidence_of(path: &str, text: &str, rule: &str) -> Option<String> {
    let dir = tempdir();
    write(dir.path(), path, text);
    rules_and_confidences(dir.path())
        .into_iter()
        .find(|(id, _)| id == rule)
        .map(|(_, confidence)| confidence)
}

#[test]
fn inert_and_example_tokens_give_way_to_test_and_documentation_evidence() {
    const LIVE: u64 = 4_000_000_000;
    const EXPIRED: u64 = 1_500_000_000;
    let line = |claims: &str| format!("value = \"{}\"\n", jwt(claims));
    let cases: &[(&str, String, Option<&str>)] = &[
        // The positive twins: a live token with ordinary claims is a credential anywhere.
        ("src/client.py", line(&ordinary_claims(LIVE)), Some("high")),
        (
            "tests/test_client.py",
            line(&ordinary_claims(LIVE)),
            Some("medium"),
        ),
        // Past its own expiry: low alone, not reported in tests or documentation.
        (
            "src/client.py",
            line(&ordinary_claims(EXPIRED)),
            Some("low"),
        ),
        (
            "tests/test_client.py",
            line(&ordinary_claims(EXPIRED)),
            None,
        ),
        ("docs/usage.rst", line(&ordinary_claims(EXPIRED)), None),
        // The fictional company and a value that repeats its claim's name.
        (
            "tests/test_client.py",
            line(r#"{"sub":"u_7","company":"ACME","exp":4000000000}"#),
            None,
        ),
        (
            "tests/token.py",
            line(r#"{"aud":"api","user_claim":"user_claim","exp":4000000000}"#),
            None,
        ),
        (
            "src/client.py",
            line(r#"{"sub":"u_7","company":"ACME","exp":4000000000}"#),
            Some("low"),
        ),
    ];
    for (path, text, want) in cases {
        let got = confidence_of(path, text, "jwt");
        assert_eq!(got.as_deref(), *want, "{path}: {text}");
    }
}

/// A key block cut short, as documents print one: three random base64 lines whose bytes
/// are no key structure (they start with a zero byte, not a DER sequence).
fn cut_key() -> String {
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let lines: Vec<String> = (0..3)
        .map(|i| {
            let head = if i == 0 { "AAAA" } else { "" };
            format!("{head}{}", random_string(BASE64, 64 - head.len()))
        })
        .collect();
    let kind = "EC PRIVATE KEY";
    format!(
        "-----BEGIN {kind}-----\n{}\n-----END {kind}-----\n",
        lines.join("\n")
    )
}

#[test]
fn a_key_block_that_is_no_key_gives_way_to_test_evidence() {
    let cases: &[(&str, String, Option<&str>)] = &[
        ("tests/examplefiles/id_ecdsa", cut_key(), None),
        ("deploy/id_ecdsa", cut_key(), Some("low")),
        // The positive twins: a whole key is low in a test fixture, and blocks elsewhere.
        (
            "tests/examplefiles/id_rsa",
            private_key_block(),
            Some("low"),
        ),
        ("deploy/id_rsa", private_key_block(), Some("high")),
    ];
    for (path, text, want) in cases {
        let got = confidence_of(path, text, "private-key");
        assert_eq!(got.as_deref(), *want, "{path}");
    }
}

#[test]
fn explain_names_an_inert_token_and_a_broken_key() {
    let dir = tempdir();
    let expired = jwt(&ordinary_claims(1_500_000_000));
    write(
        dir.path(),
        "tests/test_client.py",
        format!("value = \"{expired}\"\n"),
    );
    write(dir.path(), "tests/keys/id_ecdsa", cut_key());
    for (file, reason) in [
        (
            "tests/test_client.py",
            "the token is unsigned or past its own expiry (exp)",
        ),
        (
            "tests/keys/id_ecdsa",
            "the key block's body is not a key (cut short or made up)",
        ),
    ] {
        let mut command = common::leakward();
        command.current_dir(dir.path()).args(["explain", file]);
        let explained = common::run(&mut command).stdout;
        assert!(explained.contains(reason), "{reason}: {explained}");
    }
}
