//! `leakward audit` and submodules (issue 19, item 2): a submodule's history lives in its own
//! object database under `.git/modules/`, which the superproject's objects do not hold. The
//! audit reads it too, and names the submodule in every place and reach it reports.

mod common;

use common::{audit_json, commit_secret, entry, reach, Repo};

#[test]
fn a_secret_only_in_a_submodule_history_is_found_and_labelled() {
    let library = Repo::new();
    library.write("README", "library\n");
    library.commit("initial");
    let (removed, _) = commit_secret(&library, "config/keys.env", "add keys");
    library.git(&["rm", "-q", "config/keys.env"]);
    library.commit("remove keys");

    let app = Repo::new();
    app.write("README", "app\n");
    app.commit("initial");
    let source = library.path().display().to_string();
    app.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &source,
        "vendor/lib",
    ]);
    app.commit("add the library");
    // The work tree's checkout is not what is audited: the removed secret is only in the
    // submodule's history, in `.git/modules/vendor/lib`.
    assert!(app.path().join(".git/modules/vendor/lib/objects").is_dir());

    let (code, doc) = audit_json(&app, &app.path(), &[]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["complete"], true, "{doc:#}");
    let secret = entry(&doc, &removed);
    assert_eq!(
        secret["locations"][0]["path"], "vendor/lib/config/keys.env",
        "{secret:#}"
    );
    assert_eq!(secret["status"], "reachable", "{secret:#}");
    assert!(
        reach(secret)
            .iter()
            .any(|r| r == "branch submodule vendor/lib: branch main"),
        "{:?}",
        reach(secret)
    );
}
