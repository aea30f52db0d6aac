//! Whether a file replaces the services it talks to with mocks: it imports or calls a
//! mocking library (`unittest.mock`, `MagicMock`, `@patch(`, `jest.mock(`, `sinon.stub`,
//! `gomock`, `Mockito`, `mockall`...).
//!
//! Unit tests of API clients hand made-up credentials to clients whose network calls are
//! patched out: a key assigned at the top of such a module (`access_key = "…"` in two dozen
//! test modules of one package) reaches no service. A real key pasted into a test reaches
//! one only where the calls are live, so a mocked module is evidence beside its test path,
//! not a verdict alone (see `evidence::weigh`). Read once per file. See: issue 18.

/// What a file that mocks its calls says, in the languages whose tests do it most. Each is
/// the library's own name or call, spelled as code spells it.
const MOCKING: &[&[u8]] = &[
    // Python.
    b"unittest.mock",
    b"from unittest import mock",
    b"from mock import",
    // A project's own re-export (`from tests.support.mock import patch`), `pytest_mock`.
    b".mock import",
    b"_mock import",
    b"import mock\n",
    b"MagicMock",
    b"mock.patch",
    b"@patch(",
    b"mocker.patch",
    b"requests_mock",
    b"from moto import",
    b"httpretty",
    b"responses.add(",
    // JavaScript and TypeScript.
    b"jest.mock(",
    b"vi.mock(",
    b"sinon.stub",
    b"nock(",
    // Go, Java and Kotlin, Rust.
    b"gomock",
    b"httptest.NewServer",
    b"org.mockito",
    b"io.mockk",
    b"mockall::",
    b"mockito::",
    b"wiremock::",
];

/// True if `bytes`, a whole file, imports or calls a mocking library.
pub(crate) fn mocks_its_calls(bytes: &[u8]) -> bool {
    MOCKING
        .iter()
        .any(|needle| memchr::memmem::find(bytes, needle).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_that_mock_their_calls_are_recognised() {
        for text in [
            "from tests.support.mock import MagicMock, patch\n",
            "from unittest import mock\n",
            "import mock\nimport pytest\n",
            "@patch(\"boto3.client\")\ndef test_x(client):\n",
            "jest.mock('../client');\n",
            "import static org.mockito.Mockito.when;\n",
            "use mockall::predicate::*;\n",
            "from tests.support.mock import patch\n",
        ] {
            assert!(mocks_its_calls(text.as_bytes()), "{text}");
        }
        for text in [
            "import boto3\nclient = boto3.client('s3')\n",
            "// a mockup of the login page\n",
            "import mockingbird_theme\n",
            "const client = new Client({ token });\n",
        ] {
            assert!(!mocks_its_calls(text.as_bytes()), "{text}");
        }
    }
}
