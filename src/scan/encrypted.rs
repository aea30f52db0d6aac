//! Private keys protected by a passphrase: still worth reporting, but not as a usable secret.
//!
//! A key block whose body is encrypted is useless without its passphrase, so a match of one
//! is reported at medium confidence at most, with [`NOTE`] as the reason. Recognised: PKCS#8
//! `ENCRYPTED PRIVATE KEY` (what `openssl genpkey -aes128` writes), SSH2 `ENCRYPTED`
//! blocks, traditional PEM with a `Proc-Type: 4,ENCRYPTED` header (`openssl genrsa
//! -traditional -aes128`), OpenSSH `openssh-key-v1` keys whose cipher is not `none`
//! (`ssh-keygen -N passphrase`), and PuTTY keys with an `Encryption:` other than `none`.

use base64::Engine;

/// The reason a finding carries when its key is encrypted.
pub(crate) const NOTE: &str = "encrypted with a passphrase";

/// True if `matched` (a rule's whole match) is a private key block whose key material is
/// encrypted. Line breaks may be escaped as `\n` inside a string literal.
pub(crate) fn is_passphrase_protected(matched: &[u8]) -> bool {
    let text = String::from_utf8_lossy(matched)
        .replace("\\r", "")
        .replace("\\n", "\n");
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if first.starts_with("PuTTY-User-Key-File-") {
        return lines
            .find_map(|l| l.strip_prefix("Encryption:"))
            .is_some_and(|cipher| cipher.trim() != "none");
    }
    let Some(label) = first
        .strip_prefix("-----BEGIN ")
        .and_then(|l| l.strip_suffix("-----"))
    else {
        return false;
    };
    if !label.contains("PRIVATE KEY") {
        return false;
    }
    if label.contains("ENCRYPTED") {
        return true;
    }
    let mut body = String::new();
    for line in lines.take_while(|l| !l.starts_with("-----END")) {
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("Proc-Type") => {
                if value.to_ascii_uppercase().contains("ENCRYPTED") {
                    return true;
                }
            }
            Some(_) => {}
            None => body.push_str(line),
        }
    }
    label == "OPENSSH PRIVATE KEY" && openssh_cipher(&body).is_some_and(|c| c != b"none")
}

/// The cipher name of an `openssh-key-v1` key from its base64 body: the magic string, then
/// a big-endian `u32` length and the name.
fn openssh_cipher(base64_body: &str) -> Option<Vec<u8>> {
    const MAGIC: &[u8] = b"openssh-key-v1\0";
    // Only the first bytes are needed: decode a prefix of whole base64 quanta, which stays
    // valid however the rest of the block is cut.
    let prefix = &base64_body[..base64_body.len().min(96) / 4 * 4];
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(prefix)
        .ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    rest.get(4..4 + len).map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An OpenSSH key block whose binary form starts with `cipher`.
    fn openssh(cipher: &str) -> String {
        let mut bytes = b"openssh-key-v1\0".to_vec();
        bytes.extend((cipher.len() as u32).to_be_bytes());
        bytes.extend(cipher.as_bytes());
        bytes.extend([7u8; 60]);
        let body = base64::engine::general_purpose::STANDARD.encode(bytes);
        format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----")
    }

    #[test]
    fn encrypted_key_blocks_are_recognised() {
        let body = "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n";
        let cases: &[(String, bool)] = &[
            (openssh("aes256-ctr"), true),
            (openssh("none"), false),
            (openssh("none").replace('\n', "\\n"), false),
            (openssh("aes256-ctr").replace('\n', "\\n"), true),
            (
                format!("-----BEGIN ENCRYPTED PRIVATE KEY-----\n{body}-----END"),
                true,
            ),
            (
                format!("-----BEGIN PRIVATE KEY-----\n{body}-----END"),
                false,
            ),
            (
                format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END"),
                false,
            ),
            (
                format!(
                    "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
                     DEK-Info: AES-128-CBC,0011\n\n{body}-----END"
                ),
                true,
            ),
            (
                format!("-----BEGIN SSH2 ENCRYPTED PRIVATE KEY-----\n{body}"),
                true,
            ),
            (
                "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\n".into(),
                true,
            ),
            (
                "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n".into(),
                false,
            ),
            (
                "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n".into(),
                false,
            ),
            ("token = abc".into(), false),
            (String::new(), false),
        ];
        for (text, want) in cases {
            assert_eq!(is_passphrase_protected(text.as_bytes()), *want, "{text}");
        }
    }
}
