//! Carried hits against a search of the whole target: edges of inserts and copies, copies
//! that meet, case folding, and random deltas over the built-in keywords.

use super::*;
use crate::config::{self, Config};
use crate::finding::Confidence;
use std::path::Path;

const RULES: &str = r#"
[[rule]]
id = "vendor"
description = "vendor token"
regex = '\b(vnd_[a-z0-9]{12})\b'
keywords = ["vnd_"]
confidence = "high"

[[rule]]
id = "generic"
description = "generic token"
regex = 'token = "([a-z0-9_]{8,})"'
keywords = ["token", "secret_token"]
confidence = "medium"
"#;

fn small_scanner() -> Scanner {
    let file = config::parse(RULES, Path::new("test.toml")).unwrap();
    let mut config = Config {
        rules: Vec::new(),
        allow: Default::default(),
        block_on: Confidence::High,
        policy: Default::default(),
    };
    config::merge(&mut config, file, Path::new("test.toml")).unwrap();
    Scanner::new(&config, super::super::Options::default()).unwrap()
}

/// Applies `ops` (a copy of base bytes, or inserted bytes) to `base`: the target and its
/// copies, as a delta would describe them.
enum Op<'a> {
    Copy(usize, usize),
    Insert(&'a [u8]),
}

fn build(base: &[u8], ops: &[Op]) -> (Vec<u8>, Vec<Copied>) {
    let (mut target, mut copies) = (Vec::new(), Vec::new());
    for op in ops {
        match *op {
            Op::Copy(at, len) => {
                copies.push(Copied {
                    target: target.len(),
                    base: at,
                    len,
                });
                target.extend_from_slice(&base[at..at + len]);
            }
            Op::Insert(bytes) => target.extend_from_slice(bytes),
        }
    }
    (target, copies)
}

/// Carried hits equal the whole search's, and the case is told if not.
fn assert_carries(scanner: &Scanner, base: &[u8], ops: &[Op]) -> KeywordHits {
    let (target, copies) = build(base, ops);
    let base_hits = scanner.keyword_hits(base).for_copies();
    let carried = scanner.carry_hits(&base_hits, &target, &copies).unwrap();
    let whole = scanner.keyword_hits(&target);
    assert!(carried.searched() <= whole.searched());
    assert_eq!(
        carried.candidates,
        whole.candidates,
        "target {:?} copies {copies:?}",
        String::from_utf8_lossy(&target)
    );
    whole
}

fn hit_count(hits: &KeywordHits) -> usize {
    hits.candidates.hits().len()
}

#[test]
fn hits_straddling_inserts_and_copy_edges_are_found() {
    let scanner = small_scanner();
    let base = b"let token = \"abcdefgh\"; // vnd_abcdefabcdef and more text here";
    // An insert that completes a keyword begun in a copy, and one that a copy completes.
    let hits = assert_carries(
        &scanner,
        base,
        &[Op::Copy(4, 3), Op::Insert(b"en vn"), Op::Copy(29, 30)],
    );
    assert_eq!(hit_count(&hits), 2, "token and vnd_");
    // A keyword cut by the end of a copy is no hit, even though the base has it whole.
    let hits = assert_carries(&scanner, base, &[Op::Copy(4, 3), Op::Insert(b"!!")]);
    assert_eq!(hit_count(&hits), 0);
    // A whole insert, and a target that is only inserted bytes.
    assert_carries(&scanner, base, &[Op::Insert(b"secret_token vnd_")]);
    assert_carries(&scanner, base, &[]);
}

#[test]
fn copies_that_meet_can_make_a_hit_neither_holds() {
    let scanner = small_scanner();
    let base = b"xxtoyyyyken vnd";
    // "to" from offset 2 and "ken" from offset 8: adjacent copies from different places.
    let hits = assert_carries(&scanner, base, &[Op::Copy(2, 2), Op::Copy(8, 3)]);
    assert_eq!(hit_count(&hits), 1);
    // Copies that continue one another in the base are one copy, hits across them carried.
    let base = b"the secret_token is here, and another token";
    let hits = assert_carries(
        &scanner,
        base,
        &[Op::Copy(0, 8), Op::Copy(8, 10), Op::Copy(18, 25)],
    );
    // secret_token, the token inside it, the last token (and any layer trigger word).
    assert!(hit_count(&hits) >= 3, "secret_token holds token");
    // The same base bytes copied twice and overlapping copies of the base.
    assert_carries(
        &scanner,
        base,
        &[Op::Copy(4, 12), Op::Copy(4, 12), Op::Copy(10, 6)],
    );
}

#[test]
fn case_folded_hits_carry_and_meet() {
    let scanner = small_scanner();
    let base = b"TOKEN Token tOkEn VND_ vNd_";
    let hits = assert_carries(&scanner, base, &[Op::Copy(0, 27)]);
    assert_eq!(hit_count(&hits), 5);
    // "TO" from one hit and "kEn" from another make a new one.
    assert_carries(&scanner, base, &[Op::Copy(0, 2), Op::Copy(14, 3)]);
    assert_carries(&scanner, base, &[Op::Insert(b"tO"), Op::Copy(8, 3)]);
}

#[test]
fn copies_that_do_not_fit_are_refused() {
    let scanner = small_scanner();
    let base = scanner.keyword_hits(b"0123456789").for_copies();
    let target = b"0123456789";
    let cases: &[&[Copied]] = &[
        // past the base, past the target, overlapping in the target.
        &[Copied {
            target: 0,
            base: 5,
            len: 6,
        }],
        &[Copied {
            target: 6,
            base: 0,
            len: 5,
        }],
        &[
            Copied {
                target: 0,
                base: 0,
                len: 5,
            },
            Copied {
                target: 4,
                base: 0,
                len: 5,
            },
        ],
    ];
    for copies in cases {
        assert!(
            scanner.carry_hits(&base, target, copies).is_none(),
            "{copies:?}"
        );
    }
}

/// Random deltas over text dense in the built-in keywords: every copy length, inserts of
/// keyword pieces, copies of keyword pieces from anywhere in the base.
#[test]
fn random_deltas_carry_exactly_what_a_whole_search_finds() {
    let config = config::builtin().unwrap();
    let scanner = Scanner::new(&config, super::super::Options::default()).unwrap();
    let words = [
        "password",
        "PASSWORD",
        "token",
        "api_key",
        "ghp_",
        "xoxb-",
        "AKIA",
        "-----BEGIN",
        " PRIVATE KEY",
        "secret",
        "aws_",
        "sk_live_",
        "=",
        "\n",
        " ",
        "base64",
    ];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below.max(1) as u64) as usize
    };
    for _ in 0..400 {
        let mut base = Vec::new();
        while base.len() < 600 {
            base.extend_from_slice(words[next(words.len())].as_bytes());
        }
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        let mut ops_spec: Vec<(bool, usize, usize)> = Vec::new();
        for _ in 0..next(12) + 1 {
            if next(3) == 0 {
                let word = words[next(words.len())].as_bytes();
                let cut = next(word.len() + 1);
                pieces.push(word[cut..].to_vec());
                ops_spec.push((false, pieces.len() - 1, 0));
            } else {
                let at = next(base.len());
                let len = next(base.len() - at) + 1;
                ops_spec.push((true, at, len.min(1 + next(200))));
            }
        }
        let ops: Vec<Op> = ops_spec
            .iter()
            .map(|&(copy, a, b)| {
                if copy {
                    Op::Copy(a, b)
                } else {
                    Op::Insert(&pieces[a])
                }
            })
            .collect();
        assert_carries(&scanner, &base, &ops);
    }
}

#[test]
fn findings_with_carried_hits_are_the_whole_scans() {
    let scanner = small_scanner();
    let value: String = "q8r2m5x9k3w7".chars().rev().collect();
    let vendor = format!("vnd_{value}");
    let base = format!("a = 1\ntoken = \"{value}\"\nkey {vendor} end\n");
    let (target, copies) = build(
        base.as_bytes(),
        &[
            Op::Copy(0, 6),
            Op::Insert(b"// moved\n"),
            Op::Copy(6, base.len() - 6),
        ],
    );
    let origin = crate::chunk::Origin::path("x.txt");
    let chunk = Chunk {
        bytes: &target,
        origin: &origin,
        scope: &crate::chunk::Scope::All,
    };
    let carried = scanner
        .carry_hits(
            &scanner.keyword_hits(base.as_bytes()).for_copies(),
            &target,
            &copies,
        )
        .unwrap();
    let fast = scanner.scan_with_hits(&chunk, &carried).findings;
    let plain = scanner.scan(&chunk).findings;
    assert!(!fast.is_empty());
    assert_eq!(fast, plain);
}
