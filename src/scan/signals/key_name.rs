//! What the text around a value says it is, when that is not a credential: the name it is
//! assigned to names or refers to a credential rather than holding one, or the value is
//! code rather than a literal.
//!
//! Generic rules find `token`, `secret` and `password` inside longer names: the name's last
//! word says what the value is (`tokenizer_class = "Wav2Vec2CTCTokenizer"`, `secret_ref:
//! 'V1LocalObjectReference'`, `SESSION_TOKEN_QUERY_PARAM = "X-Amz-Security-Token"`,
//! `"NextContinuationToken": "…"`, a pagination cursor). And an unquoted value in source
//! code is an identifier or an expression (`password = config[CONF_PASSWORD]`, a YAML alias
//! `*cluster_admin_password`), not the password. A credential's own name ends in its
//! credential word (`db_password`, `apiKey`, `client_secret`, `token`), so these never fire
//! on it. See: issue 18.

use std::ops::Range;

/// Last words of a name that make it the name of something about a credential: its type,
/// class, reference, parameter, file, policy or description.
const NAMING_WORDS: &[&str] = &[
    "ref",
    "param",
    "params",
    "parameter",
    "name",
    "names",
    "filename",
    "file",
    "path",
    "dir",
    "type",
    "class",
    "classification",
    "url",
    "uri",
    "endpoint",
    "prefix",
    "suffix",
    "policy",
    "info",
    "field",
    "header",
    "label",
    "format",
    "length",
    "len",
    "size",
    "count",
    "mode",
    "kind",
    "version",
    "ttl",
    "expiry",
    "expiration",
    "timeout",
    "description",
    "message",
    "msg",
    "error",
    "hint",
    "pattern",
    "regex",
    "template",
    "env",
    "var",
    "column",
    "attribute",
    "attr",
    "property",
    "method",
    "location",
];

/// Words anywhere in a name that make it about something other than a credential's value:
/// tokenizers, and the opaque cursors of paginated APIs (`NextContinuationToken`,
/// `next_page_token`).
const OTHER_WORDS: &[&str] = &[
    "tokenizer",
    "tokenizers",
    "tokenize",
    "tokenization",
    "tokenized",
    "continuation",
    "pagination",
    "page",
    "cursor",
    "idempotency",
];

/// Extensions of languages where a bare word is an identifier, not a string.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "rs", "go", "java", "kt", "scala", "cs",
    "c", "h", "cc", "cpp", "hpp", "swift", "rb", "php", "dart",
];

/// The name the value at `secret` in `bytes` is assigned to (`db_password` in
/// `db_password = "…"`, `"NextContinuationToken": "…"`), read back from the value over its
/// opening quote, the assignment and the name's own quote, within `line`.
pub(super) fn assigned_name(
    bytes: &[u8],
    line: &Range<usize>,
    secret: &Range<usize>,
) -> Option<String> {
    let mut at = secret.start;
    let skip = |at: &mut usize, what: &[u8]| {
        while *at > line.start && what.contains(&bytes[*at - 1]) {
            *at -= 1;
        }
    };
    let quote_at = at;
    skip(&mut at, b"\"'`");
    // A Python string prefix (`b"…"`, `rb'…'`) belongs to the literal, not to a name.
    if at < quote_at {
        let mut prefix = at;
        while prefix > line.start && at - prefix < 2 && b"bBrRuUfF".contains(&bytes[prefix - 1]) {
            prefix -= 1;
        }
        if prefix < at && (prefix == line.start || b" \t=:(".contains(&bytes[prefix - 1])) {
            at = prefix;
        }
    }
    skip(&mut at, b" \t");
    let before_assignment = at;
    skip(&mut at, b"=:>");
    if at == before_assignment {
        return None;
    }
    skip(&mut at, b" \t");
    skip(&mut at, b"\"'`");
    let end = at;
    while at > line.start
        && (bytes[at - 1].is_ascii_alphanumeric() || b"_-.".contains(&bytes[at - 1]))
    {
        at -= 1;
    }
    (at < end).then(|| String::from_utf8_lossy(&bytes[at..end]).into_owned())
}

/// The words of a name, lower-cased: split at `_`, `-`, `.` and camelCase humps.
pub(super) fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// True if the name the value is assigned to names or refers to a credential rather than
/// holding one: its last word is a naming word (`secret_ref`, `token_type`), or a word says
/// tokenizer or pagination cursor.
pub(super) fn names_not_holds(bytes: &[u8], line: &Range<usize>, secret: &Range<usize>) -> bool {
    let Some(name) = assigned_name(bytes, line, secret) else {
        return false;
    };
    let words = words(&name);
    words
        .last()
        .is_some_and(|last| NAMING_WORDS.contains(&last.as_str()))
        || words.iter().any(|w| OTHER_WORDS.contains(&w.as_str()))
        || is_request_token(&words)
        || is_next_token(&words)
}

/// True if a name is `next token` (`NextToken`, `next_token`): the opaque cursor a paginated
/// API returns for the next page (every AWS list call, and many others); it grants nothing.
fn is_next_token(words: &[String]) -> bool {
    matches!(words, [next, token] if next == "next" && token == "token")
}

/// Words of a name that say its value is a stand-in or a product's published default:
/// `DUMMY_SECRET`, `TEST_HASH_2A`, `example_token`, `DEFAULT_PASSWORD`.
const STAND_IN_WORDS: &[&str] = &[
    "test", "testing", "dummy", "fake", "mock", "example", "sample", "default",
];

/// True if the name the value is assigned to says the value is a stand-in or a default.
pub(super) fn names_stand_in(bytes: &[u8], line: &Range<usize>, secret: &Range<usize>) -> bool {
    assigned_name(bytes, line, secret).is_some_and(|name| {
        words(&name)
            .iter()
            .any(|w| STAND_IN_WORDS.contains(&w.as_str()))
    })
}

/// True if a name ends in `request token` (`ClientRequestToken`, `client_request_token`):
/// the idempotency key of a cloud API call, which the caller makes up to tell retries
/// apart; it grants nothing.
fn is_request_token(words: &[String]) -> bool {
    matches!(words, [.., request, token] if request == "request" && token == "token")
}

/// True if `part` is an identifier: a letter or `_`, then letters, digits and `_`.
pub(super) fn is_identifier(part: &[u8]) -> bool {
    part.first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && part.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// The lower-cased extension of `path` (after its last `.`), or empty.
pub(super) fn extension(path: &str) -> String {
    path.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// True if the value is code, not a literal: an identifier called or indexed
/// (`config[CONF_PASSWORD]`, `credentials.get(…)`) or assigned bare in a `name = value`
/// statement, in a language where bare words are identifiers; or a YAML anchor or alias.
pub(super) fn is_code_value(
    path: &str,
    bytes: &[u8],
    line: &Range<usize>,
    secret: &Range<usize>,
) -> bool {
    let value = &bytes[secret.clone()];
    let Some(&first) = value.first() else {
        return false;
    };
    let quoted = secret.start > line.start && b"\"'`".contains(&bytes[secret.start - 1]);
    let extension = extension(path);
    let yaml = matches!(extension.as_str(), "yml" | "yaml");
    if yaml && !quoted && (first == b'&' || first == b'*') && is_identifier(&value[1..]) {
        return true;
    }
    if quoted {
        return false;
    }
    // `credentials.passwords[0]`, `config.get(…)`: a name, then member access, indexing or
    // a call, as the whole unquoted value.
    let name_end = value
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .unwrap_or(value.len());
    // An index may be a number or a slice (`entries[0]`, `content[:sep]`).
    let expression = name_end > 0
        && is_identifier(&value[..name_end])
        && match value.get(name_end) {
            Some(b'.' | b'(') => value
                .get(name_end + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || b"_\"'".contains(b)),
            Some(b'[') => value
                .get(name_end + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || b"_\"':".contains(b)),
            _ => false,
        };
    // Identifiers joined by `+` (`pwd+salt`): a concatenation, not a literal.
    let concatenation = value.contains(&b'+') && value.split(|b| *b == b'+').all(is_identifier);
    let code = CODE_EXTENSIONS.contains(&extension.as_str());
    if concatenation && code {
        return true;
    }
    if !is_identifier(value) && !expression {
        return false;
    }
    if !code {
        return false;
    }
    if expression {
        return true;
    }
    let next = bytes.get(secret.end).copied();
    let after_next = bytes.get(secret.end + 1).copied();
    if matches!(next, Some(b'[' | b'(')) {
        return true;
    }
    if next == Some(b'.') && after_next.is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') {
        return true;
    }
    // A statement `name = value` (spaced, as code is written), not `password=value` inside
    // a connection string or URL, which is a literal's text.
    let spaced = |at: usize| at > line.start && b" \t".contains(&bytes[at - 1]);
    let mut at = secret.start;
    if !spaced(at) {
        return false;
    }
    while spaced(at) {
        at -= 1;
    }
    at > line.start
        && bytes[at - 1] == b'='
        && spaced(at - 1)
        && bytes[line.start..at - 1]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_. \t".contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, secret: &str) -> (Range<usize>, Range<usize>) {
        let start = text.find(secret).unwrap();
        (0..text.len(), start..start + secret.len())
    }

    fn names(text: &str, secret: &str) -> bool {
        let (line, secret) = at(text, secret);
        names_not_holds(text.as_bytes(), &line, &secret)
    }

    fn code(path: &str, text: &str, secret: &str) -> bool {
        let (line, secret) = at(text, secret);
        is_code_value(path, text.as_bytes(), &line, &secret)
    }

    #[test]
    fn names_that_name_a_credential_are_told_from_names_that_hold_one() {
        assert!(names(
            "tokenizer_class = \"Wav2Vec2CTCTokenizer\"",
            "Wav2Vec2CTCTokenizer"
        ));
        assert!(names(
            "'secret_ref': 'V1LocalObjectReference',",
            "V1LocalObjectReference"
        ));
        assert!(names(
            "SESSION_TOKEN_QUERY_PARAM = \"X-Amz-Security-Token\"",
            "X-Amz-Security-Token"
        ));
        assert!(names(" *   \"NextContinuationToken\": \"1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg==\",", "1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg=="));
        assert!(names(
            "_CHECKPOINT_FOR_TOKEN_CLASSIFICATION = \"dbmdz/bert\"",
            "dbmdz/bert"
        ));
        assert!(names(
            "  \"ClientRequestToken\": \"3faf3fb5-b289-41fc-b940-44151828f6cf\",",
            "3faf3fb5-b289-41fc-b940-44151828f6cf"
        ));
        assert!(names(
            "idempotency_token = \"Xk29fQpL7wzR\"",
            "Xk29fQpL7wzR"
        ));
        assert!(names(
            "        \"NextToken\": \"Xk29fQpL7wzR/jVBCG=\",",
            "Xk29fQpL7wzR/jVBCG="
        ));
        assert!(names("<nextToken>Xk29fQpL7wzR</nextToken>", "Xk29fQpL7wzR"));
        for held in [
            "db_password = \"Xk29fQpL7wzR\"",
            "\"client_secret\": \"Xk29fQpL7wzR\"",
            "const apiKey = 'Xk29fQpL7wzR';",
            "token: Xk29fQpL7wzR",
            "SECRET_KEY => 'Xk29fQpL7wzR'",
            "access_token_secret := \"Xk29fQpL7wzR\"",
            "password=\"Xk29fQpL7wzR\"",
            "request_signing_token = \"Xk29fQpL7wzR\"",
            "oauth_token_request = \"Xk29fQpL7wzR\"",
            "next_access_token = \"Xk29fQpL7wzR\"",
            "ContextToken = \"Xk29fQpL7wzR\"",
        ] {
            assert!(!names(held, "Xk29fQpL7wzR"), "{held}");
        }
    }

    #[test]
    fn names_that_say_stand_in_are_told_from_plain_names() {
        let stand_in = |text: &str| {
            let (line, secret) = at(text, "Xk29fQpL7wzR");
            names_stand_in(text.as_bytes(), &line, &secret)
        };
        for named in [
            "DUMMY_SECRET = \"Xk29fQpL7wzR\"",
            "TEST_HASH_2A = \"Xk29fQpL7wzR\"",
            "  exampleToken: Xk29fQpL7wzR",
            "DEFAULT_PASSWORD = \"Xk29fQpL7wzR\"",
            "        dummy = b\"Xk29fQpL7wzR\"",
        ] {
            assert!(stand_in(named), "{named}");
        }
        for plain in [
            "db_password = \"Xk29fQpL7wzR\"",
            "LATEST_TOKEN = \"Xk29fQpL7wzR\"",
            "contest_secret: Xk29fQpL7wzR",
        ] {
            assert!(!stand_in(plain), "{plain}");
        }
    }

    #[test]
    fn code_values_are_told_from_literals() {
        assert!(code(
            "x.py",
            "    password = config[CONF_PASSWORD]",
            "config"
        ));
        assert!(code(
            "x.py",
            "  password2=credentials.passwords",
            "credentials"
        ));
        assert!(code("x.py", "    pwd_salt = pwd_hash", "pwd_hash"));
        assert!(code(
            "meta/specs.yml",
            "  admin_password: *cluster_admin_password",
            "*cluster_admin_password"
        ));
        assert!(code(
            "meta/specs.yml",
            "  admin_password: &cluster_admin_password",
            "&cluster_admin_password"
        ));
        assert!(code(
            "x.py",
            "  password = credentials.passwords[0]",
            "credentials.passwords[0]"
        ));
        assert!(code(
            "x.py",
            "        password = content[:sep]",
            "content[:sep]"
        ));
        assert!(code(
            "x.py",
            "  camera_password = entry[0].data[CONF_PASSWORD]",
            "entry[0].data[CONF_PASSWORD]"
        ));
        assert!(code("x.py", "    pwd_salt = pwd+salt", "pwd+salt"));
        assert!(!code("x.yml", "    password: pwd+salt", "pwd+salt"));
        assert!(!code("x.py", "    password = Hunter+2024!", "Hunter+2024!"));
        assert!(!code("x.py", "  password = Hunter.2024", "Hunter.2024"));
        assert!(!code("deploy.sh", "PASSWORD=Hunter2024", "Hunter2024"));
        assert!(!code(
            "db/roles.sql",
            "IDENTIFIED WITH x AS '*DC6B5454057FB37A'",
            "*DC6B5454057FB37A"
        ));
        assert!(!code("x.env", "PASSWORD=Hunter2024", "Hunter2024"));
        assert!(!code("vars.yml", "password: Hunter2024", "Hunter2024"));
        assert!(!code("x.py", "password = \"Hunter2024\"", "Hunter2024"));
        assert!(!code("x.py", "if password == Hunter2024", "Hunter2024"));
        assert!(!code("x.ini", "password = Hunter2024.x", "Hunter2024"));
        assert!(!code(
            "x.py",
            "e = f(\"jdbc:x?user=a&password=Summit43\")",
            "Summit43"
        ));
        assert!(!code(
            "x.cs",
            "var cs = \"Uid=svc;Pwd=Harbor633_;\";",
            "Harbor633_"
        ));
    }
}
