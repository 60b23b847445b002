"""A command-line build run again over the same output: with and without the records it keeps.

``site-builder build`` into an existing output keeps the pages of every render job
whose inputs did not change (the page record, docs/DECISIONS.md, "A command-line
build keeps the pages whose inputs did not change"), hard-links the other pages
and the assets it did not change, and takes the previous search bundle of every
Pagefind run whose pages are all such links (the search record, "A command-line
build keeps the search index of unchanged pages").  This script builds the
generated corpus of ``build_bench.py`` twice (the first build into a new folder
makes no page record), then times, interleaved and ``--repeat`` times each:

- ``no change, kept``: the same sources built again, with both records;
- ``no change, pages``: the same, with the page record deleted first, so that
  every page is rendered as before that record existed;
- ``no change, again``: the same, with both records deleted, so that every
  page is rendered and every Pagefind run made;
- ``one edit, ...``: one article's body edited (a sentence added), then built
  in each of the three ways.

With ``--serve``, the dev server instead: one article saved, the rebuild, then
the search index brought up to date in the background, timed from the save to
the new bundle in place; "kept" lets the server's indexer take the live bundle
of the shard no save touched, "again" makes it ignore the record (``Reuse.kept``
answering no, in this process).  (The dev server keeps its pages in memory and
has no page record.)

With ``--start``, ``site-builder serve`` itself, started over and over on one port:
the time from its start to its "serving" line (its first build written; the
search index follows in the background), interleaved: with the disk cache the
last server left when it was stopped (SIGTERM, which it takes as Ctrl+C), with
that cache deleted first, and right after a ``site-builder build`` (untimed) into
the same folder, an editor's ``make site`` then ``make serve`` (the build's pages
and index are for the production base URL, so the server writes all its pages
and indexes them anew); and how long each server took to stop (it saves its
cache then).

Each command-line build is the ``site-builder`` program, in a private ``XDG_CACHE_HOME`` that
holds its disk cache and the records, timed with ``build_bench.timed``; the table
gives the median wall and CPU seconds, and the ratios of "pages" and "again" to
"kept" in this run.  Usage: ``.venv/bin/python bench/repeat_build.py --n 5000 --repeat 3 [--serve]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import ROOT, Timing, fresh_corpus, timed

from site_builder import page_reuse
from site_builder.cachedir import cache_dir
from site_builder.search_reuse import RECORD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="articles (default 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed builds of each kind (default 3)")
    parser.add_argument("--serve", action="store_true", help="time the dev server's background index instead")
    parser.add_argument("--start", action="store_true", help="time the dev server's start instead")
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.n, args.repeat)
    if args.start:
        return start(args.n, args.repeat)

    work = fresh_corpus(f"repeat-n{args.n}", args.n)
    out = work / "public"
    os.environ["XDG_CACHE_HOME"] = str(work / ".xdg-cache")  # the builds', and cache_dir's below
    env = dict(os.environ, SOURCE_DATE_EPOCH="1765584000")
    command = [sys.executable, "-m", "site_builder", "build", "--content", str(work / "content"),
               "--out", str(out), "--templates", str(ROOT / "templates")]
    records = {"search": cache_dir(out) / RECORD, "pages": cache_dir(out) / page_reuse.RECORD}
    forgets = {"kept": (), "pages": ("pages",), "again": ("pages", "search")}

    def build(way: str) -> Timing:
        for name in forgets[way]:
            records[name].unlink(missing_ok=True)
        return timed(command, cwd=work, env=env)

    first = timed(command, cwd=work, env=env)
    timed(command, cwd=work, env=env)  # the first build into a new folder makes no page record
    for name, record in records.items():
        assert record.is_file(), f"no {name} record at {record}"
    article = sorted((work / "content" / "articles").iterdir())[args.n // 2]
    original = article.read_text(encoding="utf-8")
    kinds: dict[str, list[Timing]] = {f"{what}, {way}": [] for what in ("no change", "one edit") for way in forgets}
    try:
        for i in range(args.repeat):
            for way in forgets:
                kinds[f"no change, {way}"].append(build(way))
            for way in forgets:
                article.write_text(original + f"\nOne more sentence, edit {i} {way}.\n", encoding="utf-8")
                kinds[f"one edit, {way}"].append(build(way))
    finally:
        article.write_text(original, encoding="utf-8")

    print(f"N = {args.n} articles; first build {first.wall:.2f} s; the median of {args.repeat} builds of each kind")
    print(f"{'build':20} {'wall s':>8} {'cpu s':>8}")
    for kind, timings in kinds.items():
        print(f"{kind:20} {statistics.median(t.wall for t in timings):8.2f} "
              f"{statistics.median(t.cpu for t in timings):8.2f}")
    for what in ("no change", "one edit"):
        kept = statistics.median(t.wall for t in kinds[f"{what}, kept"])
        pages = statistics.median(t.wall for t in kinds[f"{what}, pages"])
        again = statistics.median(t.wall for t in kinds[f"{what}, again"])
        print(f"{what}: rendering every page takes {pages / kept:.2f}x the time of keeping both records, "
              f"indexing again as well {again / kept:.2f}x")
    return 0


def serve(n: int, repeat: int) -> int:
    """The dev server: a save, its rebuild, and the search index caught up, with and without the record."""
    import time

    from site_builder import search_reuse
    from site_builder.config import load_config
    from site_builder.serve import DevState

    work = fresh_corpus(f"repeat-serve-n{n}", n)
    os.environ["XDG_CACHE_HOME"] = str(work / ".xdg-cache")
    env = {"SOURCE_DATE_EPOCH": "1765584000"}
    config = load_config(work / "content", work / "public", ROOT / "templates", None, False, env)
    state = DevState(config, env)
    assert state.rebuild(), state.errors
    state.wait()
    article = sorted((work / "content" / "articles").iterdir())[n // 2]
    original = article.read_text(encoding="utf-8")
    real_kept = search_reuse.Reuse.kept
    walls: dict[str, list[float]] = {"kept": [], "again": []}
    rebuilds: list[float] = []
    try:
        for i in range(repeat):
            for kind in ("kept", "again"):
                search_reuse.Reuse.kept = (real_kept if kind == "kept"  # type: ignore[method-assign]
                                           else lambda self, runs: [False] * len(runs))
                time.sleep(0.5)
                article.write_text(original + f"\nOne more sentence, save {i} {kind}.\n", encoding="utf-8")
                start = time.perf_counter()
                assert state.rebuild(), state.errors
                rebuilds.append(time.perf_counter() - start)
                state.wait()
                walls[kind].append(time.perf_counter() - start)
    finally:
        search_reuse.Reuse.kept = real_kept  # type: ignore[method-assign]
        article.write_text(original, encoding="utf-8")
        state.close()
    print(f"N = {n} articles, dev server; the median of {repeat} saves of each kind")
    print(f"rebuild (pages written): median {statistics.median(rebuilds):.3f} s")
    for kind, times in walls.items():
        print(f"search caught up, {kind:6}: median {statistics.median(times):.2f} s of "
              + ", ".join(f"{t:.2f}" for t in times))
    print(f"indexing again takes {statistics.median(walls['again']) / statistics.median(walls['kept']):.2f}x "
          "the time of keeping the record")
    return 0


def start(n: int, repeat: int) -> int:
    """``site-builder serve`` from its start to its first page served, with and without the disk cache."""
    import signal
    import socket
    import subprocess
    import time

    from site_builder import diskcache

    work = fresh_corpus(f"repeat-start-n{n}", n)
    os.environ["XDG_CACHE_HOME"] = str(work / ".xdg-cache")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1765584000")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])  # one port for every run: it is the base URL of the pages cached
    out = work / "public"
    command = [sys.executable, "-m", "site_builder", "serve", "--port", str(port), "--content",
               str(work / "content"), "--out", str(out), "--templates", str(ROOT / "templates")]
    cache_file = cache_dir(out) / diskcache.FILENAME

    build = [sys.executable, "-m", "site_builder", "build", "--content", str(work / "content"),
             "--out", str(out), "--templates", str(ROOT / "templates")]

    def run(warm: bool, after_build: bool = False) -> tuple[float, float]:
        if not warm:
            cache_file.unlink(missing_ok=True)
        if after_build:
            subprocess.run(build, cwd=work, env=env, check=True, stdout=subprocess.DEVNULL)
        os.sync()
        begin = time.perf_counter()
        proc = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert proc.stdout is not None
        said = []
        for line in proc.stdout:
            said.append(line.decode())
            if line.startswith(b"serving "):
                break
        else:
            raise SystemExit("site-builder serve stopped before serving:\n" + "".join(said))
        started = time.perf_counter()
        proc.send_signal(signal.SIGTERM)  # as Ctrl+C (a SIGINT is ignored where this runs in the background)
        proc.communicate(timeout=600)
        return started - begin, time.perf_counter() - started

    walls: dict[str, list[tuple[float, float]]] = {"with the disk cache": [], "without": [], "after a build": []}
    for _ in range(repeat):
        walls["without"].append(run(False))  # stopped, it leaves the cache the next start reads
        walls["with the disk cache"].append(run(True))
        walls["after a build"].append(run(True, after_build=True))
    print(f"N = {n} articles, site-builder serve; the median of {repeat} starts of each kind")
    for kind, times in walls.items():
        print(f"start to serving, {kind:19}: median {statistics.median(t for t, _ in times):.2f} s of "
              + ", ".join(f"{t:.2f}" for t, _ in times) + f"; stop {statistics.median(s for _, s in times):.2f} s")
    cold = statistics.median(t for t, _ in walls["without"])
    warm = statistics.median(t for t, _ in walls["with the disk cache"])
    print(f"starting without the disk cache takes {cold / warm:.2f}x the time of starting with it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
