#!/usr/bin/env bash
# Precision benchmark: how many findings leakward reports on ordinary code that holds no live
# secrets, per GB, in total and at high confidence.
#
# The corpus is the cargo registry sources (~/.cargo/registry/src, filled by building this
# crate) plus pinned npm and PyPI packages installed into a scratch directory outside the
# repository. It is assembled once and reused; delete it (or set LEAKWARD_CORPUS) to rebuild.
#
#   benches/precision.sh                 # build, assemble the corpus if needed, scan, summarise
#   TOP=40 benches/precision.sh          # show more rules in the summary
#
# The full findings (with secrets, for review) are left in $CORPUS/findings.jsonl.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${LEAKWARD_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/leakward-precision}"
cargo_src="${CARGO_HOME:-$HOME/.cargo}/registry/src"
top="${TOP:-25}"

# Top-level versions are pinned; npm resolves their dependencies within the pinned ranges.
npm_packages=(
  typescript@5.4.5 react@18.3.1 react-dom@18.3.1 next@14.2.3 lodash@4.17.21 moment@2.30.1
  rxjs@7.8.1 eslint@8.57.0 jest@29.7.0 webpack@5.91.0 @babel/core@7.24.5 aws-sdk@2.1620.0
  googleapis@137.1.0 firebase@10.12.0 stripe@15.5.0 prettier@3.2.5 vue@3.4.27 three@0.164.1
  axios@1.7.2 express@4.19.2 mongoose@8.4.0 @mui/material@5.15.18 monaco-editor@0.48.0
  chart.js@4.4.3 d3@7.9.0 @angular/core@17.3.0 svelte@4.2.17 openai@4.47.1 twilio@5.1.0
  @octokit/rest@20.1.1 date-fns@3.6.0 bootstrap@5.3.3 jquery@3.7.1
  @fortawesome/fontawesome-free@6.5.2 tailwindcss@3.4.3 highlight.js@11.9.0
)
# Installed without dependencies, so the set is exactly this list.
pypi_packages=(
  boto3==1.34.110 botocore==1.34.110 django==5.0.6 sympy==1.12 transformers==4.41.0
  numpy==1.26.4 pandas==2.2.2 kubernetes==29.0.0 google-api-python-client==2.129.0
  twilio==9.0.5 stripe==9.6.0 openai==1.30.1 sqlalchemy==2.0.30 pygments==2.18.0
  babel==2.15.0 faker==25.2.0 hypothesis==6.102.4 pytest==8.2.1 requests==2.32.2
  cryptography==42.0.7 paramiko==3.4.0 ansible-core==2.17.0 azure-mgmt-network==25.4.0
  matplotlib==3.9.0 setuptools==70.0.0 pip==24.0 flask==3.0.3 jinja2==3.1.4 werkzeug==3.0.3
  tornado==6.4
)

echo "== building the release binary" >&2
(cd "$repo" && cargo build --release --locked --quiet)
bin="$repo/target/release/leakward"

mkdir -p "$corpus"
if [[ ! -e "$corpus/.npm-done" ]]; then
  echo "== installing npm packages into $corpus/npm" >&2
  rm -rf "$corpus/npm"
  mkdir -p "$corpus/npm"
  npm install --prefix "$corpus/npm" --no-audit --no-fund --ignore-scripts --loglevel=error \
    "${npm_packages[@]}" >&2
  # The catalog allows **/node_modules/** by default; move the tree so its code is scanned.
  mv "$corpus/npm/node_modules" "$corpus/npm/packages"
  touch "$corpus/.npm-done"
fi
if [[ ! -e "$corpus/.pypi-done" ]]; then
  echo "== installing PyPI packages into $corpus/pypi" >&2
  rm -rf "$corpus/pypi"
  python3 -m pip install --quiet --no-deps --only-binary=:all: --no-compile \
    --target "$corpus/pypi" "${pypi_packages[@]}" >&2
  touch "$corpus/.pypi-done"
fi

dirs=("$corpus/npm" "$corpus/pypi")
[[ -d "$cargo_src" ]] && dirs+=("$cargo_src")

bytes=$(du -scb "${dirs[@]}" | tail -1 | cut -f1)
echo "== scanning ${dirs[*]}" >&2
start=$(date +%s.%N)
status=0
"$bin" scan "${dirs[@]}" --no-ignore --show-secrets -f jsonl -o "$corpus/findings.jsonl" \
  2>"$corpus/summary.txt" || status=$?
end=$(date +%s.%N)
if [[ $status -ge 2 ]]; then
  echo "scan failed (exit $status):" >&2
  cat "$corpus/summary.txt" >&2
  exit 2
fi

jq -rs --argjson bytes "$bytes" --arg secs "$(echo "$end - $start" | bc)" --argjson top "$top" '
  def per_gb(n): (n / ($bytes / 1e9) * 100 | round) / 100;
  (map(select(.confidence == "high")) | length) as $high
  | "corpus:        \($bytes / 1e9 * 100 | round / 100) GB (on disk, all files)",
    "scan time:     \($secs | tonumber * 10 | round / 10) s",
    "findings:      \(length) (\(per_gb(length)) per GB)",
    "high:          \($high) (\(per_gb($high)) per GB)",
    "medium:        \(map(select(.confidence == "medium")) | length)",
    "low:           \(map(select(.confidence == "low")) | length)",
    "top rules:",
    (group_by(.rule_id + " " + .confidence) | map({k: (.[0].rule_id + " (" + .[0].confidence + ")"), n: length})
     | sort_by(-.n) | .[:$top][] | "  \(.n)\t\(.k)")
' "$corpus/findings.jsonl"
echo "scanner: $(head -1 "$corpus/summary.txt" | sed 's/^leakward: //')"
echo "review: jq 'select(.confidence==\"high\")' $corpus/findings.jsonl"
