//! Output that is safe for a terminal: color only where it belongs, and escape sequences
//! from file names and contents shown, never run.

mod common;

use common::{github_token, leakward, run, scan_in, tempdir, write};

#[test]
fn no_color_flag_and_environment_print_no_escapes() {
    let dir = tempdir();
    write(dir.path(), "a.env", format!("T={}\n", github_token()));
    let mut with_env = leakward();
    with_env
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["scan", "."]);
    let runs = [
        scan_in(dir.path(), &["--no-color", "."]),
        run(&mut with_env),
        scan_in(dir.path(), &["."]),
    ];
    for run in &runs {
        run.expect_code(1);
        assert!(run.stdout.contains("github-pat-classic"), "{}", run.stdout);
        assert!(!run.stdout.contains("\x1b["), "{:?}", run.stdout);
        assert!(!run.stderr.contains("\x1b["), "{:?}", run.stderr);
    }
}

/// On a terminal (a pseudo-terminal from util-linux `script`), text is colored unless
/// `--no-color`, `NO_COLOR` or `TERM=dumb` says otherwise; other formats never are.
#[test]
fn color_only_on_a_terminal_and_never_when_told_not_to() {
    if !common::script_gives_a_terminal() {
        eprintln!("skipped: no util-linux `script` to provide a terminal");
        return;
    }
    let dir = tempdir();
    write(dir.path(), "a.env", format!("T={}\n", github_token()));
    let on_terminal = |args: &str, no_color: bool, term: &str| {
        let mut command = std::process::Command::new("script");
        let line = format!("'{}' scan {args} a.env", env!("CARGO_BIN_EXE_leakward"));
        command
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            // anstream colours a terminal under CI whatever TERM says (any `CI` variable
            // counts), so the cases below would differ between a laptop and a CI machine.
            .env_remove("CI")
            .env("TERM", term)
            .args(["-qec", &line, "/dev/null"]);
        if no_color {
            command.env("NO_COLOR", "1");
        }
        run(&mut command)
    };
    let cases: &[(&str, bool, &str, bool)] = &[
        ("", false, "xterm", true),
        ("--no-color", false, "xterm", false),
        ("", true, "xterm", false),
        ("--format json", false, "xterm", false),
        // A terminal that says it cannot show color gets none.
        ("", false, "dumb", false),
    ];
    for &(args, no_color, term, colored) in cases {
        let run = on_terminal(args, no_color, term);
        assert!(run.stdout.contains("github-pat-classic"), "{}", run.stdout);
        assert_eq!(
            run.stdout.contains("\x1b["),
            colored,
            "{args:?} NO_COLOR={no_color} TERM={term}: {:?}",
            run.stdout
        );
    }
}

#[test]
fn escape_sequences_in_names_and_lines_are_neutralised() {
    let dir = tempdir();
    let name = "a\x1b[31mb.env";
    write(
        dir.path(),
        name,
        format!("\x1b]0;pwned\x07 T={}\n", github_token()),
    );
    let run = scan_in(dir.path(), &["."]);
    run.expect_code(1);
    assert!(run.stdout.contains("github-pat-classic"), "{}", run.stdout);
    for stream in [&run.stdout, &run.stderr] {
        assert!(!stream.contains('\x1b'), "raw escape in {stream:?}");
        assert!(!stream.contains('\x07'), "raw bell in {stream:?}");
    }
    assert!(
        run.stdout.contains("a\\u{1b}[31mb.env:1:"),
        "{}",
        run.stdout
    );

    // Names are also neutralised when the file is named on the command line.
    let direct = scan_in(dir.path(), &[name]);
    direct.expect_code(1);
    assert!(!direct.stdout.contains('\x1b'), "{:?}", direct.stdout);
}
