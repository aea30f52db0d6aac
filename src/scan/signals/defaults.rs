//! Published defaults: where the code or the layout says a value is a default that every
//! user of a package can read and is expected to override, as a name that says `DEFAULT_`
//! does. Two places say so: a parameter's default in a Python `def` signature (`def
//! auth(nodes, user="hacluster", passwd="hacluster")`, a product's documented default
//! login), and the `defaults/` variables of an Ansible role (`roles/<role>/defaults/main.yml`,
//! the lowest-priority variables, documented for users to override). One signal: such a
//! value is still reported, at `low`, since a private role may set a real one.

use std::ops::Range;

/// True if the value at `secret` (on `line`, in the file at `path`) is a published default.
pub(super) fn is_published_default(
    path: &str,
    bytes: &[u8],
    line: &Range<usize>,
    secret: &Range<usize>,
) -> bool {
    is_role_default(path) || is_parameter_default(path, bytes, line, secret)
}

/// `roles/<role>/defaults/…`: an Ansible role's default variables.
fn is_role_default(path: &str) -> bool {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    dirs.windows(3)
        .any(|w| w[0] == "roles" && w[2] == "defaults")
}

/// `def f(…, password="…")` on one line of a Python file: the value is a parameter's
/// default, inside the parameter list (no `)` between the `(` and the value).
fn is_parameter_default(
    path: &str,
    bytes: &[u8],
    line: &Range<usize>,
    secret: &Range<usize>,
) -> bool {
    if !(path.ends_with(".py") || path.ends_with(".pyi")) || secret.start < line.start {
        return false;
    }
    let statement = bytes[line.clone()].trim_ascii_start();
    if !(statement.starts_with(b"def ") || statement.starts_with(b"async def ")) {
        return false;
    }
    let before = &bytes[line.start..secret.start];
    let Some(open) = memchr::memchr(b'(', before) else {
        return false;
    };
    if before[open..].contains(&b')') {
        return false;
    }
    let head = before
        .strip_suffix(b"\"")
        .or_else(|| before.strip_suffix(b"'"))
        .unwrap_or(before)
        .trim_ascii_end();
    head.ends_with(b"=") && !head.ends_with(b"==")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_at(path: &str, text: &str) -> bool {
        let start = text.find("Xk29fQpL7wzR").unwrap();
        is_published_default(
            path,
            text.as_bytes(),
            &(0..text.len()),
            &(start..start + 12),
        )
    }

    #[test]
    fn published_defaults_are_told_from_assignments() {
        assert!(default_at(
            "salt/modules/pcs.py",
            "def auth(nodes, pcsuser=\"admin\", pcspasswd=\"Xk29fQpL7wzR\", extra=None):"
        ));
        assert!(default_at(
            "pkg/client.py",
            "    async def login(self, password: str = 'Xk29fQpL7wzR'):"
        ));
        assert!(default_at(
            "ansible_collections/acme/ise/roles/deploy/defaults/main.yml",
            "ise_password: Xk29fQpL7wzR"
        ));
        for (path, text) in [
            ("app/db.py", "    password = \"Xk29fQpL7wzR\""),
            (
                "app/db.py",
                "def f(x): return login(password=\"Xk29fQpL7wzR\")",
            ),
            ("app/db.js", "function auth(password = \"Xk29fQpL7wzR\") {"),
            ("roles/deploy/vars/main.yml", "ise_password: Xk29fQpL7wzR"),
            ("group_vars/defaults/all.yml", "ise_password: Xk29fQpL7wzR"),
        ] {
            assert!(!default_at(path, text), "{path}: {text}");
        }
    }
}
