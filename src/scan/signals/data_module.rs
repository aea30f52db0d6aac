//! Whether a Python file under tests is a data module: a fixture written as code, holding
//! recorded output and expected values (`tests/unit/modules/nxos/nxos_show_run.py`, a
//! device's `show running-config` as string constants) and no function or class of its own.
//!
//! Test suites keep such modules beside their test files so that several tests can import
//! the same recorded data; they are fixture files in every sense but their extension. A
//! module that defines a function or a class, or asserts at its top level, is code, and is
//! left to the other signals; so is a configuration module (`tests/conf/settings.py`,
//! `config.py`), which says what a test run connects to, and may name a real service.
//! See: issue 18.

/// Names (file stems and directories) of configuration modules.
const CONFIGURATION: &[&str] = &[
    "settings",
    "local_settings",
    "config",
    "configuration",
    "conf",
    "conftest",
    "env",
];

/// True if the file at `path` is a configuration module by its name or directory.
pub(crate) fn is_configuration(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    let name = parts.pop().unwrap_or("");
    let stem = name.split('.').next().unwrap_or(name);
    parts
        .iter()
        .chain(std::iter::once(&stem))
        .any(|part| CONFIGURATION.iter().any(|c| part.eq_ignore_ascii_case(c)))
}

/// True if `bytes`, a whole Python file, defines no function and no class at any depth and
/// asserts nothing.
pub(crate) fn is_python_data_module(bytes: &[u8]) -> bool {
    !bytes.split(|&b| b == b'\n').any(|line| {
        let statement = line.trim_ascii_start();
        statement.starts_with(b"def ")
            || statement.starts_with(b"async def ")
            || statement.starts_with(b"class ")
            || statement.starts_with(b"assert ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_modules_are_told_from_code() {
        let recorded = "initial_config = [\n    \"hostname n9k\\nusername admin password 5 HERE\"\n]\nexpected = {\"ok\": True}\n";
        assert!(is_python_data_module(recorded.as_bytes()));
        for code in [
            "import pytest\n\ndef test_login():\n    login(password=\"HERE\")\n",
            "class Fixtures:\n    token = \"HERE\"\n",
            "CONFIG = {}\n\n    async def fetch(self):\n        pass\n",
            "assert check(\"HERE\")\nSTORED = \"HERE\"\n",
        ] {
            assert!(!is_python_data_module(code.as_bytes()), "{code}");
        }
        for path in [
            "tests/conf/settings.py",
            "tests/config.py",
            "tests/settings/db.py",
        ] {
            assert!(is_configuration(path), "{path}");
        }
        for path in [
            "tests/unit/modules/nxos/nxos_show_run.py",
            "tests/data/users.py",
        ] {
            assert!(!is_configuration(path), "{path}");
        }
    }
}
