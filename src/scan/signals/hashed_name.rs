//! Names that say their value is a hash of a credential, not the credential:
//! `hashed_password`, `password_hash`, `HashedSecret`, `secret_digest`. A user store's
//! `"hashed_password": "$2b$12$…"` holds what a server keeps to check a password against;
//! if the value is a real hash, the password-hash rule is the one to judge it, and a
//! generic password rule that fires on the name's `password` says nothing (FastAPI's
//! tutorials print dozens, with `fakehashedsecret` and bcrypt strings as values).
//!
//! Only generic rules weigh it (see `judge`): under such names the password-hash rule's
//! own findings are what it exists to report, and keep their confidence.
//!
//! A credential's own name never says hashed: `password`, `db_password`, `hash_key` (a key
//! used to hash, which is a secret) keep being reported.

use std::ops::Range;

use super::key_name::{assigned_name, words};

/// True if the name the value at `secret` is assigned to says the value is hashed: a word
/// `hashed`, or a last word `hash`, `hashes` or `digest` (`password_hash`, not `hash_key`).
pub(crate) fn names_a_hash(bytes: &[u8], line: &Range<usize>, secret: &Range<usize>) -> bool {
    let Some(name) = assigned_name(bytes, line, secret) else {
        return false;
    };
    let words = words(&name);
    words.iter().any(|w| w == "hashed")
        || words
            .last()
            .is_some_and(|w| matches!(w.as_str(), "hash" | "hashes" | "digest"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn says_hash(text: &str, secret: &str) -> bool {
        let at = text.find(secret).unwrap();
        names_a_hash(text.as_bytes(), &(0..text.len()), &(at..at + secret.len()))
    }

    #[test]
    fn hash_names_are_told_from_credential_names() {
        // Built here, so this file holds no hash for the scanner to find.
        let bcrypt = format!("$2b$12${}", "EixZaYVK1fsbw1ZfbX3OXe".repeat(2));
        let hashed = [
            format!("        \"hashed_password\": \"{bcrypt}\","),
            "    PASSWORD_HASH = \"Kq8vZ2xLmT4pWn7R\"".to_string(),
            "  hashedSecret: Kq8vZ2xLmT4pWn7R".to_string(),
            "secret_digest = 'Kq8vZ2xLmT4pWn7R'".to_string(),
        ];
        for text in &hashed {
            let secret = if text.contains(&bcrypt) {
                &bcrypt[..]
            } else {
                "Kq8vZ2xLmT4pWn7R"
            };
            assert!(says_hash(text, secret), "{text}");
        }
        let credentials = [
            "        \"password\": \"Kq8vZ2xLmT4pWn7R\",",
            "HASH_KEY = \"Kq8vZ2xLmT4pWn7R\"",
            "hashing_secret: Kq8vZ2xLmT4pWn7R",
            "db_password = 'Kq8vZ2xLmT4pWn7R'",
        ];
        for text in credentials {
            assert!(!says_hash(text, "Kq8vZ2xLmT4pWn7R"), "{text}");
        }
    }
}
