//! Where a match sits: test code, fixtures, documentation and translation catalogs, told by
//! their paths and by the markers on a line. A finding of a distinctive rule there is lowered
//! a step (`high` to `medium`, so it warns without blocking), and to `low` where two such
//! witnesses agree; generic rules weigh these places as evidence (see `evidence`).
//!
//! Scans of ordinary packages show the same two classes again and again: keys and tokens that
//! a library ships as test data (`tests/fixtures/server.key`, a secret scanner's own samples)
//! and keys printed as documentation (`@example "-----BEGIN RSA PRIVATE KEY-----…`). They are
//! real-looking on purpose, so no value filter can tell them apart, but where they sit can.
//! Nothing here hides a finding: a real key committed to a test directory is still reported.

/// Directory names that hold tests or their data (compared ASCII case-insensitively).
const TEST_DIRS: &[&[u8]] = &[
    b"test",
    b"testing",
    b"spec",
    b"specs",
    b"unit",
    b"integration",
    b"e2e",
    b"bench",
    b"benches",
    b"benchmarks",
    b"dummyserver",
    b"tests",
    b"testdata",
    b"test_data",
    b"test-data",
    b"testfixtures",
    b"fixtures",
    b"fixture",
    b"__fixtures__",
    b"__tests__",
    // Ansible's test framework: a role's `molecule/<scenario>/` plays run only in tests.
    b"molecule",
    // Perl's and celery's `t/`, RSpec's `spec/`, benchmark inputs.
    b"t",
    b"spec",
    b"specs",
    b"benches",
    b"benchmarks",
];

/// True if a directory of `path` (not the file name) is a test or fixture directory.
pub(crate) fn in_test_directory(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts.pop();
    parts.iter().any(|part| {
        TEST_DIRS
            .iter()
            .any(|dir| part.as_bytes().eq_ignore_ascii_case(dir))
            || names_tests(part)
    })
}

/// True if a directory name is made of words one of which says tests:
/// `aws-signing-test-suite`, `integration_tests`, `unit-test-data`.
fn names_tests(dir: &str) -> bool {
    let mut words = dir.split(['-', '_']);
    dir.contains(['-', '_'])
        && words.any(|w| {
            [
                "test",
                "tests",
                "testing",
                "testsuite",
                "testdata",
                "fixtures",
            ]
            .iter()
            .any(|t| w.eq_ignore_ascii_case(t))
        })
}

/// Hosts that only name the developer's own machine or a documentation domain: one list for
/// the judge (a credential-syntax match naming one) and the evidence signals (one near a
/// match).
const LOCAL_HOSTS: &[&[u8]] = &[
    b"localhost",
    b"127.0.0.1",
    b"0.0.0.0",
    b"[::1]",
    b"(localdb)",
    b"example.com",
    b"example.org",
    b"example.net",
    b".example",
    b".invalid",
    b"host.docker.internal",
];

/// True if `matched` (the whole text a credential-syntax rule matched, host included) names
/// a loopback or documentation host: a development or test setting, not a deployment's.
pub(crate) fn names_local_host(matched: &[u8]) -> bool {
    let lower = matched.to_ascii_lowercase();
    LOCAL_HOSTS
        .iter()
        .any(|host| memchr::memmem::find(&lower, host).is_some())
}

/// True if the file at `path` is a dotenv file (`.env`, `.env.production`, `prod.env`): the
/// environment of a deployment, where even a loopback host's password is the real one.
pub(crate) fn is_env_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

/// Directory names that hold fixture data rather than test code.
const FIXTURE_DIRS: &[&[u8]] = &[
    b"fixtures",
    b"fixture",
    b"__fixtures__",
    b"testdata",
    b"test_data",
    b"test-data",
    b"testfixtures",
    b"mocks",
    b"__mocks__",
    b"__snapshots__",
    // Recorded HTTP exchanges replayed by tests (VCR cassettes, botocore's placebo).
    b"cassettes",
    b"recordings",
    b"placebo_recordings",
];

/// Extensions of data files: under a test directory such a file is a fixture.
const DATA_EXTENSIONS: &[&str] = &[
    "json",
    "yaml",
    "yml",
    "xml",
    "ini",
    "cfg",
    "conf",
    "toml",
    "txt",
    "env",
    "properties",
    "csv",
    "pem",
    "key",
    "crt",
    "der",
    "j2",
];

/// Directory names that hold documentation or examples.
const DOCS_DIRS: &[&[u8]] = &[
    b"doc",
    b"docs",
    b"documentation",
    b"docsite",
    b"man",
    b"example",
    b"examples",
    b"sample",
    b"samples",
    b"demo",
    b"demos",
];

/// Directory names of translation catalogs.
const CATALOG_DIRS: &[&[u8]] = &[
    b"translations",
    b"locale",
    b"locales",
    b"i18n",
    b"l10n",
    b"lang",
    b"langs",
];

/// The directories and the file name of `path`, split at either slash.
fn split(path: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    let name = parts.pop().unwrap_or("");
    (parts, name)
}

fn any_dir(dirs: &[&str], names: &[&[u8]]) -> bool {
    dirs.iter().any(|part| {
        names
            .iter()
            .any(|n| part.as_bytes().eq_ignore_ascii_case(n))
    })
}

/// The file name without its last extension, and that extension (lower-cased).
fn stem_and_extension(name: &str) -> (&str, String) {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext.to_ascii_lowercase()),
        _ => (name, String::new()),
    }
}

/// True if the file name says it holds tests: `test_api.py`, `api_test.go`, `dsa_test.cc`,
/// `client.spec.ts`, `ClientTest.java`, `conftest.py`, `tests.rs`.
pub(crate) fn is_test_file_name(path: &str) -> bool {
    let (_, name) = split(path);
    let (stem, _) = stem_and_extension(name);
    let lower = stem.to_ascii_lowercase();
    lower.starts_with("test_")
        || lower.starts_with("test-")
        || lower == "test"
        || lower == "tests"
        || lower == "conftest"
        || [
            "_test", "-test", "_tests", "-tests", ".test", ".spec", "_spec", ".tests",
        ]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
        || ["Test", "Tests", "Spec"]
            .iter()
            .any(|suffix| stem.len() > suffix.len() && stem.ends_with(suffix))
}

/// True if `path` is a test directory's file or a test file by name.
pub(crate) fn is_test_path(path: &str) -> bool {
    in_test_directory(path) || is_test_file_name(path)
}

/// True if `path` holds fixture data: a file under a fixtures directory, or a data file
/// (JSON, YAML, INI, PEM...) under a test directory.
pub(crate) fn is_fixture_file(path: &str) -> bool {
    let (dirs, name) = split(path);
    let (_, ext) = stem_and_extension(name);
    any_dir(&dirs, FIXTURE_DIRS)
        || (in_test_directory(path) && DATA_EXTENSIONS.contains(&ext.as_str()))
}

/// True if `path` is documentation: under a docs, man or examples directory, a README, a
/// package's long description (`PKG-INFO`), a Markdown, reStructuredText or AsciiDoc file,
/// or a file named as examples (`iam.examples.json`, `example_inventory`). Docs show how to
/// write a connection string or a flag with a made-up password. The one test of "is this
/// documentation" for every stage.
pub(crate) fn is_docs_path(path: &str) -> bool {
    let (dirs, name) = split(path);
    let (_, ext) = stem_and_extension(name);
    let lower = name.to_ascii_lowercase();
    dirs.iter().any(|dir| is_docs_dir(dir))
        || lower == "readme"
        || lower.starts_with("readme.")
        || lower == "pkg-info"
        || matches!(ext.as_str(), "md" | "rst" | "adoc" | "markdown")
        || lower.contains("examples")
        || lower.starts_with("example_")
        || lower.starts_with("example-")
}

/// Endings that make a directory the sources of what its name says (`docs_src`, `doc-src`,
/// `examples_source`): documentation whose code is kept apart to be included in pages.
const SOURCE_SUFFIXES: &[&[u8]] = &[b"_src", b"-src", b"_source", b"-source", b"_sources"];

/// True if `dir` holds documentation or examples: a [`DOCS_DIRS`] name, alone or with a
/// [`SOURCE_SUFFIXES`] ending.
fn is_docs_dir(dir: &str) -> bool {
    let lower = dir.to_ascii_lowercase();
    let stem = SOURCE_SUFFIXES
        .iter()
        .find_map(|suffix| lower.as_bytes().strip_suffix(*suffix))
        .unwrap_or(lower.as_bytes());
    DOCS_DIRS.contains(&stem)
}

/// True if the file name says it holds examples (`iam-2010-05-08.examples.json`,
/// `example_inventory`, `settings.example.py`): an API's or tool's documented sample
/// values, by its own account.
pub(crate) fn is_examples_file(path: &str) -> bool {
    let (_, name) = split(path);
    let lower = name.to_ascii_lowercase();
    lower.contains("examples")
        || lower.starts_with("example_")
        || lower.starts_with("example-")
        || lower.contains(".example.")
        || lower.ends_with(".example")
}

/// True if `path` is a translation catalog, whose values are UI messages: a file under
/// `translations/`, `locales/`, `i18n/`..., a `strings.json`, or a gettext `.po`/`.pot`.
pub(crate) fn is_message_catalog(path: &str) -> bool {
    let (dirs, name) = split(path);
    let (_, ext) = stem_and_extension(name);
    any_dir(&dirs, CATALOG_DIRS)
        || name.eq_ignore_ascii_case("strings.json")
        || matches!(ext.as_str(), "po" | "pot" | "xlf" | "xliff" | "strings")
}

/// True if `line` marks its value as a documentation example: a JSDoc/TSDoc `@example` tag,
/// or an OpenAPI / JSON Schema `example:` or `"example":` key.
pub(crate) fn is_documentation_example(line: &[u8]) -> bool {
    let lower = line.to_ascii_lowercase();
    let find = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
    find(b"@example")
        || line_starts_with_key(&lower, b"example")
        || line_starts_with_key(&lower, b"examples")
        || find(b"\"example\":")
        || find(b"\"examples\":")
}

/// True if `bytes`, at `path`, is a rules file in leakward's format: a `.toml` file with
/// `[[rule]]` tables. Its `examples` lines hold test tokens by definition, including those
/// of old versions of the catalog that a history scan reads.
pub(crate) fn is_rules_file(path: &str, bytes: &[u8]) -> bool {
    path.ends_with(".toml") && memchr::memmem::find(bytes, b"[[rule]]").is_some()
}

/// True if `line` is a rule's `examples = [...]` or `counterexamples = [...]` list.
pub(crate) fn is_example_list(line: &[u8]) -> bool {
    let start = line
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(line.len());
    let rest = &line[start..];
    let Some(after) = rest
        .strip_prefix(b"examples")
        .or_else(|| rest.strip_prefix(b"counterexamples"))
    else {
        return false;
    };
    let after = after.trim_ascii_start();
    after
        .strip_prefix(b"=")
        .is_some_and(|value| value.trim_ascii_start().starts_with(b"["))
}

/// `key:` at the start of the line after indentation and an optional YAML list dash.
fn line_starts_with_key(lower: &[u8], key: &[u8]) -> bool {
    let start = lower
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'-'))
        .unwrap_or(lower.len());
    let rest = &lower[start..];
    rest.strip_prefix(key)
        .is_some_and(|after| after.first() == Some(&b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_directories_are_recognised_by_their_directory_names() {
        let cases: &[(&str, bool)] = &[
            ("tests/fixtures/server.key", true),
            ("pkg/test/one_per_line/github", true),
            ("src/__tests__/client.test.ts", true),
            ("Testdata/keys.json", true),
            ("C:\\repo\\tests\\data.txt", true),
            ("src/config.py", false),
            ("tests", false),
            ("src/test_settings.py", false),
            ("contest/app.py", false),
            ("celery/t/unit/test_redis.py", true),
            ("spec/models/user_spec.rb", true),
            ("latest/app.py", false),
            ("roles/idrac_bios/molecule/default/converge.yml", true),
        ];
        for &(path, want) in cases {
            assert_eq!(in_test_directory(path), want, "{path}");
        }
    }

    #[test]
    fn documentation_is_recognised_by_directory_and_name() {
        let cases: &[(&str, bool)] = &[
            ("docs/topics/db.txt", true),
            ("pkg/doc/build/engines.html", true),
            ("README.md", true),
            ("pkg/Readme", true),
            ("PKG-INFO", true),
            ("guide/setup.rst", true),
            ("src/docstring.py", false),
            ("src/readme_parser.rs", false),
            ("docker/compose.yml", false),
        ];
        for &(path, want) in cases {
            assert_eq!(is_docs_path(path), want, "{path}");
        }
    }

    #[test]
    fn local_hosts_and_env_files_are_recognised() {
        let local = [
            "postgres://app:pw@localhost:5432/app",
            "Server=127.0.0.1;Password=x",
            "redis://:pw@[::1]:6379",
            "https://me:pw@api.example.com/",
        ];
        for text in local {
            assert!(names_local_host(text.as_bytes()), "{text}");
        }
        for text in [
            "postgres://app:pw@db.internal/app",
            "Server=10.0.0.5;Password=x",
        ] {
            assert!(!names_local_host(text.as_bytes()), "{text}");
        }
        for (path, want) in [
            (".env", true),
            ("deploy/.env.production", true),
            ("prod.env", true),
            ("src/env.py", false),
            ("environment.yml", false),
        ] {
            assert_eq!(is_env_file(path), want, "{path}");
        }
    }

    #[test]
    fn test_files_fixtures_docs_and_catalogs_are_recognised_by_path() {
        type Check = fn(&str) -> bool;
        let cases: &[(Check, &str, bool)] = &[
            (is_test_file_name, "crypto/dsa/dsa_test.cc", true),
            (is_test_file_name, "tests/unit/test_api.py", true),
            (is_test_file_name, "src/client.spec.ts", true),
            (is_test_file_name, "src/ClientTest.java", true),
            (is_test_file_name, "pkg/conftest.py", true),
            (is_test_file_name, "src/latest.rs", false),
            (is_test_file_name, "src/Latest.java", false),
            (is_test_file_name, "src/contest.py", false),
            (is_test_path, "spec/models/user_spec.rb", true),
            (is_test_path, "src/config.py", false),
            (
                is_fixture_file,
                "tests/integration/targets/x/defaults/main.yml",
                true,
            ),
            (is_fixture_file, "pkg/testdata/creds", true),
            (is_fixture_file, "tests/test_api.py", false),
            (is_fixture_file, "config/main.yml", false),
            (is_docs_path, "docs/guide.txt", true),
            (is_docs_path, "README.md", true),
            (is_docs_path, "apis/iam-2010-05-08.examples.json", true),
            (is_docs_path, "src/main.rs", false),
            (is_docs_path, "example.txt", false),
            (is_docs_path, "docs_src/security/tutorial004.py", true),
            (is_docs_path, "pkg/doc-src/intro.py", true),
            (is_docs_path, "examples_source/app.py", true),
            (is_docs_path, "src/docs_util/app.py", false),
            (is_docs_path, "lib/src/app.py", false),
            (
                is_message_catalog,
                "components/hue/translations/de.json",
                true,
            ),
            (is_message_catalog, "components/hue/strings.json", true),
            (is_message_catalog, "po/fr.po", true),
            (is_message_catalog, "src/settings.json", false),
        ];
        for &(check, path, want) in cases {
            assert_eq!(check(path), want, "{path}");
        }
    }

    #[test]
    fn documentation_examples_are_recognised() {
        let yes = [
            "   * @example \"ghp_abc\"",
            "      example: sk_live_abc",
            "  - example: abc",
            "{\"type\": \"string\", \"example\": \"AKIA...\"}",
            "examples: [abc]",
        ];
        for line in yes {
            assert!(is_documentation_example(line.as_bytes()), "{line}");
        }
        let no = [
            "token = \"ghp_abc\"",
            "example_token: abc",
            "counterexample: abc",
            "api_key: abc # for example",
        ];
        for line in no {
            assert!(!is_documentation_example(line.as_bytes()), "{line}");
        }
    }

    #[test]
    fn example_lists_of_rules_files_are_recognised() {
        let yes = [
            "examples = [\"ghp_abc\"]",
            "  counterexamples=['abc']",
            "examples =\t[",
        ];
        for line in yes {
            assert!(is_example_list(line.as_bytes()), "{line}");
        }
        let no = [
            "token = \"ghp_abc\"",
            "examples_token = [\"abc\"]",
            "# examples = [\"abc\"]",
            "examples = \"abc\"",
            "examples: [abc]",
        ];
        for line in no {
            assert!(!is_example_list(line.as_bytes()), "{line}");
        }
        let catalog = b"[[rule]]\nid = \"x\"\nexamples = [\"abc\"]\n";
        assert!(is_rules_file("patterns.toml", catalog));
        assert!(is_rules_file("conf/.leakward.toml", catalog));
        assert!(!is_rules_file("patterns.yaml", catalog), "not TOML");
        assert!(
            !is_rules_file("settings.toml", b"[server]\nexamples = [\"abc\"]\n"),
            "a TOML file without rules"
        );
    }
}
