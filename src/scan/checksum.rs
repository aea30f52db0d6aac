//! Offline format validators: checksums and structure checks that vendors build into tokens.
//!
//! A candidate that fails its validator is still reported, but never as high confidence:
//! it is most likely a made-up or mistyped value. Nothing here touches the network.

use base64::Engine;

/// A validator that a rule names with `checksum = "..."`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// GitHub `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_`: 30 base62 characters, then their CRC32 in
    /// 6 base62 digits.
    GitHub,
    /// npm `npm_` tokens: the same scheme as GitHub's.
    Npm,
    /// JSON Web Tokens: header and payload are base64url JSON objects, the header has `alg`.
    Jwt,
}

impl Checksum {
    /// Every validator name a rule may use, for error messages.
    pub const NAMES: &'static str = "github, npm, jwt";

    /// Looks a validator up by the name used in rules files.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "github" => Some(Checksum::GitHub),
            "npm" => Some(Checksum::Npm),
            "jwt" => Some(Checksum::Jwt),
            _ => None,
        }
    }

    /// True if `secret` has the structure its format requires.
    pub fn validates(self, secret: &[u8]) -> bool {
        match self {
            Checksum::GitHub | Checksum::Npm => crc32_tail_ok(secret),
            Checksum::Jwt => jwt_ok(secret),
        }
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Encodes `value` as exactly 6 base62 digits, most significant first (32 bits fit in 6).
pub fn base62_crc32(value: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    let mut rest = value;
    for digit in out.iter_mut().rev() {
        *digit = BASE62[(rest % 62) as usize];
        rest /= 62;
    }
    out
}

/// `<prefix>_<30 payload chars><6-char base62 CRC32 of the payload>`.
fn crc32_tail_ok(secret: &[u8]) -> bool {
    let Some(underscore) = secret.iter().position(|&b| b == b'_') else {
        return false;
    };
    let body = &secret[underscore + 1..];
    if body.len() != 36 {
        return false;
    }
    let (payload, tail) = body.split_at(30);
    base62_crc32(crc32fast::hash(payload)) == tail
}

/// A JWT's first two segments must decode to JSON objects, and the header must name `alg`.
fn jwt_ok(secret: &[u8]) -> bool {
    let mut parts = secret.split(|&b| b == b'.');
    let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
        return false;
    };
    let decode = |part: &[u8]| -> Option<serde_json::Map<String, serde_json::Value>> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part.strip_suffix(b"=").unwrap_or(part))
            .ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    match (decode(header), decode(payload)) {
        (Some(header), Some(_)) => header.contains_key("alg"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_token(prefix: &str, payload: &str) -> String {
        let tail = base62_crc32(crc32fast::hash(payload.as_bytes()));
        format!("{prefix}_{payload}{}", std::str::from_utf8(&tail).unwrap())
    }

    #[test]
    fn crc32_tail_accepts_valid_and_rejects_altered_tokens() {
        let payload = "Zq3RkT9vWm2XyPb7Lc4NdJf8Hs6Ga1";
        let good = github_token("ghp", payload);
        assert!(Checksum::GitHub.validates(good.as_bytes()));
        assert!(Checksum::Npm.validates(github_token("npm", payload).as_bytes()));
        let mut bad = good.clone().into_bytes();
        bad[10] = if bad[10] == b'a' { b'b' } else { b'a' };
        assert!(!Checksum::GitHub.validates(&bad));
        assert!(!Checksum::GitHub.validates(b"ghp_short"));
        assert!(!Checksum::GitHub.validates(b"no-underscore"));
    }

    #[test]
    fn base62_pads_to_six_digits() {
        assert_eq!(&base62_crc32(0), b"000000");
        assert_eq!(&base62_crc32(61), b"00000z");
        assert_eq!(&base62_crc32(62), b"000010");
        assert_eq!(&base62_crc32(u32::MAX), b"4gfFC3");
    }

    #[test]
    fn jwt_needs_json_header_with_alg() {
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let good = format!(
            "{}.{}.c2lnbmF0dXJl",
            enc(r#"{"alg":"HS256","typ":"JWT"}"#),
            enc(r#"{"sub":"42"}"#)
        );
        assert!(Checksum::Jwt.validates(good.as_bytes()));
        let no_alg = format!("{}.{}.x", enc(r#"{"typ":"JWT"}"#), enc("{}"));
        assert!(!Checksum::Jwt.validates(no_alg.as_bytes()));
        assert!(!Checksum::Jwt.validates(b"eyJub3Q.anNvbg.x"));
    }
}
