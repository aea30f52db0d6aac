//! The rules file format, as written: `patterns.toml` and user configs share it.
//!
//! These types only describe the TOML; `config::load` validates them and `scan` compiles them.

use serde::Deserialize;

use crate::finding::Confidence;

/// A whole rules or config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Rules to add.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
    /// Global allowlists applied to every rule: one `[allow]` table or several `[[allow]]`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub allow: Vec<AllowSpec>,
    /// Ids of rules to turn off (user configs).
    #[serde(default)]
    pub disable: Vec<String>,
    /// The lowest confidence that makes the run fail with exit code 1.
    pub block_on: Option<Confidence>,
    /// Report generic credentials that test and documentation evidence would drop, at `low`.
    pub report_test_credentials: Option<bool>,
    /// Let private keys in test fixtures block like any other (by default they are `low`).
    pub block_test_fixtures: Option<bool>,
    /// Use only this file's rules, not the built-in catalog (user configs).
    #[serde(default)]
    pub no_default_rules: bool,
    /// Converted from a gitleaks config: rules need no keywords, and disabled ids that
    /// name gitleaks' own default rules are ignored.
    #[serde(skip)]
    pub imported: bool,
}

/// One `[[rule]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Unique, kebab-case id; findings and fingerprints use it.
    pub id: String,
    pub description: String,
    /// A Rust `regex` crate pattern, matched against raw bytes. A rule without one is a
    /// *file rule*: it reports every file its `paths` or `path_regex` admit, binary or not
    /// (key stores, password databases).
    pub regex: Option<String>,
    /// The capture group that holds the secret; by default group 1 if the regex has one,
    /// else the whole match.
    pub secret_group: Option<usize>,
    /// Strings, at least one of which occurs in every match (ASCII case-insensitive).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Minimum Shannon entropy of the secret, in bits per byte.
    #[serde(default)]
    pub min_entropy: f64,
    pub confidence: Confidence,
    /// The rule recognises a credential by its name or its syntax (`password = "…"`,
    /// `user:pass@host`), not by a distinctive format: evidence that it is test,
    /// documentation or message data lowers or drops its findings (see `scan::evidence`).
    #[serde(default)]
    pub generic: bool,
    /// Offline validator for the secret's format, such as `github` or `npm` (see `scan::checksum`).
    pub checksum: Option<String>,
    /// Only scan files whose path matches one of these globs.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Only scan files whose path matches this regex (gitleaks' rule `path`).
    pub path_regex: Option<String>,
    /// What to do about a finding: what to rotate and where.
    pub remediation: Option<String>,
    /// Allowlists for this rule only: one `[rule.allow]` table or several `[[rule.allow]]`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub allow: Vec<AllowSpec>,
    /// Texts this rule must report (each at least once).
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Texts this rule must not report.
    #[serde(default)]
    pub counterexamples: Vec<Example>,
}

/// An example or counterexample: a text, or a text in a file at a path (for path rules).
#[derive(Debug, Clone)]
pub enum Example {
    Text(String),
    File { path: String, text: String },
}

/// A hand-written visitor rather than `#[serde(untagged)]`: untagged enums buffer every value
/// before trying each variant, and the catalog's examples are most of its text, so this is
/// a visible share of every run's start-up.
impl<'de> Deserialize<'de> for Example {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Example;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, or a table with `path` and `text`")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Example, E> {
                Ok(Example::Text(text.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Example, E> {
                Ok(Example::Text(text))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Example, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct File {
                    path: String,
                    text: String,
                }
                let file = File::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Example::File {
                    path: file.path,
                    text: file.text,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Example {
    /// The path the example is scanned as.
    pub fn path(&self) -> &str {
        match self {
            Example::Text(_) => "example.txt",
            Example::File { path, .. } => path,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Example::Text(text) | Example::File { text, .. } => text,
        }
    }
}

/// What not to report. With `condition = "any"` (the default) any one matching entry
/// suppresses a finding; with `"all"`, every kind of entry that is set must match.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowSpec {
    /// What this allowlist is for; shown by `explain`.
    pub description: Option<String>,
    #[serde(default)]
    pub condition: Condition,
    /// Globs on the path (`**/testdata/**`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes on the path.
    #[serde(default)]
    pub path_regexes: Vec<String>,
    /// Regexes on the secret.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Regexes on the whole text the rule's regex matched.
    #[serde(default)]
    pub matches: Vec<String>,
    /// Regexes on the whole line the secret starts on.
    #[serde(default)]
    pub lines: Vec<String>,
    /// Substrings that, found in the secret (ASCII case-insensitive), mark it as not a secret.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Commit ids (or unique prefixes) whose findings are allowed, in git scans.
    #[serde(default)]
    pub commits: Vec<String>,
    /// The file that wrote this allowlist; `None` for the built-in catalog's, which
    /// `--list-unused-allowlist` does not list.
    #[serde(skip)]
    pub origin: Option<std::sync::Arc<str>>,
}

/// How the entries of one allowlist combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Condition {
    #[default]
    Any,
    All,
}

/// Accepts one table or an array of tables.
fn one_or_many<'de, D>(deserializer: D) -> Result<Vec<AllowSpec>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(AllowSpec),
        Many(Vec<AllowSpec>),
    }
    // Untagged enums hide the inner error; parse the table form first to keep its message.
    let value = toml::Value::deserialize(deserializer)?;
    if value.is_table() {
        return AllowSpec::deserialize(value)
            .map(|one| vec![one])
            .map_err(serde::de::Error::custom);
    }
    match OneOrMany::deserialize(value).map_err(serde::de::Error::custom)? {
        OneOrMany::One(one) => Ok(vec![one]),
        OneOrMany::Many(many) => Ok(many),
    }
}
