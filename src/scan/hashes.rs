//! Structural validation of password hashes: the alphabet, segment lengths and cost
//! parameters each scheme defines, which a regex can only approximate.
//!
//! A hash is not the password, but it can be cracked offline, and some (NTLM, MySQL native,
//! PostgreSQL md5) authenticate as they stand. The checks here tell a real hash from text that
//! merely starts like one (`$2b$` in a format string, `{SHA}` in prose): a hash that fails
//! them is not reported.

use base64::Engine;

/// The crypt(3) alphabet (also bcrypt's, in another order).
fn is_crypt64(s: &[u8]) -> bool {
    s.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
}

fn is_hex(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_hexdigit)
}

fn number(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 12 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// Standard base64, padding optional; passlib's variant writes `.` for `+`.
fn b64_len(s: &[u8]) -> Option<usize> {
    let standard: Vec<u8> = s
        .iter()
        .map(|&b| if b == b'.' { b'+' } else { b })
        .filter(|&b| b != b'=')
        .collect();
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    engine.decode(standard).ok().map(|d| d.len())
}

/// True if `hash` is a structurally valid password hash of a known scheme.
pub(crate) fn valid(hash: &[u8]) -> bool {
    let fields: Vec<&[u8]> = hash.split(|&b| b == b'$').collect();
    if let Some(rest) = hash.strip_prefix(b"{") {
        return ldap(rest);
    }
    if hash.starts_with(b"pbkdf2:") || hash.starts_with(b"scrypt:") {
        return werkzeug(&fields);
    }
    if hash.starts_with(b"pbkdf2_sha") {
        return django(&fields);
    }
    if hash.starts_with(b"SCRAM-SHA-256$") {
        return scram(&fields);
    }
    if fields.first() != Some(&&b""[..]) || fields.len() < 3 {
        return false;
    }
    let scheme = fields[1];
    let rest = &fields[2..];
    match scheme {
        b"1" | b"apr1" => sha_crypt(rest, 8, 22),
        b"5" => sha_crypt(rest, 16, 43),
        b"6" => sha_crypt(rest, 16, 86),
        b"2a" | b"2b" | b"2y" | b"2x" => bcrypt(rest),
        b"y" => yescrypt(rest),
        b"7" => scrypt_crypt(rest),
        b"8" | b"9" => cisco(rest),
        b"argon2id" | b"argon2i" | b"argon2d" => argon2(rest),
        b"scrypt" => passlib_scrypt(rest),
        _ => scheme
            .strip_prefix(b"pbkdf2")
            .is_some_and(|digest| passlib_pbkdf2(digest, rest)),
    }
}

/// `[rounds=N$]salt$hash`: MD5-crypt (salt ≤ 8, 22), SHA-256-crypt (≤ 16, 43), SHA-512 (86).
fn sha_crypt(rest: &[&[u8]], max_salt: usize, hash_len: usize) -> bool {
    let rest = match rest.first().and_then(|f| f.strip_prefix(b"rounds=")) {
        Some(rounds) if max_salt == 16 => match number(rounds) {
            Some(n) if (1000..=999_999_999).contains(&n) => &rest[1..],
            _ => return false,
        },
        _ => rest,
    };
    let [salt, hash] = rest else { return false };
    (1..=max_salt).contains(&salt.len())
        && is_crypt64(salt)
        && hash.len() == hash_len
        && is_crypt64(hash)
}

/// `NN$` cost 04-31, then 22 salt and 31 hash characters; the salt's last character
/// carries only 4 bits, so it is one of `.Oeu`.
fn bcrypt(rest: &[&[u8]]) -> bool {
    let [cost, body] = rest else { return false };
    let cost_ok = cost.len() == 2 && number(cost).is_some_and(|c| (4..=31).contains(&c));
    cost_ok && body.len() == 53 && is_crypt64(body) && b".Oeu".contains(&body[21])
}

/// yescrypt: `params$salt$hash`, the hash 43 characters.
fn yescrypt(rest: &[&[u8]]) -> bool {
    let [params, salt, hash] = rest else {
        return false;
    };
    (1..=16).contains(&params.len())
        && is_crypt64(params)
        && (1..=86).contains(&salt.len())
        && is_crypt64(salt)
        && hash.len() == 43
        && is_crypt64(hash)
}

/// scrypt in crypt(3): 11 characters of parameters (N, r, p) then the salt, `$`, 43 hash.
fn scrypt_crypt(rest: &[&[u8]]) -> bool {
    let [params_salt, hash] = rest else {
        return false;
    };
    params_salt.len() > 11 && is_crypt64(params_salt) && hash.len() == 43 && is_crypt64(hash)
}

/// Cisco IOS type 8 (PBKDF2) and 9 (scrypt): a 14-character salt and a 43-character hash.
fn cisco(rest: &[&[u8]]) -> bool {
    let [salt, hash] = rest else { return false };
    salt.len() == 14 && is_crypt64(salt) && hash.len() == 43 && is_crypt64(hash)
}

/// `[v=19$]m=..,t=..,p=..$salt$hash`, salt at least 8 bytes and hash at least 16.
fn argon2(rest: &[&[u8]]) -> bool {
    let rest = match rest.first() {
        Some(v) if v.starts_with(b"v=") => {
            if number(&v[2..]).is_none() {
                return false;
            }
            &rest[1..]
        }
        _ => rest,
    };
    let [params, salt, hash] = rest else {
        return false;
    };
    let keys: Vec<&[u8]> = params
        .split(|&b| b == b',')
        .map(|kv| kv.split(|&b| b == b'=').next().unwrap_or_default())
        .collect();
    let params_ok = params.split(|&b| b == b',').all(|kv| {
        kv.iter().position(|&b| b == b'=').is_some_and(|at| {
            number(&kv[at + 1..]).is_some() || kv[..at] == *b"data" || kv[..at] == *b"keyid"
        })
    });
    params_ok
        && keys.contains(&&b"m"[..])
        && keys.contains(&&b"t"[..])
        && b64_len(salt).is_some_and(|n| n >= 8)
        && b64_len(hash).is_some_and(|n| n >= 16)
}

/// passlib `$scrypt$ln=..,r=..,p=..$salt$hash`.
fn passlib_scrypt(rest: &[&[u8]]) -> bool {
    let [params, salt, hash] = rest else {
        return false;
    };
    params.starts_with(b"ln=")
        && b64_len(salt).is_some_and(|n| n >= 8)
        && b64_len(hash).is_some_and(|n| n >= 16)
}

/// Digest output length in bytes, by the name passlib, Django and Werkzeug use.
fn digest_len(name: &[u8]) -> Option<usize> {
    match name {
        b"" | b"sha1" | b"-sha1" | b"_sha1" => Some(20),
        b"sha256" | b"-sha256" | b"_sha256" => Some(32),
        b"sha512" | b"-sha512" | b"_sha512" => Some(64),
        _ => None,
    }
}

/// passlib `$pbkdf2[-sha256]$rounds$salt$hash`, salt and hash in its base64 variant.
fn passlib_pbkdf2(digest: &[u8], rest: &[&[u8]]) -> bool {
    let [rounds, salt, hash] = rest else {
        return false;
    };
    number(rounds).is_some_and(|n| n >= 1000)
        && b64_len(salt).is_some_and(|n| n >= 4)
        && digest_len(digest).is_some_and(|want| b64_len(hash) == Some(want))
}

/// Django `pbkdf2_sha256$iterations$salt$hash`, the hash standard base64 with padding.
fn django(fields: &[&[u8]]) -> bool {
    let [algorithm, iterations, salt, hash] = fields else {
        return false;
    };
    let digest = algorithm.strip_prefix(b"pbkdf2").unwrap_or_default();
    number(iterations).is_some_and(|n| n >= 1000)
        && !salt.is_empty()
        && salt.iter().all(u8::is_ascii_alphanumeric)
        && hash.ends_with(b"=")
        && digest_len(digest).is_some_and(|want| b64_len(hash) == Some(want))
}

/// Werkzeug `pbkdf2:sha256:600000$salt$hex` and `scrypt:32768:8:1$salt$hex`.
fn werkzeug(fields: &[&[u8]]) -> bool {
    let [method, salt, hash] = fields else {
        return false;
    };
    let parts: Vec<&[u8]> = method.split(|&b| b == b':').collect();
    let method_ok = match parts.as_slice() {
        [b"pbkdf2", digest] => digest_len(digest).is_some_and(|n| hash.len() == 2 * n),
        [b"pbkdf2", digest, iterations] => {
            number(iterations).is_some() && digest_len(digest).is_some_and(|n| hash.len() == 2 * n)
        }
        [b"scrypt", n, r, p] => [n, r, p].iter().all(|v| number(v).is_some()) && hash.len() == 128,
        _ => false,
    };
    method_ok && !salt.is_empty() && salt.iter().all(u8::is_ascii_alphanumeric) && is_hex(hash)
}

/// PostgreSQL `SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey`, both keys 32 bytes.
fn scram(fields: &[&[u8]]) -> bool {
    let [_, iterations_salt, keys] = fields else {
        return false;
    };
    let split = |s: &[u8]| -> Option<(Vec<u8>, Vec<u8>)> {
        let at = s.iter().position(|&b| b == b':')?;
        Some((s[..at].to_vec(), s[at + 1..].to_vec()))
    };
    let (Some((iterations, salt)), Some((stored, server))) = (split(iterations_salt), split(keys))
    else {
        return false;
    };
    number(&iterations).is_some()
        && b64_len(&salt).is_some_and(|n| n >= 8)
        && b64_len(&stored) == Some(32)
        && b64_len(&server) == Some(32)
}

/// `{SHA}`, `{SSHA}`, `{SHA256}`, `{SSHA256}`, `{SHA512}`, `{SSHA512}`, `{MD5}`, `{SMD5}`:
/// the base64 decodes to the digest, followed by at least 4 bytes of salt for the salted ones.
fn ldap(rest: &[u8]) -> bool {
    let Some(close) = rest.iter().position(|&b| b == b'}') else {
        return false;
    };
    let (scheme, body) = (&rest[..close], &rest[close + 1..]);
    if body.contains(&b'.') {
        return false;
    }
    let (salted, digest) = match scheme.to_ascii_uppercase().as_slice() {
        b"SHA" => (false, 20),
        b"SSHA" => (true, 20),
        b"SHA256" => (false, 32),
        b"SSHA256" => (true, 32),
        b"SHA512" => (false, 64),
        b"SSHA512" => (true, 64),
        b"MD5" => (false, 16),
        b"SMD5" => (true, 16),
        b"CRYPT" => return valid(body),
        _ => return false,
    };
    match b64_len(body) {
        Some(n) if salted => n >= digest + 4 && n <= digest + 64,
        Some(n) => n == digest,
        None => false,
    }
}

#[cfg(test)]
mod tests;
