"""Pagefind over a built site in each way of splitting its index: wall time and peak memory.

Runs the build's own indexing step (:func:`site_builder.search.index_site`)
on the site in DIR, once per layout and round, writing each bundle into a
temporary folder (in ``/dev/shm`` where there is one) so that DIR is left as
it was:

- ``one index``: one Pagefind over every searchable page;
- ``two side by side``: the build's two shards, both at once;
- ``two one after the other``: the same two shards, one at a time;
- ``four, two at a time``: four shards of about a quarter each (a layout
  the build does not use; docs/DECISIONS.md says why).

The layouts are made by setting the build's own thresholds
(``search_plan.SHARD_MIN_PAGES``, ``search.PAGES_AT_ONCE``) and, for four
shards, its plan; the scheduler and the Pagefind command lines are the
build's.  Memory is the summed resident size of this process's tree,
sampled every 20 ms: Pagefind's runs plus this script (about 30 MB).

    .venv/bin/python bench/shard_layouts.py bench/out/memory-n10000/public --repeat 2

A site of fewer than two thousand searchable pages still splits: the
thresholds are set for each layout, whatever the site's size.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import proctree  # noqa: E402

from site_builder import search, search_plan  # noqa: E402
from site_builder.errors import SiteError  # noqa: E402
from site_builder.urls import searchable  # noqa: E402

SAMPLE_SECONDS = 0.02


def four_shards(names: list[str], min_pages: int | None = None) -> search_plan.SearchPlan:
    """Four shards by the last character of the names, largest groups first into the smallest."""
    ends = Counter(name[-1] for name in names if name)
    chars: list[list[str]] = [[], [], [], []]
    sizes = [0, 0, 0, 0]
    for end, n in sorted(ends.items(), key=lambda en: (-en[1], en[0])):
        smallest = sizes.index(min(sizes))
        chars[smallest].append(end)
        sizes[smallest] += n
    first = ["".join(sorted(c)) for c in chars[:3]]
    globs = (*(searchable(c) for c in first), searchable("!" + "".join(sorted("".join(first)))))
    return search_plan.SearchPlan(globs, tuple(sizes))


LAYOUTS: dict[str, list[tuple[object, str, object]]] = {
    "one index": [(search_plan, "SHARD_MIN_PAGES", 10**9)],
    "two side by side": [(search_plan, "SHARD_MIN_PAGES", 2), (search, "PAGES_AT_ONCE", 10**9)],
    "two one after the other": [(search_plan, "SHARD_MIN_PAGES", 2), (search, "PAGES_AT_ONCE", 1)],
    "four, two at a time": [(search_plan, "plan", four_shards), (search, "PAGES_AT_ONCE", 10**9)],
}
"""Each layout: the build's settings it is made with (module, attribute, value)."""


@contextlib.contextmanager
def layout(settings: list[tuple[object, str, object]]) -> Iterator[None]:
    """The build's thresholds (and plan) set as ``settings`` says, and put back afterwards."""
    saved = [(module, name, getattr(module, name)) for module, name, _ in settings]
    for module, name, value in settings:
        setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in reversed(saved):
            setattr(module, name, value)


def measured(run: Callable[[], None]) -> tuple[float, int]:
    """Wall seconds of ``run()`` and the peak summed resident KiB of this process's tree meanwhile."""
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, proctree.rss_kib(os.getpid()))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    try:
        run()
    finally:
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    return wall, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site (the output folder, with its pages)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the layouts, interleaved (default 1)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    pages = len(search_plan.names_in(site))
    if pages == 0:
        print(f"{site}: no searchable pages (is it a built site?)", file=sys.stderr)
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="shard-layouts-", dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in LAYOUTS}
    try:
        for round_ in range(args.repeat):
            for name, settings in LAYOUTS.items():
                bundle = scratch / f"{round_}-{len(results[name])}-{name.replace(' ', '-').replace(',', '')}"
                with layout(settings):
                    results[name].append(measured(functools.partial(search.index_site, site, bundle)))
                shutil.rmtree(bundle, ignore_errors=True)
    except SiteError as err:
        print(err.format(), file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{site}: {pages} searchable pages, {len(os.sched_getaffinity(0))} cores; wall s and peak MB of each run")
    for name, runs in results.items():
        walls = ", ".join(f"{wall:.2f}" for wall, _ in runs)
        peaks = ", ".join(f"{kib / 1024:.0f}" for _, kib in runs)
        print(f"{name:<26} wall {walls:<24} peak {peaks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
