#!/usr/bin/env python3
"""Recall and precision by shape: leakward and its peers on the real-shapes corpus.

The corpus is generated fresh by the real-shapes test generator (tests/real_shapes/corpus.rs:
every family's files, with hard negatives beside the secrets, and labels saying which
secrets must block and which must only warn). Each tool scans the same files; a finding
counts for a label when it is in the label's file and starts on the label's lines (a label
whose secret is not contiguous, such as a key split into literals, takes any finding in its
file that is on no other label's line). Places are (file, line) pairs, so a tool that reports
two rules on one line is counted once.

Per family and in total, for every tool:
  recall       labels found at any confidence / labels
  block recall labels that must block, found by a blocking finding / those labels
  precision    reported places on a label's lines / reported places
  block prec.  blocking places on the lines of a label that must block / blocking places
leakward blocks at high confidence; gitleaks, betterleaks and kingfisher fail a run on every
finding, so everything they report counts as blocking.

Usage: python3 benches/shapes.py [--out DIR] [--seed N] [--peers DIR]
  --out DIR    where the corpus and reports go (default ~/.cache/leakward-bench/shapes)
  --seed N     the generator's seed (default: a fresh one, printed)
  --peers DIR  a directory with gitleaks, betterleaks, kingfisher (as peers-install.sh makes)
  LEAKWARD=BIN measures that binary instead of this checkout's release build.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def generate(out: Path, seed):
    env = dict(os.environ, LEAKWARD_SHAPES_OUT=str(out))
    if seed is not None:
        env["LEAKWARD_SHAPES_SEED"] = str(seed)
    run = subprocess.run(
        ["cargo", "test", "--locked", "--quiet", "--test", "real_shapes",
         "write_the_recall_benchmark_corpus", "--", "--ignored", "--nocapture"],
        cwd=HERE, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"the generator failed:\n{run.stdout}\n{run.stderr}")
    for line in run.stderr.splitlines():
        if "LEAKWARD_SHAPES_SEED=" in line:
            print(line.strip(), file=sys.stderr)


def leakward_binary():
    if os.environ.get("LEAKWARD"):
        return os.environ["LEAKWARD"]
    subprocess.run(["cargo", "build", "--locked", "--release", "--quiet"], cwd=HERE, check=True)
    return str(HERE / "target/release/leakward")


def norm(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def run_leakward(binary, files: Path, report: Path):
    with open(report, "w") as out:
        subprocess.run([binary, "scan", ".", "-f", "jsonl", "-q", "--no-ignore"],
                       cwd=files, stdout=out, check=False)
    places = []
    for line in open(report):
        f = json.loads(line)
        if f.get("kind"):
            continue
        places.append((norm(f["path"]), f["line"], f["confidence"] == "high"))
    return places


def run_gitleaks(binary, files: Path, report: Path):
    subprocess.run([binary, "dir", ".", "--no-banner", "-l", "error", "--report-format", "json",
                    "--report-path", str(report), "--exit-code", "0"], cwd=files, check=True,
                   stdout=subprocess.DEVNULL)
    return [(norm(f["File"]), f["StartLine"], True) for f in json.load(open(report))]


def run_betterleaks(binary, files: Path, report: Path):
    subprocess.run([binary, ".", "-s", "--no-banner", "-l", "error", "-o", str(report),
                    "--exit-code", "0"], cwd=files, check=True, stdout=subprocess.DEVNULL)
    data = json.load(open(report))
    findings = data.get("findings", []) if isinstance(data, dict) else data
    return [(norm(f["location"]["path"]), f["location"]["start_line"], True) for f in findings]


def run_kingfisher(binary, files: Path, report: Path):
    subprocess.run([binary, "scan", ".", "--no-validate", "--no-update-check", "-q", "--format",
                    "json", "-o", str(report)], cwd=files, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    findings = json.load(open(report)).get("findings", [])
    return [(norm(f["finding"]["path"]), f["finding"]["line"], True) for f in findings]


def score(labels, places):
    """Per family: [labels, found, must block, blocked, places, true places, blocking, true blocking]."""
    by_file = collections.defaultdict(list)
    for index, label in enumerate(labels):
        by_file[label["file"]].append(index)
    family_of_file = {label["file"]: label["family"] for label in labels}

    def label_of(path, line):
        candidates = by_file.get(path, [])
        for i in candidates:
            lines = labels[i]["lines"]
            if lines and lines[0] <= line <= lines[1]:
                return i
        for i in candidates:
            if labels[i]["lines"] is None:
                return i
        return None

    found, blocked = set(), set()
    rows = collections.defaultdict(lambda: [0] * 8)
    seen = {}
    for path, line, blocking in places:
        key = (path, line)
        seen[key] = seen.get(key, False) or blocking
    for (path, line), blocking in seen.items():
        family = family_of_file.get(path, path.split("/")[0])
        row = rows[family]
        i = label_of(path, line)
        row[4] += 1
        if i is not None:
            row[5] += 1
            found.add(i)
        if blocking:
            row[6] += 1
            if i is not None and labels[i]["must"] == "block":
                row[7] += 1
                blocked.add(i)
    for i, label in enumerate(labels):
        row = rows[label["family"]]
        row[0] += 1
        row[1] += i in found
        if label["must"] == "block":
            row[2] += 1
            row[3] += i in blocked
    return rows


def ratio(a, b):
    return f"{a / b:.3f}" if b else "   - "


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path.home() / ".cache/leakward-bench/shapes"))
    parser.add_argument("--seed", type=int)
    parser.add_argument("--peers")
    args = parser.parse_args()
    out = Path(args.out).expanduser()
    generate(out, args.seed)
    files = out / "files"
    labels = [json.loads(line) for line in open(out / "labels.jsonl")]
    for label in labels:
        label["file"] = label["file"].removeprefix("files/")
    tools = [("leakward", leakward_binary(), run_leakward)]
    if args.peers:
        for name, runner in [("gitleaks", run_gitleaks), ("betterleaks", run_betterleaks),
                             ("kingfisher", run_kingfisher)]:
            binary = Path(args.peers) / "bin" / name
            if not binary.exists():
                binary = Path(args.peers) / name
            if binary.exists():
                tools.append((name, str(binary), runner))
            else:
                print(f"{name}: not installed under {args.peers}, skipped", file=sys.stderr)
    print(f"corpus: {out} ({len(labels)} labelled secrets, "
          f"{sum(1 for l in labels if l['must'] == 'block')} must block)")
    totals = {}
    for name, binary, runner in tools:
        rows = score(labels, runner(binary, files, out / f"{name}.json"))
        print(f"\n{name}")
        print(f"{'family':<22} {'labels':>6} {'recall':>7} {'block':>6} {'b.recall':>8} "
              f"{'places':>6} {'precision':>9} {'blocking':>8} {'b.prec':>7}")
        total = [0] * 8
        for family in sorted(rows):
            r = rows[family]
            total = [a + b for a, b in zip(total, r)]
            print(f"{family:<22} {r[0]:>6} {ratio(r[1], r[0]):>7} {r[2]:>6} {ratio(r[3], r[2]):>8} "
                  f"{r[4]:>6} {ratio(r[5], r[4]):>9} {r[6]:>8} {ratio(r[7], r[6]):>7}")
        r = total
        print(f"{'total':<22} {r[0]:>6} {ratio(r[1], r[0]):>7} {r[2]:>6} {ratio(r[3], r[2]):>8} "
              f"{r[4]:>6} {ratio(r[5], r[4]):>9} {r[6]:>8} {ratio(r[7], r[6]):>7}")
        totals[name] = r
    print("\nsummary: tool, recall, blocking recall, precision, blocking precision")
    for name, r in totals.items():
        print(f"  {name:<12} {ratio(r[1], r[0])}  {ratio(r[3], r[2])}  {ratio(r[5], r[4])}  "
              f"{ratio(r[7], r[6])}")


if __name__ == "__main__":
    main()
