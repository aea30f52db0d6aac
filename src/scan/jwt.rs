//! JSON Web Tokens judged offline: is it a token at all, is it signed, has it expired?
//!
//! A JWT whose header and claims decode to JSON objects is a token. It is a live credential
//! when it is signed (its header names an algorithm other than `none` and its signature has
//! the length that algorithm produces) and its own `exp` claim is not in the past. An expired
//! or unsigned token is still reported, but low: it cannot be replayed as it stands.

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
    fn the_clock_is_after_2025() {
        assert!(now() > 1_735_689_600);
    }
}
