//! Tests of the password-hash validators, with hashes built at run time from a fixed seed.

use base64::Engine;

use super::valid;

const CRYPT64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn crypt(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(CRYPT64[(self.next() % 64) as usize]))
            .collect()
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
    fn b64(&mut self, len: usize) -> String {
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(self.bytes(len))
    }
    fn hex(&mut self, len: usize) -> String {
        self.bytes(len).iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[test]
fn well_formed_hashes_of_every_scheme_are_valid() {
    let mut r = Rng(0x5eed);
    let std = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let cases = vec![
        format!("$1${}${}", r.crypt(8), r.crypt(22)),
        format!("$apr1${}${}", r.crypt(8), r.crypt(22)),
        format!("$5${}${}", r.crypt(16), r.crypt(43)),
        format!("$6$rounds=5000${}${}", r.crypt(16), r.crypt(86)),
        format!("$2b$12${}O{}", r.crypt(21), r.crypt(31)),
        format!("$2y$04${}e{}", r.crypt(21), r.crypt(31)),
        format!("$y$j9T${}${}", r.crypt(22), r.crypt(43)),
        format!("$7$CU..../....{}${}", r.crypt(16), r.crypt(43)),
        format!("$8${}${}", r.crypt(14), r.crypt(43)),
        format!("$9${}${}", r.crypt(14), r.crypt(43)),
        format!("$argon2id$v=19$m=65536,t=3,p=4${}${}", r.b64(16), r.b64(32)),
        format!("$argon2i$m=4096,t=3,p=1${}${}", r.b64(16), r.b64(32)),
        format!("$scrypt$ln=16,r=8,p=1${}${}", r.b64(16), r.b64(32)),
        format!("$pbkdf2-sha256$29000${}${}", r.b64(16), r.b64(32)),
        format!("$pbkdf2$131000${}${}", r.b64(16), r.b64(20)),
        format!(
            "pbkdf2_sha256$870000${}${}",
            r.crypt(22).replace(['.', '/'], "x"),
            std(&r.bytes(32))
        ),
        format!(
            "pbkdf2:sha256:600000${}${}",
            r.crypt(16).replace(['.', '/'], "q"),
            r.hex(32)
        ),
        format!(
            "scrypt:32768:8:1${}${}",
            r.crypt(16).replace(['.', '/'], "q"),
            r.hex(64)
        ),
        format!(
            "SCRAM-SHA-256$4096:{}${}:{}",
            std(&r.bytes(16)),
            std(&r.bytes(32)),
            std(&r.bytes(32))
        ),
        format!("{{SSHA}}{}", std(&r.bytes(28))),
        format!("{{SHA}}{}", std(&r.bytes(20))),
        format!("{{SSHA512}}{}", std(&r.bytes(72))),
    ];
    for hash in cases {
        assert!(valid(hash.as_bytes()), "{hash}");
    }
}

#[test]
fn near_misses_are_not_valid() {
    let mut r = Rng(0xbad);
    let std = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let cases = vec![
        // bcrypt: cost out of range, a salt whose last character carries more than 4 bits,
        // one character short.
        format!("$2b$03${}O{}", r.crypt(21), r.crypt(31)),
        format!("$2b$32${}O{}", r.crypt(21), r.crypt(31)),
        format!("$2b$10${}A{}", r.crypt(21), r.crypt(31)),
        format!("$2b$10${}O{}", r.crypt(21), r.crypt(30)),
        format!("$6${}${}", r.crypt(16), r.crypt(85)),
        format!("$6$rounds=99${}${}", r.crypt(16), r.crypt(86)),
        format!("$1${}${}", r.crypt(9), r.crypt(22)),
        format!("$argon2id$v=19$m=65536,t=3,p=4${}${}", r.b64(4), r.b64(32)),
        format!("$argon2id$v=19$p=4${}${}", r.b64(16), r.b64(32)),
        format!("$pbkdf2-sha256$29000${}${}", r.b64(16), r.b64(20)),
        format!("pbkdf2_sha256$870000$salt${}", std(&r.bytes(31))),
        format!("pbkdf2:sha256:600000$salt${}", r.hex(31)),
        format!("{{SHA}}{}", std(&r.bytes(21))),
        format!("{{SSHA}}{}", std(&r.bytes(20))),
        "$2b$%d$%s".to_string(),
        "$6$salt$hash".to_string(),
        "{SHA}".to_string(),
    ];
    for hash in cases {
        assert!(!valid(hash.as_bytes()), "{hash}");
    }
}
