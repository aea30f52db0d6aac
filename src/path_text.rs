//! Paths as text, reversibly: UTF-8 where the bytes are UTF-8, `\xHH` for every other byte.
//!
//! File names and git tree paths are bytes. Decoding them lossily turns every invalid byte
//! into U+FFFD, so two different files could be reported under one name, and a finding's
//! path could no longer be found in a tree. Here each invalid byte becomes `\xHH`, and a
//! backslash that would read as such an escape becomes `\x5c`, so `to_bytes` always gives
//! back the original bytes. Control characters stay as they are: each report escapes them in
//! its own way (JSON as `\u001b`, text as `\u{1b}`).

use std::path::Path;

/// The text form of a path's bytes.
pub fn from_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let mut rest = valid;
        while let Some(at) = rest.find('\\') {
            out.push_str(&rest[..at]);
            if reads_as_escape(&rest.as_bytes()[at..]) {
                out.push_str("\\x5c");
            } else {
                out.push('\\');
            }
            rest = &rest[at + 1..];
        }
        out.push_str(rest);
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// The text form of a path, as reports show it. On Windows the separators become `/`.
pub(crate) fn from_path(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        from_bytes(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/")
    }
}

/// The bytes a text form stands for: every `\xHH` becomes the byte `HH`.
pub(crate) fn to_bytes(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if reads_as_escape(&bytes[at..]) {
            let hex = std::str::from_utf8(&bytes[at + 2..at + 4]).unwrap_or("00");
            out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
            at += 4;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    out
}

/// Whether `bytes` start with `\x` and two hexadecimal digits.
fn reads_as_escape(bytes: &[u8]) -> bool {
    matches!(bytes, [b'\\', b'x', a, b, ..] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_text() {
        let cases: &[(&[u8], &str)] = &[
            (b"src/main.rs", "src/main.rs"),
            (b"caf\xc3\xa9.txt", "café.txt"),
            (b"a\xffb", "a\\xffb"),
            (b"a\xfeb", "a\\xfeb"),
            (b"\xe2\x82", "\\xe2\\x82"),
            (b"lit\\xffb", "lit\\x5cxffb"),
            (b"back\\slash", "back\\slash"),
            (b"end\\", "end\\"),
            (b"esc\x1b[31m", "esc\x1b[31m"),
        ];
        for &(bytes, text) in cases {
            assert_eq!(from_bytes(bytes), text, "{bytes:?}");
            assert_eq!(to_bytes(text), bytes, "{text:?}");
        }
    }
}
