//! Gathers the [`Signals`] around one match: its file's path, the text near it on its line,
//! the code block that encloses it, and the value itself.
//!
//! Only text near the match is read (a window of [`WINDOW`] bytes each side), so a line of
//! minified JavaScript holding thousands of matches costs no more per match than a short one.

mod data_module;
mod defaults;
mod hashed_name;
mod identifiers;
mod key_name;
mod layout;
mod mocks;
mod sibling_host;
mod value;
mod vendor_example;

use std::ops::Range;

use super::context;
use super::evidence::{Signal, Signals};
use super::line_facts::LineFacts;
use super::lines::Lines;

pub(super) use data_module::{is_configuration, is_python_data_module};
pub(super) use hashed_name::names_a_hash;
pub(super) use mocks::mocks_its_calls;

/// Bytes read on each side of a match.
const WINDOW: usize = 160;

/// Words on the line that assert or compare.
const ASSERTIONS: &[&[u8]] = &[
    b"assert",
    b"expect(",
    b"should",
    b"==",
    b"!=",
    b"tobe(",
    b"toequal(",
];

/// Words in a value that say it is a stand-in, or that name the credential itself.
const TEST_VALUE_WORDS: &[&[u8]] = &[
    b"test",
    b"dummy",
    b"fake",
    b"mock",
    b"sample",
    b"sentinel",
    b"passw",
    b"pass1",
    b"pass_",
    b"secret",
    b"pwd",
    b"letmein",
    b"qwerty",
    b"1234",
    b"abcd",
    // `p@ss`: the password spelled as people type it into a form (`MyP@ssworD`, `P@ss1`).
    b"p@ss",
];

/// One match, where it sits.
pub(super) struct Place<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
    pub lines: &'a Lines<'a>,
    /// 1-based line of the secret's start.
    pub line: u32,
    pub secret: Range<usize>,
}

/// Every signal around `place`.
pub(super) fn gather(place: &Place, facts: &mut LineFacts) -> Signals {
    let mut signals = facts.path_signals(place.path);
    let secret = &place.bytes[place.secret.clone()];
    let span = place.lines.span(place.line);
    let start = place.secret.start.saturating_sub(WINDOW).max(span.start);
    let end = (place.secret.end + WINDOW).min(span.end.max(place.secret.end));
    let window = place.bytes[start..end].to_ascii_lowercase();
    // The value's own bytes do not compare anything: base64 padding (`…A==`) is not `==`.
    // Blank the value, and any padding that follows it outside the match.
    let mut own_end = place.secret.end;
    while own_end < end && place.bytes[own_end] == b'=' {
        own_end += 1;
    }
    let mut around = window.clone();
    around[place.secret.start - start..own_end - start].fill(b' ');
    // A dotenv file is a deployment's environment: a local host there is where the
    // deployment's database runs, not a sign of test data. The host may stand on the line
    // or on a sibling line of the same block (`host: localhost` above `password: …`).
    signals.add_if(
        (super::context::names_local_host(&window)
            || sibling_host::sibling_names_local_host(place.lines, place.line))
            && !super::context::is_env_file(place.path),
        Signal::ExampleHost,
    );
    signals.add_if(
        ASSERTIONS
            .iter()
            .any(|n| memchr::memmem::find(&around, n).is_some()),
        Signal::Assertion,
    );
    let line = place.lines.line_bytes(place.line).trim_ascii_start();
    signals.add_if(
        line.starts_with(b">>> ")
            || line.starts_with(b"///")
            || line.starts_with(b"//!")
            || facts.is_documentation_example(place.lines, place.line)
            || facts.in_documentation_block(place.path, place.bytes, place.secret.start)
            || facts.in_example_section(place.lines, place.line)
            || facts.in_literal_block(place.path, place.lines, place.line),
        Signal::DocMarker,
    );
    signals.add_if(
        facts.in_commented_template(place.path, place.bytes, place.lines, place.line),
        Signal::SampleConfig,
    );
    signals.add_if(
        facts.in_test_code(place.path, place.lines, place.line),
        Signal::TestCode,
    );
    signals.add_if(
        facts.in_test_class(place.path, place.lines, place.line),
        Signal::TestClass,
    );
    signals.add_if(
        value::data_kind(secret).is_some()
            || identifiers::identifier_kind(place.path, secret).is_some(),
        Signal::DataValue,
    );
    signals.add_if(
        key_name::names_not_holds(place.bytes, &span, &place.secret),
        Signal::NamingKey,
    );
    signals.add_if(
        key_name::is_code_value(place.path, place.bytes, &span, &place.secret)
            || (!is_quoted(place) && identifiers::is_code_expression(place.path, secret)),
        Signal::CodeValue,
    );
    signals.add_if(
        key_name::names_stand_in(place.bytes, &span, &place.secret)
            || defaults::is_published_default(place.path, place.bytes, &span, &place.secret),
        Signal::StandInName,
    );
    signals.add_if(says_test(secret), Signal::TestValue);
    signals.add_if(facts.mocks_its_calls(place.bytes), Signal::MockedCalls);
    signals.add_if(
        vendor_example::near_documented_example(place.lines, place.line),
        Signal::ExampleCredential,
    );
    // A Python module of recorded data under tests is a fixture written as code.
    signals.add_if(
        signals.has(Signal::TestPath) && facts.is_python_data_module(place.path, place.bytes),
        Signal::FixtureFile,
    );
    signals
}

/// True if a quote stands right before the value: it is a string literal's text.
fn is_quoted(place: &Place) -> bool {
    place.secret.start > 0 && b"\"'`".contains(&place.bytes[place.secret.start - 1])
}

/// The signals a path alone gives.
pub(super) fn path_signals(path: &str) -> Signals {
    let mut signals = Signals::default();
    signals.add_if(context::is_test_path(path), Signal::TestPath);
    signals.add_if(context::is_fixture_file(path), Signal::FixtureFile);
    signals.add_if(context::is_docs_path(path), Signal::DocsPath);
    signals.add_if(context::is_message_catalog(path), Signal::MessageCatalog);
    signals.add_if(context::is_examples_file(path), Signal::DocMarker);
    signals.add_if(layout::is_test_target(path), Signal::TestTarget);
    signals.add_if(
        layout::is_published_playbook(path),
        Signal::PublishedPlaybook,
    );
    signals
}

/// True if the value holds a word that says test, or names a credential (`anewpassword`,
/// `super_secret_1`), or ends in a run of climbing digits (`admin123`, `catalyst@123`,
/// `C2sco456!`): people type such values to fill a field; generated secrets hold such a
/// word about once in a million, and end in a climbing run about once in 30,000.
pub(super) fn says_test(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    // `foo` and `bar` count only as the whole value: inside one they are as often a word of a
    // real password (`Harbor`, `Embargo`, `KJGdX6bAr`).
    TEST_VALUE_WORDS
        .iter()
        .any(|w| memchr::memmem::find(&lower, w).is_some())
        || matches!(
            lower.as_slice(),
            b"foo" | b"bar" | b"foobar" | b"foo_bar" | b"baz"
        )
        || ends_in_climbing_digits(value)
}

/// True if `value`, less any trailing punctuation, ends in three or more digits that climb
/// one by one (`123`, `456`, `6789`) after at least one letter: the run people append to
/// a word to satisfy a form's rule for digits.
fn ends_in_climbing_digits(value: &[u8]) -> bool {
    let end = value.len()
        - value
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_punctuation())
            .count();
    let value = &value[..end];
    let digits = value
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (word, run) = value.split_at(value.len() - digits);
    digits >= 3
        && word.iter().any(u8::is_ascii_alphabetic)
        && run.windows(2).all(|w| w[1] == w[0] + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals_of(path: &str, text: &str, secret: &str) -> Signals {
        let at = text.find(secret).unwrap();
        let lines = Lines::new(text.as_bytes());
        let place = Place {
            path,
            bytes: text.as_bytes(),
            lines: &lines,
            line: lines.line_of(at),
            secret: at..at + secret.len(),
        };
        gather(&place, &mut LineFacts::default())
    }

    #[test]
    fn signals_around_a_match_are_gathered() {
        use Signal::*;
        let cases: &[(&str, &str, &str, &[Signal])] = &[
            (
                "src/db.py",
                "password = \"Kq8vZ2xLmT4p\"\n",
                "Kq8vZ2xLmT4p",
                &[],
            ),
            (
                "tests/test_db.py",
                "def test_login():\n    login(password=\"Kq8vZ2xLmT4p\")\n",
                "Kq8vZ2xLmT4p",
                &[TestPath, TestCode],
            ),
            (
                "src/db.py",
                "connect(host=\"localhost\", password=\"anewpassword\")\n",
                "anewpassword",
                &[ExampleHost, TestValue],
            ),
            (
                "src/db.py",
                "assert user.password == \"Kq8vZ2xLmT4p\"\n",
                "Kq8vZ2xLmT4p",
                &[Assertion],
            ),
            (
                "plugins/modules/x.py",
                "EXAMPLES = r'''\n- x:\n    password: \"Kq8vZ2xLmT4p\"\n'''\n",
                "Kq8vZ2xLmT4p",
                &[DocMarker],
            ),
            (
                "src/auth.rs",
                "/// let password = \"Kq8vZ2xLmT4p\";\n",
                "Kq8vZ2xLmT4p",
                &[DocMarker],
            ),
            (
                "salt/modules/pagerduty.py",
                "'''\nConfigure:\n\n    pagerduty.password: Kq8vZ2xLmT4p\n'''\nimport os\n",
                "Kq8vZ2xLmT4p",
                &[DocMarker],
            ),
            (
                "conf/cloud.providers",
                "# Sample\n#my-config:\n#  driver: x\n#  user: admin\n#  password: Kq8vZ2xLmT4p\n",
                "Kq8vZ2xLmT4p",
                &[SampleConfig],
            ),
            (
                "hue/translations/de.json",
                "{\"password\": \"Kennwortfeld\"}\n",
                "Kennwortfeld",
                &[MessageCatalog],
            ),
        ];
        for &(path, text, secret, want) in cases {
            let mut expected = Signals::default();
            for &s in want {
                expected.add(s);
            }
            assert_eq!(signals_of(path, text, secret), expected, "{path}: {text}");
        }
    }

    #[test]
    fn typed_values_say_test_and_generated_ones_do_not() {
        for typed in [
            "maglev123",
            "catalyst@123",
            "C2sco456!",
            "Admin_6789",
            "MyP@ssworD",
            "anewpassword",
        ] {
            assert!(says_test(typed.as_bytes()), "{typed}");
        }
        for generated in [
            "Kq8vZ2xLmT4p",
            "tuFrAxahuYe4",
            "x9Lq2W7b135",
            "Zr8Q1321",
            "0123",
            "Wq7z!123Xb",
        ] {
            assert!(!says_test(generated.as_bytes()), "{generated}");
        }
    }

    #[test]
    fn base64_padding_is_not_a_comparison() {
        // Built here, so this file holds no hash for the scanner to find.
        let secret = format!("{{SSHA}}{}", "YV08J0jvCQy7Glnw".repeat(2));
        let text = format!("userPassword: {secret}==\n");
        assert!(!signals_of("users.ldif", &text, &secret).has(Signal::Assertion));
        let text = format!("assert user.password == \"{secret}==\"\n");
        assert!(signals_of("users.ldif", &text, &secret).has(Signal::Assertion));
    }

    #[test]
    fn a_window_bounds_what_is_read_on_a_long_line() {
        let far = format!(
            "password = \"Kq8vZ2xLmT4p\"{}localhost\n",
            " ".repeat(WINDOW * 2)
        );
        assert!(!signals_of("src/a.js", &far, "Kq8vZ2xLmT4p").has(Signal::ExampleHost));
    }
}
