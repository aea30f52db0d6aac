//! What a value's own shape says it is when it is data or code rather than a credential: a
//! file path, a namespaced or dotted identifier, a lower-case `snake_case` or `kebab-case`
//! name, an icon name (`mdi:form-textbox-password`), a sentinel (a name wrapped in
//! markers: `__**password_not_changed**__`), a content hash or integrity string, or base64 that decodes to text, JSON, an image,
//! a font, compressed data, `openssl enc` output (encrypted under a passphrase) or Basic
//! credentials whose password is empty (`client-id:`).
//! (`CamelCase` type names are not among them: random mixed-case letters form such names
//! too often.)
//!
//! Ordinary code assigns such values to names that say password, token or secret all the
//! time (`RESET_PASSWORD = "identitytoolkit#ResetPassword"`, `tokenizer_class =
//! "Wav2Vec2CTCTokenizer"`, `private_key_file: "/etc/ssl/host.key"`, `token =
//! "eyJhbGciOiJub25lIn0"`). A typed or generated password has none of these shapes: every
//! test below keeps a random base62 value, a weak human password (`Harbor2024!`) and a
//! symbol-laden one out. See: issue 18.

use base64::Engine;

/// What kind of data `value` is, if its shape says it is not a credential.
pub(super) fn data_kind(value: &[u8]) -> Option<&'static str> {
    if is_path(value) {
        Some("a file path")
    } else if is_content_hash(value) {
        Some("a content hash or integrity string")
    } else if is_namespaced(value) {
        Some("a namespaced or dotted identifier")
    } else if is_word_name(value) {
        Some("an identifier made of words")
    } else if is_icon_name(value) {
        Some("an icon name")
    } else if is_sentinel(value) {
        Some("a sentinel: a name wrapped in markers")
    } else if is_bracketed_expression(value) {
        Some("a selector or template expression")
    } else {
        decodes_to_data(value)
    }
}

/// `/etc/ssl/host.key`, `~/.ssh/id_rsa`, `./keys/dev.pem`, `C:\keys\a.pfx`: a path with at
/// least two separators, made of file-name characters.
fn is_path(value: &[u8]) -> bool {
    let rest = [&b"/"[..], b"~/", b"./", b"../"]
        .iter()
        .find_map(|p| value.strip_prefix(*p))
        .or_else(|| {
            (value.len() > 3 && value[0].is_ascii_alphabetic() && &value[1..3] == b":\\")
                .then(|| &value[3..])
        });
    let Some(rest) = rest else {
        return false;
    };
    let separators = value.iter().filter(|&&b| b == b'/' || b == b'\\').count();
    separators >= 2
        && !rest.is_empty()
        && rest
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"/\\._-".contains(&b))
}

/// `sha256-…`/`sha512-…` integrity strings and `sha256:`/`sha1:` digests.
fn is_content_hash(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    [
        "sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha512:",
    ]
    .iter()
    .any(|p| lower.starts_with(p.as_bytes()) && lower.len() >= p.len() + 27)
}

/// `Password::NullPassword`, `identitytoolkit#ResetPassword`, `com.acme.auth.Token`: names
/// joined by `::` or `#` (words of letters: a password holds digits or symbols around its
/// `#`), or by at least two dots (parts starting with a letter, the first all letters).
fn is_namespaced(value: &[u8]) -> bool {
    let text = match std::str::from_utf8(value) {
        Ok(text) => text,
        Err(_) => return false,
    };
    let word =
        |part: &str| part.len() >= 3 && part.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_');
    let name = |part: &str| {
        part.len() >= 2
            && part.as_bytes()[0].is_ascii_alphabetic()
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let joined = |sep: &str, min_parts: usize, part: &dyn Fn(&str) -> bool| {
        let parts: Vec<&str> = text.split(sep).collect();
        parts.len() >= min_parts && parts.iter().all(|p| part(p))
    };
    joined("::", 2, &word)
        || joined("#", 2, &word)
        || (joined(".", 3, &name) && text.split('.').next().is_some_and(word))
}

/// `policy_name`, `invalid_auth`, `operation-not-allowed`, `aws_sse_customer_key_base64`:
/// lower-case words joined by `_` or `-`, with at least two words of three letters or more.
/// A human password is rarely all lower-case words and separators; a generated one never.
fn is_word_name(value: &[u8]) -> bool {
    if value.first() == Some(&b'_') || value.first() == Some(&b'-') {
        return false;
    }
    let separators = value.iter().filter(|&&b| b == b'_' || b == b'-').count();
    if separators == 0
        || !value
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    {
        return false;
    }
    let words: Vec<&[u8]> = value
        .split(|&b| b == b'_' || b == b'-')
        .filter(|w| !w.is_empty())
        .collect();
    let wordy = words
        .iter()
        .filter(|w| w.iter().take_while(|b| b.is_ascii_lowercase()).count() >= 3)
        .count();
    // Every part begins with letters: `pass_1234_x9` is a password's shape, not a name's.
    wordy >= 2 && words.iter().all(|w| w[0].is_ascii_lowercase())
}

/// `mdi:form-textbox-password`, `fa:key-solid`: an icon set's prefix (two to four
/// lower-case letters) and a kebab-case name of letters (see [`is_word_name`]), as icon
/// fonts and UI manifests name icons. Digits or a longer prefix (`admin:hunter2-pass`)
/// read as a user and password.
fn is_icon_name(value: &[u8]) -> bool {
    let Some(colon) = value.iter().position(|&b| b == b':') else {
        return false;
    };
    let (prefix, name) = (&value[..colon], &value[colon + 1..]);
    (2..=4).contains(&prefix.len())
        && prefix.iter().all(u8::is_ascii_lowercase)
        && name.iter().all(|&b| b.is_ascii_lowercase() || b == b'-')
        && is_word_name(name)
}

/// `__**password_not_changed**__`, `<<redacted-value>>`, `##no_secret##`: a name of words
/// wrapped on both sides in at least two marker characters, a value code compares against
/// to mean "unchanged" or "absent", never one typed as a password.
fn is_sentinel(value: &[u8]) -> bool {
    const MARKERS: &[u8] = b"_*<>#=~%";
    let lead = value.iter().take_while(|b| MARKERS.contains(b)).count();
    let trail = value
        .iter()
        .rev()
        .take_while(|b| MARKERS.contains(b))
        .count();
    lead >= 2 && trail >= 2 && lead + trail < value.len() && {
        let inner = &value[lead..value.len() - trail];
        is_word_name(inner)
    }
}

/// `[type=password]`, `[parameters('adminPassword')]`: a CSS attribute selector (a
/// bracketed `name=value`) or an ARM template expression (a bracketed call, which a match
/// may cut at its quote: `[parameters(`).
fn is_bracketed_expression(value: &[u8]) -> bool {
    let Some(inner) = value.strip_prefix(b"[") else {
        return false;
    };
    let name_end = inner
        .iter()
        .position(|b| !(b.is_ascii_alphabetic() || *b == b'-' || *b == b'_'))
        .unwrap_or(inner.len());
    name_end >= 3
        && match inner.get(name_end) {
            Some(b'(') => true,
            Some(b'=') => inner.ends_with(b"]"),
            _ => false,
        }
}

/// Base64 (standard or URL-safe) whose decoded bytes are structure, not key material:
/// JSON or printable text, or a file format's magic (PNG, GIF, JPEG, WOFF, gzip, zlib).
fn decodes_to_data(value: &[u8]) -> Option<&'static str> {
    if value.len() < 16 {
        return None;
    }
    let trimmed: Vec<u8> = value.iter().copied().filter(|&b| b != b'=').collect();
    let lenient = base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let engines = [
        base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, lenient),
        base64::engine::GeneralPurpose::new(&base64::alphabet::URL_SAFE, lenient),
    ];
    let bytes = engines.iter().find_map(|e| e.decode(&trimmed).ok())?;
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG",
        b"GIF8",
        b"\xff\xd8\xff",
        b"wOFF",
        b"wOF2",
        b"\x1f\x8b",
        b"PK\x03\x04",
    ];
    if MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return Some("base64 of an image, font or archive");
    }
    // `openssl enc` output: a value encrypted under a passphrase that is not beside it, as
    // network configs store a password (`U2FsdGVkX1…`). Unusable as found.
    if bytes.starts_with(b"Salted__") && bytes.len() >= 32 {
        return Some("base64 of data encrypted with a passphrase (openssl enc)");
    }
    // `client-id:` with nothing after the colon: Basic credentials of a user or public
    // OAuth client with an empty password, which prove nothing.
    if let Some(user) = bytes.strip_suffix(b":") {
        if user.len() >= 3
            && user
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"._@-".contains(b))
        {
            return Some("base64 of a user name with an empty password");
        }
    }
    let printable = bytes
        .iter()
        .filter(|&&b| b.is_ascii_graphic() || b == b' ')
        .count();
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let last = bytes.iter().rev().find(|b| !b.is_ascii_whitespace());
    // JSON that holds credentials (a `.dockerconfigjson`, a service account) is a secret.
    let lower = bytes.to_ascii_lowercase();
    let holds_credential = ["auth", "pass", "secret", "token", "key", "cred"]
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some());
    let json = matches!(
        (first, last),
        (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
    );
    if json && printable * 10 >= bytes.len() * 9 && !holds_credential {
        return Some("base64 of JSON");
    }
    // Text made of words: a message, not key material. A typed secret encoded as base64 is
    // printable too, so require words: letters and spaces, one space in ten characters.
    let letters = bytes.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let spaces = bytes.iter().filter(|&&b| b == b' ').count();
    (printable == bytes.len()
        && bytes.len() >= 16
        && spaces * 10 >= bytes.len()
        && letters * 10 >= bytes.len() * 7)
        .then_some("base64 of a text message")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_shapes_are_told_from_credentials() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let json = b64("{\"alg\":\"none\"}");
        let no_password = b64("public-cli-client:");
        let message = b64("you're not supposed to decode this!");
        let docker = b64("{\"auths\":{\"r.io\":{\"auth\":\"dTpw\"}}}");
        let user_password = b64("public-cli-client:Xk29fQpL");
        let png =
            base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nrest of an image");
        let data: &[&str] = &[
            "/home/user/workspace/.vagrant/machines/default/private_key",
            "~/Downloads/SecretKey.txt",
            "./keys/dev.pem",
            "C:\\keys\\store.pfx",
            "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
            "Password::NullPassword",
            "identitytoolkit#ResetPassword",
            "com.acme.auth.SessionToken",
            "policy_name",
            "operation-not-allowed",
            "aws_sse_customer_key_base64",
            "[type=password]",
            "[parameters('adminPassword')]",
            "[parameters(",
            "mdi:form-textbox-password",
            "__**password_not_changed**__",
            "<<redacted-value>>",
            json.as_str(),
            message.as_str(),
            no_password.as_str(),
        ];
        for value in data {
            assert!(data_kind(value.as_bytes()).is_some(), "{value}");
        }
        assert!(data_kind(png.as_bytes()).is_some(), "png");
        let mut salted = b"Salted__".to_vec();
        salted.extend((0..24u8).map(|i| i.wrapping_mul(37).wrapping_add(11)));
        let encrypted = base64::engine::general_purpose::STANDARD.encode(&salted);
        assert!(data_kind(encrypted.as_bytes()).is_some(), "openssl enc");
        let credentials: &[&str] = &[
            "Harbor2024!",
            "Kq8vZ2xLmT4p",
            "x/gfuL?4Zuj{n73m}eeJt1",
            "sJ94G92#8dq2hx*K4qh",
            "correct-Horse-9",
            "pass_1234_x9",
            "0x5632724fb8ac3699296af26281e1d0f1",
            "jMqRDgxSsBqqznfmddGdu1TmmZOJQxdM",
            "4O8T3zo4xBdRWXBnsnK934o9SEb+jEhHUN6+xzZgCo2j9EnQBUvtwNxxLEmYmm6w",
            "Testing@123",
            "Zq8#vT2mLk9x",
            "Sh0p#pool",
            "iYFdfuIDnviOei",
            "V1LocalObjectReference",
            "[Xk29=fQpL]",
            "[ab=c]",
            "[type=pass",
            "a.b",
            "mdi:Xk29fQpL",
            "admin:hunter2-pass",
            "root:hunter2-pass",
            "adminuser:correct-horse",
            "__Xk29fQpL7w__",
            "**secret_sauce",
            "##Harbor-2024##",
            docker.as_str(),
            user_password.as_str(),
        ];
        for value in credentials {
            assert_eq!(data_kind(value.as_bytes()), None, "{value}");
        }
    }

    #[test]
    fn random_values_are_almost_never_data() {
        // xorshift draws: the shape of generated passwords, base62 and letters only.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let base62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut hits = Vec::new();
        for alphabet in [&base62[..], &base62[10..]] {
            for len in 9..=16 {
                for _ in 0..20_000 {
                    let value: Vec<u8> = (0..len)
                        .map(|_| alphabet[(next() >> 11) as usize % alphabet.len()])
                        .collect();
                    if data_kind(&value).is_some() {
                        hits.push(String::from_utf8_lossy(&value).into_owned());
                    }
                }
            }
        }
        assert!(
            hits.is_empty(),
            "{} of 320,000 look like data: {hits:?}",
            hits.len()
        );
    }
}
