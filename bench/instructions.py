"""How much a people registry adds to a build, counted in instructions.

Wall time on this machine moves by 10-20% between two builds of one corpus
(docs/PEOPLE.md), more than the effect being measured.  callgrind counts the
instructions a process executes, which for one binary, one input and one
environment is the same on every run, whatever else the machine is doing.

The corpora are those of ``people_overhead.py`` (the same articles, with an
empty registry and with P people).  Each is built once under
``valgrind --tool=callgrind``, in one process: serially (no worker
processes, which callgrind would count apart) and without Pagefind (a
separate program, run after our build).  Paths have equal lengths and the
hash seed is fixed, so the two builds differ only by the registry.

    .venv/bin/python bench/instructions.py --articles 1000 --people 500

took 3 minutes here for both builds (callgrind runs a build many times
slower than it runs alone); the time grows with the articles.  Needs valgrind
(Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import people_overhead

ROOT = Path(__file__).resolve().parent.parent


def inner(site: Path) -> None:
    """The build that is counted: ``site-builder build`` of ``site``, serially, without Pagefind."""
    sys.path.insert(0, str(ROOT))
    from site_builder import build, parallel
    from site_builder.config import load_config

    parallel.workers = lambda: 1  # one process: callgrind follows no fork of ours
    build.index_site = lambda _site_dir: None  # Pagefind is another program; see people_overhead.py
    config = load_config(site / "content", site / "public", site / "templates", env=dict(os.environ))
    build.build(config)


def count(site: Path, work: Path) -> int:
    """Instructions executed by the build of ``site`` (a fresh process, empty caches, no output yet)."""
    out = work / f"callgrind-{site.name}.out"
    env = dict(os.environ, PYTHONHASHSEED="0", SOURCE_DATE_EPOCH=people_overhead.EPOCH,
               XDG_CACHE_HOME=str(site / ".xdg-cache"))
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                           sys.executable, __file__, "--inner", str(site)],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the counted build of {site} failed:\n{done.stderr[-3000:]}")
    totals = re.search(r"^(?:totals|summary): (\d+)", out.read_text(encoding="utf-8"), re.MULTILINE)
    if totals is None:
        sys.exit(f"no instruction total in {out}")
    return int(totals.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner is not None:
        inner(args.inner)
        return 0
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    if args.people >= 10_000:
        sys.exit("--people must be below 10,000")  # the site names below have room for four digits
    counts: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="people-instructions-") as tmp:
        work = Path(tmp)
        for people in (0, args.people):
            site = work / f"site-{people:04d}"  # equal lengths: paths are hashed and copied
            people_overhead.generate(site, args.articles, people)
            counts[people] = count(site, work)
            print(f"{args.articles} articles, {people} people: {counts[people] / 1e9:.3f} G instructions",
                  flush=True)
    share = counts[args.people] / counts[0] - 1
    print(f"registry's share: {100 * share:+.1f}% ({(counts[args.people] - counts[0]) / 1e9:.3f} G instructions)")
    return 0 if share < 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
