//! Submodules in an audit: each keeps its own object database under `.git/modules/NAME`
//! (nested ones under `.git/modules/NAME/modules/...`), with history the superproject's
//! objects do not hold. An audit reads each one as it reads the repository, and reports
//! their secrets together, each place and reach labelled with the submodule's name.

use std::path::{Path, PathBuf};

use crate::report::audit::Audit;

/// A submodule's git directory and the name reports give it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Module {
    /// The name git gave it (usually its path), `/`-separated; nested ones are joined.
    pub name: String,
    pub git_dir: PathBuf,
}

/// Every submodule git directory under `common_dir/modules`, nested ones included, sorted.
/// A directory that is not a git directory is searched deeper: names may hold `/`.
pub(super) fn git_dirs(common_dir: &Path) -> Vec<Module> {
    let mut out = Vec::new();
    collect(&common_dir.join("modules"), "", &mut out);
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<Module>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        // Not followed through symbolic links: a link could lead round a loop.
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        let name = format!(
            "{prefix}{}",
            crate::path_text::from_path(Path::new(&entry.file_name()))
        );
        if path.join("objects").is_dir() && path.join("HEAD").is_file() {
            collect(&path.join("modules"), &format!("{name}/"), out);
            out.push(Module {
                name,
                git_dir: path,
            });
        } else {
            collect(&path, &format!("{name}/"), out);
        }
    }
}

/// Adds a submodule's secrets to the repository's report, each place under `name/` and
/// each reach through `submodule NAME`.
pub(super) fn absorb(report: &mut Audit, name: &str, audit: Audit) {
    for mut secret in audit.secrets {
        let prefix = |path: &mut String| {
            if !path.is_empty() {
                *path = format!("{name}/{path}");
            }
        };
        prefix(&mut secret.finding.path);
        for location in &mut secret.locations {
            prefix(&mut location.path);
        }
        for reach in &mut secret.reached_by {
            reach.label = format!("submodule {name}: {}", reach.label);
        }
        report.secrets.push(secret);
    }
}
