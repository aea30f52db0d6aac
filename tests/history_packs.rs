//! `leakward history` on packed repositories with deep delta chains: the blob traversal
//! decodes only wanted blobs and their bases, in batches, and must find exactly what a scan
//! of loose objects finds.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::{github_token as token, places, Repo};
use gix::hash::ObjectId;
use leakward::internals::pack_plan;
use leakward::internals::PackHeaders;

/// A file rewritten by 30 commits (so `git repack` stores it as long delta chains), with a
/// secret added by commit 10 and another by commit 25. Returns the two adding commits.
fn edited_often(repo: &Repo) -> (String, String) {
    let mut lines: Vec<String> = (0..200).map(|i| format!("let value_{i} = {i};")).collect();
    let mut adders = Vec::new();
    for n in 0..30 {
        lines[(n * 7) % 200] = format!("let changed_{n} = {n};");
        if n == 10 || n == 25 {
            lines.insert(100, format!("let token = \"{}\";", token()));
        }
        repo.write("src/lib.rs", &(lines.join("\n") + "\n"));
        let id = repo.commit(&format!("change {n}"));
        if n == 10 || n == 25 {
            adders.push(id);
        }
    }
    (adders[0].clone(), adders[1].clone())
}

/// The `.idx` file of the repository's one pack.
fn pack_index(repo: &Repo) -> PathBuf {
    std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "idx"))
        .expect("one pack")
}

fn scan(repo: &Repo, args: &[&str]) -> (i32, Vec<(String, String, u64)>) {
    let mut all = vec!["history"];
    all.extend(args);
    let (code, findings) = repo.findings(&all, "");
    (code, places(&findings))
}

#[test]
fn deep_delta_chains_give_the_same_findings_as_loose_objects() {
    let repo = Repo::new();
    let (first, second) = edited_often(&repo);
    let (code, loose) = scan(&repo, &[]);
    assert_eq!(code, 1);
    let adders: Vec<&str> = loose.iter().map(|(commit, _, _)| commit.as_str()).collect();
    assert_eq!(adders.len(), 2, "{loose:?}");
    assert!(adders.contains(&first.as_str()) && adders.contains(&second.as_str()));
    let (_, loose_range) = scan(&repo, &["HEAD~10..HEAD"]);

    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
    assert_eq!(scan(&repo, &[]), (1, loose.clone()));
    // Only the last ten versions are wanted; their delta bases are older versions that the
    // traversal must decode without reporting them.
    let (code, packed_range) = scan(&repo, &["HEAD~10..HEAD"]);
    assert_eq!((code, &packed_range), (1, &loose_range));
    assert_eq!(packed_range.len(), 1);
    assert_eq!(packed_range[0].0, second);
}

#[test]
fn batches_cover_every_wanted_blob_and_begin_where_the_pack_does() {
    let repo = Repo::new();
    edited_often(&repo);
    for n in 0..5 {
        repo.write(&format!("other{n}.txt"), format!("file {n}\n").repeat(50));
        repo.commit(&format!("other {n}"));
    }
    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
    let blobs: HashSet<ObjectId> = repo
        .git(&["rev-list", "--objects", "--all"])
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|id| repo.git(&["cat-file", "-t", id]) == "blob")
        .map(|id| ObjectId::from_hex(id.as_bytes()).unwrap())
        .collect();
    let index_path = pack_index(&repo);
    let index = gix::odb::pack::index::File::at(&index_path, gix::hash::Kind::Sha1).unwrap();
    let pack_path = index_path.with_extension("pack");

    for budget in [4096, 1 << 30] {
        let batches = pack_plan::batches(&index, &pack_path, &blobs, budget, u64::MAX).unwrap();
        let mut covered = HashSet::new();
        for batch in &batches {
            assert_eq!(batch[0].offset, 12, "every batch starts at the first entry");
            assert!(batch.windows(2).all(|pair| pair[0].offset < pair[1].offset));
            covered.extend(batch.iter().filter_map(|node| node.id));
        }
        assert_eq!(covered, blobs, "budget {budget}");
        if budget == 4096 {
            assert!(batches.len() > 1, "a one-page budget splits the families");
        } else {
            assert_eq!(batches.len(), 1);
        }
    }
    assert_decodes_the_same(&repo.path(), &blobs);
}

#[test]
fn headers_read_by_window_are_the_headers_gix_reads_through_its_mapping() {
    let repo = Repo::new();
    edited_often(&repo);
    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
    let index_path = pack_index(&repo);
    let hash = gix::hash::Kind::Sha1;
    let bundle = gix::odb::pack::Bundle::at(&index_path, hash).unwrap();
    let pack_path = index_path.with_extension("pack");
    let mut offsets: Vec<u64> = bundle.index.iter().map(|e| e.pack_offset).collect();
    offsets.sort_unstable();
    assert!(offsets.len() > 60, "{} entries", offsets.len());
    let mut reversed = offsets.clone();
    reversed.reverse();
    // One header at a time, a window smaller than most entries, and one wider than the pack,
    // in offset order and backwards.
    for window in [0, 100, 1 << 20] {
        for order in [&offsets, &reversed] {
            let mut headers = PackHeaders::open(&pack_path, hash, window).unwrap();
            for &offset in order.iter() {
                let want = bundle.pack.entry(offset).unwrap();
                let got = headers.entry(offset).unwrap();
                assert_eq!(
                    (got.header, got.decompressed_size, got.data_offset),
                    (want.header, want.decompressed_size, want.data_offset),
                    "window {window}, offset {offset}"
                );
            }
        }
    }
}

/// Every wanted blob decodes through the batched traversal to what `git cat-file` prints.
fn assert_decodes_the_same(work: &Path, blobs: &HashSet<ObjectId>) {
    let wanted: Vec<ObjectId> = blobs.iter().copied().collect();
    let repo = gix::open(work).unwrap().into_sync();
    let decoded = std::sync::Mutex::new(Vec::new());
    let undecoded = leakward::internals::decode_each(
        &repo,
        &wanted,
        2,
        u64::MAX,
        &(),
        &|_: &mut (), id: ObjectId, bytes: &[u8]| {
            decoded.lock().unwrap().push((id, bytes.to_vec()));
        },
    );
    assert!(undecoded.failures.is_empty(), "{undecoded:?}");
    assert_eq!(undecoded.too_large, 0);
    let decoded = decoded.into_inner().unwrap();
    assert_eq!(decoded.len(), wanted.len(), "each blob once");
    for (id, bytes) in decoded {
        let want = std::process::Command::new("git")
            .args(["cat-file", "blob", &id.to_string()])
            .current_dir(work)
            .output()
            .unwrap()
            .stdout;
        assert_eq!(bytes, want, "{id}");
    }
}

/// Trees in deep delta chains (the diffs resolve them with their own reader and base
/// cache) must give the introductions that loose trees give: nested directories edited by
/// many commits, a side branch merged with a resolution that adds a secret, a secret moved
/// to another directory, removed and added again.
#[test]
fn trees_stored_as_deep_deltas_give_the_same_introductions_as_loose_trees() {
    let repo = Repo::new();
    for n in 0..40 {
        for dir in ["src", "src/net", "src/net/http", "docs"] {
            repo.write(
                &format!("{dir}/file_{}.txt", n % 5),
                format!("version {n} of {dir}\n"),
            );
        }
        if n == 12 {
            repo.write(
                "src/net/http/auth.rs",
                format!("const T: &str = \"{}\";\n", token()),
            );
        }
        if n == 20 {
            repo.git(&["mv", "src/net/http/auth.rs", "docs/auth.rs"]);
        }
        if n == 25 {
            repo.git(&["rm", "-q", "docs/auth.rs"]);
        }
        if n == 30 {
            repo.write(
                "src/net/auth.rs",
                format!("const T: &str = \"{}\";\n", token()),
            );
        }
        repo.commit(&format!("change {n}"));
    }
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("src/net/settings.ini", "port = 2\n");
    repo.commit("side change");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/net/settings.ini", "port = 3\n");
    repo.commit("main change");
    let merge = repo.git_output(&["merge", "-q", "side"]);
    assert!(!merge.status.success(), "the merge must conflict");
    repo.write(
        "src/net/settings.ini",
        format!("port = 4\ntoken = {}\n", token()),
    );
    let merged = repo.commit("merge side");

    let (code, loose) = scan(&repo, &[]);
    assert_eq!(code, 1);
    assert!(
        loose
            .iter()
            .any(|(commit, path, _)| *commit == merged && path == "src/net/settings.ini"),
        "{loose:?}"
    );
    assert!(loose.len() >= 4, "{loose:?}");
    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
    assert_eq!(scan(&repo, &[]), (1, loose));
}
