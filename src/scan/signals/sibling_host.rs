//! A local host named beside a credential: configuration blocks put the host and the
//! password on separate lines (`host: "localhost"` above `password: "…"` in a YAML,
//! JavaScript or INI block), so the line of the password alone does not show where it
//! logs in. A sibling key of the same block (same indentation, a few lines away) whose name
//! says host, server or URL and whose value is a loopback or documentation host says the
//! credential is a development or test setting, as the same host on its own line does.
//! So does a masked address that documentation writes in place of a real one (`10.*.*.*`,
//! `x.x.x.x`, `xxx.xxx.xxx.xxx`): no deployment connects to it.

use super::super::context;
use super::super::lines::Lines;

/// How many lines above and below a credential its block's sibling keys are looked for.
const SIBLING_LINES: u32 = 4;

/// Bytes of a sibling line that are read: a key and a host fit well within.
const SIBLING_BYTES: usize = 200;

/// Words in a key's name that say its value is where to connect.
const HOST_KEYS: &[&[u8]] = &[
    b"host",
    b"server",
    b"url",
    b"uri",
    b"endpoint",
    b"addr",
    b"dsn",
];

/// True if a sibling of the 1-based `line` (same indentation, within [`SIBLING_LINES`])
/// assigns a local or documentation host to a host key.
pub(super) fn sibling_names_local_host(lines: &Lines, line: u32) -> bool {
    let indent = indentation(lines.line_bytes(line));
    let last = lines.line_of(usize::MAX);
    let from = line.saturating_sub(SIBLING_LINES).max(1);
    let to = line.saturating_add(SIBLING_LINES).min(last);
    (from..=to).filter(|&at| at != line).any(|at| {
        let text = lines.line_bytes(at);
        indentation(text) == indent && assigns_local_host(&text[..text.len().min(SIBLING_BYTES)])
    })
}

fn indentation(line: &[u8]) -> usize {
    line.iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// True if `line` is `key: value` or `key = value` with a host key and a local,
/// documentation or masked host value.
fn assigns_local_host(line: &[u8]) -> bool {
    let lower = line.trim_ascii_start().to_ascii_lowercase();
    let Some(key_end) = lower.iter().position(|b| *b == b':' || *b == b'=') else {
        return false;
    };
    let key = &lower[..key_end];
    let named = key
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || b"_-.\"' ".contains(b));
    named
        && HOST_KEYS
            .iter()
            .any(|k| memchr::memmem::find(key, k).is_some())
        && (context::names_local_host(&lower[key_end..])
            || is_masked_address(&lower[key_end + 1..]))
}

/// True if `value` (a key's value, quotes and spaces around it allowed) is an IPv4 address
/// with at least one octet masked by `*` or `x` (`10.*.*.*`, `x.x.x.x`, `192.168.xxx.xxx`).
fn is_masked_address(value: &[u8]) -> bool {
    let value = value.trim_ascii();
    let value = value
        .strip_prefix(b"\"")
        .or_else(|| value.strip_prefix(b"'"))
        .unwrap_or(value);
    let value = value
        .strip_suffix(b"\"")
        .or_else(|| value.strip_suffix(b"'"))
        .unwrap_or(value);
    let octets: Vec<&[u8]> = value.split(|b| *b == b'.').collect();
    let masked =
        |o: &[u8]| !o.is_empty() && o.len() <= 3 && o.iter().all(|b| *b == b'*' || *b == b'x');
    let number = |o: &[u8]| !o.is_empty() && o.len() <= 3 && o.iter().all(u8::is_ascii_digit);
    octets.len() == 4
        && octets.iter().any(|o| masked(o))
        && octets.iter().all(|o| masked(o) || number(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sibling(text: &str, needle: &str) -> bool {
        let lines = Lines::new(text.as_bytes());
        sibling_names_local_host(&lines, lines.line_of(text.find(needle).unwrap()))
    }

    #[test]
    fn hosts_of_sibling_keys_are_read() {
        let block =
            "db = {\n    host: \"localhost\",\n    username: \"sa\",\n    password: \"HERE\",\n}\n";
        assert!(sibling(block, "HERE"));
        let ini = "[awx]\nhost = https://127.0.0.1:8043\noauth_token = HERE\n";
        assert!(sibling(ini, "HERE"));
        let yaml = "oidc:\n  server: https://oidc.example.com:9031\n  client_secret: HERE\n";
        assert!(sibling(yaml, "HERE"));
        // A production host, a host of another block, a host far away, a host in prose.
        let remote = "db = {\n    host: \"db.internal.acme.io\",\n    password: \"HERE\",\n}\n";
        assert!(!sibling(remote, "HERE"));
        let nested = "a:\n  b:\n    host: localhost\n  password: HERE\n";
        assert!(!sibling(nested, "HERE"));
        let far = format!("host: localhost\n{}password: HERE\n", "x: 1\n".repeat(6));
        assert!(!sibling(&far, "HERE"));
        let prose = "# run it on localhost first, then\npassword: HERE\n";
        assert!(!sibling(prose, "HERE"));
        // A masked address is documentation's; a real one is a deployment's.
        let masked =
            "  vars:\n    unispherehost: '10.*.*.*'\n    username: 'admin'\n    password: 'HERE'\n";
        assert!(sibling(masked, "HERE"));
        let masked = "server = xxx.xxx.xxx.xxx\npassword = HERE\n";
        assert!(sibling(masked, "HERE"));
        let real = "  vars:\n    unispherehost: '10.0.4.17'\n    password: 'HERE'\n";
        assert!(!sibling(real, "HERE"));
        let wildcard = "  bind_host: '*'\n  password: 'HERE'\n";
        assert!(!sibling(wildcard, "HERE"));
    }
}
