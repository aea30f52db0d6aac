//! Offline format validators: checksums and structure checks that vendors build into tokens.
//!
//! A candidate that fails a checksum is not a credential (a made-up or mistyped value) and is
//! not reported unless asked for; one whose structure only says it cannot be used as it
//! stands (an expired JWT, a key block whose body does not parse) is reported low. Nothing
//! here touches the network.

mod pem;

use base64::Engine;

#[cfg(test)]
use pem::crc24;
use pem::pem_ok;
pub(crate) use pem::{pem_digest, pem_holds_key};

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
    /// Base58Check (Bitcoin WIF keys, BIP32 extended keys): the last 4 decoded bytes are the
    /// first 4 bytes of SHA-256(SHA-256(the bytes before them)).
    Base58Check,
    /// A BIP39 seed phrase: English words whose last bits are a SHA-256 checksum of the rest.
    Bip39,
    /// Atlassian API and Bitbucket access tokens (`ATATT3…`, `ATCTT3…`): the last 8 characters
    /// are the CRC32 of everything before them, in upper-case hex.
    Atlassian,
    /// A password hash in one of the encodings of `scan::hashes`: alphabet, segment lengths
    /// and cost parameters of its scheme.
    PasswordHash,
    /// An Azure shared access signature: the signature alone cannot be checked offline, but
    /// the query it sits in carries its expiry, weighed as evidence (see `sas`).
    AzureSas,
}

/// What a validator says about a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// The format holds: the rule's confidence stands.
    Valid,
    /// The right shape, but not usable as it stands (expired, unsigned, a body that does not
    /// parse): reported low.
    Weak,
    /// Not this format at all (a checksum or structure that fails): not a credential.
    Invalid,
}

impl Checksum {
    /// Every validator name a rule may use, for error messages.
    pub const NAMES: &'static str =
        "github, npm, jwt, pypi, discord, pem, base58check, bip39, atlassian, password-hash, azure-sas";

    /// Looks a validator up by the name used in rules files.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "github" => Some(Checksum::GitHub),
            "npm" => Some(Checksum::Npm),
            "jwt" => Some(Checksum::Jwt),
            "pypi" => Some(Checksum::PyPi),
            "discord" => Some(Checksum::Discord),
            "pem" => Some(Checksum::Pem),
            "base58check" => Some(Checksum::Base58Check),
            "bip39" => Some(Checksum::Bip39),
            "atlassian" => Some(Checksum::Atlassian),
            "password-hash" => Some(Checksum::PasswordHash),
            "azure-sas" => Some(Checksum::AzureSas),
            _ => None,
        }
    }

    /// True for a checksum proper, one a made-up value passes about once in 2^32 or less:
    /// a token that passes it was issued by its vendor, wherever it is written.
    pub fn is_checksum(self) -> bool {
        matches!(
            self,
            Checksum::GitHub
                | Checksum::Npm
                | Checksum::PyPi
                | Checksum::Base58Check
                | Checksum::Atlassian
        )
    }

    /// Judges `secret` at `now` (seconds since the Unix epoch, for expiry claims).
    pub fn judge(self, secret: &[u8], now: i64) -> Validity {
        match self {
            Checksum::Jwt => match super::jwt::judge(secret, now) {
                super::jwt::Jwt::Live => Validity::Valid,
                super::jwt::Jwt::Inert => Validity::Weak,
                super::jwt::Jwt::Malformed => Validity::Invalid,
            },
            // A damaged key block still leaks key material; it is reported, low.
            Checksum::Pem if !pem_ok(secret) => Validity::Weak,
            _ if self.validates(secret) => Validity::Valid,
            _ => Validity::Invalid,
        }
    }

    /// True if `secret` has the structure its format requires.
    pub fn validates(self, secret: &[u8]) -> bool {
        match self {
            Checksum::GitHub | Checksum::Npm => crc32_tail_ok(secret),
            Checksum::Jwt => super::jwt::judge(secret, i64::MIN) != super::jwt::Jwt::Malformed,
            Checksum::PasswordHash => super::hashes::valid(secret),
            Checksum::PyPi => pypi_ok(secret),
            Checksum::Discord => discord_ok(secret),
            Checksum::Pem => pem_ok(secret),
            Checksum::Base58Check => base58check_ok(secret),
            Checksum::Bip39 => super::bip39::mnemonic_ok(secret),
            Checksum::Atlassian => crc32_hex_tail_ok(secret),
            Checksum::AzureSas => true,
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

/// `<text><8 upper-case hex digits of the CRC32 of text>`.
fn crc32_hex_tail_ok(secret: &[u8]) -> bool {
    let Some(split) = secret.len().checked_sub(8) else {
        return false;
    };
    let (text, tail) = secret.split_at(split);
    !text.is_empty() && format!("{:08X}", crc32fast::hash(text)).as_bytes() == tail
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

/// Decodes Bitcoin's base58 (leading `1`s are leading zero bytes); `None` on a character
/// outside the alphabet.
pub(crate) fn base58_decode(text: &[u8]) -> Option<Vec<u8>> {
    bs58::decode(text).into_vec().ok()
}

/// Encodes `payload` and the first 4 bytes of its double SHA-256 in base58: Bitcoin's
/// Base58Check, the inverse of what `Checksum::Base58Check` validates. The scanner never
/// encodes; tests use it to generate well-formed keys instead of committing real-looking ones.
pub fn base58check_encode(payload: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut data = payload.to_vec();
    data.extend_from_slice(&Sha256::digest(Sha256::digest(payload))[..4]);
    bs58::encode(data).into_string()
}

/// Base58 text whose decoded bytes end with the double-SHA-256 checksum of the rest.
fn base58check_ok(secret: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let Some(bytes) = base58_decode(secret) else {
        return false;
    };
    if bytes.len() < 5 {
        return false;
    }
    let (payload, check) = bytes.split_at(bytes.len() - 4);
    Sha256::digest(Sha256::digest(payload))[..4] == *check
}

#[cfg(test)]
mod tests;
