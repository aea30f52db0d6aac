#!/usr/bin/env bash
# History-scan benchmark: leakward against the `git cat-file --batch-all-objects --batch` floor
# (decompress every object once) and any peer scanners that install, in the same run: on a
# real repository (`--repo`, the claim) or on one synthetic long-history repository.
#
# Usage: bash benches/history.sh [--repo DIR] [--baseline BIN] [--runs N] [--warmup N]
#        [--no-peers] [--file-kb N] [--commits N] [--files N] [--fresh-kb N]
#
# --repo DIR measures a real repository, e.g. a bare `git clone --bare --no-local` of curl or
# git/git made outside the checkout (fetch them first; nothing here touches the network).
# Without it, a synthetic repository is generated once by benches/make_history_repo.py and
# cached in $LEAKWARD_BENCH_DIR (default ~/.cache/leakward-bench); synthetic figures are for
# regressions, not claims. --baseline BIN measures another leakward binary (e.g. a build of
# main) beside this checkout's, in the same run. Peers come from $PEERS_DIR/bin (default
# $LEAKWARD_BENCH_DIR/peers, installed by /work/shared/bench/peers-install.sh when present).
# Needs git, cargo and hyperfine (`cargo install hyperfine`). Prints, per tool: median wall
# time, ratio to the floor, MB of unique blob content per second, and peak RSS (from
# /usr/bin/time -v around each run; the median of the runs is shown). `leakward audit`
# (every object, reachable or not) is measured alongside.
#
# Two floors: `git cat-file --batch-all-objects --batch` as the issue defines it (objects in
# hash order, so deep delta chains are decoded again and again), and the same with
# `--unordered` (pack order, each base decoded once): the stricter yardstick.
set -euo pipefail

FILE_KB=8
COMMITS=40000
FILES=2000
FRESH_KB=0
RUNS=3
WARMUP=1
PEERS_WANTED=1
REAL_REPO=
BASELINE=
while [ $# -gt 0 ]; do
  case "$1" in
    --file-kb) FILE_KB=$2; shift 2 ;;
    --commits) COMMITS=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --fresh-kb) FRESH_KB=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --no-peers) PEERS_WANTED=0; shift ;;
    --repo) REAL_REPO=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

HERE=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${LEAKWARD_BENCH_DIR:-$HOME/.cache/leakward-bench}
REPO="$CACHE/history-${COMMITS}c-${FILES}f-${FILE_KB}kb"
[ "$FRESH_KB" = 0 ] || REPO="$REPO-fresh${FRESH_KB}kb"
OUT="$CACHE/results"
mkdir -p "$CACHE" "$OUT"

if [ -n "$REAL_REPO" ]; then
  REPO=$(cd "$REAL_REPO" && pwd)
elif [ ! -d "$REPO/.git" ]; then
  echo "generating $REPO (once)..." >&2
  python3 "$HERE/benches/make_history_repo.py" "$REPO" \
    --commits "$COMMITS" --files "$FILES" --file-kb "$FILE_KB" --fresh-kb "$FRESH_KB"
fi

(cd "$HERE" && cargo build --release --quiet)
LEAKWARD="$HERE/target/release/leakward"

if [ "$PEERS_WANTED" = 1 ] && [ -z "${PEERS_DIR:-}" ] && [ -f /work/shared/bench/peers-install.sh ] &&
  [ ! -d "$CACHE/peers/bin" ]; then
  (cd "$CACHE" && bash /work/shared/bench/peers-install.sh "$CACHE/peers" >&2) ||
    echo "peers did not install; measuring leakward and the floor only" >&2
fi
PEERS="${PEERS_DIR:-$CACHE/peers}/bin"
[ "$PEERS_WANTED" = 1 ] || PEERS=/nonexistent

# Unique blob content: the denominator of MB/s, the same for every tool.
BLOB_BYTES=$(git -C "$REPO" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
  awk '$1 == "blob" { s += $2 } END { printf "%.0f\n", s }')
echo "repository: $REPO" >&2
echo "unique blob content: $((BLOB_BYTES / 1048576)) MiB" >&2

declare -a NAMES CMDS
add() { NAMES+=("$1"); CMDS+=("$2"); }
add floor "git -C '$REPO' cat-file --batch-all-objects --batch > /dev/null"
add floor-unordered "git -C '$REPO' cat-file --batch-all-objects --batch --unordered > /dev/null"
add leakward "'$LEAKWARD' history --repo '$REPO' -q -f json -o /dev/null || [ \$? -eq 1 ]"
add leakward-audit "'$LEAKWARD' audit '$REPO' -q -f json -o /dev/null || [ \$? -eq 1 ]"
if [ -n "$BASELINE" ]; then
  add baseline "'$BASELINE' history --repo '$REPO' -q -f json -o /dev/null || [ \$? -eq 1 ]"
  add baseline-audit "'$BASELINE' audit '$REPO' -q -f json -o /dev/null || [ \$? -eq 1 ]"
fi
if [ -x "$PEERS/gitleaks" ]; then
  add gitleaks "'$PEERS/gitleaks' git '$REPO' --no-banner --log-level error --report-format json --report-path '$OUT/report.json' --exit-code 0"
fi
if [ -x "$PEERS/betterleaks" ]; then
  add betterleaks "'$PEERS/betterleaks' git '$REPO' --no-banner --log-level error -o '$OUT/report.json' --exit-code 0"
fi
if [ -x "$PEERS/kingfisher" ]; then
  add kingfisher "'$PEERS/kingfisher' scan '$REPO' --git-history full --no-validate --no-update-check -q --format json -o '$OUT/report.json' || true"
  add kingfisher-turbo "'$PEERS/kingfisher' scan '$REPO' --git-history full --turbo --no-validate --no-update-check -q --format json -o '$OUT/report.json' || true"
fi

ARGS=()
for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]}
  cmd=${CMDS[$i]//\$/\\\$}
  rm -f "$OUT/time-$name.txt"
  timed="/usr/bin/time -v -a -o '$OUT/time-$name.txt' sh -c \"$cmd\""
  ARGS+=(-n "$name" "$timed")
done
hyperfine -i --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/history.json" "${ARGS[@]}" >&2

echo
printf '%-16s %10s %8s %10s %10s %12s\n' tool median_s x_floor x_unord MB/s peak_RSS_MB
for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]}
  # Median over the warm-up and timed runs (time -a appends one block per run).
  rss_kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$OUT/time-$name.txt" |
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  python3 - "$OUT/history.json" "$name" "$BLOB_BYTES" "${rss_kb:-0}" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
name, blob_bytes, rss_kb = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
median, floor = results[name]["median"], results["floor"]["median"]
unordered = results["floor-unordered"]["median"]
print(f"{name:<16} {median:10.2f} {median / floor:8.2f} {median / unordered:10.2f} "
      f"{blob_bytes / 1e6 / median:10.1f} {rss_kb / 1024:12.0f}")
EOF
done
