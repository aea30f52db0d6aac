//! Masks every secret of a line in the text each finding shows, not only its own.
//!
//! A finding masks its own secret when shown (`Finding::shown_line`), but one line can hold
//! several (`KEY_ID=... SECRET=...`), and each finding's excerpt would print the others in
//! full. The excerpt is also cut to a window, which can cut a neighbouring secret in two.

use crate::finding::{redact, Finding};

/// A neighbour's secret cut by the window edge is masked if at least this many of its
/// characters show; fewer reveal next to nothing, and masking them would hide ordinary text.
const MIN_CUT_CHARS: usize = 3;

/// Masks, in the line text of each finding, the secrets of every finding on the same line.
/// `findings` must be sorted by path and line. Run it before suppression, so a known
/// secret next to a new one stays masked too.
pub fn mask_shared_lines(findings: &mut [Finding]) {
    for group in findings.chunk_by_mut(|a, b| a.path == b.path && a.line == b.line) {
        if group.len() < 2 {
            continue;
        }
        let mut secrets: Vec<String> = group
            .iter()
            .filter_map(|f| f.secret.lines().next())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        // Longest first: a secret that contains another is masked whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        for finding in group.iter_mut() {
            for secret in &secrets {
                finding.line_text = mask(&finding.line_text, secret);
            }
        }
    }
}

/// Masks `secret` in an excerpt: whole occurrences, and a part cut by either end of the
/// window (the excerpt marks a cut with `…`).
fn mask(text: &str, secret: &str) -> String {
    let mut out = text.replace(secret, &redact(secret));
    if let Some(body) = out.strip_suffix('…') {
        let keep = redact(secret).chars().count() - "*****".len();
        let cut = secret
            .char_indices()
            .rev()
            .map(|(end, _)| &secret[..end])
            .take_while(|prefix| prefix.chars().count() > keep.max(MIN_CUT_CHARS - 1))
            .find(|prefix| body.ends_with(prefix));
        if let Some(prefix) = cut {
            out = format!("{}{}…", &body[..body.len() - prefix.len()], redact(secret));
        }
    }
    if let Some(body) = out.strip_prefix('…') {
        let cut = secret
            .char_indices()
            .skip(1)
            .map(|(start, _)| &secret[start..])
            .take_while(|suffix| suffix.chars().count() >= MIN_CUT_CHARS)
            .find(|suffix| body.starts_with(suffix));
        if let Some(suffix) = cut {
            out = format!("…*****{}", &body[suffix.len()..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn secrets_are_masked_whole_or_where_the_window_cuts_them() {
        let secret = "ghp_0123456789abcdefghij";
        let cases: &[(&str, &str)] = &[
            ("A=ghp_0123456789abcdefghij B=1", "A=ghp_01***** B=1"),
            (
                "x ghp_0123456789abcdefghij ghp_0123456789abcdefghij",
                "x ghp_01***** ghp_01*****",
            ),
            ("A=1 B=ghp_0123456789…", "A=1 B=ghp_01*****…"),
            ("…789abcdefghij B=1", "…***** B=1"),
            ("A=1 B=ghp_01…", "A=1 B=ghp_01…"),
            ("…ij B=1", "…ij B=1"),
            ("no secret here…", "no secret here…"),
            ("plain", "plain"),
        ];
        for &(text, want) in cases {
            assert_eq!(mask(text, secret), want, "{text:?}");
        }
    }
}
