//! Where a run's policy comes from: the config, the ignore files and the baseline that decide
//! what is reported and what blocks.
//!
//! A change must not weaken the gate that judges it. Range, pull-request and pre-push scans
//! judge commits that someone else wrote, so they take `.leakward.toml`, `.leakwardignore`,
//! `.gitleaksignore` and a `--baseline` inside the work tree from the base commit's tree,
//! not from the work tree those commits wrote; a policy file the commits change is named in a
//! warning, not applied; only `pre-push` also applies a baseline the pushed commits change,
//! since the person pushing judges their own commits there. An audit obeys none of the repository's files: they arrived with
//! the leak. What the operator names outside the repository (`--config FILE`, a baseline
//! elsewhere) is obeyed as given. See: issue 19.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::options::Detect;
use crate::config::{self, Config, USER_CONFIG};
use crate::error::Result;
use crate::source::git::policy::{self as tree, short};
use crate::source::git::{self, ObjectId, Repository};
use crate::suppress::{Suppressions, GITLEAKS_IGNORE_FILE, IGNORE_FILE};

/// Where a run reads its policy files.
pub(super) enum Policy<'r> {
    /// The files at this directory: `scan`, `staged`, `explain` and a `history` of whole
    /// refs, which judge the user's own files.
    Directory(PathBuf),
    /// The files of a base commit: range, pull-request and pre-push scans.
    Review(Review<'r>),
    /// `audit`: none of the repository's files at this root, only what the operator names.
    Operator(PathBuf),
    /// `history --repos`: the operator's files only (`--config`, `--baseline`), for every
    /// repository alike, so that no repository of an organisation can switch off its own
    /// scan and every shard runs the same rule set.
    Central,
}

/// A scan of commits under review, judged by the policy of the commit they start from.
pub(super) struct Review<'r> {
    pub repo: &'r Repository,
    /// The commit whose policy files apply; `None` when there is none (a new branch with
    /// nothing to compare with, a lower bound that is gone): the built-in defaults apply.
    pub base: Option<ObjectId>,
    /// The commits under review. A policy file that differs between `base` and one of them
    /// is named in a warning.
    pub tips: Vec<ObjectId>,
    /// Whether the baseline the tips carry applies too: set by `pre-push`, where the person
    /// pushing judges their own commits and accepts a finding by recording its fingerprint
    /// in the baseline they push with it. A CI scan of the same commits leaves it unset.
    pub pushed_baseline: bool,
}

/// What a policy gives a run.
pub(super) struct Loaded {
    pub config: Config,
    pub suppressions: Suppressions,
    /// One line each: policy files that were not applied, and why.
    pub warnings: Vec<String>,
}

impl Policy<'_> {
    /// Reads and validates the policy files; `common` holds what the operator named.
    pub(super) fn load(&self, common: &Detect) -> Result<Loaded> {
        match self {
            Policy::Directory(root) => directory(common, root),
            Policy::Review(review) => review.load(common),
            Policy::Operator(root) => operator(common, root),
            Policy::Central => central(common),
        }
    }
}

fn directory(common: &Detect, root: &Path) -> Result<Loaded> {
    let config = config::load(&config::Sources {
        file: common.config.clone(),
        root: Some(root.to_path_buf()),
        no_default_rules: common.no_default_rules,
    })?;
    let mut suppressions = Suppressions::default();
    let ignore_file = root.join(IGNORE_FILE);
    if ignore_file.is_file() {
        suppressions.add_ignore_file(&ignore_file)?;
    }
    let gitleaks_ignore = root.join(GITLEAKS_IGNORE_FILE);
    if gitleaks_ignore.is_file() {
        suppressions.add_gitleaks_ignore(&gitleaks_ignore)?;
    }
    if let Some(baseline) = &common.baseline {
        suppressions.add_baseline(baseline)?;
    }
    Ok(Loaded {
        config,
        suppressions,
        warnings: Vec::new(),
    })
}

/// The config the operator named with `--config`, or the built-in catalog.
fn operator_config(common: &Detect) -> Result<Config> {
    config::load(&config::Sources {
        file: common.config.clone(),
        root: None,
        no_default_rules: common.no_default_rules,
    })
}

/// The operator's config and baseline, and nothing else.
fn central(common: &Detect) -> Result<Loaded> {
    let config = operator_config(common)?;
    let mut suppressions = Suppressions::default();
    if let Some(baseline) = &common.baseline {
        suppressions.add_baseline(baseline)?;
    }
    Ok(Loaded {
        config,
        suppressions,
        warnings: Vec::new(),
    })
}

fn operator(common: &Detect, root: &Path) -> Result<Loaded> {
    let Loaded {
        config,
        suppressions,
        mut warnings,
    } = central(common)?;
    let present = |name: &str| root.join(name).symlink_metadata().is_ok();
    if common.config.is_none() && present(USER_CONFIG) {
        warnings.push(format!(
            "{USER_CONFIG} of the audited repository was not applied: it arrived with the repository; to use it on purpose, pass --config {}",
            crate::path_text::from_path(&root.join(USER_CONFIG))
        ));
    }
    for name in [IGNORE_FILE, GITLEAKS_IGNORE_FILE]
        .into_iter()
        .filter(|n| present(n))
    {
        warnings.push(format!(
            "{name} of the audited repository was not applied: an audit reports every secret whatever the repository says; list accepted findings in a --baseline of your own"
        ));
    }
    Ok(Loaded {
        config,
        suppressions,
        warnings,
    })
}

impl Review<'_> {
    fn load(&self, common: &Detect) -> Result<Loaded> {
        let config = match (&common.config, self.base) {
            (Some(_), _) => operator_config(common)?,
            (None, Some(base)) => match tree::read(self.repo, base, USER_CONFIG)? {
                Some(file) => {
                    let label = label(base, USER_CONFIG);
                    let read = |target: &Path| self.read_extended(base, target);
                    let parsed = config::parse_in(&file.text, &label, &read)?;
                    config::load_with(Some((parsed, label)), common.no_default_rules)?
                }
                None => config::load_with(None, common.no_default_rules)?,
            },
            (None, None) => config::load_with(None, common.no_default_rules)?,
        };
        let mut suppressions = Suppressions::default();
        let mut warnings = Vec::new();
        if let Some(base) = self.base {
            if let Some(file) = tree::read(self.repo, base, IGNORE_FILE)? {
                suppressions.add_ignore_text(&file.text, &label(base, IGNORE_FILE))?;
            }
            if let Some(file) = tree::read(self.repo, base, GITLEAKS_IGNORE_FILE)? {
                suppressions.add_gitleaks_text(&file.text, &label(base, GITLEAKS_IGNORE_FILE))?;
            }
        }
        if let Some(baseline) = &common.baseline {
            match self.in_work_tree(baseline) {
                Some(relative) => self.add_baseline(&relative, &mut suppressions, &mut warnings)?,
                None => suppressions.add_baseline(baseline)?,
            }
        }
        let pushed = common
            .baseline
            .as_deref()
            .filter(|_| self.pushed_baseline)
            .and_then(|b| self.in_work_tree(b));
        for path in self.watched(common) {
            if Some(&path) == pushed.as_ref() {
                continue;
            }
            if let Some(warning) = self.changed(&path)? {
                warnings.push(warning);
            }
        }
        Ok(Loaded {
            config,
            suppressions,
            warnings,
        })
    }

    /// The policy files a base commit supplies: the config unless `--config` names one, the
    /// ignore files, and a baseline inside the work tree.
    fn watched(&self, common: &Detect) -> Vec<String> {
        let config = common.config.is_none().then_some(USER_CONFIG);
        let mut watched: Vec<String> = config
            .into_iter()
            .chain([IGNORE_FILE, GITLEAKS_IGNORE_FILE])
            .map(String::from)
            .collect();
        watched.extend(
            common
                .baseline
                .as_deref()
                .and_then(|b| self.in_work_tree(b)),
        );
        watched
    }

    /// Whether the commits `a` and `b` (or none) hold the same policy files, so that either
    /// can judge what is pushed from both.
    pub(super) fn agree(
        &self,
        common: &Detect,
        a: Option<ObjectId>,
        b: Option<ObjectId>,
    ) -> Result<bool> {
        for path in self.watched(common) {
            let blob = |commit: Option<ObjectId>| match commit {
                Some(commit) => tree::blob_at(self.repo, commit, &path),
                None => Ok(None),
            };
            if blob(a)? != blob(b)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The baseline at `relative` in the base commit's tree. One the base does not have
    /// makes no finding known: a baseline the changes under review add is theirs. Under
    /// `pushed_baseline` the tips' versions count too, and a warning says so.
    fn add_baseline(
        &self,
        relative: &str,
        suppressions: &mut Suppressions,
        warnings: &mut Vec<String>,
    ) -> Result<()> {
        if self.pushed_baseline && self.add_pushed_baseline(relative, suppressions, warnings)? {
            return Ok(());
        }
        let file = match self.base {
            Some(base) => tree::read(self.repo, base, relative)?.map(|f| (base, f)),
            None => None,
        };
        match file {
            Some((base, file)) => {
                suppressions.add_baseline_text(&file.text, &label(base, relative))
            }
            None => {
                warnings.push(format!(
                    "the baseline {relative} is not in the base commit ({}): no finding counts as known",
                    self.base_name()
                ));
                Ok(())
            }
        }
    }

    /// Adds the baseline at `relative` of every tip that changes it, with the base's (a push
    /// may remove an entry), and says so; `false` when no tip changes it.
    fn add_pushed_baseline(
        &self,
        relative: &str,
        suppressions: &mut Suppressions,
        warnings: &mut Vec<String>,
    ) -> Result<bool> {
        let before = match self.base {
            Some(base) => tree::blob_at(self.repo, base, relative)?,
            None => None,
        };
        let mut changed = false;
        for &tip in &self.tips {
            if tree::blob_at(self.repo, tip, relative)? == before {
                continue;
            }
            changed = true;
            if let Some(file) = tree::read(self.repo, tip, relative)? {
                suppressions.add_baseline_text(&file.text, &label(tip, relative))?;
            }
        }
        if changed {
            if let Some(base) = self.base {
                if let Some(file) = tree::read(self.repo, base, relative)? {
                    suppressions.add_baseline_text(&file.text, &label(base, relative))?;
                }
            }
            warnings.push(format!(
                "{relative} is changed by the pushed commits and was applied as they have it: a push may accept its own findings in its baseline; a CI scan of the same commits uses the base's baseline until this one lands"
            ));
        }
        Ok(changed)
    }

    /// A warning if `path` differs between the base commit and a commit under review.
    fn changed(&self, path: &str) -> Result<Option<String>> {
        let before = match self.base {
            Some(base) => tree::blob_at(self.repo, base, path)?,
            None => None,
        };
        for &tip in &self.tips {
            if tree::blob_at(self.repo, tip, path)? != before {
                let used = match (self.base, before) {
                    (Some(base), Some(_)) => {
                        format!("the version in the base commit {}", short(base))
                    }
                    (Some(base), None) => format!(
                        "the built-in defaults (the base commit {} has no {path})",
                        short(base)
                    ),
                    (None, _) => "the built-in defaults (there is no base commit)".into(),
                };
                return Ok(Some(format!(
                    "{path} is changed by the commits under review (at {}) and was not applied: a change cannot weaken the gate that judges it; this scan used {used}. It applies once it is on the base branch",
                    short(tip)
                )));
            }
        }
        Ok(None)
    }

    fn base_name(&self) -> String {
        self.base.map_or_else(|| "there is none".into(), short)
    }

    /// `path` relative to the work tree, `/`-separated, if it names a file inside it (not
    /// under `.git/`). Only its directory is resolved: a symlink the changes commit at the
    /// file's own name is still the file's name.
    fn in_work_tree(&self, path: &Path) -> Option<String> {
        let top = git::repo::workdir(self.repo)?.canonicalize().ok()?;
        let absolute = std::env::current_dir().ok()?.join(path);
        let directory = absolute.parent()?.canonicalize().ok()?;
        let full = directory.join(absolute.file_name()?);
        let relative = full.strip_prefix(&top).ok()?;
        let parts: Vec<&str> = relative
            .components()
            .map(|c| match c {
                Component::Normal(part) => part.to_str(),
                _ => None,
            })
            .collect::<Option<_>>()?;
        (parts.first().is_some_and(|first| *first != ".git")).then(|| parts.join("/"))
    }

    /// A file a base-commit config extends (gitleaks' `[extend] path`): a relative path is
    /// read from the same commit, an absolute one from disk (the trusted config named it).
    fn read_extended(&self, base: ObjectId, target: &Path) -> io::Result<String> {
        if target.is_absolute() {
            return crate::bounded::read_text_io(target, crate::bounded::CONFIG_LIMIT);
        }
        let mut parts: Vec<&str> = Vec::new();
        for component in target.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_str().ok_or_else(not_found)?),
                Component::ParentDir => {
                    parts.pop().ok_or_else(|| {
                        io::Error::other("it is outside the repository of the config")
                    })?;
                }
                _ => {}
            }
        }
        match tree::read(self.repo, base, &parts.join("/")) {
            Ok(Some(file)) => Ok(file.text),
            Ok(None) => Err(not_found()),
            Err(e) => Err(io::Error::other(crate::error::chain(&e))),
        }
    }
}

fn not_found() -> io::Error {
    io::Error::from(io::ErrorKind::NotFound)
}

/// How errors and listings name a file of a commit, as `git show` would: `1a2b3c4d5e6f:path`.
fn label(commit: ObjectId, path: &str) -> PathBuf {
    PathBuf::from(format!("{}:{path}", short(commit)))
}
