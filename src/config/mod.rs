//! Loads the built-in `patterns.toml` and the user's config into one validated [`Config`].
//!
//! Precedence: built-in rules, then `.leakward.toml` at the scanned root (or `--config FILE`),
//! which may add rules, disable rules by id, extend the allowlist and set the blocking
//! threshold. Validation here is structural (syntax, fields, ids, keywords); regexes of user
//! rules are compiled and checked by `scan::Scanner::new`.

mod compact;
pub(crate) mod gitleaks;
pub(crate) mod spec;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Reason, Result};
use crate::finding::Confidence;
use spec::{AllowSpec, RuleSpec, RulesFile};

/// The built-in catalog, embedded so the tool works with no configuration at all.
pub const BUILTIN_RULES: &str = include_str!("../../patterns.toml");

/// The same catalog as JSON, derived by `build.rs`, because it deserialises several times
/// faster than the TOML, for what checks or shows rules' examples
/// ([`builtin_with_examples`]). Scans load the rules without their examples from static
/// tables (`compact`), and recognise the examples by their texts alone
/// ([`BUILTIN_EXAMPLE_TEXTS`]).
const BUILTIN_RULES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/patterns.json"));

/// The texts of the built-in rules' examples and counterexamples, one per line: public test
/// data that a scan never reports as a finding.
pub(crate) const BUILTIN_EXAMPLE_TEXTS: &str =
    include_str!(concat!(env!("OUT_DIR"), "/example-texts.txt"));

/// Name of the user config looked up at the scanned root.
pub const USER_CONFIG: &str = ".leakward.toml";

/// Keywords shorter than this would make the prefilter fire on almost every chunk.
const MIN_KEYWORD_LEN: usize = 3;

/// A rule and where it was defined.
#[derive(Debug, Clone)]
pub struct ConfiguredRule {
    pub spec: RuleSpec,
    /// `built-in` or the path of the file that defined it, for error messages.
    pub origin: Arc<str>,
    /// Built-in rules are tested by the suite and compile lazily.
    pub builtin: bool,
}

/// The validated configuration of a run.
#[derive(Debug, Clone)]
pub struct Config {
    pub rules: Vec<ConfiguredRule>,
    /// The global allowlists.
    pub allow: Vec<AllowSpec>,
    /// Findings at or above this confidence make the run exit with code 1.
    pub block_on: Confidence,
    /// How test and documentation evidence is applied.
    pub policy: Policy,
}

/// How the scanner treats credentials that evidence marks as test or documentation data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// Report generic credentials that test and documentation evidence would drop, at `low`
    /// (`report_test_credentials = true`).
    pub report_test_credentials: bool,
    /// Private keys in test fixtures keep their confidence and block
    /// (`block_test_fixtures = true`); by default they are `low`.
    pub block_test_fixtures: bool,
    /// Report private keys already published in packages' tests and docs, at `low`
    /// (`report_public_keys = true`); by default they are not reported.
    pub report_public_keys: bool,
}

/// A commit whose findings an allowlist allows: `rule` is `None` for every rule.
#[derive(Debug, Clone)]
pub struct AllowedCommit {
    pub rule: Option<String>,
    /// A commit id or a prefix of one.
    pub prefix: String,
    /// The file that listed it; `None` for the built-in catalog.
    pub origin: Option<Arc<str>>,
}

impl AllowedCommit {
    /// True if this entry allows a finding of `rule_id` attributed to commit `id`.
    pub fn allows(&self, rule_id: &str, id: &str) -> bool {
        id.starts_with(self.prefix.as_str()) && self.rule.as_deref().is_none_or(|r| r == rule_id)
    }
}

impl Config {
    /// A hash of everything in the configuration that decides findings: every rule (less
    /// its examples) and allowlist, the blocking level and the evidence policy, but not the
    /// paths the files were read from. Shards of one organisation scan merge only when
    /// theirs agree. 32 hex digits.
    pub fn rule_set_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let placeless = |allow: &[AllowSpec]| -> Vec<AllowSpec> {
            allow
                .iter()
                .map(|a| AllowSpec {
                    origin: None,
                    ..a.clone()
                })
                .collect()
        };
        let mut hasher = Sha256::new();
        for rule in &self.rules {
            let mut spec = rule.spec.clone();
            spec.allow = placeless(&spec.allow);
            spec.examples.clear();
            spec.counterexamples.clear();
            hasher.update(format!("{spec:?}\n"));
        }
        hasher.update(format!(
            "{:?}\n{:?}\n{:?}\n",
            placeless(&self.allow),
            self.block_on,
            self.policy
        ));
        hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Commit ids or prefixes whose findings are allowed, globally or for one rule. Git
    /// scans apply them after attributing findings.
    pub fn allowed_commits(&self) -> Vec<AllowedCommit> {
        let global = self.allow.iter().map(|a| (None, a));
        let per_rule = self.rules.iter().flat_map(|rule| {
            rule.spec
                .allow
                .iter()
                .map(|a| (Some(rule.spec.id.clone()), a))
        });
        global
            .chain(per_rule)
            .flat_map(|(rule, allow)| {
                allow.commits.iter().map(move |prefix| AllowedCommit {
                    rule: rule.clone(),
                    prefix: prefix.clone(),
                    origin: allow.origin.clone(),
                })
            })
            .collect()
    }
}

/// The 1-based line of a config file where an allowlist entry is written, found by looking
/// for it as a TOML string (literal `'...'` or basic `"..."`); `None` if it is not there
/// as such (an escape the search does not undo, or an extended file).
pub fn line_of_entry(text: &str, value: &str) -> Option<u32> {
    let basic = value.replace('\\', "\\\\").replace('"', "\\\"");
    let forms = [format!("'{value}'"), format!("\"{basic}\"")];
    let at = forms
        .iter()
        .filter_map(|form| text.find(form.as_str()))
        .min()?;
    u32::try_from(text[..at].matches('\n').count() + 1).ok()
}

/// Where to look for configuration.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--config FILE`; replaces the lookup of `.leakward.toml`.
    pub file: Option<PathBuf>,
    /// The scanned root, where `.leakward.toml` is looked up.
    pub root: Option<PathBuf>,
    /// `--no-default-rules`.
    pub no_default_rules: bool,
}

/// Loads and validates the configuration for a run.
pub fn load(sources: &Sources) -> Result<Config> {
    let user = match &sources.file {
        Some(path) => Some((read_rules_file(path)?, path.clone())),
        None => match &sources.root {
            Some(root) => match repository_config(root)? {
                Some(path) => Some((read_rules_file(&path)?, path)),
                None => None,
            },
            None => None,
        },
    };
    load_with(user, sources.no_default_rules)
}

/// The configuration of a user file already parsed (`path` names it), or of the built-in
/// catalog alone when there is none.
pub fn load_with(user: Option<(RulesFile, PathBuf)>, no_default_rules: bool) -> Result<Config> {
    let skip_builtin =
        no_default_rules || user.as_ref().is_some_and(|(file, _)| file.no_default_rules);
    let mut config = if skip_builtin {
        Config {
            rules: Vec::new(),
            allow: Vec::new(),
            block_on: Confidence::High,
            policy: Policy::default(),
        }
    } else {
        builtin()?
    };
    if let Some((file, path)) = user {
        merge(&mut config, file, &path)?;
    }
    Ok(config)
}

/// The path of `.leakward.toml` under `root`, if there is one. Only a regular file counts,
/// and anything else by that name is an error: a symbolic link could point outside the
/// repository (or nowhere), and a FIFO or directory would be read as no config, silently.
fn repository_config(root: &Path) -> Result<Option<PathBuf>> {
    let path = root.join(USER_CONFIG);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => Ok(Some(path)),
        Ok(meta) => Err(Error::Config {
            reason: Reason::from(format!(
                "{}; the repository's config must be a regular file (or pass one with --config)",
                crate::bounded::Failure::NotRegular(crate::bounded::kind(&meta.file_type()))
            )),
            path,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Config {
            reason: Reason::from(format!("cannot read: {}", crate::error::describe_io(&e))),
            path,
        }),
    }
}

/// The built-in catalog alone, as scans use it: the rules without their examples, whose
/// texts a scanner takes from `BUILTIN_EXAMPLE_TEXTS`. Built from tables compiled into the
/// binary, with nothing to parse: a pre-commit hook pays for this on every commit. Nor is
/// anything checked here: [`builtin_with_examples`] checks the same rules as a user's
/// (structure, unique ids), and the test suite holds the two catalogs equal
/// (`the_lean_catalog_is_the_whole_one_less_its_examples`).
pub fn builtin() -> Result<Config> {
    let file = compact::rules_file();
    let origin: Arc<str> = BUILTIN_ORIGIN.into();
    Ok(Config {
        rules: file
            .rules
            .into_iter()
            .map(|spec| ConfiguredRule {
                spec,
                origin: origin.clone(),
                builtin: true,
            })
            .collect(),
        allow: file.allow,
        block_on: Confidence::High,
        policy: Policy::default(),
    })
}

/// The built-in catalog with every rule's examples and counterexamples, for checking the rules
/// against them (`rules check`) and showing them.
pub fn builtin_with_examples() -> Result<Config> {
    // Typed deserialisation of the JSON form: the built-in catalog is known to be leakward's
    // format. A catalog that does not deserialise fails the test suite, so the error needs
    // no TOML positions.
    let file: RulesFile = serde_json::from_str(BUILTIN_RULES_JSON).map_err(|e| Error::Config {
        path: BUILTIN_ORIGIN.into(),
        reason: Reason::from(e.to_string()),
    })?;
    config_of(file)
}

/// How findings and errors name the built-in catalog.
const BUILTIN_ORIGIN: &str = "patterns.toml (built-in)";

fn config_of(file: RulesFile) -> Result<Config> {
    let mut config = Config {
        rules: Vec::new(),
        allow: Vec::new(),
        block_on: Confidence::High,
        policy: Policy::default(),
    };
    add_rules(
        &mut config,
        file.rules,
        Path::new(BUILTIN_ORIGIN),
        true,
        false,
    )?;
    config.allow = file.allow;
    Ok(config)
}

/// Reads and parses a rules file without merging it (used by `rules check`).
pub fn read_rules_file(path: &Path) -> Result<RulesFile> {
    let text = crate::bounded::read_text(path, crate::bounded::CONFIG_LIMIT).map_err(|e| {
        Error::Config {
            path: path.to_path_buf(),
            reason: Reason::from(format!("cannot read: {e}; check the --config path")),
        }
    })?;
    parse(&text, path)
}

/// Reads a file that a config names (gitleaks' `[extend] path`), already resolved against
/// the naming file's directory: from disk, or from the commit the config came from.
pub type ReadFile<'a> = &'a dyn Fn(&Path) -> std::io::Result<String>;

/// Parses rules-file text, leakward's format or a gitleaks/betterleaks config; `path` names
/// the file in errors and anchors gitleaks' `[extend] path`.
pub fn parse(text: &str, path: &Path) -> Result<RulesFile> {
    parse_in(text, path, &|target| {
        crate::bounded::read_text_io(target, crate::bounded::CONFIG_LIMIT)
    })
}

/// [`parse`], reading the files the config extends through `read`.
pub fn parse_in(text: &str, path: &Path, read: ReadFile<'_>) -> Result<RulesFile> {
    let fail = |e: toml::de::Error| Error::Config {
        path: path.to_path_buf(),
        reason: Reason::from(describe_toml_error(text, &e)),
    };
    let table: toml::Table = toml::from_str(text).map_err(fail)?;
    if gitleaks::is_gitleaks(&table) {
        let mut file = gitleaks::convert(text, path, read)?;
        file.imported = true;
        return Ok(file);
    }
    // Convert the table already parsed: parsing the text again would double the start-up
    // cost of every run (the built-in catalog is ~100 KB). Only a file that does not fit is
    // parsed again, for an error message that points at the line.
    toml::Value::Table(table)
        .try_into()
        .or_else(|_| toml::from_str(text).map_err(fail))
}

/// Adds a user file to a configuration: its rules, disabled ids, allowlist and threshold.
pub fn merge(config: &mut Config, mut file: RulesFile, path: &Path) -> Result<()> {
    let known: HashSet<String> = config
        .rules
        .iter()
        .map(|r| r.spec.id.clone())
        .chain(file.rules.iter().map(|r| r.id.clone()))
        .collect();
    if file.imported {
        file.disable.retain(|id| known.contains(id));
    }
    if let Some(unknown) = file.disable.iter().find(|id| !known.contains(id.as_str())) {
        return Err(Error::Config {
            path: path.to_path_buf(),
            reason: Reason::from(format!("disable: no rule has the id `{unknown}`")),
        });
    }
    let imported = file.imported;
    // Name the file each user allowlist came from; an extended gitleaks file named its own.
    let origin: Arc<str> = path.display().to_string().into();
    let rule_allows = file.rules.iter_mut().flat_map(|r| r.allow.iter_mut());
    for allow in file.allow.iter_mut().chain(rule_allows) {
        allow.origin.get_or_insert_with(|| origin.clone());
    }
    add_rules(config, file.rules, path, false, imported)?;
    config.rules.retain(|r| !file.disable.contains(&r.spec.id));
    config.allow.extend(file.allow);
    if let Some(block_on) = file.block_on {
        config.block_on = block_on;
    }
    if let Some(report) = file.report_test_credentials {
        config.policy.report_test_credentials = report;
    }
    if let Some(block) = file.block_test_fixtures {
        config.policy.block_test_fixtures = block;
    }
    if let Some(report) = file.report_public_keys {
        config.policy.report_public_keys = report;
    }
    Ok(())
}

fn add_rules(
    config: &mut Config,
    rules: Vec<RuleSpec>,
    path: &Path,
    builtin: bool,
    imported: bool,
) -> Result<()> {
    let origin: Arc<str> = path.display().to_string().into();
    let mut ids: HashSet<String> = config.rules.iter().map(|r| r.spec.id.clone()).collect();
    for spec in rules {
        let fail = |message: Reason| Error::Rule {
            origin: origin.to_string(),
            id: spec.id.clone(),
            reason: message,
        };
        check_rule(&spec, imported).map_err(fail)?;
        if !ids.insert(spec.id.clone()) {
            if !imported {
                return Err(fail("duplicate rule id".into()));
            }
            // gitleaks lets a config override an extended rule of the same id.
            config.rules.retain(|r| r.spec.id != spec.id);
        }
        config.rules.push(ConfiguredRule {
            spec,
            origin: origin.clone(),
            builtin,
        });
    }
    Ok(())
}

/// Structural checks that need no regex compilation. Rules imported from gitleaks may have
/// no keywords (they then run on every file), as gitleaks allows.
fn check_rule(spec: &RuleSpec, imported: bool) -> std::result::Result<(), crate::error::Reason> {
    if imported {
        return if spec.id.trim().is_empty() {
            Err("has an empty id".into())
        } else if spec.regex.is_none() && spec.path_regex.is_none() {
            Err("has neither `regex` nor `path`".into())
        } else {
            Ok(())
        };
    }
    let id_ok = !spec.id.is_empty()
        && spec
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !id_ok {
        return Err("ids use only a-z, 0-9, `-` and `.`".into());
    }
    let has_paths = !spec.paths.is_empty() || spec.path_regex.is_some();
    if spec.regex.is_none() && !has_paths {
        return Err(
            "has no regex: a rule without one (a file rule) must set `paths` or `path_regex`"
                .into(),
        );
    }
    if spec.keywords.is_empty() && !has_paths {
        return Err(
            "has no keywords: list at least one string that occurs in every match (or limit the rule to `paths`)"
                .into(),
        );
    }
    if let Some(short) = spec.keywords.iter().find(|k| k.len() < MIN_KEYWORD_LEN) {
        return Err(format!(
            "keyword `{short}` is shorter than {MIN_KEYWORD_LEN} characters and would match almost everything"
        ).into());
    }
    if !(0.0..=8.0).contains(&spec.min_entropy) {
        return Err(format!(
            "min_entropy {} is outside 0..=8 bits per byte",
            spec.min_entropy
        )
        .into());
    }
    Ok(())
}

/// A TOML error in one line: `line N: message`, naming the rule id when it can be found.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    let Some(span) = error.span() else {
        return message;
    };
    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
    match enclosing_rule_id(text, span.start) {
        Some(id) => format!("line {line}: rule `{id}`: {message}"),
        None => format!("line {line}: {message}"),
    }
}

/// The `id` of the `[[rule]]` table that contains byte `offset`, if any.
fn enclosing_rule_id(text: &str, offset: usize) -> Option<String> {
    let head = &text[..offset.min(text.len())];
    let table = head.rfind("[[rule]]")?;
    let tail = &text[table..];
    let end = tail[8..].find("[[rule]]").map_or(tail.len(), |e| e + 8);
    tail[..end].lines().find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix("id")?
            .trim_start()
            .strip_prefix('=')?;
        Some(
            rest.trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        let path = Path::new("rules.toml");
        match parse(text, path).and_then(|file| {
            let mut config = builtin()?;
            merge(&mut config, file, path)
        }) {
            Ok(()) => panic!("accepted: {text}"),
            Err(e) => crate::error::chain(&e),
        }
    }

    #[test]
    fn bad_rules_files_are_refused_with_the_rule_named() {
        let rule = |extra: &str| {
            format!(
                "[[rule]]\nid = \"my-rule\"\ndescription = \"d\"\nregex = 'x{{3}}'\nconfidence = \"high\"\n{extra}"
            )
        };
        let cases: &[(String, &str)] = &[
            (
                rule("keywords = [\"xxx\"]\nbogus = 1"),
                "rule `my-rule`: unknown field `bogus`",
            ),
            (rule(""), "rule `my-rule`: has no keywords"),
            (rule("keywords = [\"x\"]"), "keyword `x` is shorter"),
            (
                format!(
                    "{}\n{}",
                    rule("keywords = [\"xxx\"]"),
                    rule("keywords = [\"xxx\"]")
                ),
                "rule `my-rule`: duplicate rule id",
            ),
            (rule("keywords = [\"xxx\"]\nconfidence = \"sure\""), "line"),
            (
                "disable = [\"no-such-rule\"]".into(),
                "no rule has the id `no-such-rule`",
            ),
        ];
        for (text, want) in cases {
            let got = error_of(text);
            assert!(got.contains(want), "got {got:?}, want {want:?}");
            assert!(!got.contains('\n'), "one line: {got:?}");
        }
    }

    #[test]
    fn entries_are_found_in_either_kind_of_toml_string() {
        let text = "[allow]\nregexes = [\n  '^a\\.b$',\n  \"^c\\\\.d$\",\n]\nstopwords = [\"say \\\"hi\\\"\"]\n";
        let cases: &[(&str, Option<u32>)] = &[
            (r"^a\.b$", Some(3)),
            (r"^c\.d$", Some(4)),
            (r#"say "hi""#, Some(6)),
            ("absent", None),
        ];
        for &(value, want) in cases {
            assert_eq!(line_of_entry(text, value), want, "{value}");
        }
    }

    #[test]
    fn builtin_json_matches_the_toml() {
        // build.rs derives the JSON; the TOML is the source. Same specs, field for field.
        let from_toml: RulesFile = toml::from_str(BUILTIN_RULES).unwrap();
        let from_json: RulesFile = serde_json::from_str(BUILTIN_RULES_JSON).unwrap();
        assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"));
        assert!(from_json.rules.len() > 400);
    }

    #[test]
    fn the_lean_catalog_is_the_whole_one_less_its_examples() {
        let mut whole = builtin_with_examples().unwrap();
        let texts: Vec<String> = whole
            .rules
            .iter()
            .flat_map(|r| r.spec.examples.iter().chain(&r.spec.counterexamples))
            .map(|e| e.text().to_string())
            .collect();
        assert!(texts.len() > 800, "{}", texts.len());
        assert_eq!(texts.join("\n"), BUILTIN_EXAMPLE_TEXTS);
        for rule in &mut whole.rules {
            rule.spec.examples.clear();
            rule.spec.counterexamples.clear();
        }
        let lean = builtin().unwrap();
        assert_eq!(format!("{:?}", whole.rules), format!("{:?}", lean.rules));
        assert_eq!(format!("{:?}", whole.allow), format!("{:?}", lean.allow));
    }

    #[test]
    fn user_config_disables_and_adds_rules() {
        let mut config = builtin().unwrap();
        let before = config.rules.len();
        let first = config.rules[0].spec.id.clone();
        let text = format!(
            "block_on = \"medium\"\ndisable = [\"{first}\"]\n[[rule]]\nid = \"internal-token\"\ndescription = \"d\"\nregex = 'itk_[a-z0-9]{{16}}'\nkeywords = [\"itk_\"]\nconfidence = \"high\"\n"
        );
        let file = parse(&text, Path::new("x.toml")).unwrap();
        merge(&mut config, file, Path::new("x.toml")).unwrap();
        assert_eq!(config.rules.len(), before);
        assert!(config.rules.iter().all(|r| r.spec.id != first));
        assert!(config
            .rules
            .iter()
            .any(|r| r.spec.id == "internal-token" && !r.builtin));
        assert_eq!(config.block_on, Confidence::Medium);
    }
}
