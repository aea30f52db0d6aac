//! Reports (`-o`) and baselines (`--write-baseline`) are never destroyed: they are replaced
//! whole, only by a run that finished, and never by another output of the same run.
//! (Interrupted runs: tests/interrupt.rs.)

mod common;

use std::path::Path;

use common::{github_token, scan_in, tempdir, write};

/// A directory with one blocking secret in `keys.env`, and an old report and baseline.
fn scratch() -> tempfile::TempDir {
    let dir = tempdir();
    write(dir.path(), "keys.env", format!("T={}\n", github_token()));
    write(dir.path(), "out/report.json", "old report\n");
    write(dir.path(), "out/base.json", "old baseline\n");
    write(dir.path(), "out/rules.toml", "");
    dir
}

fn read(dir: &Path, relative: &str) -> String {
    std::fs::read_to_string(dir.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Names of the files in `dir/out` that look like leftover temporary files.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir.join("out"))
        .expect("read out/")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.contains("leakward-tmp"))
        .collect()
}

#[test]
fn one_file_named_twice_is_refused_and_left_alone() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "-o",
                "out/report.json",
                "--write-baseline",
                "out/report.json",
            ],
            "--write-baseline out/report.json is the same file that --output writes",
        ),
        (
            &[
                "-o",
                "out/report.json",
                "--write-baseline",
                "out/../out/report.json",
            ],
            "--write-baseline out/../out/report.json is the same file that --output writes",
        ),
        (
            &["-o", "out/base.json", "--baseline", "./out/base.json"],
            "--output out/base.json is the same file that --baseline reads",
        ),
        (
            &["-o", "out/rules.toml", "--config", "out/rules.toml"],
            "--output out/rules.toml is the same file that --config reads",
        ),
        (
            &[
                "--write-baseline",
                "out/rules.toml",
                "--config",
                "out/rules.toml",
            ],
            "--write-baseline out/rules.toml is the same file that --config reads",
        ),
    ];
    for &(args, want) in cases {
        let dir = scratch();
        let run = scan_in(dir.path(), &[&["-f", "json"], args, &["keys.env"]].concat());
        run.expect_code(2);
        assert_eq!(
            run.stderr_lines(),
            [format!("leakward: error: {want}; name different files")],
            "{args:?}"
        );
        assert_eq!(
            read(dir.path(), "out/report.json"),
            "old report\n",
            "{args:?}"
        );
        assert_eq!(
            read(dir.path(), "out/base.json"),
            "old baseline\n",
            "{args:?}"
        );
    }
}

/// Reading a baseline and writing the refreshed one to the same path is a normal use.
#[test]
fn a_baseline_can_be_refreshed_in_place() {
    let dir = scratch();
    scan_in(
        dir.path(),
        &["--write-baseline", "out/fresh.json", "keys.env"],
    )
    .expect_code(1);
    let fresh = read(dir.path(), "out/fresh.json");
    write(
        dir.path(),
        "keys.env",
        format!("T={}\nU={}\n", github_token(), github_token()),
    );
    scan_in(
        dir.path(),
        &[
            "--baseline",
            "out/fresh.json",
            "--write-baseline",
            "out/fresh.json",
            "keys.env",
        ],
    )
    .expect_code(1);
    let refreshed = read(dir.path(), "out/fresh.json");
    assert_ne!(refreshed, fresh);
    assert_eq!(
        refreshed.matches("\"fingerprint\"").count(),
        2,
        "{refreshed}"
    );
    scan_in(dir.path(), &["--baseline", "out/fresh.json", "keys.env"]).expect_code(0);
}

#[test]
fn a_finished_run_replaces_its_outputs_and_leaves_no_temporary_file() {
    let dir = scratch();
    scan_in(
        dir.path(),
        &[
            "-f",
            "json",
            "-o",
            "out/report.json",
            "--write-baseline",
            "out/base.json",
            "keys.env",
        ],
    )
    .expect_code(1);
    assert!(read(dir.path(), "out/report.json").contains("\"findings\""));
    assert!(read(dir.path(), "out/base.json").contains("\"fingerprint\""));
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn an_output_through_a_symbolic_link_keeps_the_link() {
    let dir = scratch();
    std::os::unix::fs::symlink("report.json", dir.path().join("out/latest.json")).unwrap();
    scan_in(
        dir.path(),
        &["-f", "json", "-o", "out/latest.json", "keys.env"],
    )
    .expect_code(1);
    let link = dir.path().join("out/latest.json");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(read(dir.path(), "out/report.json").contains("\"findings\""));
}

#[test]
fn an_output_on_a_device_is_written_in_place() {
    let dir = scratch();
    // Not a file that one output could destroy for the other: both may be /dev/null.
    scan_in(
        dir.path(),
        &[
            "-o",
            "/dev/null",
            "--write-baseline",
            "/dev/null",
            "keys.env",
        ],
    )
    .expect_code(1);
    assert!(!Path::new("/dev/null").metadata().unwrap().is_file());
}
