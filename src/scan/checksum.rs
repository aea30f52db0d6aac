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
    /// PyPI API tokens: `pypi-` and a base64url macaroon (version 2 binary format) whose
    /// location is `pypi.org` or `test.pypi.org` and that ends with a 32-byte signature.
    PyPi,
    /// Discord bot tokens: the first dot-separated segment is the bot's numeric user id
    /// (a snowflake) in base64.
    Discord,
    /// The body of a private key block: base64 that decodes to a DER structure whose length
    /// matches, an OpenSSH key, legacy encrypted PEM (`DEK-Info`), or OpenPGP armor whose
    /// CRC-24 line matches.
    Pem,
}

impl Checksum {
    /// Every validator name a rule may use, for error messages.
    pub const NAMES: &'static str = "github, npm, jwt, pypi, discord, pem";

    /// Looks a validator up by the name used in rules files.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "github" => Some(Checksum::GitHub),
            "npm" => Some(Checksum::Npm),
            "jwt" => Some(Checksum::Jwt),
            "pypi" => Some(Checksum::PyPi),
            "discord" => Some(Checksum::Discord),
            "pem" => Some(Checksum::Pem),
            _ => None,
        }
    }

    /// True if `secret` has the structure its format requires.
    pub fn validates(self, secret: &[u8]) -> bool {
        match self {
            Checksum::GitHub | Checksum::Npm => crc32_tail_ok(secret),
            Checksum::Jwt => jwt_ok(secret),
            Checksum::PyPi => pypi_ok(secret),
            Checksum::Discord => discord_ok(secret),
            Checksum::Pem => pem_ok(secret),
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

/// Base64 with the URL-safe alphabet, padding optional: what tokens in the wild carry.
const LENIENT_URL_SAFE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// `pypi-<base64url macaroon>`; see the libmacaroons v2 format (`macaroon-format.txt`):
/// version byte 2, then sections of `type, length, data` fields closed by a 0 byte (the header
/// with location and identifier, then one per caveat, then an empty one), then the signature.
fn pypi_ok(secret: &[u8]) -> bool {
    let Some(body) = secret.strip_prefix(b"pypi-") else {
        return false;
    };
    let Ok(bytes) = LENIENT_URL_SAFE.decode(body) else {
        return false;
    };
    let Some((&2, mut rest)) = bytes.split_first() else {
        return false;
    };
    let mut sections = 0;
    let mut location: Option<&[u8]> = None;
    loop {
        let mut fields = 0;
        loop {
            let Some((field_type, data, after)) = macaroon_field(rest) else {
                return false;
            };
            rest = after;
            if field_type == 0 {
                break;
            }
            if sections == 0 && field_type == 1 {
                location = Some(data);
            }
            fields += 1;
        }
        sections += 1;
        if fields == 0 {
            break;
        }
    }
    let location_ok = matches!(location, Some(b"pypi.org") | Some(b"test.pypi.org"));
    matches!(macaroon_field(rest), Some((6, signature, &[])) if signature.len() == 32)
        && location_ok
        && sections >= 2
}

/// One macaroon v2 field: `(type, data, rest)`. Type 0 is the end of a section and has no
/// length or data.
fn macaroon_field(bytes: &[u8]) -> Option<(u64, &[u8], &[u8])> {
    let (field_type, rest) = varint(bytes)?;
    if field_type == 0 {
        return Some((0, &[], rest));
    }
    let (len, rest) = varint(rest)?;
    let len = usize::try_from(len).ok().filter(|&len| len <= rest.len())?;
    Some((field_type, &rest[..len], &rest[len..]))
}

/// An unsigned LEB128 integer of at most 9 bytes, and the bytes after it.
fn varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (at, &byte) in bytes.iter().enumerate().take(9) {
        value |= u64::from(byte & 0x7f) << (7 * at);
        if byte & 0x80 == 0 {
            return Some((value, &bytes[at + 1..]));
        }
    }
    None
}

/// `<base64 user id>.<timestamp>.<hmac>`: the first segment decodes to 17 to 20 digits.
fn discord_ok(secret: &[u8]) -> bool {
    let id = secret.split(|&b| b == b'.').next().unwrap_or_default();
    match LENIENT_URL_SAFE.decode(id) {
        Ok(digits) => (17..=20).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit),
        Err(_) => false,
    }
}

/// A private key body (headers, base64 lines, optional OpenPGP checksum line), possibly with
/// its line breaks escaped as `\\n` inside a string literal.
fn pem_ok(secret: &[u8]) -> bool {
    let text = String::from_utf8_lossy(secret)
        .replace("\\r", "")
        .replace("\\n", "\n");
    let mut base64_text = String::new();
    let mut encrypted = false;
    let mut armor_crc: Option<&str> = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.contains(':') {
            encrypted |= line.starts_with("DEK-Info");
        } else if line.len() == 5 && line.starts_with('=') {
            armor_crc = Some(&line[1..]);
        } else {
            base64_text.push_str(line);
        }
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let Ok(der) = engine.decode(base64_text.as_bytes()) else {
        return false;
    };
    if der.is_empty() {
        return false;
    }
    if let Some(crc) = armor_crc {
        let value = crc24(&der).to_be_bytes();
        return engine.encode(&value[1..]) == crc;
    }
    encrypted && der.len() % 8 == 0
        || der.starts_with(b"openssh-key-v1\0")
        || der.starts_with(&[0x3f, 0x6f, 0xf9, 0xeb])
        || der_sequence_fills(&der)
}

/// True if `der` is exactly one DER SEQUENCE: tag 0x30 and a length that covers the rest.
fn der_sequence_fills(der: &[u8]) -> bool {
    let (Some(&0x30), Some(&first)) = (der.first(), der.get(1)) else {
        return false;
    };
    let (len, header) = match first {
        0..=0x7f => (usize::from(first), 2),
        0x81..=0x84 => {
            let count = usize::from(first & 0x7f);
            let Some(bytes) = der.get(2..2 + count) else {
                return false;
            };
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| acc << 8 | usize::from(b));
            (len, 2 + count)
        }
        _ => return false,
    };
    header + len == der.len()
}

/// The CRC-24 of OpenPGP ASCII armor (RFC 4880, section 6.1).
fn crc24(data: &[u8]) -> u32 {
    let mut crc: u32 = 0x00b7_04ce;
    for &byte in data {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4cfb;
            }
        }
    }
    crc & 0x00ff_ffff
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

    /// A PyPI token for `location`: header, one caveat, the end of caveats, a signature.
    fn pypi_token(location: &str, signature_len: u8) -> String {
        let identifier = br#"{"nonce":"5f0c","version":1}"#;
        let caveat = br#"{"permissions":"user","version":1}"#;
        let mut mac = vec![2, 1, location.len() as u8];
        mac.extend_from_slice(location.as_bytes());
        mac.extend_from_slice(&[2, identifier.len() as u8]);
        mac.extend_from_slice(identifier);
        mac.extend_from_slice(&[0, 2, caveat.len() as u8]);
        mac.extend_from_slice(caveat);
        mac.extend_from_slice(&[0, 0, 6, signature_len]);
        mac.extend((0..signature_len).map(|i| i.wrapping_mul(37)));
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac);
        format!("pypi-{body}")
    }

    #[test]
    fn pypi_tokens_must_be_macaroons_for_pypi() {
        assert!(Checksum::PyPi.validates(pypi_token("pypi.org", 32).as_bytes()));
        assert!(Checksum::PyPi.validates(pypi_token("test.pypi.org", 32).as_bytes()));
        let bad = [
            pypi_token("pypi.org", 31),
            pypi_token("evil.org", 32),
            format!("{}AA", pypi_token("pypi.org", 32)),
            "pypi-AgEIcHlwaS5vcmc".to_string(),
            "pypi-!!!!".to_string(),
            "AgEIcHlwaS5vcmc".to_string(),
        ];
        for token in bad {
            assert!(!Checksum::PyPi.validates(token.as_bytes()), "{token}");
        }
    }

    #[test]
    fn varints_are_little_endian_base_128() {
        assert_eq!(varint(&[0x05, 0xff]), Some((5, &[0xff][..])));
        assert_eq!(varint(&[0xac, 0x02]), Some((300, &[][..])));
        assert_eq!(varint(&[0x80]), None);
        assert_eq!(varint(&[]), None);
    }

    #[test]
    fn discord_tokens_start_with_a_base64_snowflake() {
        let enc = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let good = format!("{}.GhJk2a.{}", enc("1187654321098765432"), "s".repeat(38));
        assert!(Checksum::Discord.validates(good.as_bytes()));
        let padded = format!(
            "{}.GhJk2a.x",
            base64::engine::general_purpose::STANDARD.encode("118765432109876543")
        );
        assert!(Checksum::Discord.validates(padded.as_bytes()));
        let letters = format!("{}.GhJk2a.x", enc("abcdefghijklmnopqr"));
        assert!(!Checksum::Discord.validates(letters.as_bytes()));
        let short = format!("{}.GhJk2a.x", enc("1234"));
        assert!(!Checksum::Discord.validates(short.as_bytes()));
        assert!(!Checksum::Discord.validates(b"M!!!.x.y"));
    }

    #[test]
    fn pem_bodies_must_decode_to_a_key_structure() {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let mut der = vec![0x30, 0x82, 0x01, 0x00];
        der.extend((0..256u32).map(|i| (i * 7) as u8));
        let wrapped = |text: &str| {
            text.as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let good = format!("\n{}\n", wrapped(&b64(&der)));
        assert!(Checksum::Pem.validates(good.as_bytes()));
        let escaped = good.replace('\n', "\\n");
        assert!(Checksum::Pem.validates(escaped.as_bytes()));
        let openssh = format!("\n{}\n", b64(b"openssh-key-v1\0\0\0\0\x04none"));
        assert!(Checksum::Pem.validates(openssh.as_bytes()));
        let encrypted = format!(
            "\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n{}\n",
            b64(&[7u8; 48])
        );
        assert!(Checksum::Pem.validates(encrypted.as_bytes()));
        let crc = crc24(&der).to_be_bytes();
        let armor = format!(
            "\nVersion: x\n\n{}\n={}\n",
            wrapped(&b64(&der)),
            b64(&crc[1..])
        );
        assert!(Checksum::Pem.validates(armor.as_bytes()));

        let mut short = der.clone();
        short.pop();
        let bad_crc = armor.replace(&format!("={}", b64(&crc[1..])), "=AAAA");
        let bad = [
            format!("\n{}\n", b64(&short)),
            format!("\n{}\n", b64(&[0x42u8; 64])),
            bad_crc,
            "\n!!!!\n".to_string(),
            String::new(),
        ];
        for body in bad {
            assert!(!Checksum::Pem.validates(body.as_bytes()), "{body:?}");
        }
    }

    #[test]
    fn crc24_matches_the_rfc_4880_reference() {
        // The CRC of no data is the initial value; of "123456789" it is the catalogued check.
        assert_eq!(crc24(b""), 0x00b7_04ce);
        assert_eq!(crc24(b"123456789"), 0x0021_cf02);
    }
}
