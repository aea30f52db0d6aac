//! `leakward explain`: why each candidate in a file was reported or not.
//!
//! A user should never have to guess: for every rule the keyword prefilter picked, this shows
//! what its regex matched and which stage (entropy, placeholder, allowlist, inline marker,
//! overlap, ignore file, baseline) kept or dropped each match.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::options::Options;
use super::Session;
use crate::bounded::{self, Failure};
use crate::chunk::{Chunk, Origin, Scope};
use crate::error::{Error, Reason, Result};
use crate::scan::allow::AllowReason;
use crate::scan::{text_runs, Examined, Suppression};
use crate::source::stdin;
use crate::suppress::Suppressed;

/// Runs `leakward explain` on `path`, only for matches on `line` if given. `root` holds the
/// policy files: the same root as `leakward scan FILE`, so both read the same
/// `.leakward.toml` and `.leakwardignore` and agree on every verdict.
pub(super) fn run(
    path: &Path,
    line: Option<u32>,
    root: &Path,
    options: &Options,
) -> Result<ExitCode> {
    let from_stdin = path == Path::new("-");
    let mut session = Session::new(options, root, false)?;
    session
        .suppressions
        .set_root(&root.to_string_lossy().replace('\\', "/"));
    let (bytes, display) = if from_stdin {
        (
            stdin::read_whole(session.max_file_size(), "the input to explain")?,
            stdin::STDIN_PATH.to_string(),
        )
    } else {
        // The same limit as `scan`: explaining a file must not read more than scanning it.
        let bytes =
            bounded::read_file(path, session.max_file_size()).map_err(|e| Error::Input {
                path: path.to_path_buf(),
                reason: Reason::from(match e {
                    Failure::TooLarge(_) => format!("{e} (raise with --max-file-size)"),
                    _ => e.to_string(),
                }),
            })?;
        let text = crate::path_text::from_path(path);
        (bytes, text.strip_prefix("./").unwrap_or(&text).to_string())
    };
    // Binary content is judged by its text runs, as `scan` judges it (same offsets, lines).
    let bytes = if text_runs::looks_binary(&bytes) {
        text_runs::mask(&bytes)
    } else {
        bytes
    };
    let origin = Origin::path(display);
    let chunk = Chunk {
        bytes: &bytes,
        origin: &origin,
        scope: &Scope::All,
    };
    if let Some(line) = line {
        // A last line without a final line break is a line too.
        let lines = memchr::memchr_iter(b'\n', &bytes).count()
            + usize::from(bytes.last().is_some_and(|&b| b != b'\n'));
        if line == 0 || line as usize > lines {
            return Err(Error::Usage(format!(
                "--line {line} is not a line of {}: it has {lines}",
                crate::report::text::safe(&chunk.origin.path)
            )));
        }
    }
    let text = explain(&session, &chunk, line);
    let _ = io::stdout().lock().write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn explain(session: &Session, chunk: &Chunk, only_line: Option<u32>) -> String {
    let scanner = &session.scanner;
    let rules = scanner.rules();
    let mut out = format!(
        "{} ({} bytes)\n",
        crate::report::text::safe(&chunk.origin.path),
        chunk.bytes.len()
    );
    let candidates = scanner.candidates(chunk);
    let mut plain = scanner.scan(chunk).findings;
    plain.retain(|f| f.layers.is_empty());
    let layered = scanner.layered(chunk, &mut plain);
    explain_layered(session, &layered, only_line, &mut out);
    if candidates.is_empty() && layered.is_empty() {
        out.push_str(
            "no rule's keywords occur in it (or its path is allowlisted): nothing was matched\n",
        );
        return out;
    }
    let examined = scanner.examine(chunk);
    for (index, admitted) in candidates {
        let rule = &rules[index];
        if !admitted {
            out.push_str(&format!(
                "{}: keyword found, but the rule only scans other paths\n",
                rule.id
            ));
            continue;
        }
        let matches: Vec<&Examined> = examined.iter().filter(|e| e.rule == index).collect();
        if matches.is_empty() {
            out.push_str(&format!(
                "{}: keyword found, regex did not match\n",
                rule.id
            ));
            continue;
        }
        out.push_str(&format!("{}:\n", rule.id));
        for item in matches {
            let finding = scanner.finding_of(chunk, item);
            if only_line.is_some_and(|line| line != finding.line) {
                continue;
            }
            let verdict = match item.verdict {
                Ok(confidence) => match session.known_entry(&finding) {
                    Some((Suppressed::IgnoreFile, entry)) => {
                        format!("suppressed: ignore file entry {}", entry.describe())
                    }
                    Some((Suppressed::Baseline, entry)) => {
                        format!("suppressed: {}", entry.describe())
                    }
                    None if item.lowered_by.is_empty() => {
                        format!("REPORTED ({confidence} confidence)")
                    }
                    None => format!(
                        "REPORTED ({confidence} confidence, lowered by: {})",
                        item.lowered_by
                    ),
                },
                Err(why) => {
                    let entries = scanner.allow_entries_of(chunk, item);
                    if entries.is_empty() {
                        format!("suppressed: {}", describe(why))
                    } else {
                        format!("suppressed: {}: {}", describe(why), entries.join(", "))
                    }
                }
            };
            out.push_str(&format!(
                "  {}:{} {}  {}  fingerprint {}\n",
                finding.line,
                finding.column,
                crate::report::text::safe(&finding.shown_secret(session.show_secrets())),
                verdict,
                finding.fingerprint
            ));
        }
    }
    out
}

/// The findings made through logical text or decoding layers: where, how, and the text the
/// rules read.
fn explain_layered(
    session: &Session,
    layered: &[crate::scan::layers::Layered],
    only_line: Option<u32>,
    out: &mut String,
) {
    let safe = crate::report::text::safe;
    for found in layered {
        let finding = &found.finding;
        if only_line.is_some_and(|line| line != finding.line) {
            continue;
        }
        out.push_str(&format!(
            "{} (through {}):
  {}:{} {}  REPORTED ({} confidence)  fingerprint {}
  read as: {}
",
            finding.rule_id,
            finding.layers.join(" → "),
            finding.line,
            finding.column,
            safe(&finding.shown_secret(session.show_secrets())),
            finding.confidence,
            finding.fingerprint,
            safe(&found.logical_line(session.show_secrets())),
        ));
    }
}

/// A suppression as a phrase a user can act on.
fn describe(why: Suppression) -> String {
    let allow = |reason: AllowReason| match reason {
        AllowReason::Path => "a path glob",
        AllowReason::SecretRegex => "a regex on the secret",
        AllowReason::LineRegex => "a regex on the line",
        AllowReason::Stopword => "a stopword",
        AllowReason::MatchRegex => "a regex on the match",
        AllowReason::All => "all of its entries",
    };
    match why {
        Suppression::Entropy { got, min } => {
            format!("entropy {got:.2} is below the rule's minimum {min:.2}")
        }
        Suppression::Placeholder => {
            "a placeholder, template reference or documented example".into()
        }
        Suppression::RuleExample => {
            "it is a rule's example (public test data): in the built-in catalog, or on an `examples` line of a rules file".into()
        }
        Suppression::GlobalAllowlist(reason) => format!("the global allowlist ({})", allow(reason)),
        Suppression::RuleAllowlist(reason) => format!("the rule's allowlist ({})", allow(reason)),
        Suppression::InlineMarker => "an inline allow marker on the line".into(),
        Suppression::Checksum => {
            "the token fails its checksum or structure check, so it is not a credential (--report-invalid shows it)".into()
        }
        Suppression::Overlap => "a more specific rule reported the same bytes".into(),
        Suppression::OutOfScope => "the line is not part of the change".into(),
        Suppression::Evidence(signals) => format!(
            "a generic credential in test, documentation or message data ({signals}; `report_test_credentials = true` reports it)"
        ),
        Suppression::PublicKey(source) => format!(
            "public key material: this private key is already published ({source}); `report_public_keys = true` reports it"
        ),
    }
}
