//! Sample configuration files: a file whose every line is a comment documents options and
//! sets none, so the values on its commented lines are examples.
//!
//! Packages ship such templates (Salt's `conf/cloud.providers`, where `# id: AKID…` shows
//! where a Tencent Cloud SecretId goes; a default `my.cnf`); nothing in them takes effect
//! until a user uncomments it. A deployment's config that holds one commented-out secret
//! has live lines besides it, so it is not one of these; nor is a source file of comments,
//! which is a note. See: issue 18.

/// Fewest non-blank lines for a file to be a template rather than a stray comment.
const MIN_LINES: usize = 5;

/// Extensions of source code and scripts. A source file of comments only is not a template
/// but a note, and a token kept in a note (`// previous value: …`) is as live as any.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "rs", "go", "java", "kt", "scala", "cs",
    "c", "h", "cc", "cpp", "hpp", "swift", "rb", "php", "dart", "pl", "lua", "sh", "bash", "zsh",
    "ps1", "bat", "cmd",
];

/// True if the file at `path` may be a configuration file: not source code or a script.
pub(super) fn is_config_path(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    !CODE_EXTENSIONS.contains(&extension.as_str())
}

/// True if `line` is a comment in a configuration or shell syntax (`#`, `;`, `//`).
pub(super) fn is_comment(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii_start();
    trimmed.starts_with(b"#") || trimmed.starts_with(b";") || trimmed.starts_with(b"//")
}

/// True if `bytes` is a commented-out template: at least [`MIN_LINES`] non-blank lines,
/// every one of them a comment.
pub(super) fn is_commented_template(bytes: &[u8]) -> bool {
    let mut lines = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if line.trim_ascii().is_empty() {
            continue;
        }
        if !is_comment(line) {
            return false;
        }
        lines += 1;
    }
    lines >= MIN_LINES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_files_of_comments_only() {
        let template = "# Tencent Cloud\n#my-config:\n    # driver: tencentcloud\n\n    # id: AKIDexample\n    # key: value\n; ini style\n";
        assert!(is_commented_template(template.as_bytes()));
        let live = "# Tencent Cloud\n#my-config:\n    # id: AKIDexample\n    # key: value\nmy-config:\n  driver: tencentcloud\n";
        assert!(!is_commented_template(live.as_bytes()));
        assert!(!is_commented_template(b"# one\n# two\n"));
        assert!(is_comment(b"    # id: x") && is_comment(b"// x") && !is_comment(b"id: x # y"));
        assert!(is_config_path("conf/cloud.providers") && is_config_path("conf/tencent.conf"));
        assert!(!is_config_path("src/comment.go") && !is_config_path("deploy/setup.sh"));
    }
}
