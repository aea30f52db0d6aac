//! Progress bars of `history` and `audit`: drawn on standard error when it is a terminal
//! (a pseudo-terminal from util-linux `script`), never with `-q`, never when standard error
//! is a pipe, and never inside a report.

mod common;

use common::{github_token, run, Repo};

/// A repository with a few commits, one of them adding a secret.
fn repo() -> Repo {
    let repo = Repo::new();
    for n in 0..5 {
        repo.write(&format!("notes/{n}.txt"), format!("note {n}\n"));
        repo.commit(&format!("note {n}"));
    }
    repo.write("config.env", format!("TOKEN={}\n", github_token()));
    repo.commit("config");
    repo
}

/// The commands that show progress, and the label each shows.
const COMMANDS: [(&str, &str); 2] = [
    ("history -o report.txt", "leakward: scanning "),
    ("audit . -o report.txt", "leakward: audit "),
];

#[test]
fn a_pipe_gets_no_progress() {
    let repo = repo();
    for (command, label) in COMMANDS {
        let args: Vec<&str> = command.split(' ').collect();
        let out = repo.leakward(&args);
        assert_eq!(out.code, 1, "{command}: {}", out.stderr);
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(!text.contains(label), "{command} {stream}: {text:?}");
            assert!(!text.contains('\r'), "{command} {stream}: {text:?}");
            assert!(!text.contains('\x1b'), "{command} {stream}: {text:?}");
        }
    }
}

#[test]
fn a_terminal_gets_progress_unless_quiet_and_reports_never_do() {
    if !common::script_gives_a_terminal() {
        eprintln!("skipped: no util-linux `script` to provide a terminal");
        return;
    }
    let repo = repo();
    for (command, label) in COMMANDS {
        for quiet in [false, true] {
            let line = format!(
                "'{}' {command}{}",
                env!("CARGO_BIN_EXE_leakward"),
                if quiet { " -q" } else { "" }
            );
            let mut script = common::command("script", &repo.root);
            script
                .env("TERM", "xterm")
                .args(["-qec", &line, "/dev/null"]);
            let terminal = run(&mut script).stdout;
            assert_eq!(
                terminal.contains(label),
                !quiet,
                "{command} quiet={quiet}: {terminal:?}"
            );
            let report = std::fs::read_to_string(repo.root.join("report.txt")).unwrap();
            assert!(report.contains("config.env"), "{command}: {report}");
            assert!(!report.contains(label), "{command}: {report}");
            assert!(!report.contains('\x1b'), "{command}: {report:?}");
        }
    }
}
