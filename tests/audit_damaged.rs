//! `leakward audit` on damaged repositories: a truncated pack, a missing object, a shallow
//! clone. The audit goes on with what it can read, names what it could not, and exits 2.

mod common;

use common::{commit_secret, Repo};

#[test]
fn a_truncated_pack_gives_exit_2_naming_it() {
    let repo = Repo::new();
    for n in 0..20 {
        repo.write(&format!("file{n}.txt"), format!("content {n}\n").repeat(50));
        repo.commit(&format!("commit {n}"));
    }
    commit_secret(&repo, "late.env", "late secret");
    repo.pack();
    let pack_dir = repo.path().join(".git/objects/pack");
    let pack = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack");
    let len = std::fs::metadata(&pack).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
    file.set_len(len / 2).unwrap();
    drop(file);

    let out = repo.audit(&repo.path(), &[]);
    let stderr = out.stderr.as_str();
    assert_eq!(Some(out.code), Some(2), "{stderr}");
    let name = pack.file_name().unwrap().to_str().unwrap();
    assert!(
        stderr.contains(name) && stderr.contains("truncated"),
        "{stderr}"
    );
    assert!(stderr.contains("scan incomplete"), "{stderr}");
}

#[test]
fn a_missing_object_gives_exit_2_naming_it() {
    let repo = Repo::new();
    commit_secret(&repo, "a.env", "first");
    repo.write("b.txt", "plain\n");
    repo.commit("second");
    let blob = repo.git(&["rev-parse", "HEAD:b.txt"]);
    let loose = repo
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(loose).unwrap();
    let out = repo.audit(&repo.path(), &[]);
    let stderr = out.stderr.as_str();
    assert_eq!(Some(out.code), Some(2), "{stderr}");
    assert!(stderr.contains(&blob), "{stderr}");
    assert!(
        out.stdout.as_str().contains("github-pat-classic"),
        "found the rest"
    );
}

#[test]
fn a_shallow_clone_is_incomplete() {
    let repo = Repo::new();
    let (secret, _) = commit_secret(&repo, "old.env", "old");
    repo.write("old.env", "TOKEN=\n");
    repo.commit("remove");
    repo.write("README", "more\n");
    repo.commit("more");
    let shallow = repo.sibling("shallow");
    let url = format!("file://{}", repo.path().display());
    repo.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &url,
        shallow.to_str().unwrap(),
    ]);
    let out = repo.audit(&shallow, &["-f", "json", "--show-secrets"]);
    let stderr = out.stderr.as_str();
    assert_eq!(Some(out.code), Some(2), "{stderr}");
    assert!(stderr.contains("shallow"), "{stderr}");
    assert!(!out.stdout.as_str().contains(&secret));
}

#[test]
fn replaced_objects_are_read_as_stored_and_reported() {
    let repo = Repo::new();
    let (secret, original) = commit_secret(&repo, "a.env", "original");
    repo.write("a.env", "TOKEN=\n");
    let other = repo.commit("clean");
    repo.git(&["replace", &original, &other]);
    let out = repo.audit(&repo.path(), &["-f", "json", "--show-secrets"]);
    let stderr = out.stderr.as_str();
    assert_eq!(Some(out.code), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("refs/replace/{original}")),
        "{stderr}"
    );
    assert!(
        out.stdout.as_str().contains(&secret),
        "the replaced commit's secret is still found"
    );
}
