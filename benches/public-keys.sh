#!/usr/bin/env bash
# Builds src/scan/judge/public_keys.txt: the private keys that published packages already ship
# (test fixtures, documentation, examples), as the SHA-256 of each key's decoded body and
# where it was found. Never the keys themselves. leakward does not report a key on this list
# unless asked (`report_public_keys = true`): it is public key material, not a leak.
#
#   benches/public-keys.sh [DIR...]   # default: the corpus of benches/corpus.sh
#   benches/public-keys.sh ~/corpora/ordinary ~/corpora/keys   # as public_keys.txt was built
#
# Each DIR must hold packages unpacked from the registries (benches/corpus.sh downloads crates.io,
# npm and PyPI packages, pinned, and writes their list to DIR/MANIFEST.txt), so the list can be
# rebuilt and audited by anyone: every entry names the package file that published the key.
# Do not point it at a private repository: a key found there is not public.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
dirs=("$@")
[[ ${#dirs[@]} -gt 0 ]] || dirs=("${LEAKWARD_CORPUS:-$HOME/corpora/ordinary}")
out="$repo/src/scan/judge/public_keys.txt"
for dir in "${dirs[@]}"; do
  [[ -d "$dir" ]] || { echo "public-keys.sh: no such directory: $dir" >&2; exit 2; }
done
if [[ -z "${BIN:-}" ]]; then
  (cd "$repo" && cargo build --release --locked --quiet)
  BIN="$repo/target/release/leakward"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Keys already on the list must be found again, so report them; only the key rule runs.
cat >"$work/config.toml" <<'TOML'
report_public_keys = true
block_test_fixtures = true
TOML
# Each corpus's three parts (see benches/corpus.sh), or DIR itself if it has none: cargo's
# own working copy of the crates under cargo-home would name the same files twice. Paths are
# kept from the corpus's own name on (`ordinary/crates/...`, `keys/pypi/...`).
for dir in "${dirs[@]}"; do
  dir="$(cd "$dir" && pwd)"
  targets=()
  for part in crates npm pypi; do
    if [[ -d "$dir/$part" ]]; then targets+=("$dir/$part"); fi
  done
  [[ ${#targets[@]} -gt 0 ]] || targets=("$dir")
  status=0
  "$BIN" scan "${targets[@]}" --config "$work/config.toml" --no-ignore --show-secrets -f jsonl -q \
    -o "$work/found.jsonl" || status=$?
  if [[ $status -ge 2 ]]; then echo "public-keys.sh: leakward failed on $dir (exit $status)" >&2; exit 2; fi
  jq -c --arg parent "$(dirname "$dir")/" 'select(.rule_id == "private-key")
    | {secret, path: (.path | ltrimstr($parent))}' "$work/found.jsonl"
done |
python3 -c '
import base64, hashlib, json, re, sys

# The same normalisation as pem_body in src/scan/checksum.rs: escaped line breaks become
# real ones, header lines (with a colon) and the OpenPGP checksum line are skipped, each
# line keeps only its payload (its longest run of base64 characters, so comment prefixes,
# quotes and the operators that join string literals drop out), and the payloads are
# decoded together. The digest is of the decoded bytes, so wrapping, indentation, escaping
# and how source code holds the key do not change it.
RUN = re.compile(r"[A-Za-z0-9+/=]+")

def payload(line):
    runs = [r for r in RUN.findall(line) if re.search(r"[A-Za-z0-9]", r)]
    return max(runs, key=len, default="")

def digest(secret):
    text = secret.replace("\\r", "").replace("\\n", "\n")
    body = ""
    for line in (l.strip() for l in text.splitlines()):
        if not line or ":" in line:
            continue
        p = payload(line)
        if len(p) == 5 and p.startswith("="):
            continue
        body += p
    body = body.rstrip("=")
    body += "=" * (-len(body) % 4)
    try:
        der = base64.b64decode(body, validate=True)
    except Exception:
        return None
    return hashlib.sha256(der).hexdigest() if der else None

seen = {}
for line in sys.stdin:
    found = json.loads(line)
    d = digest(found["secret"])
    if d and d not in seen:
        seen[d] = found["path"]
print("# Private keys already published in packages from the registries: the SHA-256 of each")
print("# decoded key body, then the package file that published it. Built by")
print("# benches/public-keys.sh from the packages listed in each corpus MANIFEST.txt; never edit")
print("# by hand, never add a key that is not in a published package.")
for d in sorted(seen):
    print(d, seen[d])
' >"$out"
echo "$(grep -vc '^#' "$out") published private keys listed in $out" >&2
