//! Property tests (proptest) through the public library API: line and column arithmetic,
//! redaction, fingerprint stability, and the added-line scope of staged and history scans.
//!
//! Each property is checked against a naive model written here, not against the code it
//! tests. Case counts keep the whole file to a few seconds in a debug build.

use std::path::Path;
use std::sync::Arc;

use leakward::chunk::{Chunk, Commit, Origin, Scope};
use leakward::config::{self, Config};
use leakward::finding::{redact, Confidence, Finding, Fingerprint};
use leakward::internals::added_lines;
use leakward::internals::is_placeholder;
use leakward::internals::mask_shared_lines;
use leakward::internals::Lines;
use leakward::scan::{Options, Scanner};
use proptest::prelude::*;

const RULE_ID: &str = "prop-token";

/// A scanner with one rule: `tok_` and 16 hex digits, the digits being the secret.
fn scanner() -> Scanner {
    let text = format!(
        "[[rule]]\nid = \"{RULE_ID}\"\ndescription = \"d\"\nregex = 'tok_([0-9a-f]{{16}})'\nkeywords = [\"tok_\"]\nconfidence = \"high\"\n"
    );
    let path = Path::new("props.toml");
    let file = config::parse(&text, path).expect("the rule parses");
    let mut config = Config {
        rules: Vec::new(),
        allow: Vec::new(),
        block_on: Confidence::High,
        policy: Default::default(),
    };
    config::merge(&mut config, file, path).expect("the rule merges");
    Scanner::new(&config, Options::default()).expect("the rule compiles")
}

fn scan(scanner: &Scanner, bytes: &[u8], origin: &Origin, scope: &Scope) -> Vec<Finding> {
    scanner
        .scan(&Chunk {
            bytes,
            origin,
            scope,
        })
        .findings
}

/// Bytes that make line and column arithmetic hard: line endings of every kind, multi-byte
/// characters, and invalid or truncated UTF-8. None of them can form a `tok_` match.
fn awkward_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<&'static [u8]> = vec![
        b"a",
        b" ",
        b"\n",
        b"\r",
        b"\r\n",
        "é".as_bytes(),
        "😀".as_bytes(),
        "\u{2028}".as_bytes(),
        b"\xff",
        b"\xc3",
        b"\xe2\x82",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|parts| parts.concat())
}

/// A secret the rule reports: 16 hex digits that do not look like a placeholder.
fn secret() -> impl Strategy<Value = String> {
    "[0-9a-f]{16}".prop_filter("not a placeholder", |s| !is_placeholder(s.as_bytes()))
}

/// The lines of a text: split on `\n`, with no empty last line after a final `\n`.
fn lines_of(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    lines
}

/// The naive 1-based line of byte `offset`: one more than the newlines before it.
fn naive_line(bytes: &[u8], offset: usize) -> u32 {
    bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// The naive 1-based column: characters since the last newline, each maximal invalid UTF-8
/// sequence counting as one (as U+FFFD replaces it in reports).
fn naive_column(bytes: &[u8], offset: usize) -> u32 {
    let start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |nl| nl + 1);
    let chars: usize = bytes[start..offset]
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + usize::from(!c.invalid().is_empty()))
        .sum();
    chars as u32 + 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every line's bytes are what splitting on `\n` gives, less one `\r` before the `\n`
    /// (or at the end); a lone `\r` inside a line is not a line break.
    #[test]
    fn lines_are_split_on_newlines_only(bytes in awkward_bytes()) {
        let lines = Lines::new(&bytes);
        let naive: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        for (index, want) in naive.iter().enumerate() {
            let want = want.strip_suffix(b"\r").unwrap_or(want);
            prop_assert_eq!(lines.line_bytes(index as u32 + 1), want, "line {}", index + 1);
        }
        for offset in 0..=bytes.len() {
            prop_assert_eq!(lines.line_of(offset), naive_line(&bytes, offset), "offset {}", offset);
        }
    }

    /// A match's reported line, column and end line agree with a naive count, wherever the
    /// match sits among awkward bytes.
    #[test]
    fn a_match_is_reported_at_the_naive_line_and_column(
        before in awkward_bytes(),
        after in awkward_bytes(),
        secret in secret(),
    ) {
        let token = format!("tok_{secret}");
        let bytes = [before.as_slice(), token.as_bytes(), after.as_slice()].concat();
        let found = scan(&scanner(), &bytes, &Origin::path("a.txt"), &Scope::All);
        prop_assert_eq!(found.len(), 1);
        let start = before.len() + "tok_".len();
        prop_assert_eq!(found[0].line, naive_line(&bytes, start));
        prop_assert_eq!(found[0].end_line, found[0].line);
        prop_assert_eq!(found[0].column, naive_column(&bytes, start));
        prop_assert_eq!(&found[0].secret, &secret);
    }

    /// With several matches among awkward bytes, each one's line and column agree with a
    /// naive count (columns are counted on from the previous match on the same line).
    #[test]
    fn every_match_of_a_chunk_is_at_the_naive_place(
        parts in prop::collection::vec((awkward_bytes(), secret()), 1..6),
    ) {
        let mut bytes = Vec::new();
        let mut starts = Vec::new();
        for (filler, secret) in &parts {
            bytes.extend_from_slice(filler);
            bytes.extend_from_slice(b"tok_");
            starts.push(bytes.len());
            bytes.extend_from_slice(secret.as_bytes());
        }
        let found = scan(&scanner(), &bytes, &Origin::path("a.txt"), &Scope::All);
        let mut got: Vec<(u32, u32)> = found.iter().map(|f| (f.line, f.column)).collect();
        let mut want: Vec<(u32, u32)> = starts
            .iter()
            .map(|&at| (naive_line(&bytes, at), naive_column(&bytes, at)))
            .collect();
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
    }

    /// Redaction keeps a prefix of at most a quarter of the secret (six characters at most)
    /// and never the whole secret.
    #[test]
    fn redaction_reveals_only_a_short_prefix(secret in any::<String>()) {
        let redacted = redact(&secret);
        let shown = redacted.strip_suffix("*****").expect("ends with the mask");
        let chars = secret.chars().count();
        prop_assert!(secret.starts_with(shown));
        prop_assert!(shown.chars().count() <= (chars / 4).min(6));
        prop_assert!(chars == 0 || shown.len() < secret.len());
    }

    /// However two secrets share a line, and wherever the excerpt window cuts them, no
    /// finding's shown line reveals more of either than its redacted prefix, or a cut piece
    /// of fewer than three characters.
    #[test]
    fn shared_lines_never_show_a_secret(
        first in "[A-Z0-9]{8,40}",
        second in "[A-Z0-9]{8,40}",
        pads in prop::collection::vec("[a-z =,]{1,120}", 3),
    ) {
        let line = format!("{}{first}{}{second}{}", pads[0], pads[1], pads[2]);
        let at_first = pads[0].len();
        let at_second = at_first + first.len() + pads[1].len();
        let lines = Lines::new(line.as_bytes());
        let finding = |secret: &str, at: usize| Finding {
            rule_id: Arc::from(RULE_ID),
            confidence: Confidence::High,
            path: "a.txt".into(),
            line: 1,
            column: at as u32 + 1,
            end_line: 1,
            secret: secret.to_string(),
            line_text: lines.excerpt(at..at + secret.len()),
            fingerprint: Fingerprint::new(RULE_ID, secret.as_bytes()),
            commit: None,
            blob: None,
            note: None,
            layers: Vec::new(),
            repository: None,
        };
        let mut findings = vec![finding(&first, at_first), finding(&second, at_second)];
        mask_shared_lines(&mut findings);
        let longest_prefix = [&first, &second]
            .iter()
            .map(|s| redact(s).len() - "*****".len())
            .max()
            .unwrap_or(0);
        for finding in &findings {
            let shown = finding.shown_line(false);
            prop_assert!(!shown.contains(first.as_str()), "{} shows {}", shown, first);
            prop_assert!(!shown.contains(second.as_str()), "{} shows {}", shown, second);
            // Pads hold no secret characters, so every run of them comes from a secret.
            let longest_run = shown
                .split(|c: char| !c.is_ascii_uppercase() && !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            prop_assert!(longest_run <= longest_prefix.max(2), "{} from {}", shown, line);
        }
    }

    /// The fingerprint is a function of rule and secret alone: path, position, surrounding
    /// text and origin (file or commit) do not change it, and different secrets differ.
    #[test]
    fn fingerprints_follow_the_secret_only(
        secret in secret(),
        other in secret(),
        before in awkward_bytes(),
        path in "[a-z]{1,8}(/[a-z]{1,8}){0,3}\\.[a-z]{1,3}",
        commit_id in "[0-9a-f]{40}",
    ) {
        let scanner = scanner();
        let plain = format!("tok_{secret}\n").into_bytes();
        let moved = [before.as_slice(), b" x=tok_", secret.as_bytes(), b" trailing"].concat();
        let commit = Arc::new(Commit {
            id: commit_id,
            author_name: "a".into(),
            author_email: "a@b".into(),
            date: "2024-01-01T00:00:00Z".into(),
            summary: "s".into(),
        });
        let in_history = Origin {
            path: path.clone(),
            commit: Some(commit),
            blob: Some("0".repeat(40)),
        };
        let a = scan(&scanner, &plain, &Origin::path("a.txt"), &Scope::All);
        let b = scan(&scanner, &moved, &in_history, &Scope::All);
        prop_assert_eq!(a.len(), 1);
        prop_assert_eq!(b.len(), 1);
        prop_assert_eq!(a[0].fingerprint, b[0].fingerprint);
        prop_assert_eq!(a[0].fingerprint, Fingerprint::new(RULE_ID, secret.as_bytes()));
        let c = scan(&scanner, format!("tok_{other}\n").as_bytes(), &Origin::path(path), &Scope::All);
        prop_assert_eq!(c.len(), 1);
        prop_assert_eq!(secret == other, c[0].fingerprint == a[0].fingerprint);
    }

    /// For any old and new line sequences: the lines left out of scope are, in order, lines
    /// of the old text (a line diff's unchanged lines), and a line the old text does not
    /// have is always in scope.
    #[test]
    fn out_of_scope_lines_are_old_lines_in_order(
        old in prop::collection::vec("[abc]{0,2}", 0..16),
        new in prop::collection::vec("[abc]{0,2}", 0..16),
        trailing_newline in any::<bool>(),
    ) {
        let text = |lines: &[String]| {
            let mut text = lines.join("\n");
            if trailing_newline && !lines.is_empty() {
                text.push('\n');
            }
            text
        };
        let (old_text, new_text) = (text(&old), text(&new));
        let scope = added_lines(old_text.as_bytes(), new_text.as_bytes());
        // The lines the texts hold: an empty text has none, even if it was one empty line.
        let (old, new) = (lines_of(&old_text), lines_of(&new_text));
        let kept: Vec<&str> = new
            .iter()
            .enumerate()
            .filter(|(i, _)| !scope.contains(*i as u32 + 1))
            .map(|(_, line)| *line)
            .collect();
        let mut rest = old.iter();
        for line in &kept {
            prop_assert!(rest.any(|o| o == line), "{:?} is not an old line in order", line);
        }
        for (i, line) in new.iter().enumerate() {
            if !old.contains(line) {
                prop_assert!(scope.contains(i as u32 + 1), "new line {} ({:?})", i + 1, line);
            }
        }
        // Equal lines are not enough: a last line that loses (or gains) its newline changed,
        // as git's diff says ("\ No newline at end of file"), and is in scope.
        if old_text == new_text && !old.is_empty() {
            prop_assert!(scope.is_empty());
        }
    }

    /// Inserting lines into a file puts exactly the inserted lines in scope, and the scanner
    /// reports a secret on an inserted line but never one on an unchanged line.
    #[test]
    fn only_inserted_lines_are_in_scope(
        old in prop::collection::vec("[ab]{0,3}", 1..16),
        inserts in prop::collection::vec((any::<prop::sample::Index>(), secret()), 1..4),
        kept_secret in secret(),
    ) {
        let mut old = old;
        // A secret on an old line: it stays, unchanged, in the new text.
        let kept_at = old.len() / 2;
        old.insert(kept_at, format!("k = tok_{kept_secret}"));
        let mut new = old.clone();
        let mut inserted: Vec<String> = Vec::new();
        for (at, secret) in &inserts {
            let line = format!("added tok_{secret}");
            new.insert(at.index(new.len() + 1), line.clone());
            inserted.push(line);
        }
        prop_assume!(!inserts.iter().any(|(_, s)| *s == kept_secret));
        let old_text = old.join("\n") + "\n";
        let new_text = new.join("\n") + "\n";
        let scope = added_lines(old_text.as_bytes(), new_text.as_bytes());
        for (i, line) in new.iter().enumerate() {
            let is_inserted = inserted.contains(line);
            prop_assert_eq!(scope.contains(i as u32 + 1), is_inserted, "line {} {:?}", i + 1, line);
        }
        let found = scan(&scanner(), new_text.as_bytes(), &Origin::path("a.txt"), &scope);
        prop_assert!(found.iter().all(|f| f.secret != kept_secret), "unchanged line reported");
        prop_assert_eq!(found.len(), inserts.len());
    }
}
