//! Reads gitleaks and betterleaks configs (`[[rules]]`, `[extend]`, allowlists) as
//! leakward rules, so teams can migrate without rewriting them.
//!
//! Mapping: every imported rule is `high` confidence (gitleaks fails on every finding);
//! `path` and allowlist `paths` are regexes on the path; `regexTarget` `secret`, `match` and
//! `line` map to `regexes`, `matches` and `lines`; `condition = "AND"` maps to `all`.
//! `[extend] useDefault` means leakward's built-in catalog (not gitleaks' rules), so
//! `disabledRules` ids that leakward does not have are ignored. Not supported, with an
//! error naming the rule: `[[rules.required]]` composite rules, `skipReport`, `[extend] url`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::spec::{AllowSpec, Condition, RuleSpec, RulesFile};
use crate::error::{Error, Reason, Result};
use crate::finding::Confidence;

/// How deep `[extend] path` chains may go, as in gitleaks.
const MAX_EXTEND_DEPTH: usize = 2;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct File {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    extend: Extend,
    #[serde(default)]
    rules: Vec<Rule>,
    #[serde(alias = "allowList")]
    allowlist: Option<Allow>,
    #[serde(default)]
    allowlists: Vec<Allow>,
    /// Betterleaks and newer gitleaks write a minimum version; nothing to check offline.
    min_version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Extend {
    path: Option<String>,
    url: Option<String>,
    #[serde(default)]
    use_default: bool,
    #[serde(default)]
    disabled_rules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Rule {
    id: String,
    description: Option<String>,
    path: Option<String>,
    regex: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(alias = "allowList")]
    allowlist: Option<Allow>,
    #[serde(default)]
    allowlists: Vec<Allow>,
    required: Option<toml::Value>,
    #[serde(default)]
    skip_report: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Allow {
    description: Option<String>,
    condition: Option<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    regex_target: Option<String>,
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default, alias = "stopWords")]
    stopwords: Vec<String>,
    #[serde(default)]
    target_rules: Vec<String>,
}

/// True if a parsed TOML document looks like a gitleaks config rather than a leakward one.
pub(crate) fn is_gitleaks(table: &toml::Table) -> bool {
    ["rules", "extend", "allowlists", "title"]
        .iter()
        .any(|key| table.contains_key(*key))
        || table.get("allowlist").is_some_and(|v| v.is_table()) && !table.contains_key("rule")
}

/// Converts a gitleaks config file (and the files it extends, read through `read`) into a
/// leakward rules file.
pub(crate) fn convert(text: &str, path: &Path, read: super::ReadFile<'_>) -> Result<RulesFile> {
    convert_at_depth(text, path, read, 0)
}

fn convert_at_depth(
    text: &str,
    path: &Path,
    read: super::ReadFile<'_>,
    depth: usize,
) -> Result<RulesFile> {
    let fail = |message: String| Error::Config {
        path: path.to_path_buf(),
        reason: Reason::from(message),
    };
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .and_then(|span| text.get(..span.start))
            .map(|before| format!("line {}: ", before.matches('\n').count() + 1))
            .unwrap_or_default();
        fail(format!(
            "read as a gitleaks config (it has a `rules`, `extend`, `allowlist(s)` or `title` key; leakward's own rules are `[[rule]]` tables): {line}{}",
            e.message().trim().replace('\n', " ")
        ))
    })?;
    let _ = (&file.title, &file.description, &file.min_version);
    if file.extend.url.is_some() {
        return Err(fail(
            "[extend] url is not supported: leakward never uses the network".into(),
        ));
    }
    if file.extend.path.is_some() && file.extend.use_default {
        return Err(fail(
            "[extend] cannot set both `path` and `useDefault`".into(),
        ));
    }
    let mut out = RulesFile {
        no_default_rules: !file.extend.use_default,
        disable: file.extend.disabled_rules.clone(),
        ..RulesFile::default()
    };
    if let Some(extended) = &file.extend.path {
        if depth >= MAX_EXTEND_DEPTH {
            return Err(fail(format!(
                "[extend] chains deeper than {MAX_EXTEND_DEPTH} files"
            )));
        }
        let target = resolve(path, extended);
        let text = read(&target).map_err(|e| Error::Config {
            path: target.clone(),
            reason: Reason::from(format!(
                "cannot read the extended config: {}; check its `path`",
                crate::error::describe_io(&e)
            )),
        })?;
        let base = convert_at_depth(&text, &target, read, depth + 1)?;
        out.no_default_rules = base.no_default_rules;
        out.disable.extend(base.disable);
        out.allow.extend(base.allow);
        out.rules = base.rules;
    }
    let mut targeted: Vec<(String, AllowSpec)> = Vec::new();
    for allow in file.allowlist.into_iter().chain(file.allowlists) {
        let targets = allow.target_rules.clone();
        let spec = allow_spec(allow, path).map_err(|m| fail(format!("[[allowlists]]: {m}")))?;
        if targets.is_empty() {
            out.allow.push(spec);
        } else {
            targeted.extend(targets.into_iter().map(|id| (id, spec.clone())));
        }
    }
    for rule in file.rules {
        let spec = rule_spec(rule, path)?;
        // A rule that extends one of the same id replaces it, as in gitleaks' override.
        out.rules.retain(|r| r.id != spec.id);
        out.rules.push(spec);
    }
    for (id, spec) in targeted {
        let rule = out.rules.iter_mut().find(|r| r.id == id).ok_or_else(|| {
            fail(format!(
                "[[allowlists]] targets rule `{id}`, which does not exist"
            ))
        })?;
        rule.allow.push(spec);
    }
    Ok(out)
}

fn resolve(from: &Path, extended: &str) -> PathBuf {
    let extended = Path::new(extended);
    if extended.is_absolute() {
        return extended.to_path_buf();
    }
    from.parent().unwrap_or(Path::new(".")).join(extended)
}

fn rule_spec(rule: Rule, path: &Path) -> Result<RuleSpec> {
    let fail = |message: &str| Error::Rule {
        origin: path.display().to_string(),
        id: rule.id.clone(),
        reason: Reason::from(message.to_string()),
    };
    if rule.required.is_some() {
        return Err(fail(
            "[[rules.required]] (composite rules) is not supported",
        ));
    }
    if rule.skip_report {
        return Err(fail("`skipReport` is not supported"));
    }
    if rule.regex.is_none() && rule.path.is_none() {
        return Err(fail("has neither `regex` nor `path`"));
    }
    // A rule with only a `path` becomes a file rule: it reports the file itself.
    let secret_group = rule
        .regex
        .as_deref()
        .map(|regex| gitleaks_secret_group(regex, rule.secret_group));
    let _ = &rule.tags;
    let mut allow = Vec::new();
    for spec in rule.allowlist.into_iter().chain(rule.allowlists) {
        allow
            .push(allow_spec(spec, path).map_err(|m| fail(&format!("[[rules.allowlists]]: {m}")))?);
    }
    Ok(RuleSpec {
        description: rule.description.clone().unwrap_or_else(|| rule.id.clone()),
        id: rule.id,
        regex: rule.regex,
        secret_group,
        keywords: rule.keywords,
        min_entropy: rule.entropy.unwrap_or(0.0),
        confidence: Confidence::High,
        generic: false,
        checksum: None,
        paths: Vec::new(),
        path_regex: rule.path,
        remediation: None,
        allow,
        examples: Vec::new(),
        counterexamples: Vec::new(),
    })
}

/// gitleaks takes the secret from `secretGroup` if set, else from the only capture group
/// if there is exactly one, else the whole match.
fn gitleaks_secret_group(regex: &str, group: Option<usize>) -> usize {
    match group {
        Some(group) if group > 0 => group,
        _ => match regex::Regex::new(regex) {
            Ok(compiled) if compiled.captures_len() == 2 => 1,
            _ => 0,
        },
    }
}

fn allow_spec(allow: Allow, origin: &Path) -> std::result::Result<AllowSpec, crate::error::Reason> {
    let condition = match allow
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("") | Some("OR") | Some("||") => Condition::Any,
        Some("AND") | Some("&&") => Condition::All,
        Some(other) => {
            return Err(format!("unknown condition `{other}` (expected AND or OR)").into())
        }
    };
    let mut spec = AllowSpec {
        origin: Some(origin.display().to_string().into()),
        description: allow.description,
        condition,
        path_regexes: allow.paths,
        stopwords: allow.stopwords,
        commits: allow.commits,
        ..AllowSpec::default()
    };
    match allow.regex_target.as_deref() {
        None | Some("") | Some("secret") => spec.regexes = allow.regexes,
        Some("match") => spec.matches = allow.regexes,
        Some("line") => spec.lines = allow.regexes,
        Some(other) => {
            return Err(
                format!("unknown regexTarget `{other}` (expected secret, match or line)").into(),
            )
        }
    }
    Ok(spec)
}
