//! Private keys protected by a passphrase are reported at medium confidence, with the reason
//! in the text and JSON reports; the same keys without a passphrase stay high. The keys are
//! generated at test time with `ssh-keygen` and `openssl` (the structures themselves are
//! tested in `src/scan/encrypted.rs`, without the tools).

mod common;

use std::path::Path;
use std::process::Command;

use common::{scan_in, tempdir};

/// Runs a key generator in `dir`; false (with a note) if the tool is not installed.
fn generate(dir: &Path, program: &str, args: &[&str]) -> bool {
    match Command::new(program).current_dir(dir).args(args).output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => panic!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            eprintln!("skipped {program} {args:?}: {e}");
            false
        }
    }
}

#[test]
fn passphrase_protected_keys_are_medium_with_the_reason() {
    let dir = tempdir();
    let keys: &[(&str, &str, &[&str], bool)] = &[
        (
            "ssh-enc",
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "pass phrase", "-f", "ssh-enc"],
            true,
        ),
        (
            "ssh-plain",
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", "ssh-plain"],
            false,
        ),
        (
            "pkcs8-enc.pem",
            "openssl",
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-aes128",
                "-pass",
                "pass:pw",
                "-out",
                "pkcs8-enc.pem",
            ],
            true,
        ),
        (
            "pkcs8-plain.pem",
            "openssl",
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                "pkcs8-plain.pem",
            ],
            false,
        ),
        (
            "rsa-enc.pem",
            "openssl",
            &[
                "genrsa",
                "-traditional",
                "-aes128",
                "-passout",
                "pass:pw",
                "-out",
                "rsa-enc.pem",
                "1024",
            ],
            true,
        ),
        (
            "rsa-plain.pem",
            "openssl",
            &["genrsa", "-traditional", "-out", "rsa-plain.pem", "1024"],
            false,
        ),
    ];
    let mut made = Vec::new();
    for &(file, program, args, encrypted) in keys {
        if generate(dir.path(), program, args) {
            made.push((file, encrypted));
        }
    }
    let files: Vec<&str> = made.iter().map(|(f, _)| *f).collect();
    let json = scan_in(dir.path(), &[&["-f", "json"], &files[..]].concat());
    let text = scan_in(dir.path(), &files);
    let findings = json.findings();
    for &(file, encrypted) in &made {
        let found: Vec<_> = findings.iter().filter(|f| f["path"] == file).collect();
        assert_eq!(found.len(), 1, "{file}: {findings:#?}");
        let (confidence, note) = if encrypted {
            ("medium", "encrypted with a passphrase")
        } else {
            ("high", "")
        };
        assert_eq!(found[0]["rule_id"], "private-key", "{file}");
        assert_eq!(found[0]["confidence"], confidence, "{file}");
        assert_eq!(
            found[0]["note"].as_str().unwrap_or_default(),
            note,
            "{file}"
        );
        let header = text
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{file}:")))
            .unwrap_or_else(|| panic!("{file} not in the text report:\n{}", text.stdout));
        let want = if encrypted {
            "(medium confidence: encrypted with a passphrase)"
        } else {
            "(high confidence, blocking)"
        };
        assert!(header.ends_with(want), "{header}");
    }
}
