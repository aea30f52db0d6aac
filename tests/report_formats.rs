//! Every scanning command (`scan`, `staged`, `history`, `pre-push`, `audit`) writes every
//! report format: GitHub annotations and HTML pages in which hostile file names and values
//! are escaped, and SARIF that validates against the SARIF 2.1.0 JSON schema.
//!
//! The schema, `tests/data/sarif-2.1.0-rtm.5.json`, is read offline. It is the OASIS SARIF
//! 2.1.0 schema (`$id` on schemastore.org, rtm.5 being the final 2.1.0 text), copied
//! unchanged from the npm package `@microsoft/jest-sarif` 1.0.0-beta.0 (MIT, repository
//! microsoft/sarif-js-sdk), file `lib/schemas/sarif-2.1.0-rtm.5.json`, SHA-256
//! 2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8.

mod common;

use common::{balanced_tags, github_token, password_line, password_value, sarif_schema, Repo, Run};
use serde_json::Value;

/// File names a hostile repository can choose: workflow-command syntax, markup, a line break.
const HOSTILE: [&str; 3] = [
    "a,b:c%0A::warning file=x::forged.env",
    "<script>alert(1)</script>.env",
    "line\nbreak.env",
];

/// The names as the `file=` property of an annotation must carry them.
const HOSTILE_PROPERTIES: [&str; 3] = [
    "a%2Cb%3Ac%250A%3A%3Awarning file=x%3A%3Aforged.env",
    "<script>alert(1)</script>.env",
    "line%0Abreak.env",
];

/// A repository with a secret in each hostile file, committed on `main`, and a bare
/// `origin` that has nothing yet.
struct Fixture {
    repo: Repo,
    head: String,
    secrets: Vec<String>,
}

fn fixture() -> Fixture {
    let repo = Repo::new();
    let remote = repo.sibling("remote.git");
    repo.git(&["init", "-q", "--bare", remote.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    let mut secrets = Vec::new();
    for name in HOSTILE {
        let secret = github_token();
        repo.write(
            name,
            format!("<img src=x onerror=alert(1)> TOKEN={secret}\n"),
        );
        secrets.push(secret);
    }
    let head = repo.commit_as("Mallory", "add <i>secrets</i> & more");
    Fixture {
        repo,
        head,
        secrets,
    }
}

impl Fixture {
    /// Stages a second secret in the first and last hostile file, for `staged`. (Done after
    /// the other commands: `audit` would report the staged blobs, which no commit holds.)
    fn stage(&mut self) {
        for name in [HOSTILE[0], HOSTILE[2]] {
            let secret = github_token();
            let old = std::fs::read_to_string(self.repo.root.join(name)).unwrap();
            self.repo.write(name, format!("{old}NEXT={secret}\n"));
            self.secrets.push(secret);
        }
        self.repo.git(&["add", "-A"]);
    }
}

/// A scanning command, the hostile files it sees, and its standard input.
type Command = (&'static str, Vec<&'static str>, &'static [usize], String);

/// Each command that scans commits or files, then `staged`.
fn commands(fixture: &Fixture) -> Vec<Command> {
    let zero = "0".repeat(40);
    let push = format!("refs/heads/main {} refs/heads/main {zero}\n", fixture.head);
    vec![
        ("scan", vec!["scan", "."], &[0, 1, 2], String::new()),
        ("history", vec!["history"], &[0, 1, 2], String::new()),
        (
            "pre-push",
            vec!["pre-push", "origin", "url"],
            &[0, 1, 2],
            push,
        ),
        ("audit", vec!["audit", "."], &[0, 1, 2], String::new()),
        ("staged", vec!["staged"], &[0, 2], String::new()),
    ]
}

/// Runs every command with `--format FORMAT -q`; each must find something that blocks.
fn each_command(format: &str, check: impl Fn(&str, &[usize], &Run)) {
    let mut fixture = fixture();
    for (name, mut args, seen, input) in commands(&fixture) {
        if name == "staged" {
            fixture.stage();
        }
        args.extend(["--format", format, "-q"]);
        let run = fixture.repo.leakward_with_input(&args, &input);
        assert_eq!(run.code, 1, "{name} -f {format}: {}", run.stderr);
        for secret in &fixture.secrets {
            assert!(
                !run.stdout.contains(secret.as_str()),
                "{name}: secret shown"
            );
        }
        check(name, seen, &run);
    }
}

#[test]
fn github_annotations_escape_hostile_paths_for_every_command() {
    each_command("github", |name, seen, run| {
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert!(!lines.is_empty(), "{name}: no annotations");
        for line in &lines {
            assert!(
                line.starts_with("::error file=") || line.starts_with("::warning file="),
                "{name}: not one annotation per line: {line:?}"
            );
        }
        for &i in seen {
            let property = format!("file={},line=", HOSTILE_PROPERTIES[i]);
            assert!(
                lines.iter().any(|l| l.contains(&property)),
                "{name}: no annotation for {:?} in\n{}",
                HOSTILE[i],
                run.stdout
            );
        }
        // Blocking findings are errors; each carries its rule as the title.
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("::error ") && l.contains(",title=leakward%3A github-")),
            "{name}: {}",
            run.stdout
        );
    });
}

/// A finding below `--block-on` (a medium-confidence password) is a warning, not an error.
#[test]
fn github_annotations_are_warnings_below_the_blocking_threshold() {
    let repo = Repo::new();
    repo.write("app.ini", format!("{}\n", password_line(&password_value())));
    let run = repo.leakward(&["scan", ".", "-f", "github", "-q"]);
    run.expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].starts_with("::warning file=app.ini,line=1,"),
        "{}",
        run.stdout
    );
    let blocking = repo.leakward(&["scan", ".", "-f", "github", "-q", "--block-on", "medium"]);
    blocking.expect_code(1);
    assert!(
        blocking.stdout.starts_with("::error file=app.ini,line=1,"),
        "{}",
        blocking.stdout
    );
}

/// `audit` finds secrets in blobs no commit holds; with no file to point at, the annotation
/// names the blob instead of carrying an empty `file=`.
#[test]
fn github_annotation_of_a_blob_without_a_path_names_the_blob() {
    let repo = Repo::new();
    repo.commit_file("README", "clean\n");
    repo.write("loose.env", format!("TOKEN={}\n", github_token()));
    let blob = repo.git(&["hash-object", "-w", "loose.env"]);
    std::fs::remove_file(repo.root.join("loose.env")).unwrap();
    let run = repo.audit(&repo.path(), &["-f", "github", "-q"]);
    run.expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("::error title="), "{}", run.stdout);
    assert!(
        lines[0].ends_with(&format!("%0Ain blob {blob}, which no commit holds")),
        "{}",
        run.stdout
    );
}

#[test]
fn html_pages_are_well_formed_and_escape_hostile_values_for_every_command() {
    each_command("html", |name, seen, run| {
        let html = &run.stdout;
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}: {html}");
        let tags = balanced_tags(html);
        assert!(
            !tags
                .iter()
                .any(|t| t == "script" || t == "img" || t == "link"),
            "{name}: {tags:?}"
        );
        for &i in seen {
            let escaped = HOSTILE[i]
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(html.contains(&escaped), "{name}: no {escaped:?} in {html}");
        }
        if name == "audit" {
            assert!(
                html.contains("&lt;i&gt;secrets&lt;/i&gt; &amp; more"),
                "{html}"
            );
        }
    });
}

#[track_caller]
fn assert_valid_sarif(validator: &jsonschema::Validator, what: &str, text: &str) -> Value {
    let log: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}\n{text}"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{text}");
    log
}

#[test]
fn sarif_of_every_command_validates_against_the_sarif_2_1_0_schema() {
    let validator = sarif_schema();
    each_command("sarif", |name, _, run| {
        let log = assert_valid_sarif(&validator, name, &run.stdout);
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{name}: no results");
    });
}

/// The schema check can fail: a log that breaks the schema in one place is refused.
#[test]
fn the_sarif_schema_refuses_a_broken_log() {
    let validator = sarif_schema();
    let fixture = fixture();
    let run = fixture.repo.leakward(&["scan", ".", "-f", "sarif", "-q"]);
    let mut log = assert_valid_sarif(&validator, "scan", &run.stdout);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log));
}

/// An incomplete run (a shallow clone's history, without `--allow-shallow`) and an accepted
/// limit (with it) both carry tool execution notifications, which must validate too.
#[test]
fn sarif_with_notifications_validates() {
    let validator = sarif_schema();
    let mut fixture = fixture();
    fixture.stage();
    fixture.repo.git(&["commit", "-q", "-m", "second"]);
    let shallow = fixture.repo.sibling("shallow");
    let url = format!("file://{}", fixture.repo.root.display());
    common::git_in(
        &fixture.repo.sibling(""),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let cases: &[(&[&str], i32, &str)] = &[
        (&["history", "-f", "sarif", "-q"], 2, "error"),
        (
            &["history", "-f", "sarif", "-q", "--allow-shallow"],
            1,
            "warning",
        ),
    ];
    for &(args, code, level) in cases {
        let run = common::leakward_in(&shallow, args, &[]);
        assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
        let log = assert_valid_sarif(&validator, "shallow history", &run.stdout);
        let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
        assert_eq!(notes[0]["level"], level, "{args:?}: {log:#}");
    }
}
