#!/usr/bin/env python3
"""Whole-process time of `leakward staged` against `git diff --cached -U0`, in one run.

Usage: benches/hook.py REPO BIN [BIN...]
  REPO is a work tree with a change staged (e.g. a curl clone with 50 added lines). Each
  command runs RUNS times, interleaved, so machine load hits every command alike; prints
  medians and the ratio of each binary to git's own diff.
"""
import os
import statistics
import subprocess
import sys
import time

RUNS = 31


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    repo, bins = sys.argv[1], sys.argv[2:]
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    commands = {"git diff --cached -U0": ["git", "diff", "--cached", "-U0", "--quiet"]}
    for bin in bins:
        commands[bin] = [bin, "staged", "--quiet"]
    times = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append((time.perf_counter() - start) * 1000)
    floor = statistics.median(times["git diff --cached -U0"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:40} median {median:7.2f} ms  {median / floor:5.1f}x git diff")


if __name__ == "__main__":
    main()
