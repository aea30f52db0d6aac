//! Attribution: which commit wrote each finding's line. Only blobs with findings get here;
//! each is diffed against the blob its introducing commit's parents had at the same path.
//!
//! The blobs are decoded again through the pack traversal ([`packs::decode_to_map`]), a
//! bounded group at a time, not looked up one id at a time: a lookup by id decodes the whole
//! delta chain and leaves every page of it mapped, which on a 3 GiB repository with a hundred
//! findings added about 200 MB of resident pack pages.

use std::collections::HashMap;
use std::sync::Arc;

use gix::hash::ObjectId;
use rayon::prelude::*;

use crate::chunk::Commit;
use crate::finding::Finding;
use crate::interrupt;
use crate::source::git::attribute::Added;
use crate::source::git::history::Introduction;
use crate::source::git::{packs, repo};

/// Bytes of blob content a group holds decoded at once, counting each parent version as
/// large as the blob itself.
const GROUP_BYTES: u64 = 64 << 20;

/// A scanned blob with findings, before attribution.
pub(crate) struct Found {
    pub blob: ObjectId,
    /// The blob's size in bytes.
    pub size: u64,
    pub findings: Vec<Finding>,
}

/// An object that could not be read: (object id, reason).
type Failure = (String, String);

/// Attributes every finding to the commits that added its line, tagged with the commit's
/// index in the scanned list. Blobs that could not be read again are returned as failures.
/// `wanted` holds each blob's introductions.
pub(crate) fn attribute(
    repo: &gix::ThreadSafeRepository,
    wanted: &HashMap<ObjectId, Vec<Introduction>>,
    found: Vec<Found>,
    max_size: u64,
) -> (Vec<(u32, Finding)>, Vec<Failure>) {
    let mut attributed = Vec::new();
    let mut failures = Vec::new();
    for group in groups(found, wanted) {
        if interrupt::requested() {
            break;
        }
        let mut ids = Vec::new();
        for found in &group {
            ids.push(found.blob);
            for intro in diffed_intros(&wanted[&found.blob], &found.findings) {
                ids.extend(intro.parents.iter().flatten());
            }
        }
        ids.sort_unstable();
        ids.dedup();
        let threads = rayon::current_num_threads();
        let (decoded, undecoded) = packs::decode_to_map(repo, &ids, threads, max_size);
        let unreadable: HashMap<String, String> = undecoded.failures.into_iter().collect();
        let read = |id: ObjectId| -> Result<Option<&[u8]>, Failure> {
            match decoded.get(&id) {
                Some(bytes) => Ok(Some(bytes)),
                None => match unreadable.get(&id.to_string()) {
                    Some(reason) => Err((id.to_string(), reason.clone())),
                    // Over the size limit: never decoded.
                    None => Ok(None),
                },
            }
        };
        let results: Vec<_> = group
            .par_iter()
            .map(|found| attribute_blob(&read, found, &wanted[&found.blob]))
            .collect();
        for result in results {
            match result {
                Ok(mut out) => attributed.append(&mut out),
                Err(failure) => failures.push(failure),
            }
        }
    }
    (attributed, failures)
}

/// Splits `found` into groups of at most [`GROUP_BYTES`] of estimated content (a blob larger
/// than that is a group of its own).
fn groups(found: Vec<Found>, wanted: &HashMap<ObjectId, Vec<Introduction>>) -> Vec<Vec<Found>> {
    let mut groups: Vec<Vec<Found>> = Vec::new();
    let mut bytes = 0;
    for one in found {
        let versions = 1 + diffed_intros(&wanted[&one.blob], &one.findings)
            .map(|intro| intro.parents.len() as u64)
            .sum::<u64>();
        let estimate = one.size.saturating_mul(versions);
        if groups.is_empty() || bytes + estimate > GROUP_BYTES {
            groups.push(Vec::new());
            bytes = 0;
        }
        bytes += estimate;
        groups
            .last_mut()
            .expect("a group was just pushed")
            .push(one);
    }
    groups
}

/// The introductions of a blob at a path that has findings: the only ones to diff.
fn diffed_intros<'a>(
    intros: &'a [Introduction],
    findings: &'a [Finding],
) -> impl Iterator<Item = &'a Introduction> {
    intros
        .iter()
        .filter(move |intro| findings.iter().any(|f| *f.path == *intro.path))
}

/// Keeps, for every commit that introduced the blob at a finding's path, the findings on
/// lines that commit added, tagged with the commit's index.
fn attribute_blob<'a>(
    read: &(dyn Fn(ObjectId) -> Result<Option<&'a [u8]>, Failure> + Sync),
    found: &Found,
    intros: &[Introduction],
) -> Result<Vec<(u32, Finding)>, Failure> {
    let Some(bytes) = read(found.blob)? else {
        return Err((
            found.blob.to_string(),
            "could not be read again to attribute its findings".into(),
        ));
    };
    let mut out = Vec::new();
    for intro in diffed_intros(intros, &found.findings) {
        if interrupt::requested() {
            break;
        }
        let added = Added::compute(&intro.parents, bytes, read)?;
        out.extend(
            found
                .findings
                .iter()
                .filter(|f| *f.path == *intro.path && added.contains(f.line))
                .map(|f| (intro.commit, f.clone())),
        );
    }
    Ok(out)
}

/// Fills in each finding's commit metadata, reading each commit once.
pub(crate) fn with_commits(
    repo: &gix::Repository,
    commits: &[ObjectId],
    attributed: Vec<(u32, Finding)>,
) -> Vec<Finding> {
    let mut metas: HashMap<u32, Arc<Commit>> = HashMap::new();
    attributed
        .into_iter()
        .map(|(at, mut finding)| {
            let meta = metas
                .entry(at)
                .or_insert_with(|| repo::commit_meta_of(repo, commits[at as usize]));
            finding.commit = Some(meta.clone());
            finding
        })
        .collect()
}
