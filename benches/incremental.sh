#!/usr/bin/env bash
# A nightly rescan with `history --repos --cache DIR`: the cold run against the run after one
# new commit, on a real repository, medians of N rounds, and a check that the cached run
# reports exactly the findings of a run without the cache.
#
#   benches/incremental.sh --repo ~/corpora/curl.git [--bin target/release/leakward] [--runs 3]
#
# The repository is cloned to a temporary work tree (the original is not touched); each
# round starts from an empty cache, scans cold, commits one new file of ordinary text, scans
# again with the cache, and scans once more without it to compare findings.
set -euo pipefail

repo="" bin="target/release/leakward" runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --repo) repo="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        *) echo "usage: $0 --repo DIR [--bin BIN] [--runs N]" >&2; exit 2 ;;
    esac
done
[ -n "$repo" ] || { echo "usage: $0 --repo DIR [--bin BIN] [--runs N]" >&2; exit 2; }
bin="$(realpath "$bin")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/repo"
echo "repo=$work/repo" > "$work/list.txt"
cd "$work"

seconds() { # runs "$@", prints its wall time in seconds
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || [ $? -le 1 ]
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
findings() { grep -c '"fingerprint"' "$1" || true; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=() warm=()
for round in $(seq "$runs"); do
    rm -rf cache
    git -C repo reset -q --hard origin/HEAD
    cold+=("$(seconds "$bin" history --repos list.txt --cache cache -q -f jsonl -o cold.jsonl)")
    seq 1 200 | sed "s/^/nightly line $round /" > repo/NIGHTLY.txt
    git -C repo add NIGHTLY.txt
    git -C repo -c user.name=bench -c user.email=bench@example.com commit -q -m "nightly $round"
    warm+=("$(seconds "$bin" history --repos list.txt --cache cache -q -f jsonl -o warm.jsonl)")
    "$bin" history --repos list.txt -q -f jsonl -o plain.jsonl || [ $? -le 1 ]
    if ! diff <(grep '"fingerprint"' warm.jsonl | sort) <(grep '"fingerprint"' plain.jsonl | sort) >/dev/null; then
        echo "round $round: the cached run's findings differ from a run without the cache" >&2
        exit 1
    fi
done
cached=$(grep -o '"cached":[0-9]*' warm.jsonl | cut -d: -f2)
blobs=$(grep -o '"blobs":[0-9]*' warm.jsonl | cut -d: -f2)
c=$(printf '%s\n' "${cold[@]}" | median)
w=$(printf '%s\n' "${warm[@]}" | median)
echo "repository: $repo ($blobs blobs; $cached of them clean in the cache on the rescan)"
echo "cold run with --cache:      ${c}s (median of $runs: ${cold[*]})"
echo "after one new commit:       ${w}s (median of $runs: ${warm[*]})"
echo "rescan / cold:              $(echo "scale=3; $w / $c" | bc)"
echo "findings: $(findings warm.jsonl) with the cache, $(findings plain.jsonl) without (identical)"
