//! The default filter for values that only look like secrets: placeholders, template
//! variables, documented example keys and obvious test values.
//!
//! It runs on every rule's secret, so it must never hide a real random token: each test here
//! needs a word or a shape that random base62 or base64 text practically never has.

mod keyboard;

/// Keys that vendors print in their documentation; reporting them is noise.
const DOCUMENTED_EXAMPLES: &[&[u8]] = &[
    b"AKIAIOSFODNN7EXAMPLE",
    b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    b"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    b"ASIAIOSFODNN7EXAMPLE",
    // The change token of AWS WAF's API examples, repeated in every AWS SDK.
    b"abcd12f2-46da-4fdb-b8d5-fbd4c466928f",
    // The token Hugging Face's libraries ship for their CI hub (hub-ci.huggingface.co).
    b"hf_94wBhPGp6KrrTH3KDchhKpRxZwd6dmHWLL",
    // The Azure Storage emulator's fixed account key (Azurite, the storage SDKs), published
    // by Microsoft for `devstoreaccount1`: a development credential, the same everywhere.
    b"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    // The fixed password of MySQL Sandbox and dbdeployer's sandbox user (`msandbox`), set
    // by every sandbox those tools create: a development credential, the same everywhere.
    b"msandbox",
    // MinIO's public playground (`play.min.io`): the access and secret key MinIO prints in
    // its SDKs' and `mc`'s documentation for anyone to try the API with.
    b"Q3AM3UQ867SPQQA43P2F",
    b"zuf+tfteSlswRu7BJ86wekitnifILbZam1KYY3TG",
];

/// Lower-case words that mark a value as a stand-in, wherever they occur in it.
const PLACEHOLDER_WORDS: &[&[u8]] = &[
    // `exampl`, not `example`: `AKIAIOSFODNN7EXAMPLF` varies the documented key by a letter.
    b"exampl",
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
    // reStructuredText markup in a docstring (`:code:`<pfx-file-password>``).
    b":code:",
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
    // Documentation's stand-ins: anonymous FTP and brokers' guest, Oracle's scott/tiger,
    // RFC 7617's Aladdin, and the words tutorials write where a password goes.
    b"guest",
    b"anonymous",
    b"tiger",
    b"pass",
    b"pwd",
    b"opensesame",
    b"mypassword",
    b"mypass",
    b"somepassword",
    b"some_password",
    b"my_password",
    b"mysecretpassword",
    b"secretpassword",
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
        || is_sequential(secret)
        || is_expression(secret)
        || names_a_credential(secret)
        || is_timestamp(secret)
        || keyboard::is_keyboard_mash(secret)
}

/// Words that name a credential. A value made of short words, one of which is such a name
/// (`wrong-password`, `PASSWORD_RESET`, `auth/invalid-custom-token`), is an error code, enum
/// member or key name, not the credential itself.
const CREDENTIAL_NAMES: &[&[u8]] = &[
    b"password",
    b"passwords",
    b"passwd",
    b"token",
    b"tokens",
    b"secret",
    b"secrets",
];

/// True if `secret` is at least two words of at most 12 characters (see [`is_word_like`]),
/// split at `-`, `_`, `.`, `/` and before a capital that follows a lower-case letter or digit (`exchangeRecaptchaV3Token`),
/// one of them a credential name or `api` followed by `key`, and four characters long on
/// average. Random tokens with separators
/// have longer random segments (`sb_secret_<31 chars>`, `secret-live-<36 chars>`), and one
/// holds a credential word by chance about once in a million.
fn names_a_credential(secret: &[u8]) -> bool {
    let mut words: Vec<Vec<u8>> = Vec::new();
    for part in secret.split(|b| b"-_./".contains(b)) {
        let mut word = Vec::new();
        for (at, &b) in part.iter().enumerate() {
            if at > 0 && b.is_ascii_uppercase() && !part[at - 1].is_ascii_uppercase() {
                words.push(std::mem::take(&mut word));
            }
            word.push(b.to_ascii_lowercase());
        }
        words.push(word);
    }
    let api_key = words.windows(2).any(|w| w[0] == b"api" && w[1] == b"key")
        || words.iter().any(|w| w == b"apikey");
    // Random text split at case changes falls into pieces of two or three characters.
    let letters: usize = words.iter().map(Vec::len).sum();
    words.len() >= 2
        && letters >= 4 * words.len()
        && words.iter().all(|w| w.len() <= 12 && is_word_like(w))
        && (api_key
            || words
                .iter()
                .any(|w| CREDENTIAL_NAMES.contains(&w.as_slice())))
}

/// Letters only, digits only, or at most 4 alphanumerics (`krb5`): not a random segment.
fn is_word_like(part: &[u8]) -> bool {
    part.iter().all(u8::is_ascii_alphabetic)
        || part.iter().all(u8::is_ascii_digit)
        || (part.len() <= 4 && part.iter().all(u8::is_ascii_alphanumeric))
}

/// An ISO 8601 date or date-time (`2016-09-24`, `2016-09-24T16:18:07Z`): a field's timestamp
/// (`PasswordLastUsed`), not its secret.
fn is_timestamp(secret: &[u8]) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        secret
            .get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let date = secret.len() >= 10
        && digits(0..4)
        && secret[4] == b'-'
        && digits(5..7)
        && secret[7] == b'-'
        && digits(8..10);
    let rest = &secret[secret.len().min(10)..];
    date && (rest.is_empty()
        || (rest[0] == b'T' || rest[0] == b' ')
            && rest[1..]
                .iter()
                .all(|b| b.is_ascii_digit() || b":.+-Z".contains(b)))
}

/// `${VAR}`, `$VAR`, `{{ var }}`, `<your-token>`, `%(var)s`, `#{var}`, `process.env.X` and friends:
/// a reference to a secret kept elsewhere, not the secret.
fn is_template(secret: &[u8]) -> bool {
    let s = secret;
    let starts = |p: &[u8]| s.starts_with(p);
    starts(b"${")
        // `{{ var }}` closes; a random salt may open with `{{` too (WordPress keys do).
        || (starts(b"{{") && contains(s, b"}}"))
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
        // `%DB_PASSWORD%`: a Windows environment variable or an MSBuild/NuGet property.
        || (starts(b"%")
            && s.len() > 2
            && s.ends_with(b"%")
            && s[1..s.len() - 1]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_'))
        || (starts(b"[")
            && s.ends_with(b"]")
            && s.len() > 2
            && s[1..s.len() - 1]
                .iter()
                .all(|&b| b.is_ascii_alphabetic() || b == b'_' || b == b' ' || b == b'-'))
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

/// Runs that climb one step at a time and restart at `0` or `a`
/// (`0123456789abcdef0123...`, `01234567-0123-0123-0123-012345678901`): a value typed to fill
/// a field. A random hex value passes each step by chance about once in five.
fn is_sequential(secret: &[u8]) -> bool {
    let body: Vec<u8> = secret
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    body.len() >= 10
        && body.windows(2).all(|w| {
            // `9` to `a` climbs in hex; that is a restart at `a` too.
            w[1] == w[0] + 1 || w[1] == b'0' || w[1] == b'a'
        })
}

/// A code expression, not a literal: a subscript or call on a name (`config[CONF_PASSWORD]`,
/// `getpass()`), or a format string (`"storage-systems/%s/passwords"`).
fn is_expression(secret: &[u8]) -> bool {
    let name_len = secret
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || b"_.".contains(b))
        .count();
    let starts_with_name = name_len > 0 && !secret[0].is_ascii_digit();
    let rest = &secret[name_len..];
    // The key of a subscript is a constant, a lower-case name or a quoted string; random
    // text mixes cases.
    let subscript = rest.len() > 2
        && rest.starts_with(b"[")
        && rest.ends_with(b"]")
        && is_key_name(&rest[1..rest.len() - 1]);
    let call = rest.starts_with(b"(") && rest.ends_with(b")");
    (starts_with_name && (subscript || call))
        || is_constant_name(secret)
        || contains(secret, b"%s")
        || contains(secret, b"%d")
        || contains(secret, b"{}")
        || contains(secret, b"{0}")
}

/// An upper-case constant of two or more words (`VALUE_SPECIFIED_IN_NO_LOG_PARAMETER`,
/// `FORBIDDEN_VALUE2`): an enum member or sentinel, not a credential. Each word is letters
/// then digits; random upper-case text split at `_` mixes them.
fn is_constant_name(secret: &[u8]) -> bool {
    let words: Vec<&[u8]> = secret.split(|&b| b == b'_').collect();
    words.len() >= 2
        && words.iter().all(|w| {
            let letters = w.iter().take_while(|b| b.is_ascii_uppercase()).count();
            letters >= 2 && w[letters..].iter().all(u8::is_ascii_digit)
        })
}

/// `CONF_PASSWORD`, `api_key`, `'password'`: a constant, a lower-case name or a quoted string.
fn is_key_name(key: &[u8]) -> bool {
    let quoted =
        key.len() >= 2 && (key[0] == b'\'' || key[0] == b'"') && key.last() == Some(&key[0]);
    let constant = key
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
    let lower = key
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
    !key.is_empty() && (quoted || constant || lower)
}

/// Every candidate of every rule passes through here, so the first byte is compared before
/// the rest: a slice comparison per position costs a `memcmp` call each.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    haystack
        .windows(needle.len())
        .any(|w| w[0] == first && &w[1..] == rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        let placeholders = [
            "AKIAIOSFODNN7EXAMPLE",
            "AKIAIOSFODNN7EXAMPLF",
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
            "wrong-password",
            "PASSWORD_RESET",
            "auth/invalid-custom-token",
            "KRB5_PASSWORD",
            "exchangeRecaptchaV3Token",
            "auth/invalid-api-key",
            "[claim_signature]",
            "[new_password]",
            "2016-09-24T16:18:07Z",
            "2024-01-31",
            "%DB_PASSWORD%",
            "0123456789abcdef0123456789abcdef01234567",
            "01234567-0123-0123-0123-012345678901",
            "config[CONF_PASSWORD]",
            "params['password']",
            "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER",
            "FORBIDDEN_VALUE2",
            "user_input[CONF_API_KEY]",
            "getpass.getpass()",
            "storage-systems/%s/passwords",
            ":code:`<pfx-file-password>`",
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
            "sb_secret_tmCWX10wmquk4PQlMqIQ3dgE2rsbhNF",
            "secret-live-Zq3RkT9vWm2XyPb7",
            "token-ab1cd:Zq3RkT9vWm2XyPb7Lc4NdJf8Hs6Ga1",
            "my-db-password-Rq8v7TzW2xKp",
            "Password123!",
            "key-3ab1c9f0e2d4b6a8c0e1f2a3b4c5d6e7",
            "aB3cToken9xYz2QwErTy7uIoP",
            "[Zq3RkT9vWm2XyPb7]",
            "2016-09-24Zq3RkT9vWm",
            "{{9+M}{@?+;*tcOs1dkG+_lOW<E>MahyIlT-/&x_j$k7^Wj",
            "3f9a0b1c2d4e5f60718293a4b5c6d7e8",
            "Zq3R[kT9vWm2]",
            "9x[ab]",
            "AKIA_7Q2MPLX4RTDQWKV",
            "Q7X2_KP9M_ZR4T",
        ];
        for value in secrets {
            assert!(!is_placeholder(value.as_bytes()), "{value:?}");
        }
    }
}
