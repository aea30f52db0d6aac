//! `leakward rules`: list, show and check rules.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::cli::{RulesArgs, RulesCommand};
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::selftest;

/// Runs a `rules` subcommand.
pub fn run(command: RulesCommand) -> Result<ExitCode> {
    match command {
        RulesCommand::List(args) => list(&load(&args)?),
        RulesCommand::Show { id, rules } => show(&load(&rules)?, &id),
        RulesCommand::Check { file } => check(file.as_deref()),
    }
}

fn load(args: &RulesArgs) -> Result<Config> {
    config::load(&config::Sources {
        file: args.config.clone(),
        root: None,
        no_default_rules: args.no_default_rules,
    })
}

fn list(config: &Config) -> Result<ExitCode> {
    let mut out = io::stdout().lock();
    for rule in &config.rules {
        let spec = &rule.spec;
        let line = format!(
            "{:<40} {:<6} {:<40} {}",
            spec.id,
            spec.confidence,
            spec.keywords.join(","),
            spec.description
        );
        if writeln!(out, "{}", line.trim_end()).is_err() {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(config: &Config, id: &str) -> Result<ExitCode> {
    let rule = config
        .rules
        .iter()
        .find(|r| r.spec.id == id)
        .ok_or_else(|| {
            Error::Usage(format!(
                "no rule has the id `{id}` (see `leakward rules list`)"
            ))
        })?;
    let spec = &rule.spec;
    let mut text = format!(
        "id:          {}\ndescription: {}\nconfidence:  {}\nkeywords:    {}\nregex:       {}\nmin_entropy: {}\n",
        spec.id,
        spec.description,
        spec.confidence,
        spec.keywords.join(", "),
        spec.regex.as_deref().unwrap_or("(none: a file rule, reports files by path)"),
        spec.min_entropy
    );
    if let Some(checksum) = &spec.checksum {
        text.push_str(&format!("checksum:    {checksum}\n"));
    }
    if !spec.paths.is_empty() {
        text.push_str(&format!("paths:       {}\n", spec.paths.join(", ")));
    }
    if let Some(remediation) = &spec.remediation {
        text.push_str(&format!("remediation: {remediation}\n"));
    }
    text.push_str(&format!("defined in:  {}\n", rule.origin));
    let _ = io::stdout().lock().write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn check(file: Option<&Path>) -> Result<ExitCode> {
    let (config, name) = match file {
        None => (config::builtin()?, "the built-in catalog".to_string()),
        Some(path) => {
            let parsed = config::read_rules_file(path)?;
            let mut config = Config {
                rules: Vec::new(),
                allow: Default::default(),
                block_on: crate::finding::Confidence::High,
                policy: Default::default(),
            };
            config::merge(&mut config, parsed, path)?;
            (config, path.display().to_string())
        }
    };
    let failures = selftest::check(&config)?;
    let mut err = io::stderr().lock();
    for failure in &failures {
        let _ = writeln!(
            err,
            "leakward: rule `{}` {}",
            failure.rule_id, failure.problem
        );
    }
    let _ = writeln!(
        err,
        "leakward: {}: {} rules, {} failures",
        name,
        config.rules.len(),
        failures.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
