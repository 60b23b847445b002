"""Where a full build's peak memory comes from: our own stages, or Pagefind.

Generates the corpus of ``build_bench.py`` (N articles, 300 people, 24 topics)
into ``bench/out/memory-nN``, runs ``site-builder build`` on it from a clean
state (no output, empty disk cache) and samples the resident memory of every
process of the build every 20 ms.  It prints the peak of the summed tree
(what ``build_bench.py`` reports as "tree MB"), split into the part of the
build before Pagefind starts (the build and its pool workers) and the part
while Pagefind runs, with each process's share at both peaks.

    .venv/bin/python bench/memory_phases.py --n 5000

A forked worker's resident size starts equal to its parent's, so the first
peak is usually the moment a pool is forked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import build_bench  # noqa: E402
import proctree  # noqa: E402

Sample = dict[str, int]
"""Resident KiB per process, keyed by "command:pid"."""


def sample(root: int) -> Sample:
    """Each process of ``root``'s tree, by command and pid, and its resident memory."""
    table = proctree.stats()
    children: dict[int, list[int]] = {}
    for pid, fields in table.items():
        children.setdefault(int(fields[1]), []).append(pid)
    found: Sample = {}
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        if pid not in table:
            continue
        try:
            with open(f"/proc/{pid}/comm") as comm:
                name = comm.read().strip()
        except OSError:  # it ended while we looked
            continue
        found[f"{name}:{pid}"] = int(table[pid][21]) * proctree.PAGE_KIB
    return found


def peaks(samples: list[Sample]) -> tuple[Sample, Sample]:
    """The largest summed sample before Pagefind ran, and the largest while it ran."""
    ours = [s for s in samples if not any(k.startswith("pagefind") for k in s)]
    search = [s for s in samples if any(k.startswith("pagefind") for k in s)]
    return max(ours, key=lambda s: sum(s.values()), default={}), max(search, key=lambda s: sum(s.values()), default={})


def describe(label: str, peak: Sample) -> str:
    shares = ", ".join(f"{name.split(':')[0]} {kib / 1024:.0f}" for name, kib in
                       sorted(peak.items(), key=lambda item: -item[1]))
    return f"{label:<28}{sum(peak.values()) / 1024:>7.0f} MB  ({shares})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="articles (default 5000)")
    args = parser.parse_args(argv)
    work = build_bench.fresh_corpus(f"memory-n{args.n}", args.n)
    env = {**os.environ, "XDG_CACHE_HOME": str(work / ".xdg-cache"), "SOURCE_DATE_EPOCH": "1765584000"}
    command = [sys.executable, "-m", "site_builder", "build", "--content", str(work / "content"),
               "--templates", str(ROOT / "templates"), "--out", str(work / "public")]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    samples: list[Sample] = []
    while proc.poll() is None:
        samples.append(sample(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    build_bench.TRASH.empty()  # once the build is measured
    if proc.returncode != 0:
        print(f"the build failed (exit {proc.returncode})", file=sys.stderr)
        return 1
    ours, search = peaks(samples)
    print(f"N = {args.n} articles: full build {wall:.2f} s, {len(samples)} samples of the process tree (MB)")
    print(describe("our stages (before Pagefind)", ours))
    print(describe("while Pagefind runs", search))
    return 0


if __name__ == "__main__":
    sys.exit(main())
