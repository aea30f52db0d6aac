//! The default filter for values that only look like secrets: placeholders, template
//! variables, documented example keys and obvious test values.
//!
//! It runs on every rule's secret, so it must never hide a real random token: each test here
//! needs a word or a shape that random base62 or base64 text practically never has.

/// Keys that vendors print in their documentation; reporting them is noise.
const DOCUMENTED_EXAMPLES: &[&[u8]] = &[
    b"AKIAIOSFODNN7EXAMPLE",
    b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    b"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    b"ASIAIOSFODNN7EXAMPLE",
];

/// Lower-case words that mark a value as a stand-in, wherever they occur in it.
const PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"example",
    b"placeholder",
    b"changeme",
    b"change_me",
    b"change-me",
    b"replace_me",
    b"replaceme",
    b"your_",
    b"your-",
    b"yourapi",
    b"yoursecret",
    b"yourtoken",
    b"yourpassword",
    b"xxxxx",
    b"*****",
    b"redacted",
    b"dummy",
    b"notasecret",
    b"not_a_secret",
    b"not-a-secret",
    b"fake_",
    b"insert_",
    b"_here",
    b"-here",
];

/// Whole values (lower-cased) that are never real credentials.
const PLACEHOLDER_VALUES: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"secret",
    b"token",
    b"test",
    b"testing",
    b"null",
    b"none",
    b"nil",
    b"undefined",
    b"true",
    b"false",
    b"admin",
    b"root",
    b"foobar",
    b"string",
    b"required",
    b"optional",
];

/// True if `secret` is a placeholder, a template reference or a documented example.
pub fn is_placeholder(secret: &[u8]) -> bool {
    if DOCUMENTED_EXAMPLES.contains(&secret) || is_template(secret) {
        return true;
    }
    let lower = secret.to_ascii_lowercase();
    PLACEHOLDER_VALUES.contains(&lower.as_slice())
        || PLACEHOLDER_WORDS.iter().any(|word| contains(&lower, word))
        || is_monotonous(secret)
}

/// `${VAR}`, `$VAR`, `{{ var }}`, `<your-token>`, `%(var)s`, `#{var}`, `process.env.X` and friends:
/// a reference to a secret kept elsewhere, not the secret.
fn is_template(secret: &[u8]) -> bool {
    let s = secret;
    let starts = |p: &[u8]| s.starts_with(p);
    starts(b"${")
        || starts(b"{{")
        || starts(b"#{")
        || starts(b"%(")
        || starts(b"$(")
        || starts(b"@env:")
        || starts(b"@keychain:")
        || contains(s, b"process.env")
        || contains(s, b"os.environ")
        || contains(s, b"getenv(")
        || (starts(b"<") && s.ends_with(b">"))
        || (starts(b"$")
            && s.len() > 1
            && s[1..]
                .iter()
                .all(|&b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit()))
        || (starts(b"{") && s.ends_with(b"}") && !contains(s, b"\""))
}

/// One repeated character, or a run that only climbs or falls (`123456`, `abcdef`):
/// a value typed to fill a field, with next to no randomness.
fn is_monotonous(secret: &[u8]) -> bool {
    let body: Vec<u8> = secret
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if body.len() < 4 {
        return false;
    }
    // `1234567890` climbs too: 9 wraps to 0 on a keyboard row.
    let steps: Vec<i16> = body
        .windows(2)
        .map(|w| match w {
            [b'9', b'0'] => 1,
            _ => i16::from(w[1]) - i16::from(w[0]),
        })
        .collect();
    let same = steps.iter().all(|&d| d == 0);
    let climbing = steps.iter().all(|&d| d == 1);
    let falling = steps.iter().all(|&d| d == -1);
    same || climbing || falling
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        let placeholders = [
            "AKIAIOSFODNN7EXAMPLE",
            "${GITHUB_TOKEN}",
            "$API_KEY",
            "{{ secrets.token }}",
            "<your-token>",
            "your_api_key_here",
            "changeme",
            "xxxxxxxxxxxxxxxx",
            "aaaaaaaaaaaa",
            "1234567890",
            "abcdefgh",
            "password",
            "Password",
            "%(db_password)s",
            "process.env.STRIPE_KEY",
            "<REDACTED>",
            "@env:AC_PASSWORD",
            "sk_live_****************",
        ];
        for value in placeholders {
            assert!(is_placeholder(value.as_bytes()), "{value:?}");
        }
    }

    #[test]
    fn random_values_are_not_placeholders() {
        let secrets = [
            "Zq3RkT9vWm2XyPb7Lc4NdJf8Hs6Ga1",
            "hunter2-Rq8v",
            "s3cr3t-Passw0rd!",
            "AKIAZ7Q2MPLX4RTDQWKV",
            "$2y$10$abcdefghijklmnopqrstuv",
        ];
        for value in secrets {
            assert!(!is_placeholder(value.as_bytes()), "{value:?}");
        }
    }
}
