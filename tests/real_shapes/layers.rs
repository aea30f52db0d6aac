//! Shapes whose secret is not contiguous in the bytes or is encoded: private keys split into
//! string literals or prefixed lines, and base64-wrapped keys and tokens.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

use crate::families::Shape;
use crate::generate::Rng;

/// A PEM block of `label` whose body is a DER SEQUENCE that fills it (the structure a
/// private key's body must have), wrapped at 64 characters: the lines and the secret the
/// private-key rule reports for it (the body between the markers, with its line breaks).
pub struct Pem {
    pub lines: Vec<String>,
    pub secret: String,
}

pub fn pem(rng: &mut Rng, label: &str) -> Pem {
    let mut der = vec![0x30, 0x82, 0x01, 0x2c];
    der.extend(rng.bytes(300));
    let body = STANDARD.encode(der);
    let body: Vec<String> = body
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let mut lines = vec![format!("-----BEGIN {label}-----")];
    lines.extend(body.iter().cloned());
    lines.push(format!("-----END {label}-----"));
    Pem {
        lines,
        secret: format!("\n{}\n", body.join("\n")),
    }
}

fn shape(path: &str, text: String, blocks: Vec<String>) -> Shape {
    Shape {
        path: path.to_string(),
        text,
        blocks,
        warns: Vec::new(),
    }
}

/// Each line of `pem` as a literal with `\n`, written by `line` (index, escaped literal
/// content), joined with line breaks.
fn literals(pem: &Pem, line: impl Fn(usize, usize, &str) -> String) -> String {
    let n = pem.lines.len();
    let parts: Vec<String> = pem
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| line(i, n, &format!("{l}\\n")))
        .collect();
    parts.join("\n") + "\n"
}

/// A private key written in every language's string-literal syntax, next to a public key
/// and a certificate written the same way and ordinary concatenated strings.
pub fn split_keys(rng: &mut Rng) -> Vec<Shape> {
    type Writer = fn(usize, usize, &str) -> String;
    let writers: &[(&str, Writer)] = &[
        ("src/key.c", |i, n, l| {
            let head = if i == 0 {
                "static const char *KEY =\n    "
            } else {
                "    "
            };
            format!("{head}\"{l}\"{}", if i + 1 == n { ";" } else { "" })
        }),
        ("src/Key.java", |i, n, l| {
            let head = if i == 0 { "String key = " } else { "    " };
            format!("{head}\"{l}\"{}", if i + 1 == n { ";" } else { " +" })
        }),
        ("src/Key.kt", |i, n, l| {
            let head = if i == 0 { "val key = " } else { "    " };
            format!("{head}\"{l}\"{}", if i + 1 == n { "" } else { " +" })
        }),
        ("src/Key.cs", |i, n, l| {
            let head = if i == 0 { "var key = " } else { "    " };
            format!("{head}\"{l}\"{}", if i + 1 == n { ";" } else { " +" })
        }),
        ("cmd/key.go", |i, n, l| {
            let head = if i == 0 { "const key = " } else { "\t" };
            format!("{head}\"{l}\"{}", if i + 1 == n { "" } else { " +" })
        }),
        ("src/key.js", |i, n, l| {
            let head = if i == 0 { "const key = " } else { "  " };
            format!("{head}'{l}'{}", if i + 1 == n { ";" } else { " +" })
        }),
        ("src/key.ts", |i, n, l| {
            let head = if i == 0 {
                "export const key: string = "
            } else {
                "  "
            };
            format!("{head}\"{l}\"{}", if i + 1 == n { ";" } else { " +" })
        }),
        ("app/key.py", |i, n, l| {
            let head = if i == 0 { "KEY = (\n    " } else { "    " };
            format!("{head}\"{l}\"{}", if i + 1 == n { ")" } else { "" })
        }),
        ("app/key2.py", |i, n, l| {
            let head = if i == 0 { "KEY = " } else { "    " };
            format!("{head}'{l}'{}", if i + 1 == n { "" } else { " + \\" })
        }),
        ("src/key.rs", |i, n, l| {
            let head = if i == 0 {
                "const KEY: &str = \""
            } else {
                "    "
            };
            format!("{head}{l}{}", if i + 1 == n { "\";" } else { "\\" })
        }),
        ("src/key2.rs", |i, n, l| {
            let head = if i == 0 {
                "const KEY: &str = concat!(\n    "
            } else {
                "    "
            };
            format!("{head}\"{l}\",{}", if i + 1 == n { "\n);" } else { "" })
        }),
        ("web/key.php", |i, n, l| {
            let head = if i == 0 { "$key = " } else { "    " };
            format!("{head}\"{l}\"{}", if i + 1 == n { ";" } else { " ." })
        }),
    ];
    let mut shapes = Vec::new();
    for (path, write) in writers {
        let key = pem(rng, "RSA PRIVATE KEY");
        let public = pem(rng, "PUBLIC KEY");
        let cert = pem(rng, "CERTIFICATE");
        let greeting = "\"Hello, \" +\n    \"world, and welcome back to the application\"\n";
        let text = [
            literals(&key, write),
            literals(&public, write),
            literals(&cert, write),
            greeting.to_string(),
        ]
        .join("\n");
        shapes.push(shape(path, text, vec![key.secret]));
    }
    shapes
}

/// A private key in a JSON field and a `.env` value with `\n`, and with each of its lines
/// behind a comment marker or a quote.
pub fn escaped_and_prefixed_keys(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let key = pem(rng, "PRIVATE KEY");
    let json = key.lines.join("\\n").replace('/', "\\/");
    shapes.push(shape(
        "config/sa.json",
        format!("{{\n  \"type\": \"x\",\n  \"private_key\": \"{json}\\n\"\n}}\n"),
        vec![key.secret.clone()],
    ));
    let key = pem(rng, "EC PRIVATE KEY");
    shapes.push(shape(
        ".env",
        format!("SIGNING_KEY=\"{}\\n\"\nMODE=prod\n", key.lines.join("\\n")),
        vec![key.secret.replace('\n', "\\n")],
    ));
    for (path, head, marker) in [
        ("deploy/setup.sh", "#!/bin/sh\n# old key:\n", "# "),
        ("src/crypto.rs", "// test key below\n", "// "),
        ("src/Crypto.java", "/*\n", " * "),
        ("conf/app.ini", "[tls]\n", "; "),
        ("support/ticket.txt", "Key:\n\n", "> "),
    ] {
        let key = pem(rng, "OPENSSH PRIVATE KEY");
        let public = pem(rng, "PUBLIC KEY");
        let prefixed = |pem: &Pem| {
            let lines: Vec<String> = pem.lines.iter().map(|l| format!("{marker}{l}")).collect();
            lines.join("\n")
        };
        let openssh = Pem {
            lines: key.lines.clone(),
            secret: key.secret.clone(),
        };
        shapes.push(shape(
            path,
            format!("{head}{}\n\n{}\n", prefixed(&openssh), prefixed(&public)),
            vec![openssh.secret],
        ));
    }
    shapes
}

/// Base64-wrapped credentials: a Kubernetes Secret's `data:`, a kubeconfig's
/// `client-key-data`, a docker `config.json` `auth`, `Authorization: Basic`, a key and a
/// `.env` payload in variables, next to base64 of binary data and of ordinary text.
pub fn base64_wrapped(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let noise = STANDARD.encode(rng.bytes(48));
    let text = STANDARD.encode("just some ordinary configuration text, nothing secret");
    let key = pem(rng, "RSA PRIVATE KEY");
    shapes.push(shape(
        "k8s/tls-secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.key: {}\n  tls.crt: {}\n  note: {text}\n",
            STANDARD.encode(key.lines.join("\n") + "\n"),
            STANDARD.encode(pem(rng, "CERTIFICATE").lines.join("\n") + "\n"),
        ),
        vec![key.secret],
    ));
    // kubeconfig and docker `auth` have rules of their own that block the encoded value.
    let key = STANDARD.encode(pem(rng, "EC PRIVATE KEY").lines.join("\n") + "\n");
    shapes.push(shape(
        "home/.kube/config",
        format!(
            "users:\n- name: admin\n  user:\n    client-certificate-data: {noise}\n    client-key-data: {key}\n"
        ),
        vec![key],
    ));
    let auth = STANDARD.encode(format!("octocat:{}", rng.github_token()));
    shapes.push(shape(
        "home/.docker/config.json",
        format!("{{\"auths\": {{\"ghcr.io\": {{\"auth\": \"{auth}\"}}}}}}\n"),
        vec![auth],
    ));
    let token = rng.github_token();
    shapes.push(shape(
        "scripts/call.sh",
        format!(
            "curl -H 'Authorization: Basic {}' https://api.example.com/\n",
            URL_SAFE_NO_PAD.encode(format!("bot:{token}"))
        ),
        vec![token],
    ));
    let key = pem(rng, "PRIVATE KEY");
    let token = rng.npm_token();
    shapes.push(shape(
        ".env",
        format!(
            "JWT_KEY_B64={}\nAPP_ENV_B64={}\nLOGO={noise}\nGREETING={text}\n",
            STANDARD.encode(key.lines.join("\n") + "\n"),
            STANDARD.encode(format!("MODE=prod\nNPM_TOKEN={token}\n")),
        ),
        vec![key.secret, token],
    ));
    shapes
}
