//! Credential files and framework secrets (issue 7), end to end through the real binary.
//!
//! Each family is a realistic file written to a temporary directory at test time, its secret
//! drawn from a small seeded PRNG, so this source never holds a secret-shaped string and
//! `leakward scan .` on the repository stays clean. The same files with placeholder values are
//! not reported at all; key stores and password databases are reported by name, binary or not;
//! Ansible Vault files (encrypted) never are.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use common::{scan_in, tempdir, write};
use leakward::internals::shannon;

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";
const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// The alphabet of crypt(3) salts and hashes.
const CRYPT: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// `django.core.management.utils.get_random_secret_key` draws from this.
const DJANGO: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789!@#$^&*(-_=+)";
/// WordPress keys and salts: printable, without quotes or backslashes.
const WORDPRESS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()-_[]{}<>~+=,.;:/?|";
const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Marks where a template's secret goes.
const SECRET: &str = "%SECRET%";

/// xorshift64*: deterministic, so a failure reproduces with the same values.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// `len` characters of `alphabet`, redrawn until clearly random: high entropy and none
    /// of the words the placeholder filter looks for.
    fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        loop {
            let value: String = (0..len)
                .map(|_| char::from(alphabet[(self.next() % alphabet.len() as u64) as usize]))
                .collect();
            let lower = value.to_ascii_lowercase();
            let wordy = ["xxx", "example", "dummy", "test", "fake", "here", "your"]
                .iter()
                .any(|w| lower.contains(w));
            if !wordy && shannon(value.as_bytes()) >= 3.0 {
                return value;
            }
        }
    }
}

/// The shape of a family's secret.
#[derive(Clone, Copy)]
enum Shape {
    Chars(&'static [u8], usize),
    /// Base64 of this many random bytes.
    Base64(usize),
    /// Base64 of `user:password`, as Docker and FileZilla store credentials.
    Base64Login,
    Apr1,
    Md5Crypt,
    Bcrypt,
    Sha256Crypt,
    Sha512Crypt,
    /// `{AQAAABAAAAAQ...}` without the braces: a Jenkins `hudson.util.Secret` ciphertext.
    JenkinsSecret,
    /// `1//0` and a URL-safe tail: a Google OAuth refresh token.
    GoogleRefresh,
}

impl Shape {
    fn draw(self, rng: &mut Rng) -> String {
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        match self {
            Shape::Chars(alphabet, len) => rng.string(alphabet, len),
            Shape::Base64(len) => b64(&rng.bytes(len)),
            Shape::Base64Login => b64(format!("ci:{}", rng.string(ALNUM, 20)).as_bytes()),
            Shape::Apr1 => format!("$apr1${}${}", rng.string(CRYPT, 8), rng.string(CRYPT, 22)),
            Shape::Md5Crypt => format!("$1${}${}", rng.string(CRYPT, 8), rng.string(CRYPT, 22)),
            Shape::Bcrypt => format!("$2y$10${}", rng.string(CRYPT, 53)),
            Shape::Sha256Crypt => format!("$5${}${}", rng.string(CRYPT, 16), rng.string(CRYPT, 43)),
            Shape::Sha512Crypt => format!("$6${}${}", rng.string(CRYPT, 16), rng.string(CRYPT, 86)),
            Shape::JenkinsSecret => format!("AQAAABAAAAAQ{}", b64(&rng.bytes(48))),
            Shape::GoogleRefresh => format!("1//0{}", rng.string(URL_SAFE, 99)),
        }
    }
}

/// One family: a file at `path` whose `template` holds the secret where [`SECRET`] is.
struct Family {
    path: &'static str,
    template: &'static str,
    shape: Shape,
    rule: &'static str,
    confidence: &'static str,
}

const fn family(
    path: &'static str,
    template: &'static str,
    shape: Shape,
    rule: &'static str,
    confidence: &'static str,
) -> Family {
    Family {
        path,
        template,
        shape,
        rule,
        confidence,
    }
}

const FAMILIES: &[Family] = &[
    family(".netrc", "machine git.acme.io\n  login ci\n  password %SECRET%\n", Shape::Chars(ALNUM, 20), "netrc-password", "high"),
    family("win/_netrc", "machine files.acme.io login ci password %SECRET%\n", Shape::Chars(ALNUM, 16), "netrc-password", "high"),
    family(".pgpass", "# hostname:port:database:username:password\ndb.acme.io:5432:app:svc:%SECRET%\n", Shape::Chars(ALNUM, 18), "pgpass-password", "high"),
    family(".git-credentials", "https://ci:%SECRET%@git.acme.io\n", Shape::Chars(ALNUM, 40), "git-credentials", "high"),
    family("site/.htpasswd", "# users\nadmin:%SECRET%\n", Shape::Apr1, "htpasswd-hash", "high"),
    family("conf/htpasswd", "ops:%SECRET%\n", Shape::Bcrypt, "htpasswd-hash", "high"),
    family("old/.htpasswd", "legacy:%SECRET%\n", Shape::Md5Crypt, "htpasswd-hash", "high"),
    family("rootfs/etc/shadow", "root:*:19700:0:99999:7:::\nme:%SECRET%:19700:0:99999:7:::\n", Shape::Sha512Crypt, "shadow-password-hash", "high"),
    family("backup/users.txt", "# exported accounts\ndeploy:%SECRET%\n", Shape::Sha256Crypt, "password-hash-line", "high"),
    family("public_html/wp-config.php", "<?php\ndefine( 'DB_NAME', 'wp' );\ndefine( 'DB_USER', 'wp' );\ndefine( 'DB_PASSWORD', '%SECRET%' );\n", Shape::Chars(ALNUM, 16), "wordpress-db-password", "high"),
    family("blog/wp-config.php", "<?php\n/**#@+ Authentication unique keys and salts. */\ndefine( 'AUTH_KEY',         '%SECRET%' );\n", Shape::Chars(WORDPRESS, 64), "wordpress-config-secret", "medium"),
    family("FileZilla/sitemanager.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FileZilla3>\n  <Servers>\n    <Server>\n      <Host>ftp.acme.io</Host>\n      <User>ci</User>\n      <Pass encoding=\"base64\">%SECRET%</Pass>\n    </Server>\n  </Servers>\n</FileZilla3>\n", Shape::Base64Login, "filezilla-password", "medium"),
    family("FileZilla/recentservers.xml", "<FileZilla3>\n  <RecentServers>\n    <Server>\n      <Host>ftp.acme.io</Host>\n      <Pass>%SECRET%</Pass>\n", Shape::Chars(ALNUM, 14), "filezilla-password", "medium"),
    family("AppData/WinSCP.ini", "[Sessions\\ci@files.acme.io]\nHostName=files.acme.io\nUserName=ci\nPassword=%SECRET%\n", Shape::Chars(HEX_UPPER, 48), "winscp-password", "medium"),
    family("home/.putty/sessions/bastion", "HostName=bastion.acme.io\nProxyMethod=3\nProxyUsername=ops\nProxyPassword=%SECRET%\n", Shape::Chars(ALNUM, 16), "putty-session-password", "medium"),
    family("shop/config/master.key", "%SECRET%", Shape::Chars(HEX, 32), "rails-master-key", "high"),
    family("shop/config/credentials/production.key", "%SECRET%\n", Shape::Chars(HEX, 32), "rails-master-key", "high"),
    family("mysite/settings.py", "import os\n\nDEBUG = False\nSECRET_KEY = '%SECRET%'\n", Shape::Chars(DJANGO, 50), "django-secret-key", "medium"),
    family("flaskr/__init__.py", "from flask import Flask\n\napp = Flask(__name__)\napp.config['SECRET_KEY'] = '%SECRET%'\n", Shape::Chars(HEX, 64), "flask-secret-key", "medium"),
    family("flaskr/app.py", "app = Flask(__name__)\napp.secret_key = b'%SECRET%'\n", Shape::Chars(ALNUM, 24), "flask-secret-key", "medium"),
    family("laravel/.env", "APP_NAME=Shop\nAPP_ENV=production\nAPP_KEY=base64:%SECRET%\n", Shape::Base64(32), "laravel-app-key", "high"),
    family("api/src/main/resources/application.properties", "spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.username=app\nspring.datasource.password=%SECRET%\n", Shape::Chars(ALNUM, 16), "spring-config-password", "high"),
    family("api/src/main/resources/application-prod.yml", "spring:\n  datasource:\n    url: jdbc:mysql://db/app\n    username: app\n    password: %SECRET%\n", Shape::Chars(ALNUM, 16), "spring-config-password", "high"),
    family("jenkins_home/credentials.xml", "<?xml version='1.1' encoding='UTF-8'?>\n<com.cloudbees.plugins.credentials.SystemCredentialsProvider>\n  <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n    <id>deploy</id>\n    <username>deploy</username>\n    <password>{%SECRET%}</password>\n", Shape::JenkinsSecret, "jenkins-credentials-secret", "medium"),
    family("infra/terraform.tfstate", "{\n  \"version\": 4,\n  \"resources\": [\n    {\n      \"type\": \"aws_db_instance\",\n      \"instances\": [\n        {\n          \"attributes\": {\n            \"username\": \"app\",\n            \"password\": \"%SECRET%\",\n            \"port\": 5432\n", Shape::Chars(ALNUM, 24), "terraform-state-secret", "medium"),
    family("home/.kube/config", "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: %SECRET%\n", Shape::Chars(ALNUM, 48), "kubeconfig-token", "medium"),
    family("home/.aws/credentials", "[default]\nregion = eu-west-1\naws_secret_access_key = %SECRET%\n", Shape::Chars(BASE64, 40), "aws-credentials-file", "high"),
    family("home/.docker/config.json", "{\n  \"auths\": {\n    \"registry.acme.io\": {\n      \"auth\": \"%SECRET%\"\n    }\n  }\n}\n", Shape::Base64Login, "docker-config-auth", "high"),
    family("home/.config/gcloud/application_default_credentials.json", "{\n  \"client_id\": \"764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com\",\n  \"client_secret\": \"d-FL95Q19q7MQmFpd7hHD0Ty\",\n  \"quota_project_id\": \"acme-prod\",\n  \"refresh_token\": \"%SECRET%\",\n  \"type\": \"authorized_user\"\n}\n", Shape::GoogleRefresh, "oauth-refresh-token-json", "medium"),
    family("svc/.env", "APP_ENV=production\nDEBUG=false\nWEBHOOK_SIGNING_SECRET=%SECRET%\n", Shape::Chars(ALNUM, 32), "dotenv-secret", "medium"),
    family("svc/.env.production", "# mail\nSMTP_HOST=smtp.acme.io\nSMTP_PASS=\"%SECRET%\"\n", Shape::Chars(ALNUM, 16), "dotenv-password", "high"),
];

/// Values that stand in for a secret in samples and templates.
const PLACEHOLDERS: &[&str] = &["password_here", "changeme", ""];

/// The 1-based line of the marker in a template.
fn line_of_marker(template: &str) -> u64 {
    let at = template
        .find(SECRET)
        .expect("the template marks its secret");
    template[..at].matches('\n').count() as u64 + 1
}

/// `leakward scan . -f jsonl --show-secrets` inside `dir`: every finding, by path.
fn scan_by_path(dir: &Path) -> BTreeMap<String, Vec<serde_json::Value>> {
    let run = scan_in(dir, &["-f", "jsonl", "--show-secrets", "--no-ignore", "."]);
    assert!(
        matches!(run.code, 0 | 1),
        "exit code\n{}\n{}",
        run.stdout,
        run.stderr
    );
    let mut by_path: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for line in run.stdout.lines().filter(|l| !l.trim().is_empty()) {
        let finding: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        let path = finding["path"].as_str().unwrap_or_default().to_string();
        by_path.entry(path).or_default().push(finding);
    }
    by_path
}

#[test]
fn every_family_is_reported_by_its_rule_on_the_line_of_its_secret() {
    let dir = tempdir();
    let mut rng = Rng(0x6372_6564_6669_6c65);
    let secrets: Vec<String> = FAMILIES.iter().map(|f| f.shape.draw(&mut rng)).collect();
    for (family, secret) in FAMILIES.iter().zip(&secrets) {
        write(
            dir.path(),
            family.path,
            family.template.replace(SECRET, secret),
        );
    }
    let found = scan_by_path(dir.path());
    let mut problems = Vec::new();
    for (family, secret) in FAMILIES.iter().zip(&secrets) {
        let findings = found
            .get(family.path)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let Some(f) = findings.iter().find(|f| f["rule_id"] == family.rule) else {
            let ids: Vec<&str> = findings
                .iter()
                .filter_map(|f| f["rule_id"].as_str())
                .collect();
            problems.push(format!(
                "{}: no {} finding (got {ids:?}) for {secret:?}",
                family.path, family.rule
            ));
            continue;
        };
        let line = line_of_marker(family.template);
        if f["line"] != line {
            problems.push(format!("{}: line {}, want {line}", family.path, f["line"]));
        }
        if f["confidence"] != family.confidence {
            problems.push(format!(
                "{}: confidence {}, want {}",
                family.path, f["confidence"], family.confidence
            ));
        }
        if !f["secret"]
            .as_str()
            .unwrap_or_default()
            .contains(secret.as_str())
        {
            problems.push(format!(
                "{}: secret {}, want {secret:?}",
                family.path, f["secret"]
            ));
        }
        if findings.len() != 1 {
            let ids: Vec<&str> = findings
                .iter()
                .filter_map(|f| f["rule_id"].as_str())
                .collect();
            problems.push(format!(
                "{}: one finding expected, got {ids:?}",
                family.path
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn placeholder_values_are_not_reported() {
    let dir = tempdir();
    for (at, placeholder) in PLACEHOLDERS.iter().enumerate() {
        for family in FAMILIES {
            let path = format!("p{at}/{}", family.path);
            write(
                dir.path(),
                &path,
                family.template.replace(SECRET, placeholder),
            );
        }
    }
    let found = scan_by_path(dir.path());
    let reported: Vec<String> = found
        .values()
        .flatten()
        .map(|f| format!("{}: {} {}", f["path"], f["rule_id"], f["secret"]))
        .collect();
    assert!(reported.is_empty(), "{}", reported.join("\n"));
}

/// Sample and template files document a format; their values are not credentials.
#[test]
fn sample_configs_are_not_reported_by_the_file_rules() {
    let dir = tempdir();
    let mut rng = Rng(0x7361_6d70_6c65);
    let value = rng.string(ALNUM, 32);
    let samples = [
        (".env.example", "dotenv-secret"),
        ("deploy/.env.sample", "dotenv-secret"),
        ("deploy/.env.dist", "dotenv-secret"),
        ("docs/config/.env", "dotenv-secret"),
        ("wp/wp-config-sample.php", "wordpress-config-secret"),
    ];
    for (path, _) in samples {
        let text = if path.ends_with(".php") {
            format!("define( 'DB_PASSWORD', '{value}' );\n")
        } else {
            format!("WEBHOOK_SIGNING_SECRET={value}\n")
        };
        write(dir.path(), path, text);
    }
    let found = scan_by_path(dir.path());
    for (path, rule) in samples {
        let ids: Vec<&str> = found
            .get(path)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f["rule_id"].as_str())
            .collect();
        assert!(!ids.contains(&rule), "{path}: {ids:?}");
    }
}

#[test]
fn key_stores_and_password_databases_are_reported_by_name_even_when_binary() {
    let cases: &[(&str, &str, &str)] = &[
        ("certs/client.p12", "pkcs12-file", "low"),
        ("certs/signing.pfx", "pkcs12-file", "low"),
        ("src/main/resources/server.jks", "java-keystore-file", "low"),
        ("android/app/release.keystore", "java-keystore-file", "low"),
        ("ops/passwords.kdbx", "keepass-database-file", "low"),
        ("home/.ssh/id_ed25519", "ssh-private-key-file", "medium"),
        ("deploy/id_rsa", "ssh-private-key-file", "medium"),
        ("keys/bastion.ppk", "ssh-private-key-file", "medium"),
        (
            "jenkins_home/secrets/hudson.util.Secret",
            "jenkins-secret-file",
            "low",
        ),
        (
            "home/.config/gcloud/credentials.db",
            "gcloud-credentials-db",
            "low",
        ),
    ];
    let dir = tempdir();
    let mut rng = Rng(0x6b65_7973_746f_7265);
    for (path, _, _) in cases {
        // Random bytes with a NUL near the start: binary, as these files are.
        let mut bytes = rng.bytes(512);
        bytes[3] = 0;
        write(dir.path(), path, bytes);
    }
    // Android's well-known debug key store and test fixtures named as such are not reported.
    write(dir.path(), "android/app/debug.keystore", [0u8, 1, 2, 3]);
    write(dir.path(), "crates/tls/tests/identity.p12", [0u8, 1, 2, 3]);
    write(
        dir.path(),
        "lib/src/test/resources/trust.jks",
        [0u8, 1, 2, 3],
    );
    let run = scan_in(dir.path(), &["-f", "jsonl", "."]);
    let findings: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    for &(path, rule, confidence) in cases {
        let f = findings
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} not reported:\n{}", run.stdout));
        assert_eq!(f["rule_id"], rule, "{path}");
        assert_eq!(f["confidence"], confidence, "{path}");
        assert_eq!(f["line"], 1, "{path}");
    }
    assert_eq!(findings.len(), cases.len(), "{}", run.stdout);
    // A file rule's fingerprint follows the content: two copies are one secret.
    let fingerprints: std::collections::HashSet<&str> = findings
        .iter()
        .filter_map(|f| f["fingerprint"].as_str())
        .collect();
    assert_eq!(fingerprints.len(), cases.len());
}

/// A private key named `id_rsa` is reported once, by the content rule that reads its key
/// block; the file-name rule only speaks when the content says nothing.
#[test]
fn an_id_rsa_with_a_key_block_is_reported_once_by_the_content_rule() {
    let dir = tempdir();
    let mut rng = Rng(0x6964_5f72_7361);
    let body: Vec<String> = (0..12).map(|_| rng.string(BASE64, 64)).collect();
    let key = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        body.join("\n")
    );
    write(dir.path(), "home/.ssh/id_rsa", &key);
    let found = scan_by_path(dir.path());
    let ids: Vec<&str> = found["home/.ssh/id_rsa"]
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(ids, ["private-key"]);
}

#[test]
fn ansible_vault_files_are_never_reported() {
    let dir = tempdir();
    let mut rng = Rng(0x0076_6175_6c74);
    let mut vault = String::from("$ANSIBLE_VAULT;1.1;AES256\n");
    for _ in 0..24 {
        vault.push_str(&rng.string(HEX, 80));
        vault.push('\n');
    }
    // The same encrypted content under names that credential rules read.
    for path in [
        "group_vars/all/vault.yml",
        "secrets.env",
        ".env",
        "home/.aws/credentials",
        "src/main/resources/application.yml",
        "infra/terraform.tfstate",
        "host_vars/db/secret.yaml",
    ] {
        write(dir.path(), path, &vault);
    }
    let inline = format!(
        "db_user: app\ndb_password: !vault |\n  {}\n",
        vault.trim_end().replace('\n', "\n  ")
    );
    write(dir.path(), "group_vars/db.yml", inline);
    let found = scan_by_path(dir.path());
    let reported: Vec<String> = found
        .values()
        .flatten()
        .map(|f| format!("{}:{} {}", f["path"], f["line"], f["rule_id"]))
        .collect();
    assert!(reported.is_empty(), "{}", reported.join("\n"));
}

/// A Kubernetes Secret's `data:` value is a credential by the manifest's own declaration: a
/// base64 password there blocks, however weak (issue 14). A `tls.key` that decodes to a
/// private key is reported as that key, through the base64 layer, and blocks too; the
/// Secret's own finding yields to it rather than reporting the same bytes twice.
#[test]
fn kubernetes_secret_values_block_and_a_tls_key_is_reported_as_the_private_key() {
    let b64 = base64::engine::general_purpose::STANDARD;
    let dir = tempdir();
    let mut rng = Rng(0x6b38_735f_7365_6372);
    let password = rng.string(ALNUM, 10);
    write(
        dir.path(),
        "deploy/db-secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: {}\n  username: {}\n",
            b64.encode(&password),
            b64.encode("app"),
        ),
    );
    // A DER SEQUENCE that fills the body: the structure the private-key rule checks.
    let mut der = vec![0x30, 0x82, 0x01, 0x2c];
    der.extend(rng.bytes(300));
    let body: Vec<String> = b64
        .encode(der)
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let key = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        body.join("\n")
    );
    write(
        dir.path(),
        "deploy/tls-secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n  tls.key: {}\n",
            b64.encode(&key)
        ),
    );
    let found = scan_by_path(dir.path());
    let summary = |path: &str| -> Vec<(String, String, bool)> {
        found
            .get(path)
            .map(|fs| {
                fs.iter()
                    .map(|f| {
                        (
                            f["rule_id"].as_str().unwrap_or_default().to_string(),
                            f["confidence"].as_str().unwrap_or_default().to_string(),
                            f["blocking"].as_bool().unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        summary("deploy/db-secret.yaml"),
        [("kubernetes-secret".to_string(), "high".to_string(), true)]
    );
    assert_eq!(
        summary("deploy/tls-secret.yaml"),
        [("private-key".to_string(), "high".to_string(), true)]
    );
    let tls = &found["deploy/tls-secret.yaml"][0];
    assert_eq!(
        tls["secret"].as_str(),
        Some(format!("\n{}\n", body.join("\n")).as_str())
    );
    assert_eq!(tls["decoding"].as_str(), Some("base64 → private-key"));
}
