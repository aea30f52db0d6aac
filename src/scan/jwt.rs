//! JSON Web Tokens judged offline: is it a token at all, is it signed, has it expired?
//!
//! A JWT whose header and claims decode to JSON objects is a token. It is a live credential
//! when it is signed (its header names an algorithm other than `none` and its signature has
//! the length that algorithm produces) and its own `exp` claim is not in the past. An expired
//! or unsigned token is still reported, but low: it cannot be replayed as it stands.
//!
//! Its claims are evidence too (see [`example_claims`]): a token whose claims are the ones
//! every tutorial prints, or that name a test or an example host, was made to show or test
//! JWT handling, not issued to anyone.

use base64::Engine;
use serde_json::{Map, Value};

/// What the offline checks say about a JWT-shaped string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jwt {
    /// Not a JWT: a segment is not base64url JSON, or the header has no `alg`.
    Malformed,
    /// A JWT that cannot be used as it stands: unsigned, a signature of the wrong length
    /// for its algorithm, or expired by its own `exp` claim.
    Inert,
    /// Signed and not expired.
    Live,
}

/// Judges `token` (`header.claims.signature`) at `now`, in seconds since the Unix epoch.
pub(crate) fn judge(token: &[u8], now: i64) -> Jwt {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(claims)) = (parts.next(), parts.next()) else {
        return Jwt::Malformed;
    };
    let signature = parts.next().unwrap_or_default();
    let (Some(header), Some(claims)) = (json_object(header), json_object(claims)) else {
        return Jwt::Malformed;
    };
    let Some(alg) = header.get("alg") else {
        return Jwt::Malformed;
    };
    let signed = alg
        .as_str()
        .is_some_and(|alg| signature_fits(alg, signature));
    let expired = claims
        .get("exp")
        .and_then(Value::as_f64)
        .is_some_and(|exp| exp < now as f64);
    if signed && !expired {
        Jwt::Live
    } else {
        Jwt::Inert
    }
}

/// Words that, as a whole word of a claim's name or value, say the token was made for a
/// test or a document (`{"test":1234}`, `"aud":"test"`, PyJWT's `{"some":"payload"}`).
/// `acme` is the fictional company of documentation and tests (`"company":"ACME"`).
const STAND_IN_WORDS: &[&str] = &[
    "test", "tests", "testing", "example", "dummy", "fake", "mock", "sample", "payload", "acme",
];

/// True if the claims of `token` say it is a documented example or a test's token: the
/// subject and name that JWT tutorials print (`"sub":"1234567890"` with `"name":"John
/// Doe"`), a claim naming a loopback or documentation host (RFC 7519's own
/// `"http://example.com/is_root"`, an `iss` of `localhost`), or a claim whose name or
/// value is a stand-in word (`test`, `example`, `payload`, `acme`), a value that holds
/// `EXAMPLE` in capitals run together (AWS's `"EXAMPLEIDENTITYCONTEXT"`), or a value that
/// only repeats its claim's name (`"user_claim":"user_claim"`). Issued tokens carry an
/// issuer's real host and subject; a made-up one is what tests and documents sign.
pub(crate) fn example_claims(token: &[u8]) -> bool {
    let Some(claims) = token.split(|&b| b == b'.').nth(1).and_then(json_object) else {
        return false;
    };
    let tutorial = claims.get("sub").and_then(Value::as_str) == Some("1234567890")
        && claims.get("name").and_then(Value::as_str) == Some("John Doe");
    tutorial
        || claims.iter().any(|(name, value)| {
            says_example(name)
                || value_strings(value)
                    .into_iter()
                    .any(|text| says_example(text) || text.contains("EXAMPLE") || text == name)
        })
}

/// The strings a claim holds: itself, or the members of an array (`"aud": ["a", "b"]`).
fn value_strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(text) => vec![text.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// True if `text` names a loopback or documentation host or holds a stand-in word.
fn says_example(text: &str) -> bool {
    super::context::names_local_host(text.as_bytes())
        || text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| STAND_IN_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)))
}

/// Seconds since the Unix epoch, from the system clock (0 if it is set before 1970).
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn json_object(part: &[u8]) -> Option<Map<String, Value>> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.strip_suffix(b"=").unwrap_or(part))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// True if `signature` is base64url of the length `alg` produces (RFC 7518): HMAC digests,
/// RSA moduli of 2048 to 4096 bits, fixed-size ECDSA and EdDSA signatures. An algorithm this
/// list does not know needs at least 16 bytes of signature.
fn signature_fits(alg: &str, signature: &[u8]) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let len = bytes.len();
    match alg {
        "none" | "" => false,
        "HS256" => len == 32,
        "HS384" => len == 48,
        "HS512" => len == 64,
        "ES256" | "ES256K" | "EdDSA" | "Ed25519" => len == 64,
        "ES384" => len == 96,
        "ES512" => len == 132,
        "Ed448" => len == 114,
        _ if alg.starts_with("RS") || alg.starts_with("PS") => {
            (256..=512).contains(&len) && len % 128 == 0
        }
        _ => len >= 16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn token(header: &str, claims: &str, signature_len: usize) -> String {
        let signature: Vec<u8> = (0..signature_len).map(|i| (i * 37 + 11) as u8).collect();
        format!(
            "{}.{}.{}",
            b64(header.as_bytes()),
            b64(claims.as_bytes()),
            b64(&signature)
        )
    }

    #[test]
    fn jwts_are_live_only_when_signed_and_unexpired() {
        let now = 1_800_000_000;
        let cases: &[(&str, &str, usize, Jwt)] = &[
            (r#"{"alg":"HS256"}"#, r#"{"sub":"1"}"#, 32, Jwt::Live),
            (r#"{"alg":"HS256"}"#, r#"{"exp":1900000000}"#, 32, Jwt::Live),
            (
                r#"{"alg":"HS256"}"#,
                r#"{"exp":1700000000}"#,
                32,
                Jwt::Inert,
            ),
            (
                r#"{"alg":"RS256"}"#,
                r#"{"exp":1900000000}"#,
                256,
                Jwt::Live,
            ),
            (r#"{"alg":"RS256"}"#, r#"{"sub":"1"}"#, 64, Jwt::Inert),
            (r#"{"alg":"ES256"}"#, r#"{"sub":"1"}"#, 64, Jwt::Live),
            (r#"{"alg":"HS256"}"#, r#"{"sub":"1"}"#, 31, Jwt::Inert),
            (r#"{"alg":"none"}"#, r#"{"sub":"1"}"#, 0, Jwt::Inert),
            (r#"{"typ":"JWT"}"#, r#"{"sub":"1"}"#, 32, Jwt::Malformed),
            (r#"["alg"]"#, r#"{"sub":"1"}"#, 32, Jwt::Malformed),
        ];
        for &(header, claims, len, want) in cases {
            let jwt = token(header, claims, len);
            assert_eq!(judge(jwt.as_bytes(), now), want, "{header} {claims} {len}");
        }
        assert_eq!(judge(b"eyJhbGciOi.not-json.abc", now), Jwt::Malformed);
    }

    #[test]
    fn example_claims_are_told_from_issued_ones() {
        let examples = [
            r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#,
            r#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}"#,
            r#"{"iss":"http://localhost:8080/realms/dev","sub":"8f0c"}"#,
            r#"{"test":1234}"#,
            r#"{"aud":["api","test"],"sub":"42"}"#,
            r#"{"some":"payload"}"#,
            r#"{"sub":"svc@ci.example","exp":4102444800}"#,
            r#"{"sub":"b@b.com","company":"ACME","exp":2532524891}"#,
            r#"{"sts:audit_context":"EXAMPLEAUDITCONTEXT","sub":"7f3c"}"#,
            r#"{"aud":"1234","user_claim":"user_claim"}"#,
        ];
        for claims in examples {
            let jwt = token(r#"{"alg":"HS256"}"#, claims, 32);
            assert!(example_claims(jwt.as_bytes()), "{claims}");
        }
        let issued = [
            r#"{"sub":"1234567890","name":"Ada Lovelace"}"#,
            r#"{"iss":"https://auth.kestrel-pay.io/","sub":"u_8f0c2b","aud":"billing-api"}"#,
            r#"{"iss":"https://auth.kestrel-pay.io/","sub":"b@kestrel-pay.io","team":"Examples"}"#,
            r#"{"role":"admin","sub":"role"}"#,
            r#"{"scope":"attestation latest","sub":"42"}"#,
            r#"{"name":"John Doe","sub":"7"}"#,
        ];
        for claims in issued {
            let jwt = token(r#"{"alg":"HS256"}"#, claims, 32);
            assert!(!example_claims(jwt.as_bytes()), "{claims}");
        }
        assert!(!example_claims(b"eyJhbGciOi.not-json.abc"));
    }

    #[test]
    fn the_clock_is_after_2025() {
        assert!(now() > 1_735_689_600);
    }
}
