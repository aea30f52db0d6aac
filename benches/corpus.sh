#!/usr/bin/env bash
# Builds the ordinary-code corpus for the precision benchmark, outside the repository: published
# sources from three registries (crates.io, npm, PyPI sdists), unpacked, about 2.5-3 GB.
#
#   benches/corpus.sh [DIR]     # default ~/corpora/ordinary; reuses what is already there
#   CORPUS_SET=heldout benches/corpus.sh ~/corpora/heldout
#   CORPUS_SET=keys benches/corpus.sh ~/corpora/keys
#
# CORPUS_SET=heldout picks other packages (no named package of the main set; shared transitive
# dependencies are possible): a corpus the rules were not tuned on, to check that precision
# carries over (`LEAKWARD_CORPUS=~/corpora/heldout benches/precision.sh` once it is built).
# CORPUS_SET=keys is not for measuring: cryptography, TLS, SSH, OpenPGP and JOSE libraries, whose
# test suites and documentation publish private keys, for benches/public-keys.sh to list.
#
# Each part is pinned so the corpus can be rebuilt; its exact size and package list are written to
# DIR/MANIFEST.txt, which benches/precision.sh prints beside its figures.
set -euo pipefail
dir="${1:-${LEAKWARD_CORPUS:-$HOME/corpora/ordinary}}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# crates.io: a throwaway manifest of heavy, widely used crates; `cargo fetch` into a private
# CARGO_HOME so the corpus is exactly their dependency closure, then the unpacked sources.
# The set: CORPUS_SET, else the one DIR was built with (a corpus built before sets existed has
# no `set:` line in its MANIFEST.txt: it is the main set).
built=
[[ -e "$dir/MANIFEST.txt" ]] && built="$(sed -n 's/^set: //p' "$dir/MANIFEST.txt")"
[[ -e "$dir/MANIFEST.txt" ]] && built="${built:-main}"
set="${CORPUS_SET:-${built:-main}}"
case "$set" in main | heldout | keys) ;; *) echo "corpus.sh: CORPUS_SET must be main, heldout or keys, not $set" >&2; exit 2 ;; esac
if [[ -n "$built" && "$built" != "$set" ]]; then
  echo "corpus.sh: $dir holds the $built set, not $set (see its MANIFEST.txt)" >&2; exit 2
fi

crates=(
  'tokio = { version = "1", features = ["full"] }' 'reqwest = "0.12"' 'hyper = "1"'
  'serde = "1"' 'serde_json = "1"' 'rustls = "0.23"' 'ring = "0.17"' 'openssl = "0.10"'
  'aws-sdk-s3 = "1"' 'aws-sdk-ec2 = "1"' 'aws-sdk-iam = "1"' 'azure_core = "0.21"'
  'google-cloud-storage = "0.24"' 'sqlx = { version = "0.8", features = ["postgres", "mysql", "sqlite", "runtime-tokio"] }'
  'diesel = { version = "2", features = ["postgres", "mysql", "sqlite"] }' 'sea-orm = "1"'
  'actix-web = "4"' 'axum = "0.8"' 'rocket = "0.5"' 'tonic = "0.12"' 'prost = "0.13"'
  'clap = "4"' 'regex = "1"' 'gix = "0.70"' 'git2 = "0.20"' 'wasmtime = "28"' 'bevy = "0.15"'
  'polars = "0.45"' 'arrow = "54"' 'datafusion = "44"' 'rusoto_core = "0.48"' 'jsonwebtoken = "9"'
  'oauth2 = "4"' 'lettre = "0.11"' 'redis = "0.27"' 'mongodb = "3"' 'rdkafka = "0.37"'
  'windows = "0.58"' 'syn = "2"' 'image = "0.25"' 'ssh2 = "0.9"' 'russh = "0.49"' 'rsa = "0.9"'
  'p256 = "0.13"' 'x509-parser = "0.16"' 'kube = "0.98"' 'k8s-openapi = { version = "0.24", features = ["latest"] }'
)
heldout_crates=(
  'aws-sdk-dynamodb = "1"' 'aws-sdk-lambda = "1"' 'aws-sdk-sts = "1"' 'aws-config = "1"'
  'octocrab = "0.41"' 'openidconnect = "3"' 'jwt-simple = "0.12"' 'native-tls = "0.2"'
  'boring = "4"' 'webauthn-rs = "0.5"' 'tantivy = "0.22"' 'surrealdb = "2"' 'warp = "0.3"'
  'poem = "3"' 'tide = "0.16"' 'lapin = "2"' 'async-nats = "0.37"' 'aws-sdk-secretsmanager = "1"'
  'vaultrs = "0.7"' 'ldap3 = "0.11"' 'sha2 = "0.10"' 'ed25519-dalek = "2"' 'pgp = "0.14"'
  'sequoia-openpgp = { version = "1", default-features = false, features = ["crypto-rust", "allow-experimental-crypto", "allow-variable-time-crypto"] }'
  'scylla = "0.14"' 'elasticsearch = "8.15.0-alpha.1"' 'rumqttc = "0.24"'
)
keys_crates=(
  'rcgen = "0.13"' 'rustls-pemfile = "2"' 'tokio-rustls = "0.26"' 'x509-cert = "0.2"'
  'pkcs8 = { version = "0.10", features = ["pem", "encryption"] }' 'pkcs1 = "0.7"' 'ssh-key = "0.6"'
  'josekit = "0.10"' 'age = "0.11"' 'hyper-rustls = "0.27"' 'quinn = "0.11"' 'pem = "3"'
  'rustls-webpki = "0.102"' 'sec1 = "0.7"' 'ecdsa = "0.16"' 'sequoia-openpgp = { version = "1", default-features = false, features = ["crypto-rust", "allow-experimental-crypto", "allow-variable-time-crypto"] }'
  'pgp = "0.14"' 'boring = "4"' 'native-tls = "0.2"' 'openssl = "0.10"' 'ring = "0.17"' 'rsa = "0.9"'
  'russh = "0.49"' 'ssh2 = "0.9"' 'jsonwebtoken = "9"' 'jwt-simple = "0.12"'
)
[[ "$set" == heldout ]] && crates=("${heldout_crates[@]}")
[[ "$set" == keys ]] && crates=("${keys_crates[@]}")
if [[ ! -e "$dir/.cargo-done" ]]; then
  echo "== crates.io: cargo fetch of ${#crates[@]} heavy crates" >&2
  rm -rf "$dir/cargo-home" "$dir/manifest"
  mkdir -p "$dir/manifest/src"
  echo 'fn main() {}' >"$dir/manifest/src/main.rs"
  { printf '[package]\nname = "corpus"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n'
    printf '%s\n' "${crates[@]}"; } >"$dir/manifest/Cargo.toml"
  CARGO_HOME="$dir/cargo-home" cargo fetch --quiet --manifest-path "$dir/manifest/Cargo.toml"
  # cargo fetch leaves .crate archives; unpack them (cargo only unpacks on build).
  mkdir -p "$dir/crates"
  for c in "$dir"/cargo-home/registry/cache/*/*.crate; do tar -xzf "$c" -C "$dir/crates"; done
  rm -rf "$dir/cargo-home/registry/cache"
  touch "$dir/.cargo-done"
fi

npm_packages=(
  typescript@5.4.5 react@18.3.1 react-dom@18.3.1 next@14.2.3 lodash@4.17.21 moment@2.30.1
  rxjs@7.8.1 eslint@8.57.0 jest@29.7.0 webpack@5.91.0 @babel/core@7.24.5 aws-sdk@2.1620.0
  googleapis@137.1.0 firebase@10.12.0 stripe@15.5.0 prettier@3.2.5 vue@3.4.27 three@0.164.1
  axios@1.7.2 express@4.19.2 mongoose@8.4.0 @mui/material@5.15.18 monaco-editor@0.48.0
  chart.js@4.4.3 d3@7.9.0 @angular/core@17.3.0 svelte@4.2.17 openai@4.47.1 twilio@5.1.0
  @octokit/rest@20.1.1 date-fns@3.6.0 bootstrap@5.3.3 jquery@3.7.1 pg@8.11.5 mysql2@3.9.7
  sequelize@6.37.3 typeorm@0.3.20 @aws-sdk/client-s3@3.577.0 passport@0.7.0 jsonwebtoken@9.0.2
  nodemailer@6.9.13 @azure/storage-blob@12.18.0 @google-cloud/storage@7.11.0 puppeteer-core@22.9.0
)
heldout_npm=(
  @slack/web-api@7.0.4 @sentry/node@8.7.0 firebase-admin@12.1.1 @azure/identity@4.2.0
  @okta/okta-auth-js@7.7.0 next-auth@4.24.7 socket.io@4.7.5 ioredis@5.4.1 knex@3.1.0
  graphql@16.8.1 @apollo/server@4.10.4 mongodb@6.6.2 fastify@4.27.0 koa@2.15.3 @hapi/hapi@21.3.9
  vite@5.2.12 rollup@4.18.0 @nestjs/core@10.3.8 @nestjs/common@10.3.8 @supabase/supabase-js@2.43.4
  @auth0/auth0-spa-js@2.1.3 openid-client@5.6.5 jose@5.3.0 node-forge@1.3.1 ssh2@1.15.0
  simple-git@3.24.0 dotenv@16.4.5 @aws-sdk/client-dynamodb@3.583.0 @google-cloud/pubsub@4.4.0
)
keys_npm=(
  node-forge@1.3.1 jsrsasign@11.1.0 openpgp@5.11.1 jose@5.3.0 jsonwebtoken@9.0.2 selfsigned@2.4.1
  pem@1.14.8 ssh2@1.15.0 sshpk@1.18.0 node-rsa@1.1.1 elliptic@6.5.5 @peculiar/x509@1.11.0
  pkijs@3.1.0 mockttp@3.11.0 http-mitm-proxy@1.1.0 node-jose@2.2.0 jws@4.0.0
)
[[ "$set" == heldout ]] && npm_packages=("${heldout_npm[@]}")
[[ "$set" == keys ]] && npm_packages=("${keys_npm[@]}")
if [[ ! -e "$dir/.npm-done" ]]; then
  echo "== npm: ${#npm_packages[@]} heavy packages and their dependencies" >&2
  rm -rf "$dir/npm"
  mkdir -p "$dir/npm"
  npm install --prefix "$dir/npm" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "${npm_packages[@]}" >&2
  # The catalog allows **/node_modules/** by default; move the tree so its code is scanned.
  mv "$dir/npm/node_modules" "$dir/npm/packages"
  touch "$dir/.npm-done"
fi

# PyPI: source distributions (the Python part is the noisiest; it is kept at least as large as
# the others).
pypi_packages=(
  boto3==1.34.110 botocore==1.34.110 django==5.0.6 sympy==1.12 transformers==4.41.0
  numpy==1.26.4 pandas==2.2.2 kubernetes==29.0.0 google-api-python-client==2.129.0
  twilio==9.0.5 stripe==9.6.0 openai==1.30.1 sqlalchemy==2.0.30 pygments==2.18.0
  babel==2.15.0 faker==25.2.0 hypothesis==6.102.4 pytest==8.2.1 requests==2.32.2
  cryptography==42.0.7 paramiko==3.4.0 ansible-core==2.17.0 ansible==9.9.0 azure-mgmt-network==25.4.0
  azure-mgmt-compute==31.0.0 azure-storage-blob==12.20.0 matplotlib==3.9.0 scipy==1.13.1
  scikit-learn==1.5.0 setuptools==70.0.0 flask==3.0.3 jinja2==3.1.4 werkzeug==3.0.3 tornado==6.4
  psycopg2==2.9.9 pymongo==4.7.2 redis==5.0.4 celery==5.4.0 kombu==5.3.7 salt==3007.1
  google-cloud-storage==2.16.0 pyjwt==2.8.0 oauthlib==3.2.2 passlib==1.7.4 ldap3==2.9.1
  fabric==3.2.2 pyopenssl==24.1.0 certifi==2024.2.2 urllib3==2.2.1 httpx==0.27.0 aiohttp==3.9.5
  sphinx==7.3.7 docutils==0.21.2 networkx==3.3 pillow==10.3.0 lxml==5.2.2 plotly==5.22.0
  bokeh==3.4.1 dask==2024.5.1 mypy==1.10.0 pylint==3.2.2 black==24.4.2
  azure-mgmt-web==7.2.0 azure-mgmt-resource==23.1.1 google-cloud-aiplatform==1.52.0
  azure-mgmt-sql==3.0.1 homeassistant==2024.5.5
)
heldout_pypi=(
  fastapi==0.111.0 pydantic==2.7.1 starlette==0.37.2 sanic==23.12.1 falcon==3.1.3 pyramid==2.0.2
  google-auth==2.29.0 msal==1.28.0 azure-identity==1.16.0 hvac==2.2.0 docker==7.1.0
  python-gitlab==4.5.0 PyGithub==2.3.0 slack_sdk==3.27.2 sentry-sdk==2.3.1 mlflow==2.13.0
  snowflake-connector-python==3.10.0 databricks-sdk==0.28.0 pysaml2==7.5.0 python-jose==3.3.0
  authlib==1.3.0 itsdangerous==2.2.0 django-allauth==0.63.2 social-auth-core==4.5.4 keyring==25.2.1
  twine==5.1.0 apache-airflow==2.9.1 great-expectations==0.18.15 prefect==2.19.2 dbt-core==1.8.1
  psutil==5.9.8 pymysql==1.1.1 asyncpg==0.29.0 elasticsearch==8.13.2 minio==7.2.7 pysftp==0.2.9
  netmiko==4.3.0 napalm==5.0.0 openstacksdk==3.1.0 boto==2.49.0 moto==5.0.9 awscli==1.32.110
  twisted==24.3.0 requests-oauthlib==2.0.0 zeep==4.2.1 google-cloud-bigquery==3.23.1 pyspnego==0.11.0
  localstack==3.4.0 onnx==1.16.1 scrapy==2.11.2 jupyterlab==4.2.1 notebook==7.2.0
)
keys_pypi=(
  pycryptodome==3.20.0 asyncssh==2.14.2 jwcrypto==1.5.6 josepy==1.14.0 acme==2.10.0 certbot==2.10.0
  trustme==1.1.0 python-gnupg==0.5.2 pgpy==0.6.0 ecdsa==0.19.0 rsa==4.9 pyjwt==2.8.0 tlslite-ng==0.7.6
  service_identity==24.1.0 pynacl==1.5.0 oscrypto==1.3.0 asn1crypto==1.5.1 signxml==3.2.2
  python3-saml==1.16.0 pysaml2==7.5.0 python-jose==3.3.0 authlib==1.3.0 paramiko==3.4.0
  cryptography==42.0.7 pyopenssl==24.1.0 twisted==24.3.0 google-auth==2.29.0 fido2==1.1.3
  py-vapid==1.9.1 pywebpush==2.0.0 httpsig==1.3.0 requests-http-signature==0.7.1
)
[[ "$set" == heldout ]] && pypi_packages=("${heldout_pypi[@]}")
[[ "$set" == keys ]] && pypi_packages=("${keys_pypi[@]}")
if [[ ! -e "$dir/.pypi-done" ]]; then
  echo "== PyPI: ${#pypi_packages[@]} source distributions" >&2
  rm -rf "$dir/sdists" "$dir/pypi"
  mkdir -p "$dir/sdists" "$dir/pypi"
  # `pip download --no-binary :all:` builds each sdist's metadata, which needs its build backend;
  # the sdist itself is all the corpus needs, so it is fetched from PyPI's simple index directly.
  for p in "${pypi_packages[@]}"; do
    name="${p%%==*}" version="${p##*==}"
    url=$(curl -fsS "https://pypi.org/simple/$name/" \
      | grep -oiE "href=\"[^\"]*/[^/\"]*-$version\.(tar\.gz|zip)#" | head -1 | sed 's/^href="//; s/#$//' || true)
    if [[ -z "$url" ]]; then echo "no sdist for $p" >&2; exit 2; fi
    curl -fsS -o "$dir/sdists/${url##*/}" "$url"
  done
  for f in "$dir"/sdists/*; do
    case "$f" in
      *.tar.gz) tar -xzf "$f" -C "$dir/pypi" ;;
      *.zip) python3 -m zipfile -e "$f" "$dir/pypi" ;;
    esac
  done
  rm -rf "$dir/sdists"
  touch "$dir/.pypi-done"
fi

{
  echo "corpus: $dir"
  echo "set: $set"
  for part in crates npm pypi; do
    echo "$part: $(du -sb "$dir/$part" | cut -f1) bytes, $(find "$dir/$part" -type f | wc -l) files"
  done
  echo "total: $(du -scb "$dir/crates" "$dir/npm" "$dir/pypi" | tail -1 | cut -f1) bytes"
  echo "crates.io (cargo fetch closure of):"; printf '  %s\n' "${crates[@]}"
  echo "npm (with dependencies):"; printf '  %s\n' "${npm_packages[@]}"
  echo "PyPI sdists:"; printf '  %s\n' "${pypi_packages[@]}"
} >"$dir/MANIFEST.txt"
head -5 "$dir/MANIFEST.txt" >&2
