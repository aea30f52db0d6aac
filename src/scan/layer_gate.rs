//! Where the layers look: the whole of a configuration file, and elsewhere only the lines
//! near a keyword.
//!
//! Reading every string literal and every base64-looking run of a source tree cost a quarter
//! of the scan's time (issue 14): ordinary code is full of long identifiers and escaped
//! format strings. A secret hidden by a layer still sits next to words that give it away: a
//! literal that holds a key holds a rule's keyword (`PRIVATE KEY`, `ghp_`), and an encoded
//! value stands after a name that says what it is (`password`, `auth`, `Basic`, `_B64`) or
//! starts as base64 of a PEM marker does. So in source code the literal and markup layers
//! read only the lines where the keyword prefilter hit one of the rules' keywords or one of
//! [`TRIGGERS`], and the decoding layers only the lines of a trigger (each with the line
//! after, where a wrapped value begins), while configuration and data files, whose values
//! are the point, are read whole.

use std::ops::Range;

/// Words, beyond the rules' keywords, that announce an encoded value on their line. The
/// prefilter finds them in the same pass as the keywords (ASCII case-insensitive, so they
/// are written lower-case).
pub(super) const TRIGGERS: &[&str] = &[
    "b64",
    "base64",
    "basic",
    "cred",
    "data:",
    "key-data",
    "encoded",
    "secret",
    "token",
    "passw",
    // base64 of `-----BEGI` at each of the three alignments.
    "ls0tls1crudjt",
    "0tls0tqkvhsu",
    "tls0tlujfr0lo",
    // `-----BEGIN` and `://` percent-encoded, `-----` hex-encoded, character references.
    "%2d%2d%2d",
    "%3a%2f%2f",
    "2d2d2d2d2d",
    "&#",
];

/// The extensions and file names of configuration and data files, read whole.
const CONFIG_EXTENSIONS: &[&str] = &[
    "yaml",
    "yml",
    "json",
    "ini",
    "cfg",
    "conf",
    "config",
    "properties",
    "toml",
    "xml",
    "tf",
    "tfvars",
    "hcl",
    "sh",
    "bash",
    "zsh",
    "ps1",
    "npmrc",
    "pypirc",
    "netrc",
    "dockercfg",
    "kubeconfig",
];

/// Configuration files known by their whole name.
const CONFIG_NAMES: &[&str] = &["config", "credentials", "kubeconfig", "Dockerfile"];

/// True if `path` names a configuration or data file: by extension, a dotenv or dotfile
/// name (`.npmrc`, `.dockercfg`), or a known name (`~/.kube/config`). A file with no
/// extension is otherwise text of any kind (a test case, a man page): not read whole.
pub(super) fn reads_whole(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if name.starts_with(".env") || CONFIG_NAMES.contains(&name) {
        return true;
    }
    match name.rsplit_once('.') {
        None => false,
        Some((_, extension)) => CONFIG_EXTENSIONS
            .iter()
            .any(|e| extension.eq_ignore_ascii_case(e)),
    }
}

/// The byte ranges of `bytes` the layers read: each line holding one of `hits` (byte
/// offsets of keyword hits, in any order) with the line after it, merged, in order.
pub(super) fn windows(bytes: &[u8], hits: &[usize]) -> Vec<Range<usize>> {
    let mut starts: Vec<usize> = hits.to_vec();
    starts.sort_unstable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for at in starts {
        if windows.last().is_some_and(|w| at < w.end) {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |nl| nl + 1);
        let line_end = |from: usize| {
            memchr::memchr(b'\n', &bytes[from.min(bytes.len())..])
                .map_or(bytes.len(), |nl| from + nl + 1)
        };
        let end = line_end(line_end(at));
        match windows.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => windows.push(start..end),
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_files_are_read_whole() {
        let cases: &[(&str, bool)] = &[
            ("k8s/secret.yaml", true),
            ("home/.docker/config.json", true),
            ("home/.kube/config", true),
            (".env.production", true),
            ("deploy/run.sh", true),
            ("infra/main.tf", true),
            ("src/main.rs", false),
            ("app/settings.py", false),
            ("web/index.js", false),
            ("tests/data/test1234", false),
            ("docs/notes.txt", false),
        ];
        for &(path, want) in cases {
            assert_eq!(reads_whole(path), want, "{path}");
        }
    }

    #[test]
    fn windows_are_keyword_lines_with_the_line_after() {
        let text = b"a\nkey: |\n  QUJD\n  REVG\nb\nc\ntoken x\n";
        let key = 2;
        let token = text.windows(5).position(|w| w == b"token").unwrap();
        let got: Vec<&[u8]> = windows(text, &[token, key, key + 1])
            .into_iter()
            .map(|w| &text[w])
            .collect();
        assert_eq!(got, [&b"key: |\n  QUJD\n"[..], &b"token x\n"[..]]);
    }
}
