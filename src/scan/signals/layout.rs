//! What a package's layout says about a file, beyond "it is under `tests/`": that a test
//! framework runs the file as a test, or that a published Ansible collection ships it as a
//! sample.
//!
//! An Ansible collection's integration tests are plays, not functions: `ansible-test` runs
//! each directory under `tests/integration/targets/` as a test target, and Molecule runs each
//! `molecule/<scenario>/` as a test scenario. A file there is test code the way the body of a
//! `def test_…` is, so it weighs as a test function does, beside the test path (a random
//! value in a test file with no other test signal stays reported; see `evidence::weigh`).
//!
//! A collection installed from a registry sits at `ansible_collections/<namespace>/<name>/`,
//! and its `playbooks/` are what its authors published for every user to read: samples of
//! how to call the collection's modules. An infrastructure repository's own playbooks do not
//! sit under `ansible_collections/`, and a collection developed in its own repository has
//! its `playbooks/` at the root, so neither is touched. One signal: such a value is still
//! reported, at `low`. See: issue 18.

/// True if `path` lies in a test framework's test target: a directory under ansible-test's
/// `tests/integration/targets/` (`test/integration/targets/` in ansible-core itself), or a
/// Molecule scenario `molecule/<scenario>/`.
pub(super) fn is_test_target(path: &str) -> bool {
    let dirs = directories(path);
    dirs.windows(4)
        .any(|w| (w[0] == "tests" || w[0] == "test") && w[1] == "integration" && w[2] == "targets")
        || dirs.windows(2).any(|w| w[0] == "molecule")
}

/// True if `path` is a playbook or inventory that a published Ansible collection ships:
/// under `ansible_collections/<namespace>/<name>/playbooks/`.
pub(super) fn is_published_playbook(path: &str) -> bool {
    directories(path)
        .windows(4)
        .any(|w| w[0] == "ansible_collections" && w[3] == "playbooks")
}

/// The directory names of `path`, without its file name.
fn directories(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts.pop();
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_targets_are_told_by_their_layout() {
        for path in [
            "ansible_collections/community/mysql/tests/integration/targets/test_mysql_user/tasks/main.yml",
            "tests/integration/targets/setup_db/defaults/main.yml",
            "ansible_core-2.17.0/test/integration/targets/ansible-vault/test-vault-client.py",
            "roles/zabbix_agent/molecule/with-server/molecule.yml",
            "molecule/default/converge.yml",
        ] {
            assert!(is_test_target(path), "{path}");
        }
        for path in [
            "tests/integration/targets",
            "tests/integration/inventory.networking",
            "tests/unit/plugins/modules/test_user.py",
            "roles/web/tasks/main.yml",
            "integration/targets/db/tasks/main.yml",
            "molecule.yml",
        ] {
            assert!(!is_test_target(path), "{path}");
        }
    }

    #[test]
    fn published_playbooks_are_told_from_a_repository_of_playbooks() {
        for path in [
            "ansible_collections/cisco/dnac/playbooks/discovery.yml",
            "site-packages/ansible_collections/dellemc/unity/playbooks/modules/snapshot.yml",
            "collections/ansible_collections/acme/net/playbooks/inventory",
        ] {
            assert!(is_published_playbook(path), "{path}");
        }
        for path in [
            "playbooks/site.yml",
            "infra/playbooks/db.yml",
            "ansible_collections/cisco/dnac/plugins/modules/user.py",
            "ansible_collections/playbooks/site.yml",
            "ansible_collections/cisco/dnac/roles/x/playbooks/site.yml",
        ] {
            assert!(!is_published_playbook(path), "{path}");
        }
    }
}
