#!/usr/bin/env bash
# An organisation on one machine: 50+ repositories (bare clones of real ones and generated
# ones) scanned with `history --repos` as 1, 2 and 4 shards, each shard a process of its
# own as a CI matrix or an indexed Job would run it, all shards of a configuration at once,
# then merged. Prints wall time, repositories per minute and GB of unique blob bytes per
# minute for each configuration, and checks that every configuration covers each
# repository exactly once and finds the same (repository, fingerprint) pairs.
#
#   benches/org.sh [--bin target/release/leakward] [--real ~/corpora/curl.git ...]
#                  [--generated 50] [--keep DIR]
#
# Generated repositories come from benches/make_history_repo.py (2000 commits each, seeded
# by their index). With --keep DIR the repositories are built there and kept for reruns.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bin="target/release/leakward" generated=50 keep="" real=()
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2"; shift 2 ;;
        --real) real+=("$2"); shift 2 ;;
        --generated) generated="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        *) echo "usage: $0 [--bin BIN] [--real REPO]... [--generated N] [--keep DIR]" >&2; exit 2 ;;
    esac
done
bin="$(realpath "$bin")"
if [ -n "$keep" ]; then
    mkdir -p "$keep"; org="$(realpath "$keep")"
else
    org="$(mktemp -d)"; trap 'rm -rf "$org"' EXIT
fi
: > "$org/repos.txt"
for r in "${real[@]}"; do
    name="$(basename "$r" .git)"
    [ -d "$org/$name.git" ] || git clone -q --bare --no-local "$r" "$org/$name.git"
    echo "$name=$org/$name.git" >> "$org/repos.txt"
done
for i in $(seq 1 "$generated"); do
    dir="$org/gen-$i.git"
    if [ ! -d "$dir" ]; then
        python3 "$here/make_history_repo.py" "$dir" --commits 2000 --files 200 --secrets 4 --seed "$i" >/dev/null
    fi
    echo "gen-$i=$dir" >> "$org/repos.txt"
done
count=$(grep -c . "$org/repos.txt")
cd "$org"

pairs() { grep '"fingerprint"' "$1" | python3 -c '
import json, sys
for line in sys.stdin:
    f = json.loads(line)
    print(f["repository"], f["fingerprint"])' | sort -u; }

echo "repositories: $count (${real[*]:-no real ones} and $generated generated); $(nproc) cores"
printf '%-8s %10s %12s %12s %10s\n' shards wall_s repos/min GB/min findings
reference=""
for n in 1 2 4; do
    rm -f shard-*.jsonl
    start=$(date +%s.%N)
    threads=$(( $(nproc) / n )); [ "$threads" -ge 1 ] || threads=1
    pids=()
    for k in $(seq 1 "$n"); do
        "$bin" history --repos repos.txt --shard "$k/$n" -j "$threads" -q -f jsonl -o "shard-$k.jsonl" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || [ $? -le 1 ]; done
    "$bin" merge -q -f jsonl -o "merged-$n.jsonl" shard-*.jsonl || [ $? -le 1 ]
    end=$(date +%s.%N)
    wall=$(echo "$end - $start" | bc)
    covered=$(grep -c '"kind":"coverage"' "merged-$n.jsonl")
    [ "$covered" -eq "$count" ] || { echo "$n shards covered $covered of $count repositories" >&2; exit 1; }
    bytes=$(grep -o '"bytes":[0-9]*' "merged-$n.jsonl" | cut -d: -f2 | paste -sd+ | bc)
    pairs "merged-$n.jsonl" > "pairs-$n.txt"
    if [ -z "$reference" ]; then reference="pairs-$n.txt"
    elif ! cmp -s "$reference" "pairs-$n.txt"; then
        echo "$n shards found other (repository, fingerprint) pairs than 1 shard" >&2; exit 1
    fi
    printf '%-8s %10.1f %12.1f %12.2f %10s\n' "$n" "$wall" \
        "$(echo "$count * 60 / $wall" | bc -l)" \
        "$(echo "$bytes / 1000000000 * 60 / $wall" | bc -l)" \
        "$(wc -l < "pairs-$n.txt")"
done
