#!/usr/bin/env bash
# Latency of the pre-commit scan: `leakward staged` with a 50-line staged change in a
# repository of 40,000 commits, against `git diff --cached` (the floor: git reading the same
# index and tree, without scanning) and, when installed, gitleaks and betterleaks.
#
# Usage: benches/staged.sh [CACHE_DIR]
#   CACHE_DIR (default: $TMPDIR or /tmp, then leakward-bench) keeps the generated repository
#   between runs, outside this repository. Peers are used if CACHE_DIR/peers/bin holds them:
#   install them with `bash ../shared/bench/peers-install.sh CACHE_DIR/peers` from outside
#   the repository. Needs hyperfine and a release build (`cargo build --release`).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-${TMPDIR:-/tmp}/leakward-bench}
repo=$cache/history-40k
peers=$cache/peers/bin
bin=$here/target/release/leakward
results=$cache/staged-results.json

[ -x "$bin" ] || { echo "no release build at $bin: run cargo build --release" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 2; }
mkdir -p "$cache"
if [ ! -d "$repo" ]; then
    rm -rf "$repo.tmp"
    python3 "$here/benches/make_history_repo.py" "$repo.tmp" --commits 40000 --files 2000 --file-kb 2
    mv "$repo.tmp" "$repo"
fi
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1

# A fresh 50-line change on every run: 25 lines appended to one existing file and a new
# 25-line file, staged. No secret in it, so every tool does the whole job and exits 0.
cd "$repo"
git reset -q --hard HEAD
git clean -qfd
target=$(git ls-files 'src/*.rs' | sed -n 1000p)
for i in $(seq 1 25); do echo "    let staged_$i = compute($i) + offset_$i; // bench"; done >> "$target"
for i in $(seq 1 25); do echo "fn staged_fn_$i(x: usize) -> usize { x * $i + 1 }"; done > src/bench_staged.rs
git add "$target" src/bench_staged.rs
echo "repository: $repo ($(git rev-list --all --count) commits, $(git ls-files | wc -l) files)"
echo "staged: $(git diff --cached --numstat | awk '{a += $1} END {print a}') added lines in $(git diff --cached --name-only | wc -l) files"
"$bin" staged --quiet >/dev/null

commands=("$bin staged --quiet" "git --no-pager diff --cached")
names=("leakward staged" "git diff --cached")
if [ -x "$peers/gitleaks" ]; then
    commands+=("$peers/gitleaks git --staged --no-banner --log-level error .")
    names+=("gitleaks git --staged")
fi
if [ -x "$peers/betterleaks" ]; then
    commands+=("$peers/betterleaks git --staged --no-banner --log-level error .")
    names+=("betterleaks git --staged")
fi
args=()
for i in "${!commands[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
hyperfine -N --warmup 3 --runs 30 --ignore-failure --export-json "$results" "${args[@]}"

python3 - "$results" <<'PY'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["results"]
medians = {r["command"]: statistics.median(r["times"]) * 1000 for r in runs}
base = medians["leakward staged"]
print(f"\n{'command':28} {'median ms':>10} {'vs leakward':>12}")
for name, ms in medians.items():
    print(f"{name:28} {ms:10.2f} {ms / base:11.2f}x")
PY
git reset -q --hard HEAD
git clean -qfd
