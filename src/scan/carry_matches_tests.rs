//! Regex matches carried through copies against a search of every window of the target:
//! random deltas over text dense in keywords and secret-shaped values (generated here), and
//! the edges where carrying must refuse (the chunk's start and end, windows cut by a copy).

use std::borrow::Cow;

use super::*;
use crate::chunk::{Chunk, Origin, Scope};
use crate::config;
use crate::scan::{KeywordHits, Scanner};

/// A xorshift generator: the same cases every run.
struct Draw(u64);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn text(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// One line of code, a keyword with nothing after it, or a secret-shaped assignment.
fn line(draw: &mut Draw) -> String {
    let len = 20 + draw.below(24);
    let value = draw.text(BASE62, len);
    match draw.below(9) {
        0 => format!("pass{}word = \"{value}\"", ""),
        1 => format!(
            "    let key = \"AKIA{}\";",
            draw.text(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        ),
        2 => format!("token: \"ghp_{}\"", draw.text(BASE62, 36)),
        3 => format!("api_key = '{value}'"),
        4 => format!("  secret={value} # token"),
        5 => "    // the password policy and its token budget".to_string(),
        6 => String::new(),
        n => format!(
            "    let value_{n} = compute({n}); // {}",
            draw.text(BASE62, 8)
        ),
    }
}

/// Scans `base` keeping its matches, carries them into `target`, and checks that the
/// target's candidates and findings are a whole search's; returns the windows carried.
fn assert_carries_matches(
    scanner: &Scanner,
    base: &[u8],
    target: &[u8],
    copies: &[Copied],
) -> usize {
    let origin = Origin::path("src/config.py");
    let chunk = |bytes| Chunk {
        bytes,
        origin: &origin,
        scope: &Scope::All,
    };
    let mut base_hits = scanner.keyword_hits(base);
    let kept = base_hits.for_copies();
    let base_found = scanner.scan_with_hits(&chunk(base), &base_hits).findings;
    assert_eq!(base_found, scanner.scan(&chunk(base)).findings);
    let mut hits: KeywordHits = scanner.carry_hits(&kept, target, copies).unwrap();
    let record = hits.for_copies().matches;
    let examined = {
        let mut carrying = Carrying::new(hits.from.as_deref(), hits.record.as_ref());
        let given = Some(Cow::Borrowed(&hits.candidates));
        scanner
            .examine_given(&chunk(target), given, &mut carrying)
            .0
    };
    let whole = scanner.examine(&chunk(target));
    let context = || {
        format!(
            "target {:?} copies {copies:?}",
            String::from_utf8_lossy(target)
        )
    };
    assert_eq!(
        format!("{examined:?}"),
        format!("{whole:?}"),
        "{}",
        context()
    );
    let fast = scanner.scan_with_hits(&chunk(target), &hits).findings;
    assert_eq!(fast, scanner.scan(&chunk(target)).findings, "{}", context());
    let carried = record.lock().unwrap().carried();
    carried
}

/// A delta's instruction: a copy `(base offset, length)`, or inserted bytes.
type Op = Result<(usize, usize), Vec<u8>>;

/// Applies copies and inserts to `base`: the target and its copies.
fn build(base: &[u8], ops: &[Op]) -> (Vec<u8>, Vec<Copied>) {
    let (mut target, mut copies) = (Vec::new(), Vec::new());
    for op in ops {
        match op {
            Ok((at, len)) => {
                copies.push(Copied {
                    target: target.len(),
                    base: *at,
                    len: *len,
                });
                target.extend_from_slice(&base[*at..at + len]);
            }
            Err(inserted) => target.extend_from_slice(inserted),
        }
    }
    (target, copies)
}

#[test]
fn random_deltas_carry_exactly_the_matches_of_every_window() {
    let scanner =
        Scanner::new(&config::builtin().unwrap(), crate::scan::Options::default()).unwrap();
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    let (mut carried, mut examined) = (0, 0);
    for _ in 0..300 {
        let lines: Vec<String> = (0..20 + draw.below(40)).map(|_| line(&mut draw)).collect();
        let base = (lines.join("\n") + "\n").into_bytes();
        let mut ops = Vec::new();
        for _ in 0..1 + draw.below(8) {
            match draw.below(4) {
                0 => {
                    let mut inserted = line(&mut draw).into_bytes();
                    inserted.drain(..draw.below(inserted.len() + 1) / 2);
                    inserted.push(b'\n');
                    ops.push(Err(inserted));
                }
                _ => {
                    let at = draw.below(base.len());
                    let len = 1 + draw.below(base.len() - at);
                    ops.push(Ok((at, len)));
                }
            }
        }
        // A delta that keeps most of the base: one long copy with an edit inside.
        if draw.below(2) == 0 {
            let cut = draw.below(base.len());
            ops = vec![
                Ok((0, cut)),
                Err(line(&mut draw).into_bytes()),
                Ok((cut, base.len() - cut)),
            ];
        }
        let (target, copies) = build(&base, &ops);
        carried += assert_carries_matches(&scanner, &base, &target, &copies);
        let origin = Origin::path("src/config.py");
        let chunk = Chunk {
            bytes: &target,
            origin: &origin,
            scope: &Scope::All,
        };
        examined += scanner.examine(&chunk).len();
    }
    assert!(carried > 300, "windows carried: {carried}");
    assert!(examined > 300, "matches examined: {examined}");
}

/// A window at the chunk's start reads the start (`^`, `\b`): carried only from the same
/// offset. A window whose context reaches the chunk's end reads the end (`$`): carried only
/// if the base's did too.
#[test]
fn windows_at_a_chunks_edges_carry_only_from_the_same_edges() {
    let scanner =
        Scanner::new(&config::builtin().unwrap(), crate::scan::Options::default()).unwrap();
    let value = Draw(7).text(BASE62, 24);
    let line = format!("pass{}word = \"{value}\"", "");
    let base = format!("{line}\n{line}\nx = 1\n").into_bytes();
    let first = line.len() + 1;
    let cases: Vec<Vec<Op>> = vec![
        // The first line shifted: its window no longer starts the chunk.
        vec![Err(b"#".to_vec()), Ok((0, base.len()))],
        // The second line moved to the start, and the first cut before its end.
        vec![Ok((first, first)), Ok((0, first - 3))],
        // The same, with the text after the cut inserted.
        vec![
            Ok((first, base.len() - first)),
            Ok((0, first - 3)),
            Err(b"\"\n".to_vec()),
        ],
        // Only the first line, so that its context ends at the chunk's end.
        vec![Ok((0, first - 1))],
        vec![Ok((0, first))],
        // Unchanged.
        vec![Ok((0, base.len()))],
    ];
    let mut carried = 0;
    for ops in cases {
        let (target, copies) = build(&base, &ops);
        carried += assert_carries_matches(&scanner, &base, &target, &copies);
    }
    assert!(carried > 0, "the unchanged copy carries");
}

/// The conditions one by one, on a record made by hand: a window is carried only from the
/// same rule, place, length and context end, with the bytes before it inside the copy.
#[test]
fn a_window_is_carried_only_with_the_same_context() {
    let record = SharedMatches::default();
    let found = [Match {
        secret: 22..26,
        whole: 20..26,
    }];
    record.lock().unwrap().add(3, &(20..30), 34, &found);
    record.lock().unwrap().add(3, &(2..8), 12, &[]);
    let from = CarriedFrom {
        base: record.clone(),
        copies: vec![
            Copied {
                target: 100,
                base: 10,
                len: 30,
            },
            Copied {
                target: 200,
                base: 0,
                len: 12,
            },
        ],
    };
    // One record is locked by one scan at a time: each check drops its lock.
    let carried = |rule, window: Range<usize>, read_end| {
        let mut out = Vec::new();
        let mut carrying = Carrying::new(Some(&from), None);
        carrying
            .carried(rule, &window, read_end, &mut out)
            .then_some(out)
    };
    // Shifted by the copy: base 20..30 is target 110..120.
    let moved = vec![Match {
        secret: 112..116,
        whole: 110..116,
    }];
    assert_eq!(carried(3, 110..120, 124), Some(moved));
    assert_eq!(carried(4, 110..120, 124), None, "another rule");
    assert_eq!(carried(3, 110..119, 123), None, "another length");
    assert_eq!(carried(3, 110..120, 122), None, "another context end");
    assert_eq!(carried(3, 111..121, 125), None, "no window there");
    // 2..8 of the base at 202..208 of the target: its look-behind is the copy's start, not
    // the chunk's. At the chunk's start, a window carries only from the same offset.
    assert_eq!(
        carried(3, 202..208, 212),
        None,
        "look-behind outside the copy"
    );
    let at_start = CarriedFrom {
        base: record.clone(),
        copies: vec![Copied {
            target: 0,
            base: 0,
            len: 12,
        }],
    };
    let shifted = CarriedFrom {
        base: record,
        copies: vec![Copied {
            target: 0,
            base: 1,
            len: 11,
        }],
    };
    let mut same = Carrying::new(Some(&at_start), None);
    assert!(same.carried(3, &(2..8), 12, &mut Vec::new()));
    drop(same);
    let mut other = Carrying::new(Some(&shifted), None);
    assert!(
        !other.carried(3, &(1..7), 11, &mut Vec::new()),
        "the chunk's start moved"
    );
}
