//! `--cache DIR`: which blobs of a repository an earlier run scanned and found nothing in,
//! so that a nightly rescan decodes and scans only the blobs that are new.
//!
//! A blob's findings depend on its content (its id), the paths it was scanned at (path
//! rules and allowlists) and everything that decides findings: the tool version, the rule
//! set ([`crate::config::Config::rule_set_hash`]) and the scan limits. The cache keeps only
//! blobs that came out clean, keyed by id and paths, under a header naming all of that; a
//! header that differs (a new rule, a new version) discards the whole cache. Blobs with
//! findings are not cached: they are few, and scanning them again reports their findings
//! exactly as before, so a cached run reports every finding a cold run does. Attribution and
//! the commit walk run in full either way.
//!
//! One file per repository, `DIR/<hash of its name>.blobs`: a header line, then one line per
//! clean blob, `<blob id> <paths hash> <bytes> <binary 0|1>`. It is written whole to a
//! temporary file and renamed, so an interrupted run leaves the previous cache. A cache that
//! cannot be parsed is not trusted: it is ignored (and replaced), which costs a cold scan,
//! never a finding. The directory is the operator's, trusted like the binary.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, IoFailure, Result};
use crate::source::git::ObjectId;

/// What decides whether an earlier scan of a blob still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    pub rules: String,
    pub max_file_size: u64,
    pub max_findings_per_file: usize,
    pub report_invalid: bool,
}

impl Key {
    fn header(&self) -> String {
        format!(
            "leakward-blob-cache 1 version={} rules={} max_file_size={} max_findings={} report_invalid={}",
            env!("CARGO_PKG_VERSION"),
            self.rules,
            self.max_file_size,
            self.max_findings_per_file,
            self.report_invalid
        )
    }
}

/// A blob scanned clean: its size and whether it was scanned as binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clean {
    pub bytes: u64,
    pub binary: bool,
}

/// One repository's cache: what an earlier run found clean, and what this run adds.
#[derive(Debug)]
pub(crate) struct BlobCache {
    file: PathBuf,
    header: String,
    clean: HashMap<(ObjectId, u64), Clean>,
}

impl BlobCache {
    /// The cache of the repository called `name` in `dir` (created if missing), empty when
    /// there is none yet or it was made under another key.
    pub(crate) fn open(dir: &Path, name: &str, key: &Key) -> Result<BlobCache> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            context: format!(
                "cannot create the cache directory {}",
                crate::path_text::from_path(dir)
            ),
            source: IoFailure(source),
        })?;
        let digest = Sha256::digest(name.as_bytes());
        let stem: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let mut cache = BlobCache {
            file: dir.join(format!("{stem}.blobs")),
            header: key.header(),
            clean: HashMap::new(),
        };
        if let Ok(file) = std::fs::File::open(&cache.file) {
            cache.clean = read(BufReader::new(file), &cache.header).unwrap_or_default();
        }
        Ok(cache)
    }

    /// Whether the blob `id`, scanned at `paths`, came out clean before.
    pub(crate) fn get(&self, id: ObjectId, paths: &[&str]) -> Option<Clean> {
        self.clean.get(&(id, paths_hash(paths))).copied()
    }

    /// Records that the blob `id` at `paths` came out clean.
    pub(crate) fn insert(&mut self, id: ObjectId, paths: &[&str], clean: Clean) {
        self.clean.insert((id, paths_hash(paths)), clean);
    }

    /// How many blobs it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.clean.len()
    }

    /// Writes the cache in place of the old one.
    pub(crate) fn save(&self) -> Result<()> {
        let failed = |source| Error::Io {
            context: format!(
                "cannot write the cache file {}",
                crate::path_text::from_path(&self.file)
            ),
            source: IoFailure(source),
        };
        let dir = self.file.parent().unwrap_or(Path::new("."));
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
        {
            let mut out = std::io::BufWriter::new(temp.as_file_mut());
            writeln!(out, "{}", self.header).map_err(failed)?;
            for ((id, paths), clean) in &self.clean {
                writeln!(
                    out,
                    "{id} {paths:016x} {} {}",
                    clean.bytes,
                    u8::from(clean.binary)
                )
                .map_err(failed)?;
            }
            out.flush().map_err(failed)?;
        }
        temp.persist(&self.file).map_err(|e| failed(e.error))?;
        Ok(())
    }
}

/// The entries of a cache file whose header is `header`; `None` if it is another key's or
/// cannot be parsed.
fn read(file: impl BufRead, header: &str) -> Option<HashMap<(ObjectId, u64), Clean>> {
    let mut lines = file.lines();
    if lines.next()?.ok()? != header {
        return None;
    }
    let mut clean = HashMap::new();
    for line in lines {
        let line = line.ok()?;
        let mut fields = line.split(' ');
        let id = ObjectId::from_hex(fields.next()?.as_bytes()).ok()?;
        let paths = u64::from_str_radix(fields.next()?, 16).ok()?;
        let bytes = fields.next()?.parse().ok()?;
        let binary = match fields.next()? {
            "0" => false,
            "1" => true,
            _ => return None,
        };
        if fields.next().is_some() {
            return None;
        }
        clean.insert((id, paths), Clean { bytes, binary });
    }
    Some(clean)
}

/// A hash of a blob's sorted, de-duplicated paths.
fn paths_hash(paths: &[&str]) -> u64 {
    let mut hasher = Sha256::new();
    for path in paths {
        hasher.update(path.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut head = [0u8; 8];
    head.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(rules: &str) -> Key {
        Key {
            rules: rules.into(),
            max_file_size: 10 << 20,
            max_findings_per_file: 100,
            report_invalid: false,
        }
    }

    #[test]
    fn a_saved_cache_reads_back_only_under_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let id = ObjectId::from_hex(b"0123456789abcdef0123456789abcdef01234567").unwrap();
        let clean = Clean {
            bytes: 42,
            binary: true,
        };
        let mut cache = BlobCache::open(dir.path(), "org/api", &key("r1")).unwrap();
        cache.insert(id, &["a.txt", "b/c.rs"], clean);
        cache.save().unwrap();

        let again = BlobCache::open(dir.path(), "org/api", &key("r1")).unwrap();
        assert_eq!(again.get(id, &["a.txt", "b/c.rs"]), Some(clean));
        // Other paths are other scans.
        assert_eq!(again.get(id, &["a.txt"]), None);
        // Another rule set, or another repository, starts empty.
        assert_eq!(
            BlobCache::open(dir.path(), "org/api", &key("r2"))
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            BlobCache::open(dir.path(), "org/web", &key("r1"))
                .unwrap()
                .len(),
            0
        );
    }

    #[test]
    fn a_damaged_cache_is_not_trusted() {
        let header = key("r1").header();
        let good =
            format!("{header}\n0123456789abcdef0123456789abcdef01234567 00000000000000ff 10 0\n");
        assert_eq!(read(good.as_bytes(), &header).map(|c| c.len()), Some(1));
        for bad in [
            format!("{header}\n0123456789abcdef0123456789abcdef01234567 ff 10 2\n"),
            format!("{header}\nnot-an-id ff 10 0\n"),
            format!("{header}\n0123456789abcdef0123456789abcdef01234567 ff 10 0 extra\n"),
            "leakward-blob-cache 0\n".to_string(),
        ] {
            assert_eq!(read(bad.as_bytes(), &header), None, "{bad}");
        }
    }
}
