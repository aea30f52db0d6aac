#!/usr/bin/env bash
# Proves a speed change kept the findings: runs two leakward binaries on the same inputs and
# compares their JSONL findings (rule, path, line, column, commit, fingerprint, confidence).
#
# Usage: benches/same_findings.sh OLD_BIN NEW_BIN [DIR_OR_REPO...]
#   Each argument that is a git repository (bare or not) is scanned with `history`, anything
#   else with `scan`. Default inputs: ~/corpora/ordinary/crates and ~/corpora/curl.git.
#   Prints the CPU seconds of each run and exits 1 if any findings differ.
set -euo pipefail

old=${1:?usage: same_findings.sh OLD_BIN NEW_BIN [INPUT...]}
new=${2:?usage: same_findings.sh OLD_BIN NEW_BIN [INPUT...]}
shift 2
inputs=("$@")
[ ${#inputs[@]} -gt 0 ] || inputs=("$HOME/corpora/ordinary/crates" "$HOME/corpora/curl.git")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1

keys() {
    python3 -c '
import json, sys
for line in sys.stdin:
    f = json.loads(line)
    if "fingerprint" not in f:
        print("RECORD", json.dumps(f, sort_keys=True))
        continue
    print(f["rule_id"], f["path"], f["line"], f["column"], f.get("commit"), f["fingerprint"], f["confidence"])
' | sort
}

status=0
for input in "${inputs[@]}"; do
    if git -C "$input" rev-parse --git-dir >/dev/null 2>&1; then
        job=(history --repo "$input" --allow-shallow)
    else
        job=(scan "$input")
    fi
    for which in old new; do
        bin=${!which}
        /usr/bin/time -f "%U %S %e %M" -o "$work/$which.time" \
            "$bin" "${job[@]}" --format jsonl --quiet -o "$work/$which.jsonl" || true
        keys <"$work/$which.jsonl" >"$work/$which.keys"
        read -r user sys wall rss < <(tail -1 "$work/$which.time")
        printf '%-40s %-4s cpu %6.2f s  wall %6.2f s  peak %4d MB  findings %d\n' \
            "$(basename "$input")" "$which" "$(echo "$user + $sys" | bc)" "$wall" \
            $((rss / 1024)) "$(wc -l <"$work/$which.keys")"
    done
    if diff "$work/old.keys" "$work/new.keys" >"$work/diff"; then
        echo "$(basename "$input"): same findings"
    else
        echo "$(basename "$input"): FINDINGS DIFFER" && head -20 "$work/diff"
        status=1
    fi
done
exit $status
