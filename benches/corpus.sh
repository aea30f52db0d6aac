#!/usr/bin/env bash
# Builds the ordinary-code corpus for the precision benchmark, outside the repository: published
# sources from three registries (crates.io, npm, PyPI sdists), unpacked, about 2.5-3 GB.
#
#   benches/corpus.sh [DIR]     # default ~/corpora/ordinary; reuses what is already there
#
# Each part is pinned so the corpus can be rebuilt; its exact size and package list are written to
# DIR/MANIFEST.txt, which benches/precision.sh prints beside its figures.
set -euo pipefail
dir="${1:-${LEAKWARD_CORPUS:-$HOME/corpora/ordinary}}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# crates.io: a throwaway manifest of heavy, widely used crates; `cargo fetch` into a private
# CARGO_HOME so the corpus is exactly their dependency closure, then the unpacked sources.
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
  for part in crates npm pypi; do
    echo "$part: $(du -sb "$dir/$part" | cut -f1) bytes, $(find "$dir/$part" -type f | wc -l) files"
  done
  echo "total: $(du -scb "$dir/crates" "$dir/npm" "$dir/pypi" | tail -1 | cut -f1) bytes"
  echo "crates.io (cargo fetch closure of):"; printf '  %s\n' "${crates[@]}"
  echo "npm (with dependencies):"; printf '  %s\n' "${npm_packages[@]}"
  echo "PyPI sdists:"; printf '  %s\n' "${pypi_packages[@]}"
} >"$dir/MANIFEST.txt"
head -5 "$dir/MANIFEST.txt" >&2
