//! Tests of the offline validators, with tokens built at run time.

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

/// An Atlassian-style token: prefix, random base64url text, `=`, CRC32 in upper-case hex.
fn atlassian_token(prefix: &str, seed: u32) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut state = seed.max(1);
    let body: String = (0..171)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            char::from(ALPHABET[(state % 64) as usize])
        })
        .collect();
    let text = format!("{prefix}{body}=");
    format!("{text}{:08X}", crc32fast::hash(text.as_bytes()))
}

#[test]
fn atlassian_crc32_tail_accepts_valid_and_rejects_altered_tokens() {
    for (prefix, seed) in [
        ("ATATT3xFfGF0", 7),
        ("ATCTT3xFfGN0", 11),
        ("ATATT3xFfGF0", 99),
    ] {
        let good = atlassian_token(prefix, seed);
        assert_eq!(good.len(), 192);
        assert!(Checksum::Atlassian.validates(good.as_bytes()), "{good}");
        let mut altered = good.clone().into_bytes();
        altered[40] = if altered[40] == b'a' { b'b' } else { b'a' };
        assert!(!Checksum::Atlassian.validates(&altered));
        let lower_tail = format!("{}{}", &good[..184], good[184..].to_ascii_lowercase());
        let all_digits = good[184..].bytes().all(|b| b.is_ascii_digit());
        assert_eq!(
            Checksum::Atlassian.validates(lower_tail.as_bytes()),
            all_digits
        );
    }
    assert!(!Checksum::Atlassian.validates(b"ABCDEF12"));
    assert!(!Checksum::Atlassian.validates(b"short"));
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

/// A key body as source code holds it: every way below must give the plain body's digest,
/// so a key published in a test's comment or string literal is recognised by the list that
/// `benches/public-keys.sh` builds. See: issue 18, item 4.
#[test]
fn pem_digest_ignores_how_source_code_holds_the_body() {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut der = vec![0x30, 0x82, 0x01, 0x00];
    der.extend((0..256u32).map(|i| (i * 13 + 5) as u8));
    let text = b64(&der);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let plain = format!("\n{}\n", lines.join("\n"));
    let want = pem_digest(plain.as_bytes()).expect("the plain body decodes");
    let held = |each: &dyn Fn(&str) -> String| {
        let body: Vec<String> = lines.iter().map(|l| each(l)).collect();
        format!("\n{}\n", body.join("\n"))
    };
    let ways: Vec<(&str, String)> = vec![
        ("line comments", held(&|l| format!("// {l}"))),
        ("doc comments", held(&|l| format!("/// {l}"))),
        ("hash comments", held(&|l| format!("# {l}"))),
        ("block comment", held(&|l| format!(" * {l}"))),
        ("concatenation", held(&|l| format!("\"{l}\\n\" +"))),
        ("python bytes", held(&|l| format!("    b'{l}\\n'"))),
        ("array items", held(&|l| format!("  \"{l}\","))),
        ("double escapes", format!("\\\\n{}", lines.join("\\\\n"))),
    ];
    for (how, body) in ways {
        assert_eq!(pem_digest(body.as_bytes()), Some(want), "{how}: {body}");
        assert!(pem_holds_key(body.as_bytes()), "{how}: {body}");
    }
    // As a match, a body behind comment markers is not a key as written: the layers find
    // it, cleaned, so the finding holds the key and not the markers.
    assert!(!Checksum::Pem.validates(held(&|l| format!("// {l}")).as_bytes()));
    assert!(Checksum::Pem.validates(plain.as_bytes()));
    // A different key held the same way is a different key.
    assert!(text.contains('A'));
    let other = held(&|l| format!("// {}", l.replace('A', "B")));
    assert_ne!(pem_digest(other.as_bytes()), Some(want));
}

#[test]
fn base58_decodes_known_values() {
    assert_eq!(base58_decode(b"").unwrap(), Vec::<u8>::new());
    assert_eq!(base58_decode(b"1").unwrap(), vec![0]);
    assert_eq!(base58_decode(b"2").unwrap(), vec![1]);
    assert_eq!(base58_decode(b"z").unwrap(), vec![57]);
    assert_eq!(base58_decode(b"21").unwrap(), vec![58]);
    assert_eq!(base58_decode(b"5R").unwrap(), vec![1, 0]);
    assert_eq!(base58_decode(b"Cn8eVZg").unwrap(), b"hello".to_vec());
    assert_eq!(base58_decode(b"0OIl"), None);
}

#[test]
fn base58check_validates_the_double_sha256_tail() {
    let mut key = vec![0x80];
    key.extend((0..32u8).map(|i| i.wrapping_mul(29).wrapping_add(7)));
    let wif = base58check_encode(&key);
    assert!(Checksum::Base58Check.validates(wif.as_bytes()), "{wif}");
    let mut compressed = key.clone();
    compressed.push(1);
    let wif = base58check_encode(&compressed);
    assert!(Checksum::Base58Check.validates(wif.as_bytes()), "{wif}");
    let mut altered = wif.into_bytes();
    let last = altered.len() - 1;
    altered[last] = if altered[last] == b'2' { b'3' } else { b'2' };
    assert!(!Checksum::Base58Check.validates(&altered));
    for bad in [&b"1111"[..], b"", b"0OIl0OIl", b"xprv"] {
        assert!(!Checksum::Base58Check.validates(bad), "{bad:?}");
    }
    // A Bitcoin address is Base58Check too: version 0 keeps its leading `1`.
    let address = base58check_encode(&[0u8; 21]);
    assert!(address.starts_with("11"));
    assert!(Checksum::Base58Check.validates(address.as_bytes()));
}

#[test]
fn crc24_matches_the_rfc_4880_reference() {
    // The CRC of no data is the initial value; of "123456789" it is the catalogued check.
    assert_eq!(crc24(b""), 0x00b7_04ce);
    assert_eq!(crc24(b"123456789"), 0x0021_cf02);
}
