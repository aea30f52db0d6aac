#!/usr/bin/env bash
# Precision benchmark: findings per GB that leakward reports on ordinary published code, which
# holds no live secrets, by confidence and by ecosystem, beside the peers in the same run.
#
# The corpus is built by benches/corpus.sh (crates.io, npm and PyPI sources, pinned, outside the
# repository); its exact size and package list are printed with the figures.
#
#   benches/precision.sh                    # leakward only
#   PEERS=~/peers benches/precision.sh      # and gitleaks, betterleaks, kingfisher from
#                                           # ../shared/bench/peers-install.sh, same corpus
#   BIN=path/to/leakward benches/precision.sh   # measure another build
#
# Every finding (secrets redacted) is left in $CORPUS/leakward-<part>.jsonl for review.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${LEAKWARD_CORPUS:-$HOME/corpora/ordinary}"
top="${TOP:-20}"
parts=(crates npm pypi)

"$repo/benches/corpus.sh" "$corpus"
if [[ -z "${BIN:-}" ]]; then
  echo "== building the release binary" >&2
  (cd "$repo" && cargo build --release --locked --quiet)
  BIN="$repo/target/release/leakward"
fi

bytes_of() { du -sb "$corpus/$1" | cut -f1; }
per_gb() { awk -v n="$1" -v b="$2" 'BEGIN { printf "%.2f", n / (b / 1e9) }'; }

echo
echo "corpus $corpus ($(grep '^total' "$corpus/MANIFEST.txt")); package list: $corpus/MANIFEST.txt"
echo "leakward $("$BIN" --version | cut -d' ' -f2)"
printf '%-8s %8s %7s %9s %9s %9s %9s %9s\n' part GB secs 'all/GB' 'high/GB' 'med/GB' 'low/GB' 'block/GB'
total_bytes=0
for part in "${parts[@]}"; do
  b=$(bytes_of "$part")
  total_bytes=$((total_bytes + b))
  out="$corpus/leakward-$part.jsonl"
  start=$(date +%s.%N)
  status=0
  # --no-ignore: the sources hold .gitignore files that would hide parts of them.
  "$BIN" scan "$corpus/$part" --no-ignore -f jsonl -o "$out" -q || status=$?
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  if [[ $status -ge 2 ]]; then echo "leakward failed on $part (exit $status)" >&2; exit 2; fi
  jq -rs --arg part "$part" --argjson b "$b" --arg secs "$secs" '
    def pg(n): (n / ($b / 1e9) * 100 | round) / 100;
    [ $part, ($b / 1e9 * 100 | round / 100), ($secs | tonumber * 10 | round / 10), pg(length),
      pg(map(select(.confidence == "high")) | length), pg(map(select(.confidence == "medium")) | length),
      pg(map(select(.confidence == "low")) | length), pg(map(select(.blocking)) | length) ]
    | @tsv' "$out" | awk -F'\t' '{ printf "%-8s %8s %7s %9s %9s %9s %9s %9s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
done
all="$corpus/leakward-all.jsonl"
for part in "${parts[@]}"; do cat "$corpus/leakward-$part.jsonl"; done >"$all"
jq -rs --argjson b "$total_bytes" '
  def pg(n): (n / ($b / 1e9) * 100 | round) / 100;
  "total    \($b / 1e9 * 100 | round / 100) GB: \(length) findings (\(pg(length))/GB); high \(pg(map(select(.confidence == "high")) | length))/GB, medium \(pg(map(select(.confidence == "medium")) | length))/GB, low \(pg(map(select(.confidence == "low")) | length))/GB; blocking \(map(select(.blocking)) | length) (\(pg(map(select(.blocking)) | length))/GB)"' "$all"
echo "the $top noisiest rules (count, rule, confidence, one redacted example):"
jq -rs --argjson top "$top" '
  group_by(.rule_id + " " + .confidence)
  | map({n: length, k: (.[0].rule_id + " (" + .[0].confidence + ")"),
         ex: ((.[0].path | sub(".*/corpora/ordinary/"; "")) + ":" + (.[0].line | tostring) + ": " + (.[0].line_text | .[0:100]))})
  | sort_by(-.n) | .[:$top][] | "  \(.n)\t\(.k)\n\t\t\(.ex)"' "$all"

[[ -n "${PEERS:-}" ]] || exit 0
echo
echo "peers on the same corpus (findings per GB; each counts what it reports, at any confidence):"
printf '%-12s %-8s %8s %9s\n' peer part secs 'all/GB'
for part in "${parts[@]}"; do
  b=$(bytes_of "$part")
  for peer in gitleaks betterleaks kingfisher; do
    out="$corpus/$peer-$part.json"
    start=$(date +%s.%N)
    case $peer in
      gitleaks) "$PEERS/bin/gitleaks" dir "$corpus/$part" --no-banner --exit-code 0 --redact \
                  -f json -r "$out" -l error ;;
      betterleaks) "$PEERS/bin/betterleaks" "$corpus/$part" --no-banner --exit-code 0 --redact \
                  -o "$out" -l error ;;
      kingfisher) "$PEERS/bin/kingfisher" scan "$corpus/$part" -n --git-history none --no-update-check --redact \
                  --format jsonl -o "$out" >/dev/null 2>&1 || true ;;
    esac
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    case $peer in
      kingfisher) n=$(grep -c '"finding"' "$out" || true) ;;
      betterleaks) n=$(jq '.findings | length' "$out") ;;
      *) n=$(jq length "$out") ;;
    esac
    printf '%-12s %-8s %8.1f %9s\n' "$peer" "$part" "$secs" "$(per_gb "$n" "$b")"
  done
done
