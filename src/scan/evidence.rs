//! Evidence that a credential is test, documentation or message data rather than a live
//! secret, and how much of it a rule's finding must yield to.
//!
//! A *generic* rule recognises a credential by its name or its syntax (`password = "…"`,
//! `user:pass@host`), not by a distinctive format, so in ordinary code it mostly finds test
//! passwords, documented examples and UI strings. Each signal below is weak alone: a real
//! password does get pasted into a test. Where two agree (a test file and a test function, a
//! fixture and a `localhost` host) the finding is dropped with the signals as its reason; a
//! single signal lowers it to `low`. A translation catalog's values are messages, and a
//! documentation block (`@example`, an `EXAMPLES` docstring) says its values are examples:
//! either decides alone. Distinctive and checksum-valid tokens never consult this.
//! See: issue 18.

use std::fmt;

/// One kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A directory or file name says tests (`tests/`, `test_api.py`, `client.spec.ts`).
    TestPath,
    /// A data file among tests or a fixtures directory (`tests/vars/main.yml`, `testdata/`),
    /// or a Python module of recorded data under tests (see `signals::data_module`).
    FixtureFile,
    /// Documentation: `docs/`, `*.md`, `*.rst`, an API's `examples` file.
    DocsPath,
    /// The line sits in a test function or test module (`def test_…`, `#[test]`, `it(…`).
    TestCode,
    /// The line compares or asserts the value (`assert`, `==`, `expect(`).
    Assertion,
    /// The line names a host that is never production (`localhost`, `example.com`).
    ExampleHost,
    /// The value says what it is: `test`, `dummy`, `fake`, `mock`, `sample`, `password`...
    TestValue,
    /// A documentation block or marker: an `EXAMPLES` docstring, `@example`, a doctest.
    DocMarker,
    /// A translation catalog (`translations/de.json`, `locales/`, `*.po`): values are messages.
    MessageCatalog,
    /// The value's shape is data or code: a path, an identifier, a content hash, base64 of
    /// JSON or an image (see `signals::value`).
    DataValue,
    /// A test class encloses the line (`class LoginTests(TestCase)`, `class bcrypt_test`).
    TestClass,
    /// The name the value is assigned to names or refers to a credential, it does not hold
    /// one (`secret_ref`, `tokenizer_class`, `NextContinuationToken`; see `signals::key_name`).
    NamingKey,
    /// The value is code, not a literal: an identifier or expression (`config[KEY]`).
    CodeValue,
    /// A commented line of a file whose every line is a comment: a sample configuration
    /// that sets nothing (see `sample_config`).
    SampleConfig,
    /// The name the value is assigned to says it is a stand-in or a product's default
    /// (`DUMMY_SECRET`, `TEST_HASH`, `DEFAULT_PASSWORD`; see `signals::key_name`), or the code
    /// or layout says it is a published default (a `def` parameter's default, an Ansible
    /// role's `defaults/`; see `signals::defaults`).
    StandInName,
    /// The value is a password hash (`$6$…`, `$2b$…`, `{SSHA}…`): data about a password,
    /// not the password. Beside another signal but a bare test path it decides (a hashing
    /// library's documentation and fixtures print thousands); alone it says nothing, so a
    /// `user:hash` line of a real shadow file keeps its confidence.
    PasswordHash,
    /// A JSON Web Token whose claims are a tutorial's, name a test or an example host
    /// (see `jwt::example_claims`): made to show or test JWT handling. Alone it lowers the
    /// token; beside a test or docs path it decides.
    ExampleToken,
    /// A signed URL past its own expiry (an Azure SAS's `se=`; see `sas`): it grants
    /// nothing as it stands. Alone it lowers the finding; beside a test or docs path it
    /// decides.
    ExpiredSignature,
    /// A test framework runs the file as a test: an ansible-test target
    /// (`tests/integration/targets/<target>/`), a Molecule scenario (see `signals::layout`).
    TestTarget,
    /// The file replaces the services it calls with mocks: it imports or calls a mocking
    /// library (`unittest.mock`, `jest.mock(`, `gomock`; see `signals::mocks`).
    MockedCalls,
    /// A playbook or inventory that a published Ansible collection ships for its users to
    /// read (`ansible_collections/<namespace>/<name>/playbooks/`; see `signals::layout`).
    PublishedPlaybook,
    /// A JSON Web Token that cannot be replayed as it stands: unsigned (`alg: none`, or a
    /// signature of the wrong length) or past its own `exp` (see `jwt::judge`). Alone it
    /// lowers the token; beside a test or docs path or an example block it decides.
    InertToken,
    /// A private key block whose body does not decode to a key: cut short in a document
    /// (`MIIE…` and two lines), or made up (the base64 alphabet, line after line). Alone
    /// it lowers the block; beside a test or docs path or an example block it decides.
    BrokenKey,
    /// A vendor's documented example credential stands within a few lines (`AKIDEXAMPLE`,
    /// `…EXAMPLEKEY`; see `signals::vendor_example`): the value beside it is the example's.
    /// Alone it lowers the finding; beside a test or docs path it decides.
    ExampleCredential,
    /// The account says what it is: its user (or database) and its password both say test,
    /// or an anonymous login gives an e-mail address as its password (see `test_account`).
    TestAccount,
}

const ALL: [Signal; 25] = [
    Signal::TestPath,
    Signal::FixtureFile,
    Signal::DocsPath,
    Signal::TestCode,
    Signal::Assertion,
    Signal::ExampleHost,
    Signal::TestValue,
    Signal::DocMarker,
    Signal::MessageCatalog,
    Signal::DataValue,
    Signal::TestClass,
    Signal::NamingKey,
    Signal::CodeValue,
    Signal::SampleConfig,
    Signal::StandInName,
    Signal::PasswordHash,
    Signal::ExampleToken,
    Signal::ExpiredSignature,
    Signal::TestTarget,
    Signal::MockedCalls,
    Signal::PublishedPlaybook,
    Signal::InertToken,
    Signal::BrokenKey,
    Signal::ExampleCredential,
    Signal::TestAccount,
];

impl Signal {
    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// A short phrase for `explain`.
    pub fn describe(self) -> &'static str {
        match self {
            Signal::TestPath => "test path",
            Signal::FixtureFile => "fixture file",
            Signal::DocsPath => "documentation path",
            Signal::TestCode => "test function",
            Signal::Assertion => "assertion or comparison",
            Signal::ExampleHost => "localhost or example host",
            Signal::TestValue => "value says test or names itself",
            Signal::DocMarker => "documentation example block",
            Signal::MessageCatalog => "translation catalog",
            Signal::DataValue => {
                "value is data, not a credential (a path, identifier, hash or encoded structure)"
            }
            Signal::TestClass => "test class",
            Signal::NamingKey => "the key names a credential (its type, class, reference or parameter), not its value",
            Signal::CodeValue => "value is code (an identifier or expression), not a literal",
            Signal::SampleConfig => "commented line of a sample configuration (a file of comments only)",
            Signal::StandInName => {
                "the name says test, dummy, example or default, or the value is a published default"
            }
            Signal::PasswordHash => "value is a password hash, not a password",
            Signal::ExampleToken => {
                "the token's claims are a tutorial's or name a test or an example host"
            }
            Signal::ExpiredSignature => "the signed URL is past its own expiry (se=)",
            Signal::TestTarget => {
                "a test framework runs the file as a test (an ansible-test target, a Molecule scenario)"
            }
            Signal::MockedCalls => "the file mocks the services it calls (a mocking library)",
            Signal::PublishedPlaybook => {
                "a sample playbook or inventory shipped in a published Ansible collection"
            }
            Signal::InertToken => "the token is unsigned or past its own expiry (exp)",
            Signal::BrokenKey => "the key block's body is not a key (cut short or made up)",
            Signal::ExampleCredential => {
                "a vendor's documented example credential beside it (AKIDEXAMPLE, …EXAMPLEKEY)"
            }
            Signal::TestAccount => {
                "a test or anonymous account (user and password say test, or an anonymous login's e-mail)"
            }
        }
    }
}

/// A set of [`Signal`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signals(u32);

impl Signals {
    pub fn add(&mut self, signal: Signal) {
        self.0 |= signal.bit();
    }

    /// Adds `signal` when `present`.
    pub fn add_if(&mut self, present: bool, signal: Signal) {
        if present {
            self.add(signal);
        }
    }

    pub fn has(self, signal: Signal) -> bool {
        self.0 & signal.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn union(self, other: Signals) -> Signals {
        Signals(self.0 | other.0)
    }

    /// How many independent signals agree. A test path and a docs path are one place, so
    /// count once; every other signal counts on its own.
    pub fn agreeing(self) -> u32 {
        let places = Signal::TestPath.bit() | Signal::DocsPath.bit();
        let place = u32::from(self.0 & places != 0);
        place + (self.0 & !places).count_ones()
    }
}

impl fmt::Display for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for signal in ALL.into_iter().filter(|s| self.has(*s)) {
            if !first {
                f.write_str(", ")?;
            }
            f.write_str(signal.describe())?;
            first = false;
        }
        Ok(())
    }
}

/// What the evidence does to a generic finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    /// No evidence: the rule's confidence stands.
    None,
    /// One signal: reported at `low` at most.
    Lower,
    /// Signals agree, or a catalog's message: not reported by default.
    Drop,
}

/// Weighs the signals gathered for a generic finding whose value is `random` (generated,
/// not typed): for such a value, where it sits (test, docs or fixture paths) counts once,
/// since real secrets do get pasted into tests.
pub(crate) fn weigh(signals: Signals, random: bool) -> Weight {
    // A hash beside other evidence is that evidence's test vector or documented example;
    // alone it keeps the rule's confidence (see `Signal::PasswordHash`). A test path alone
    // lowers it, as it lowers anything: a hash beside test code may still be a real one.
    if signals.has(Signal::PasswordHash) {
        let others = signals.0 & !Signal::PasswordHash.bit();
        return match others {
            0 => Weight::None,
            only if only == Signal::TestPath.bit() => Weight::Lower,
            _ => Weight::Drop,
        };
    }
    let places = Signal::TestPath.bit() | Signal::DocsPath.bit() | Signal::FixtureFile.bit();
    let agreeing = if random {
        u32::from(signals.0 & places != 0) + (signals.0 & !places).count_ones()
    } else {
        signals.agreeing()
    };
    // A catalog's values are messages, a documentation block says in so many words that
    // what it holds is an example, a sample configuration's comments set nothing, and a
    // value shaped as a path, identifier or hash, a value that is code, or one assigned to
    // a name that only names a credential is not a credential at all, and an account whose
    // user and password both say test is a test's: each decides alone.
    let decisive = signals.has(Signal::MessageCatalog)
        || signals.has(Signal::DocMarker)
        || signals.has(Signal::SampleConfig)
        || signals.has(Signal::DataValue)
        || signals.has(Signal::NamingKey)
        || signals.has(Signal::CodeValue)
        || signals.has(Signal::TestAccount);
    // A value's own words alone do not lower it: a weak production password
    // (`Summer1234`) in credential syntax is the worst kind of leak (issue 14).
    let value_only = signals.0 == Signal::TestValue.bit();
    if decisive || agreeing >= 2 {
        Weight::Drop
    } else if signals.is_empty() || value_only {
        Weight::None
    } else {
        Weight::Lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(signals: &[Signal]) -> Signals {
        let mut out = Signals::default();
        for &s in signals {
            out.add(s);
        }
        out
    }

    #[test]
    fn signals_are_weighed_by_how_many_agree() {
        use Signal::*;
        let cases: &[(&[Signal], Weight)] = &[
            (&[], Weight::None),
            (&[TestPath], Weight::Lower),
            (&[TestValue], Weight::None),
            (&[TestPath, DocsPath], Weight::Lower),
            (&[TestPath, TestCode], Weight::Drop),
            (&[FixtureFile, TestPath], Weight::Drop),
            (&[ExampleHost, TestValue], Weight::Drop),
            (&[MessageCatalog], Weight::Drop),
            (&[DocMarker], Weight::Drop),
            (&[DataValue], Weight::Drop),
            (&[TestPath, TestClass], Weight::Drop),
            (&[SampleConfig], Weight::Drop),
            (&[StandInName], Weight::Lower),
            (&[StandInName, TestValue], Weight::Drop),
            (&[PasswordHash], Weight::None),
            (&[PasswordHash, TestPath], Weight::Lower),
            (&[PasswordHash, TestPath, TestValue], Weight::Drop),
            (&[PasswordHash, DocsPath], Weight::Drop),
            (&[PasswordHash, StandInName], Weight::Drop),
            (&[ExampleToken], Weight::Lower),
            (&[ExampleToken, TestPath], Weight::Drop),
            (&[ExampleToken, DocsPath], Weight::Drop),
            (&[ExpiredSignature], Weight::Lower),
            (&[ExpiredSignature, TestPath], Weight::Drop),
            (&[InertToken], Weight::Lower),
            (&[InertToken, DocsPath], Weight::Drop),
            (&[InertToken, DocMarker], Weight::Drop),
            (&[BrokenKey], Weight::Lower),
            (&[BrokenKey, TestPath], Weight::Drop),
            (&[ExampleCredential], Weight::Lower),
            (&[ExampleCredential, FixtureFile], Weight::Drop),
            (&[PublishedPlaybook], Weight::Lower),
            (&[PublishedPlaybook, TestValue], Weight::Drop),
            (&[MockedCalls], Weight::Lower),
            (&[PasswordHash, TestPath, MockedCalls], Weight::Drop),
        ];
        for &(signals, want) in cases {
            assert_eq!(weigh(set(signals), false), want, "{signals:?}");
        }
        let random: &[(&[Signal], Weight)] = &[
            (&[FixtureFile, TestPath], Weight::Lower),
            (&[TestPath, TestCode], Weight::Drop),
            // A test framework's target and a mocked module are test code, not a place.
            (&[FixtureFile, TestPath, TestTarget], Weight::Drop),
            (&[TestPath, MockedCalls], Weight::Drop),
            (&[TestPath], Weight::Lower),
            // A random-looking body or token is not what makes it usable.
            (&[BrokenKey, TestPath, FixtureFile], Weight::Drop),
            (&[InertToken, TestPath], Weight::Drop),
        ];
        for &(signals, want) in random {
            assert_eq!(weigh(set(signals), true), want, "random {signals:?}");
        }
    }

    #[test]
    fn signals_read_as_a_list() {
        let signals = set(&[Signal::TestCode, Signal::TestPath]);
        assert_eq!(signals.to_string(), "test path, test function");
        assert_eq!(Signals::default().to_string(), "");
    }
}
