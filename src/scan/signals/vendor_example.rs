//! A vendor's documented example credential beside a match. AWS prints `AKIDEXAMPLE` and
//! `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY` in its request-signing test suite, and
//! `AKIAIOSFODNN7EXAMPLE` throughout its documentation; the session token, signature or
//! password printed a line or two away from them belongs to the same example, not to
//! anyone's account. The example values themselves are never reported (see `placeholder`);
//! this signal weighs what stands beside them. See: issue 18.

use super::super::lines::Lines;

/// How many lines above and below a match a documented example is looked for: a
/// credentials block (`access_key_id`, `secret_access_key`, `token`) or a signed request's
/// headers fit well within.
const NEAR_LINES: u32 = 4;

/// Bytes of a nearby line that are read.
const LINE_BYTES: usize = 400;

/// The endings that mark a vendor's example credential: AWS ends its example key ids with
/// `EXAMPLE` and its example secret keys with `EXAMPLEKEY`.
const EXAMPLE_ENDINGS: &[&[u8]] = &[b"EXAMPLE", b"EXAMPLEKEY"];

/// Shorter runs are words, not credentials (`EXAMPLE` alone is a heading).
const MIN_CREDENTIAL: usize = 11;

/// True if the 1-based `line` or one within [`NEAR_LINES`] of it holds a documented example
/// credential (see [`is_documented_example`]).
pub(super) fn near_documented_example(lines: &Lines, line: u32) -> bool {
    let last = lines.line_of(usize::MAX);
    let from = line.saturating_sub(NEAR_LINES).max(1);
    let to = line.saturating_add(NEAR_LINES).min(last);
    (from..=to).any(|at| {
        let text = lines.line_bytes(at);
        text[..text.len().min(LINE_BYTES)]
            .split(|b| !(b.is_ascii_alphanumeric() || *b == b'+'))
            .any(is_documented_example)
    })
}

/// True if `run` (letters, digits and `+`; a `/` ends it, as in `Credential=AKIDEXAMPLE/…`)
/// is a credential that ends the way a vendor's documented examples end (`AKIDEXAMPLE`,
/// `…CYEXAMPLEKEY`, AWS's request ids `…be587EXAMPLE`). Generated credentials end in
/// upper-case `EXAMPLE` about once in 10^12.
fn is_documented_example(run: &[u8]) -> bool {
    run.len() >= MIN_CREDENTIAL && EXAMPLE_ENDINGS.iter().any(|end| run.ends_with(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(text: &str, line: u32) -> bool {
        near_documented_example(&Lines::new(text.as_bytes()), line)
    }

    #[test]
    fn a_documented_example_a_few_lines_away_is_found() {
        let block = "{\n  \"access_key_id\": \"AKIDEXAMPLE\",\n  \"token\": \"6e86f2\"\n}\n";
        assert!(near(block, 3));
        let request = "X-Amz-Security-Token:6e86f2\nX-Amz-Date:20150830T123600Z\n\
                       Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1\n";
        assert!(near(request, 1));
        let secret = "key = \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"\ntoken = \"6e86f2\"\n";
        assert!(near(secret, 2));
    }

    #[test]
    fn words_and_far_lines_are_not_examples() {
        assert!(!near("# EXAMPLE\ntoken = \"6e86f2\"\n", 2));
        assert!(!near("id = \"AKIDEXAMPLES\"\ntoken = \"6e86f2\"\n", 2));
        let far = format!(
            "id = \"AKIDEXAMPLE\"\n{}token = \"6e86f2\"\n",
            "\n".repeat(5)
        );
        assert!(!near(&far, 7));
    }
}
