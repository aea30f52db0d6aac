#!/usr/bin/env python3
"""Generates a synthetic git repository with a long history, for leakward's benchmarks.

Usage: python3 benches/make_history_repo.py OUT_DIR [--commits 40000] [--files 2000]
       [--file-kb 8] [--edits 2] [--fresh-kb 0] [--secrets 50] [--seed 1]

Each commit edits a few files of code-like text (rewrites some lines, appends others), so the
repository has many unique blobs that delta well, as real ones do. With `--fresh-kb N`, each
commit also adds a new file of N KB of fresh lines, which deltas poorly: a repository whose
unique content is mostly stored whole, where decompressing is cheap and scanning dominates. `--secrets` fake tokens
(GitHub classic tokens with valid CRC32 tails, AWS key ids) are committed along the way and
half of them are removed again later, so history scans have something to find. A few side
branches, merges and tags are made too. Everything goes through `git fast-import`; the result
is repacked once (unless `--fresh-kb`). Deterministic for a given seed.
"""
import argparse
import os
import random
import subprocess
import sys
import zlib

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
WORDS = ("value count index buffer result config handler request response client server "
         "parse render update create delete items offset length header payload context "
         "session stream reader writer builder factory manager service adapter").split()


def github_token(rng):
    body = "".join(rng.choice(BASE62) for _ in range(30))
    crc = zlib.crc32(body.encode())
    tail = ""
    for _ in range(6):
        tail = BASE62[crc % 62] + tail
        crc //= 62
    return "ghp_" + body + tail


def aws_key_id(rng):
    return "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


def code_line(rng):
    kind = rng.randrange(6)
    a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
    n = rng.randrange(1000)
    if kind == 0:
        return f"    let {a}_{b} = {c}.{a}({n});"
    if kind == 1:
        return f"    if {a}.{b}() > {n} {{ return {c}; }}"
    if kind == 2:
        return f"    // {a} the {b} before {c}"
    if kind == 3:
        return f"fn {a}_{b}({c}: &str) -> usize {{ {c}.len() + {n} }}"
    if kind == 4:
        return f'    log::debug!("{a} {b} {{}}", {c});'
    return f"    {a}.push({b}_{c}[{n % 17}]);"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--commits", type=int, default=40000)
    p.add_argument("--files", type=int, default=2000)
    p.add_argument("--file-kb", type=float, default=8.0)
    p.add_argument("--edits", type=int, default=2, help="files changed per commit")
    p.add_argument("--fresh-kb", type=float, default=0.0, help="KB of new content per commit")
    p.add_argument("--secrets", type=int, default=50)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    rng = random.Random(args.seed)
    if os.path.exists(args.out):
        sys.exit(f"{args.out} already exists")
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    lines_per_file = max(1, int(args.file_kb * 1024 / 36))
    files = {}
    for i in range(args.files):
        files[f"src/mod{i // 100}/file{i}.rs"] = [code_line(rng) for _ in range(lines_per_file)]
    paths = sorted(files)
    # Fresh files draw their lines from a large pool: fast to generate, and unlike each other.
    pool = [code_line(rng) + f" // {i}" for i in range(200_000)] if args.fresh_kb else []
    fresh_lines = int(args.fresh_kb * 1024 / 44)
    secret_at = set(rng.sample(range(1, args.commits), min(args.secrets, args.commits - 1)))
    planted = []

    proc = subprocess.Popen(["git", "-C", args.out, "fast-import", "--quiet", "--done"],
                            stdin=subprocess.PIPE)
    out = proc.stdin

    def emit(text):
        out.write(text.encode() if isinstance(text, str) else text)

    def blob(mark, content):
        data = content.encode()
        emit(f"blob\nmark :{mark}\ndata {len(data)}\n")
        emit(data)
        emit("\n")

    mark = 0
    time = 1_600_000_000
    side = None
    for n in range(args.commits):
        time += 600
        changed = []
        for _ in range(args.edits):
            path = rng.choice(paths)
            body = files[path]
            for _ in range(3):
                body[rng.randrange(len(body))] = code_line(rng)
            body.append(code_line(rng))
            if n in secret_at:
                token = github_token(rng) if rng.random() < 0.5 else aws_key_id(rng)
                body.insert(rng.randrange(len(body)), f'    let token = "{token}";')
                planted.append((path, token))
            elif planted and rng.random() < 0.001:
                gone_path, token = planted.pop(0)
                files[gone_path] = [l for l in files[gone_path] if token not in l]
                changed.append(gone_path)
            changed.append(path)
        if n == 0:
            changed = paths
        blobs = {}
        for path in dict.fromkeys(changed):
            mark += 1
            blob(mark, "\n".join(files[path]) + "\n")
            blobs[path] = mark
        if fresh_lines:
            mark += 1
            blob(mark, "\n".join(rng.choices(pool, k=fresh_lines)) + "\n")
            blobs[f"data/d{n // 1000}/f{n}.rs"] = mark
        branch = "refs/heads/main"
        if side is None and n > 10 and rng.random() < 0.002:
            side = (f"refs/heads/feature-{n}", n)
        if side is not None:
            branch = side[0]
        mark += 1
        commit_mark = mark
        author = f"Dev {n % 37} <dev{n % 37}@example.com> {time} +0000"
        msg = f"change {n}: update {len(blobs)} files\n".encode()
        emit(f"commit {branch}\nmark :{commit_mark}\nauthor {author}\ncommitter {author}\n")
        emit(f"data {len(msg)}\n")
        emit(msg)
        if side is not None and side[1] == n:
            emit(f"from :{last_main}\n")
        for path, m in blobs.items():
            emit(f"M 100644 :{m} {path}\n")
        emit("\n")
        if branch == "refs/heads/main":
            last_main = commit_mark
        elif n - side[1] > 20:
            mark += 1
            msg = f"merge {side[0]}\n".encode()
            emit(f"commit refs/heads/main\nmark :{mark}\nauthor {author}\ncommitter {author}\n")
            emit(f"data {len(msg)}\n")
            emit(msg)
            emit(f"from :{last_main}\nmerge :{commit_mark}\n\n")
            last_main = mark
            side = None
        if n % 5000 == 4999:
            emit(f"tag v{n // 5000}\nfrom :{last_main}\ntagger {author}\ndata 0\n\n")
    emit("done\n")
    out.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", args.out, "checkout", "-q", "main"], check=True)
    if not args.fresh_kb:
        # Fresh content would make the delta search the slow part, for nothing: it stays as
        # fast-import packed it.
        subprocess.run(["git", "-C", args.out, "repack", "-adq", "--window=10", "--depth=50"],
                       check=True)
    print(f"{args.out}: {args.commits} commits, {len(planted)} secrets still planted", file=sys.stderr)


if __name__ == "__main__":
    main()
