//! Vendor token formats checked against vendor documentation (Heroku, Atlassian, HashiCorp
//! Vault, Azure DevOps), through the real scanner with the built-in catalog.
//!
//! Every token is generated at run time, so this file holds no token-shaped string.

mod common;

use common::random_string;
use leakward::chunk::{Chunk, Origin, Scope};
use leakward::config;
use leakward::finding::Confidence;
use leakward::scan::{Options, Scanner};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The confidence with which `rule_id` reports `text` (a file under `src/`), if it does.
fn reported(text: &str, rule_id: &str) -> Option<Confidence> {
    let config = config::builtin().expect("the built-in catalog loads");
    let scanner = Scanner::new(&config, Options::default()).expect("the catalog compiles");
    let origin = Origin::path("src/settings.env");
    let chunk = Chunk {
        bytes: text.as_bytes(),
        origin: &origin,
        scope: &Scope::All,
    };
    scanner
        .scan(&chunk)
        .findings
        .into_iter()
        .find(|f| &*f.rule_id == rule_id)
        .map(|f| f.confidence)
}

/// An Atlassian-scheme token: prefix, base64url text, `=`, the CRC32 of all that in hex.
fn atlassian_token(prefix: &str) -> String {
    let text = format!("{prefix}{}=", random_string(URL_SAFE, 171));
    format!("{text}{:08X}", crc32fast::hash(text.as_bytes()))
}

#[test]
fn atlassian_and_bitbucket_tokens_are_reported_only_with_a_valid_crc32_tail() {
    for (prefix, rule) in [
        ("ATATT3xFfGF0", "atlassian-api-token"),
        ("ATCTT3xFfGN0", "bitbucket-access-token"),
    ] {
        let token = atlassian_token(prefix);
        let line = format!("TOKEN={token}\n");
        assert_eq!(reported(&line, rule), Some(Confidence::High), "{rule}");
        // Any other tail: a typo or a made-up value, not a credential: not reported.
        let tail = u32::from_str_radix(&token[184..], 16).unwrap();
        let wrong = format!("TOKEN={}{:08X}\n", &token[..184], tail ^ 1);
        assert_eq!(reported(&wrong, rule), None, "{rule}");
    }
}

#[test]
fn heroku_keys_need_the_documented_prefix_and_length() {
    let body = random_string(URL_SAFE, 58);
    let good = format!("HEROKU_API_KEY=HRKU-AA{body}\n");
    assert_eq!(
        reported(&good, "heroku-platform-token"),
        Some(Confidence::High)
    );
    let short = format!("HEROKU_API_KEY=HRKU-AA{}\n", &body[..50]);
    assert_eq!(reported(&short, "heroku-platform-token"), None);
    let other_version = format!("HEROKU_API_KEY=HRKU-ZZ{body}\n");
    assert_eq!(reported(&other_version, "heroku-platform-token"), None);
}

#[test]
fn vault_tokens_have_per_type_lengths() {
    let cases: &[(&str, usize, bool)] = &[
        ("hvs.", 95, true),
        ("hvs.", 120, true),
        ("hvs.", 60, false),
        ("hvb.", 146, true),
        ("hvb.", 100, false),
        ("hvr.", 40, true),
    ];
    for &(prefix, len, want) in cases {
        let token = format!("{prefix}{}", random_string(URL_SAFE, len));
        let line = format!("VAULT_TOKEN={token}\n");
        let got = reported(&line, "hashicorp-vault-token");
        assert_eq!(
            got.is_some(),
            want,
            "{prefix} with {len} characters: {got:?}"
        );
    }
}

#[test]
fn azure_devops_pats_carry_azdo_at_characters_77_to_80() {
    let head = random_string(ALNUM, 76);
    let tail = random_string(ALNUM, 4);
    let good = format!("AZURE_DEVOPS_PAT={head}AZDO{tail}\n");
    assert_eq!(reported(&good, "azure-devops-pat"), Some(Confidence::High));
    // The 66-character shape the rule used to accept.
    let short = format!("AZURE_DEVOPS_PAT={}JQQJ9xAZDO{tail}\n", &head[..52]);
    assert_eq!(reported(&short, "azure-devops-pat"), None);
    let misplaced = format!("AZURE_DEVOPS_PAT={}AZDO{tail}\n", &head[..70]);
    assert_eq!(reported(&misplaced, "azure-devops-pat"), None);
}
