//! Values that name or declare something rather than hold a secret, found on code the rules
//! were not tuned on (issue 18's held-out corpus): a URN (`urn:oasis:names:tc:SAML:2.0:ac:
//! classes:Password`), a rate-limit spec (`"reset_password": "20/m/ip,5/m/key"`), a
//! slash-separated path of words (an XPath such as `authentication/encrypted-password`), a
//! YAML tag that says the value is encrypted (`password: !encrypted/pkcs1-oaep`, `!vault`),
//! and in source code a list literal of names (`argtypes = [ctypes.c_void_p]`) or an index
//! from the end (`password = params[-1]`).
//!
//! A typed or generated password has none of these shapes; the tests keep a random value, a
//! weak human password and symbol-laden ones out of every one.

use super::key_name::{extension, is_identifier};

/// What `value` names or declares, if its shape says it is not a credential; `path` tells
/// YAML and source code apart.
pub(super) fn identifier_kind(path: &str, value: &[u8]) -> Option<&'static str> {
    if is_urn(value) {
        Some("a URN")
    } else if is_rate_limit(value) {
        Some("a rate-limit spec")
    } else if is_word_path(value) {
        Some("a path of words (an XPath or a route)")
    } else if is_yaml(path) && is_encrypted_tag(value) {
        Some("a YAML tag that says the value is encrypted")
    } else {
        None
    }
}

/// True if the unquoted `value` in source code at `path` is code: a list literal of names
/// or dotted names (`[ctypes.c_void_p]`, `[a, b.c]`), or a name indexed from its end
/// (`params[-1]`).
pub(super) fn is_code_expression(path: &str, value: &[u8]) -> bool {
    if !is_source_code(path) {
        return false;
    }
    if let Some(inner) = value.strip_prefix(b"[").and_then(|v| v.strip_suffix(b"]")) {
        return !inner.is_empty()
            && inner
                .split(|&b| b == b',')
                .map(<[u8]>::trim_ascii)
                .all(|name| !name.is_empty() && name.split(|&b| b == b'.').all(is_identifier));
    }
    let Some(open) = memchr::memchr(b'[', value) else {
        return false;
    };
    let name = &value[..open];
    let index = &value[open + 1..];
    !name.is_empty()
        && name.split(|&b| b == b'.').all(is_identifier)
        && index.strip_prefix(b"-").is_some_and(|rest| {
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            digits > 0 && &rest[digits..] == b"]"
        })
}

fn is_yaml(path: &str) -> bool {
    matches!(extension(path).as_str(), "yml" | "yaml")
}

fn is_source_code(path: &str) -> bool {
    matches!(
        extension(path).as_str(),
        "py" | "pyi" | "js" | "mjs" | "cjs" | "ts" | "tsx" | "jsx" | "rb" | "rs" | "go" | "php"
    )
}

/// `urn:<namespace>:<specific part>` (RFC 8141): a namespace of letters, digits and `-`,
/// then a colon and at least one more character, no spaces.
fn is_urn(value: &[u8]) -> bool {
    let Some(rest) = value
        .get(..4)
        .filter(|head| head.eq_ignore_ascii_case(b"urn:"))
        .map(|_| &value[4..])
    else {
        return false;
    };
    let Some(colon) = memchr::memchr(b':', rest) else {
        return false;
    };
    let namespace = &rest[..colon];
    (2..=32).contains(&namespace.len())
        && namespace[0].is_ascii_alphanumeric()
        && namespace
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && rest.len() > colon + 1
        && !rest.iter().any(u8::is_ascii_whitespace)
}

/// Units of time a rate limit is counted in.
const RATE_UNITS: &[&[u8]] = &[
    b"s", b"sec", b"second", b"m", b"min", b"minute", b"h", b"hour", b"d", b"day", b"w", b"week",
];

/// `20/m/ip,5/m/key`, `100/hour`, `5/m`: comma-separated limits, each a count, a unit of
/// time and optionally what the count is kept per (a lower-case word).
fn is_rate_limit(value: &[u8]) -> bool {
    value.split(|&b| b == b',').all(|limit| {
        let mut parts = limit.trim_ascii().split(|&b| b == b'/');
        let count = parts.next().unwrap_or_default();
        let unit = parts.next().unwrap_or_default();
        let per: Vec<&[u8]> = parts.collect();
        !count.is_empty()
            && count.iter().all(u8::is_ascii_digit)
            && is_rate_unit(unit)
            && per.len() <= 1
            && per
                .iter()
                .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_lowercase))
    })
}

/// A [`RATE_UNITS`] unit, in either case, singular or plural (`hours`).
fn is_rate_unit(unit: &[u8]) -> bool {
    let lower = unit.to_ascii_lowercase();
    let singular = match lower.strip_suffix(b"s") {
        Some(stem) if stem.len() > 1 => stem,
        _ => &lower[..],
    };
    RATE_UNITS.contains(&singular)
}

/// `authentication/encrypted-password`, `system/login/user-password`: at least two
/// lower-case segments of letters, digits, `-` and `_`, each starting with a letter, with
/// three or more words of three letters or more between them. A weak password joined by a
/// slash (`pass/word1`) has fewer words.
fn is_word_path(value: &[u8]) -> bool {
    let segments: Vec<&[u8]> = value.split(|&b| b == b'/').collect();
    if segments.len() < 2
        || !segments.iter().all(|s| {
            s.first().is_some_and(u8::is_ascii_lowercase)
                && s.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
        })
    {
        return false;
    }
    let words = segments
        .iter()
        .flat_map(|s| s.split(|&b| b == b'-' || b == b'_'))
        .filter(|w| w.iter().take_while(|b| b.is_ascii_lowercase()).count() >= 3)
        .count();
    words >= 3
}

/// `!encrypted/pkcs1-oaep` (Zuul's secrets), `!vault` (Ansible Vault), `!encrypted`: a YAML
/// tag, which types what follows it rather than being the value, and whose name says the
/// value is encrypted.
fn is_encrypted_tag(value: &[u8]) -> bool {
    let Some(tag) = value.strip_prefix(b"!") else {
        return false;
    };
    let tag = tag.strip_prefix(b"!").unwrap_or(tag);
    let name_end = tag
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(tag.len());
    let name = tag[..name_end].to_ascii_lowercase();
    (name.starts_with(b"encrypt") || name == b"vault")
        && tag[name_end..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"/-_.:".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values a person or a generator would choose as a password: none is an identifier.
    fn passwords() -> Vec<String> {
        let mut random = String::new();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..24 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            random.push(alphabet[(state % 64) as usize] as char);
        }
        vec![
            random,
            "Harbor2024!".into(),
            "pass/word1".into(),
            "!Qz8xLm2pVw".into(),
            "urn-less:Kq8vZ2xLmT4p".into(),
            "20/mKq8vZ2x".into(),
            "S3cr3t!/x9".into(),
        ]
    }

    #[test]
    fn identifiers_are_recognised() {
        let cases: &[(&str, &str)] = &[
            ("saml.py", "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"),
            ("app_settings.py", "20/m/ip,5/m/key"),
            ("limits.py", "100/hour"),
            ("views.yml", "authentication/encrypted-password"),
            ("views.yml", "root-authentication/encrypted-password"),
            ("jobs.yaml", "!encrypted/pkcs1-oaep"),
            ("vars.yml", "!vault"),
        ];
        for &(path, value) in cases {
            assert!(identifier_kind(path, value.as_bytes()).is_some(), "{value}");
        }
        for value in passwords() {
            for path in ["a.yml", "a.py", "a.env"] {
                assert!(
                    identifier_kind(path, value.as_bytes()).is_none(),
                    "{path}: {value}"
                );
            }
        }
        // Outside YAML, `!` starts a value like any other character.
        assert!(identifier_kind("app.env", b"!vault").is_none());
    }

    #[test]
    fn code_expressions_are_told_from_literals() {
        for value in [
            "[ctypes.c_void_p]",
            "[a, b.c]",
            "params[-1]",
            "self.args[-2]",
        ] {
            assert!(is_code_expression("x.py", value.as_bytes()), "{value}");
        }
        assert!(!is_code_expression("x.yml", b"[ctypes.c_void_p]"));
        assert!(!is_code_expression("x.env", b"params[-1]"));
        for value in passwords() {
            assert!(!is_code_expression("x.py", value.as_bytes()), "{value}");
        }
        for value in ["[Kq8v-Z2xL]", "pw[-1]x", "[]", "p4ss[-]"] {
            assert!(!is_code_expression("x.py", value.as_bytes()), "{value}");
        }
    }
}
