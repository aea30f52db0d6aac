#!/bin/sh
# scan-shard.sh LIST K/N OUT [HISTORY-OPTION ...]
#
# One shard of an organisation-wide scan: the script that both the Kubernetes Indexed Job
# (deploy/kubernetes/) and the GitHub Actions matrix (deploy/github/org-scan.yml) run, so
# that one tested script does the work whatever the engine. See deploy/README.md.
#
# 1. `leakward shard LIST K/N` says which repositories of LIST this shard owns. LIST has one
#    repository per line, `name=URL` (or a bare URL or path, which is then its name); `#`
#    comments. leakward never touches the network: this script fetches.
# 2. Each owned repository is cloned with `git clone --mirror` (every ref: branches, tags,
#    pull-request heads) into WORK, or fetched if WORK already holds its mirror from an
#    earlier run. No checkout, so no filter or LFS download runs for a scanned repository.
# 3. `leakward history --repos` scans the mirrors under their names from LIST, so findings
#    and coverage records carry the name, whichever machine cloned them, and writes OUT
#    (JSON Lines). A repository that could not be cloned stays in the list, under a path
#    named could-not-fetch/: leakward records it as incomplete with that path in the reason,
#    so the merged report says it was not scanned.
# Options after K/N and OUT go to `leakward history` (--max-repo-time 20m, --cache DIR, ...).
#
# Environment:
#   LEAKWARD                 the leakward binary (default: leakward on PATH)
#   LEAKWARD_WORK            where mirrors go; kept between runs if set (default: a temporary
#                            directory, removed at exit)
#   LEAKWARD_GIT_TOKEN_FILE  a file holding an HTTPS token (a mounted Kubernetes Secret), or
#   LEAKWARD_GIT_TOKEN       the token itself (a CI secret). Git gets it from a GIT_ASKPASS
#                            helper at run time: it never appears in a URL, argv or the list.
#   LEAKWARD_GIT_USER        the user name sent with the token (default x-access-token, as
#                            GitHub App and fine-grained tokens expect)
#   LEAKWARD_CLONE_ATTEMPTS  tries per repository before it is left unscanned (default 3)
#
# Exit codes, chosen so that an engine retries only what a retry can fix:
#   0   OUT is written and whole (it ends with leakward's end record), whatever it found.
#       Findings that block (leakward's 1) and incomplete repositories (leakward's 2) are in
#       OUT and are judged once, by `leakward merge`, whose exit code is the run's verdict.
#   2   no report: leakward refused its input (bad list, bad config, unwritable OUT). The
#       same input fails the same way, so the Kubernetes Job fails at once (podFailurePolicy).
#   64  this script was called wrongly.
#   130 interrupted (SIGTERM, as on eviction; SIGINT, SIGHUP): worth a retry.
#   other: something else failed (git missing, disk full): worth a retry.
set -eu

usage() {
    echo "usage: scan-shard.sh LIST K/N OUT [HISTORY-OPTION ...]" >&2
    exit 64
}
[ $# -ge 3 ] || usage
list=$1 shard=$2 out=$3
shift 3
case $shard in
*/*) ;; # leakward checks K and N
*) usage ;;
esac
leakward=${LEAKWARD:-leakward}
attempts=${LEAKWARD_CLONE_ATTEMPTS:-3}

if [ -n "${LEAKWARD_WORK:-}" ]; then
    work=$LEAKWARD_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/leakward-shard.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
# A signal ends the shard as an interruption (and still runs the EXIT trap): 130, retried.
trap 'exit 130' INT TERM HUP
# Absolute paths: leakward reads the local list's paths as written.
work=$(cd "$work" && pwd)
mkdir -p "$work/repos"

# Never prompt: a repository that wants credentials it does not get fails, and is recorded.
GIT_TERMINAL_PROMPT=0
export GIT_TERMINAL_PROMPT
if [ -n "${LEAKWARD_GIT_TOKEN_FILE:-}" ] || [ -n "${LEAKWARD_GIT_TOKEN:-}" ]; then
    # The helper reads the token when git asks for it; the token is never written here.
    cat >"$work/askpass" <<'EOF'
#!/bin/sh
case $1 in
Username*) printf '%s\n' "${LEAKWARD_GIT_USER:-x-access-token}" ;;
*) if [ -n "${LEAKWARD_GIT_TOKEN_FILE:-}" ]; then head -n 1 "$LEAKWARD_GIT_TOKEN_FILE"; else printf '%s\n' "$LEAKWARD_GIT_TOKEN"; fi ;;
esac
EOF
    chmod 700 "$work/askpass"
    GIT_ASKPASS=$work/askpass
    export GIT_ASKPASS
fi

owned=$work/owned.txt
local_list=$work/local.txt
if ! "$leakward" shard "$list" "$shard" >"$owned"; then
    exit 2 # leakward said why: the list or K/N is bad, and stays bad on a retry
fi

# Brings one mirror up to date; false if every attempt failed. Git's standard input is
# /dev/null, so that nothing it starts can read the remaining lines of the loop's list.
fetch() {
    source=$1 dest=$2 try=1
    while :; do
        rm -rf "$dest.part" # an interrupted run's half clone
        if [ -d "$dest" ]; then
            git --git-dir="$dest" remote update --prune </dev/null >/dev/null && return 0
        elif git clone --mirror --quiet -- "$source" "$dest.part" </dev/null; then
            mv "$dest.part" "$dest" && return 0
        fi
        rm -rf "$dest.part"
        [ "$try" -lt "$attempts" ] || return 1
        sleep $((try * 5))
        try=$((try + 1))
    done
}

: >"$local_list"
count=0
while IFS= read -r line; do
    case $line in
    *=*) # name=source, trimmed as leakward trims them
        name=$(printf '%s' "${line%%=*}" | sed 's/[[:space:]]*$//')
        source=$(printf '%s' "${line#*=}" | sed 's/^[[:space:]]*//') ;;
    *) name=$(printf '%s' "$line" | sed 's:/*$::') source=$line ;;
    esac
    # A directory name of its own per repository: readable, and unique by the checksum.
    sum=$(printf '%s' "$name" | cksum | cut -d ' ' -f 1)
    dest=$work/repos/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_' | cut -c 1-80)-$sum.git
    if ! fetch "$source" "$dest"; then
        echo "scan-shard: cannot fetch $name; it is reported as not scanned" >&2
        rm -rf "$dest" # a stale mirror must not pass for today's repository
        # A path that never exists, whose name says why: it is the reason leakward records.
        dest=$work/could-not-fetch/${dest##*/}
    fi
    printf '%s=%s\n' "$name" "$dest" >>"$local_list"
    count=$((count + 1))
done <"$owned"

rm -f "$out"
repos=$local_list
if [ "$count" -eq 0 ]; then
    # This shard owns nothing (more shards than repositories). LIST itself, with --shard,
    # selects nothing either, and gives a whole report of no repository for merge to read.
    echo "scan-shard: shard $shard owns no repository of $list" >&2
    repos=$list
fi
status=0
# --shard again: the local list keeps LIST's names, so it selects every line (a cross-check).
"$leakward" history --repos "$repos" --shard "$shard" -f jsonl -o "$out" "$@" || status=$?

case $status in
0 | 1 | 2)
    # Written and whole: the last record is leakward's end record.
    if [ -f "$out" ] && tail -n 1 "$out" | grep -q '"kind":"end"'; then
        covered=$(grep -c '"kind":"coverage"' "$out" || true)
        if [ "$covered" -ne "$count" ]; then
            echo "scan-shard: $out covers $covered repositories of the $count shard $shard owns" >&2
            exit 2
        fi
        echo "scan-shard: shard $shard: $count repositories, leakward exit $status; merge judges" >&2
        exit 0
    fi
    exit 2 # leakward wrote no report and said why
    ;;
*) exit "$status" ;;
esac
