"""What the schema validators cannot see in deploy/: run by deploy/validate.sh.

1. The shell embedded in YAML (the workflow's `run:` steps, the Jobs' `sh -c` arguments)
   is written out, one file per script, into OUT_DIR for shellcheck. `${{ ... }}`
   expressions become a plain word, as the runner substitutes them before bash runs.
2. The shard count N is written in several places (the Job's `completions` and SHARDS, the
   merge Job's SHARDS, the workflow's SHARDS and matrix); they must agree, or shards would
   be missing from the merge or overlap.

usage: python lint_embedded.py DEPLOY_DIR OUT_DIR; exit 1 with one line per problem.
"""

import pathlib
import re
import sys

import yaml

EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def env_value(container, name):
    for item in container.get("env", []):
        if item.get("name") == name:
            return item.get("value")
    return None


def kubernetes(deploy, scripts):
    """Scripts and shard counts of the manifests."""
    counts = {}
    for path in sorted((deploy / "kubernetes").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") != "Job":
                continue
            name = doc["metadata"]["name"]
            spec = doc["spec"]
            if spec.get("completionMode") == "Indexed":
                counts[f"{path.name}: spec.completions"] = spec.get("completions")
            for container in spec["template"]["spec"]["containers"]:
                shards = env_value(container, "SHARDS")
                if shards is not None:
                    counts[f"{path.name}: {container['name']} env SHARDS"] = int(shards)
                if container.get("command", [])[-1:] == ["-c"]:
                    script = "\n".join(container["args"])
                    scripts.append((f"{name}-{container['name']}.sh", "sh", script))
    return counts


def workflows(deploy, scripts, problems):
    """Scripts and shard counts of the workflows."""
    counts = {}
    for path in sorted((deploy / "github").glob("*.yml")):
        doc = yaml.safe_load(path.read_text())
        shards = (doc.get("env") or {}).get("SHARDS")
        if shards is not None:
            counts[f"{path.name}: env SHARDS"] = int(shards)
        for job_id, job in doc["jobs"].items():
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            if "shard" in matrix:
                values = matrix["shard"]
                if values != list(range(1, len(values) + 1)):
                    problems.append(f"{path.name}: jobs.{job_id}: matrix.shard is not 1..N: {values}")
                counts[f"{path.name}: jobs.{job_id} matrix.shard"] = len(values)
            for number, step in enumerate(job.get("steps", [])):
                if "run" in step:
                    script = EXPRESSION.sub("GITHUB_EXPRESSION", step["run"])
                    # The runner's default: bash -e -o pipefail {0}
                    scripts.append((f"{path.stem}-{job_id}-{number}.sh", "bash", script))
    return counts


def main():
    deploy, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    scripts, problems = [], []
    counts = kubernetes(deploy, scripts)
    if len(set(counts.values())) > 1:
        problems.append(f"the Kubernetes shard counts disagree: {counts}")
    counts = workflows(deploy, scripts, problems)
    if len(set(counts.values())) > 1:
        problems.append(f"the workflow's shard counts disagree: {counts}")
    out.mkdir(parents=True, exist_ok=True)
    for name, shell, script in scripts:
        (out / name).write_text(f"#!/usr/bin/env {shell}\nset -e\n{script}\n")
    for problem in problems:
        print(f"lint_embedded: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
