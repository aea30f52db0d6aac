//! Fresh, format-valid secrets in the shapes real leaks take, made at test time.
//!
//! Each run draws new values from a seed printed on failure, so a failure reproduces with
//! `LEAKWARD_SHAPES_SEED=<seed>`. Nothing here is a real credential, and no value is written
//! into a source file: the repository stays clean for its own scanner.

use base64::Engine;
use leakward::internals::base62_crc32;

pub const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const CRYPT64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub const HEX: &[u8] = b"0123456789abcdef";
pub const DIGITS: &[u8] = b"0123456789";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BECH32: &[u8] = b"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

/// Words people build weak passwords from; none is a placeholder word.
const WORDS: &[&str] = &[
    "Falcon", "Harbor", "Maple", "Orchid", "Tundra", "Copper", "Willow", "Summit", "Breeze",
    "Cobalt", "Saffron", "Juniper", "Walrus", "Quartz", "Lantern", "Meadow",
];

/// xorshift64*: small, seedable, good enough to draw characters.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from `LEAKWARD_SHAPES_SEED`, or from the clock.
    pub fn from_env() -> (Rng, u64) {
        let seed = std::env::var("LEAKWARD_SHAPES_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        (Rng(seed.max(1)), seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(alphabet[self.below(alphabet.len())]))
            .collect()
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// A weak human password (`Harbor2024!`) or a short random one: what credential syntax
    /// must catch whatever its entropy. Safe inside a URI's userinfo.
    pub fn password(&mut self) -> String {
        loop {
            let value = if self.below(2) == 0 {
                let word = WORDS[self.below(WORDS.len())];
                let len = 2 + self.below(3);
                let digits = self.string(DIGITS, len);
                let symbol = ["!", "-", "_", ".", "~", ""][self.below(6)];
                format!("{word}{digits}{symbol}")
            } else {
                let len = 9 + self.below(6);
                self.string(BASE62, len)
            };
            // Steer clear of the placeholder filter's monotonous runs and example words.
            let lower = value.to_ascii_lowercase();
            if !["test", "xxx", "here", "fake"]
                .iter()
                .any(|w| lower.contains(w))
            {
                return value;
            }
        }
    }

    /// A host that is neither loopback nor a documentation domain.
    pub fn host(&mut self) -> String {
        let word = WORDS[self.below(WORDS.len())].to_ascii_lowercase();
        format!(
            "{word}-{}.corp-{}.net",
            self.below(90) + 10,
            self.string(HEX, 4)
        )
    }

    /// A user name.
    pub fn user(&mut self) -> String {
        format!("svc_{}", self.string(LOWER_DIGITS, 5))
    }

    /// `ghp_` + 30 base62 + their CRC32 in 6 base62 digits.
    pub fn github_token(&mut self) -> String {
        let payload = self.string(BASE62, 30);
        let tail = base62_crc32(crc32fast::hash(payload.as_bytes()));
        format!("ghp_{payload}{}", std::str::from_utf8(&tail).unwrap())
    }

    /// `npm_` + the same CRC32 scheme.
    pub fn npm_token(&mut self) -> String {
        let payload = self.string(BASE62, 30);
        let tail = base62_crc32(crc32fast::hash(payload.as_bytes()));
        format!("npm_{payload}{}", std::str::from_utf8(&tail).unwrap())
    }

    /// A Telegram bot token: bot id, `:AA`, 33 base64url characters.
    pub fn telegram_token(&mut self) -> String {
        let id = format!("{}{}", 1 + self.below(9), self.string(DIGITS, 9));
        format!("{id}:AA{}", self.string(BASE64URL, 33))
    }

    /// A Discord bot token whose first segment is a numeric snowflake in base64.
    pub fn discord_token(&mut self) -> String {
        let id = format!("1{}", self.string(DIGITS, 18));
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.{}",
            engine.encode(id.as_bytes()),
            self.string(BASE64URL, 6),
            self.string(BASE62, 38)
        )
    }

    /// A Vault service token.
    pub fn vault_token(&mut self) -> String {
        format!("hvs.{}", self.string(BASE62, 95))
    }

    /// An age secret key (bech32 body).
    pub fn age_key(&mut self) -> String {
        format!("AGE-SECRET-KEY-1{}", self.string(BECH32, 58))
    }

    /// A Slack bot token.
    pub fn slack_bot_token(&mut self) -> String {
        format!(
            "xoxb-{}-{}-{}",
            self.string(DIGITS, 12),
            self.string(DIGITS, 13),
            self.string(BASE62, 24)
        )
    }

    /// A NuGet API key.
    pub fn nuget_key(&mut self) -> String {
        format!("oy2{}", self.string(LOWER_DIGITS, 43))
    }

    /// A JWT with a signature of the length its algorithm produces, expiring at `exp`.
    pub fn jwt(&mut self, alg: &str, exp: u64) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = engine.encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        let claims = engine.encode(format!(
            r#"{{"sub":"{}","exp":{exp}}}"#,
            self.string(DIGITS, 8)
        ));
        let len = match alg {
            "HS256" => 32,
            "none" => 0,
            _ => 256,
        };
        format!("{header}.{claims}.{}", engine.encode(self.bytes(len)))
    }

    /// bcrypt with cost 10-13: 22 salt characters (the last one of `.Oeu`) and 31 of hash.
    pub fn bcrypt(&mut self) -> String {
        let salt_end = [".", "O", "e", "u"][self.below(4)];
        format!(
            "$2{}${}${}{salt_end}{}",
            ["a", "b", "y"][self.below(3)],
            10 + self.below(4),
            self.string(CRYPT64, 21),
            self.string(CRYPT64, 31)
        )
    }

    pub fn sha512_crypt(&mut self) -> String {
        format!(
            "$6${}${}",
            self.string(CRYPT64, 16),
            self.string(CRYPT64, 86)
        )
    }

    pub fn md5_crypt(&mut self, scheme: &str) -> String {
        format!(
            "${scheme}${}${}",
            self.string(CRYPT64, 8),
            self.string(CRYPT64, 22)
        )
    }

    pub fn yescrypt(&mut self) -> String {
        format!(
            "$y$j9T${}${}",
            self.string(CRYPT64, 22),
            self.string(CRYPT64, 43)
        )
    }

    pub fn argon2(&mut self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
        format!(
            "$argon2id$v=19$m=65536,t=3,p=4${}${}",
            b64.encode(self.bytes(16)),
            b64.encode(self.bytes(32))
        )
    }

    pub fn django_pbkdf2(&mut self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        format!(
            "pbkdf2_sha256$870000${}${}",
            self.string(BASE62, 22),
            b64.encode(self.bytes(32))
        )
    }

    pub fn werkzeug_pbkdf2(&mut self) -> String {
        format!(
            "pbkdf2:sha256:600000${}${}",
            self.string(BASE62, 16),
            self.string(HEX, 64)
        )
    }

    pub fn ldap_ssha(&mut self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        format!("{{SSHA}}{}", b64.encode(self.bytes(28)))
    }

    pub fn scram(&mut self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        format!(
            "SCRAM-SHA-256$4096:{}${}:{}",
            b64.encode(self.bytes(16)),
            b64.encode(self.bytes(32)),
            b64.encode(self.bytes(32))
        )
    }

    pub fn cisco9(&mut self) -> String {
        format!(
            "$9${}${}",
            self.string(CRYPT64, 14),
            self.string(CRYPT64, 43)
        )
    }

    /// A UUID: a hard negative, random but not a credential by itself.
    pub fn uuid(&mut self) -> String {
        let h = self.string(HEX, 32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..]
        )
    }

    /// A SHA-256 content hash in hex: a hard negative.
    pub fn sha256_hex(&mut self) -> String {
        self.string(HEX, 64)
    }

    /// An SRI integrity string: a hard negative.
    pub fn integrity(&mut self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        format!("sha512-{}", b64.encode(self.bytes(64)))
    }
}
