//! `leakward rules`: list, show and check rules.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::options::RulesRun;
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::selftest;

/// Runs a `rules` subcommand.
pub(super) fn run(command: RulesRun) -> Result<ExitCode> {
    match command {
        RulesRun::List {
            config,
            no_default_rules,
        } => list(&load(config, no_default_rules)?),
        RulesRun::Show {
            id,
            config,
            no_default_rules,
        } => show(&load(config, no_default_rules)?, &id),
        RulesRun::Check { file } => check(file.as_deref()),
    }
}

fn load(file: Option<PathBuf>, no_default_rules: bool) -> Result<Config> {
    config::load(&config::Sources {
        file,
        root: None,
        no_default_rules,
    })
}

/// Prints one row per rule under a header, in aligned columns. Keywords go last: a rule may
/// have dozens, and a column that wide would push every description off the screen.
fn list(config: &Config) -> Result<ExitCode> {
    let header = ["ID", "CONFIDENCE", "DESCRIPTION", "KEYWORDS"];
    let rows: Vec<[String; 4]> = config
        .rules
        .iter()
        .map(|rule| {
            let spec = &rule.spec;
            // A user's rules file may hold control characters: never print them raw.
            [
                &spec.id,
                spec.confidence.as_str(),
                &spec.description,
                &spec.keywords.join(","),
            ]
            .map(crate::report::text::safe)
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = io::stdout().lock();
    let header = header.map(String::from);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                line.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            } else {
                line.push_str(cell);
            }
        }
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

/// Checks the built-in catalog, or a file loaded exactly as `--config FILE` loads it (on top
/// of the built-in rules unless it says `no_default_rules`), so that `rules check` accepts
/// what a scan accepts; only the file's own rules are run through their examples.
fn check(file: Option<&Path>) -> Result<ExitCode> {
    let (config, name, failures) = match file {
        None => {
            let config = config::builtin_with_examples()?;
            let failures = selftest::check(&config)?;
            (config, "the built-in catalog".to_string(), failures)
        }
        Some(path) => {
            let config = config::load(&config::Sources {
                file: Some(path.to_path_buf()),
                root: None,
                no_default_rules: false,
            })?;
            let failures = selftest::check_user_rules(&config)?;
            (config, path.display().to_string(), failures)
        }
    };
    let checked = config
        .rules
        .iter()
        .filter(|r| file.is_none() || !r.builtin)
        .count();
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
        checked,
        failures.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
