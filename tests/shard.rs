//! `leakward shard LIST K/N`: every listed repository is printed by exactly one shard, as
//! listed, whatever the order of the list; a bad list or shard is a one-line error.

mod common;

use common::{leakward, run, tempdir, write};

fn shard(dir: &std::path::Path, list: &str, which: &str) -> common::Run {
    let mut command = leakward();
    command.current_dir(dir).args(["shard", list, which]);
    run(&mut command)
}

#[test]
fn every_repository_is_printed_by_exactly_one_shard() {
    let dir = tempdir();
    let listed: Vec<String> = (0..40)
        .map(|i| match i % 3 {
            0 => format!("org/service-{i}"),
            1 => format!("label-{i}=/srv/git/{i}.git"),
            _ => format!("/srv/mirrors/repo-{i}"),
        })
        .collect();
    let mut text = String::from("# the organisation's repositories\n\n");
    for line in &listed {
        text.push_str(&format!("  {line}\n"));
    }
    write(dir.path(), "repos.txt", &text);
    let mut reversed = listed.clone();
    reversed.reverse();
    write(dir.path(), "reversed.txt", reversed.join("\n"));
    let mut printed = Vec::new();
    for k in 1..=5 {
        let forward = shard(dir.path(), "repos.txt", &format!("{k}/5"));
        assert_eq!(forward.code, 0, "{forward:?}");
        let backward = shard(dir.path(), "reversed.txt", &format!("{k}/5"));
        let mut mine: Vec<&str> = forward.stdout.lines().collect();
        let mut theirs: Vec<&str> = backward.stdout.lines().collect();
        mine.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(
            mine, theirs,
            "shard {k}: the order of the list changes nothing"
        );
        printed.extend(forward.stdout.lines().map(String::from));
    }
    printed.sort();
    let mut expected = listed;
    expected.sort();
    assert_eq!(printed, expected);
}

#[test]
fn a_bad_list_or_shard_is_a_one_line_error() {
    let dir = tempdir();
    write(dir.path(), "twice.txt", "a\nb\na/\n");
    write(dir.path(), "ok.txt", "a\n");
    let cases = [
        ("twice.txt", "1/2", "line 3: `a` is listed twice"),
        ("missing.txt", "1/2", "cannot read the repository list"),
        ("ok.txt", "3/2", "is not K/N"),
        ("ok.txt", "0/2", "is not K/N"),
    ];
    for (list, which, message) in cases {
        let out = shard(dir.path(), list, which);
        assert_eq!(out.code, 2, "{list} {which}: {out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        assert_eq!(out.stderr.trim().lines().count(), 1, "{out:?}");
        assert!(
            out.stderr.contains(message),
            "{list} {which}: {}",
            out.stderr
        );
    }
}
