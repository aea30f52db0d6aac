//! Shapes of issue 14 items 1-2 beyond split and base64-wrapped keys: percent- and
//! hex-encoded values, YAML block and folded scalars, XML character references, shell and
//! Terraform heredocs, `.env` values with literal `\n`, and base64 in a Basic header, a
//! docker `auth` and a kubeconfig, each beside hard negatives of the same shape.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::families::Shape;
use crate::generate::Rng;
use crate::layers::pem;

fn shape(path: &str, text: String, blocks: Vec<String>) -> Shape {
    Shape {
        path: path.to_string(),
        text,
        blocks,
        warns: Vec::new(),
    }
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Encoded values: a key percent-encoded in a query string, a connection URL percent-encoded
/// in a redirect parameter, a key hex-encoded in a variable, and a token inside base64 of a
/// hex-encoded env payload; beside percent-encoded prose, a hex digest and hex of a
/// certificate.
pub fn encoded_values(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let key = pem(rng, "RSA PRIVATE KEY");
    let cert = pem(rng, "CERTIFICATE");
    shapes.push(shape(
        "scripts/upload.sh",
        format!(
            "curl \"https://vault.internal/import?name=tls&pem={}\"\ncurl \"https://vault.internal/import?name=ca&pem={}\"\necho \"{}\"\n",
            percent(&(key.lines.join("\n") + "\n")),
            percent(&(cert.lines.join("\n") + "\n")),
            percent("Hello, world: a perfectly ordinary sentence!"),
        ),
        vec![key.secret],
    ));
    let password = rng.password();
    shapes.push(shape(
        "web/links.html",
        format!(
            "<a href=\"/login?next={}\">x</a>\n<a href=\"/login?next={}\">y</a>\n",
            percent(&format!(
                "postgres://app:{password}@db.prod.acme.io:5432/main"
            )),
            percent("https://acme.io/docs/getting started?lang=en&x=1"),
        ),
        vec![password],
    ));
    let key = pem(rng, "EC PRIVATE KEY");
    let digest = rng.string(crate::generate::HEX, 64);
    shapes.push(shape(
        "src/keys.go",
        format!(
            "var signingKeyHex = \"{}\"\nvar certHex = \"{}\"\nconst sum = \"{digest}\"\n",
            hex(&(key.lines.join("\n") + "\n")),
            hex(&(cert.lines.join("\n") + "\n")),
        ),
        vec![key.secret],
    ));
    shapes
}

/// Keys in YAML block (`|`) and folded (`>`) scalars, in shell and Terraform heredocs
/// (plain and `<<-` indented) and in `.env` values with literal `\n`, beside public keys
/// written the same way.
pub fn blocks_and_heredocs(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let indent = |pem: &crate::layers::Pem, pad: &str| {
        pem.lines
            .iter()
            .map(|l| format!("{pad}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for indicator in ["|", ">", "|-"] {
        let key = pem(rng, "PRIVATE KEY");
        let public = pem(rng, "PUBLIC KEY");
        shapes.push(shape(
            "deploy/values.yaml",
            format!(
                "tls:\n  key: {indicator}\n{}\n  pub: {indicator}\n{}\n",
                indent(&key, "    "),
                indent(&public, "    ")
            ),
            vec![key.secret.replace('\n', "\n    ")],
        ));
    }
    let key = pem(rng, "OPENSSH PRIVATE KEY");
    let public = pem(rng, "PUBLIC KEY");
    shapes.push(shape(
        "deploy/install.sh",
        format!(
            "#!/bin/sh\ncat > ~/.ssh/id <<'EOF'\n{}\nEOF\n\tcat > pub.pem <<-EOF\n{}\n\tEOF\n",
            key.lines.join("\n"),
            indent(&public, "\t")
        ),
        vec![key.secret],
    ));
    let key = pem(rng, "RSA PRIVATE KEY");
    shapes.push(shape(
        "infra/main.tf",
        format!(
            "resource \"tls_cert\" \"x\" {{\n  private_key_pem = <<-EOT\n{}\n  EOT\n  public_key = <<EOT\n{}\nEOT\n}}\n",
            indent(&key, "    "),
            public.lines.join("\n")
        ),
        vec![key.secret.replace('\n', "\n    ")],
    ));
    let key = pem(rng, "EC PRIVATE KEY");
    shapes.push(shape(
        "app/.env",
        format!(
            "SIGNING_KEY={}\\n\nPUBLIC_KEY={}\\n\n",
            key.lines.join("\\n"),
            public.lines.join("\\n")
        ),
        vec![key.secret.replace('\n', "\\n")],
    ));
    shapes
}

/// Keys in XML attribute values and element text with character references, beside a
/// certificate written the same way and ordinary escaped text.
pub fn character_references(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    for newline in ["&#10;", "&#xA;", "&#13;&#10;"] {
        let key = pem(rng, "RSA PRIVATE KEY");
        let cert = pem(rng, "CERTIFICATE");
        let secret = if newline == "&#13;&#10;" {
            key.secret.replace('\n', "\r\n")
        } else {
            key.secret.clone()
        };
        let body = |p: &crate::layers::Pem| p.lines.join(newline).replace('+', "&#43;");
        shapes.push(shape(
            "conf/web.config",
            format!(
                "<configuration>\n  <add key=\"SigningKey\" value=\"{}\" />\n  <cert>{}</cert>\n  <note>Tom&#39;s &amp; Jerry&#39;s settings&#10;second line</note>\n</configuration>\n",
                body(&key),
                body(&cert)
            ),
            vec![secret],
        ));
    }
    shapes
}

/// Base64 credentials in their usual homes: a Basic header whose decoded value is a plain
/// `user:password`, a docker `auth` and a kubeconfig `client-key-data` holding a real key;
/// beside a Basic header of the RFC's example, a docker `auth` of a placeholder and a
/// kubeconfig whose key data is a certificate.
pub fn base64_homes(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let password = rng.password();
    let basic = STANDARD.encode(format!("deploy:{password}"));
    shapes.push(shape(
        "scripts/sync.sh",
        format!(
            "curl -H 'Authorization: Basic {basic}' https://registry.acme.io/v2/\ncurl -H \"Authorization: Basic ${{CREDS}}\" https://registry.acme.io/v2/\n"
        ),
        vec![password],
    ));
    let auth = STANDARD.encode(format!("robot:{}", rng.password()));
    shapes.push(shape(
        "home/.docker/config.json",
        format!("{{\"auths\": {{\"registry.acme.io\": {{\"auth\": \"{auth}\"}}, \"ghcr.io\": {{}}}}}}\n"),
        vec![auth],
    ));
    let key = STANDARD.encode(pem(rng, "RSA PRIVATE KEY").lines.join("\n") + "\n");
    let cert = STANDARD.encode(pem(rng, "CERTIFICATE").lines.join("\n") + "\n");
    shapes.push(shape(
        "home/.kube/config",
        format!(
            "users:\n- name: admin\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n"
        ),
        vec![key],
    ));
    shapes
}
