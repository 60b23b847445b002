"""Where one full build spends its time: wall and CPU time per stage, in process.

Generates the corpus of ``build_bench.py`` (N articles, 300 people, 24 topics)
into ``bench/out/stages-nN``, builds it from a clean state (no output, empty
disk cache) and prints, for each stage of ``build.build`` and for Pagefind,
its wall time, the CPU time of this process and that of its children (the
stage's pool workers, Pagefind), then the peak memory of the largest child
process (Pagefind's, at these sizes; pool workers are children too).

    .venv/bin/python bench/build_stages.py --n 5000

``--site DIR`` measures an existing site instead (``DIR/content``, and
``DIR/templates`` if it has one), such as a corpus of ``people_overhead.py``.
``--again`` times a third build of the same site into the first two's output,
with their disk cache, page record and search record (the first build into a
new folder makes no page record): what a command-line build run again over
an unchanged site does.  ``--edit`` does the same after one article's body has
been edited (a sentence added), as ``repeat_build.py`` edits it: what a
command-line build after one editor's save does.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import build_bench  # noqa: E402
import people_overhead  # noqa: E402
from clean_state import Trash  # noqa: E402

from site_builder import build as build_module  # noqa: E402
from site_builder import diskcache, load, search, write  # noqa: E402
from site_builder.clean.gazetteer import ProperNounTally  # noqa: E402
from site_builder.config import load_config  # noqa: E402

STAGES = [(load, "load_people", "load people"), (load, "load_topics", "load topics"),
          (load, "load_articles", "load articles"), (ProperNounTally, "update", "corpus proper nouns"),
          (build_module, "with_corpus", "cleaner options"),
          (build_module, "prepare_all", "clean + enrich"), (build_module, "build_site", "index"),
          (build_module, "check_site", "check"), (build_module, "render_site", "render"),
          (write, "Staging.add", "write (within render)"), (diskcache, "save", "save the disk cache"),
          (search, "index_site", "Pagefind"),
          (write, "Staging.publish", "publish (Pagefind included)")]


def cpu_seconds() -> tuple[float, float]:
    """User + system CPU seconds of this process, and of its children that have ended (pool workers, Pagefind)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def timed(times: dict[str, list[float]], label: str, f: Callable[..., Any]) -> Callable[..., Any]:
    """``f``, adding its wall time, this process's CPU time and its children's to ``times[label]``.

    Each stage's pool is joined before the stage returns, so its workers' CPU
    is counted in the stage that forked them: on this noisy machine CPU time
    tells two builds apart where wall time does not.
    """
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, (own, kids) = time.perf_counter(), cpu_seconds()
        try:
            return f(*args, **kwargs)
        finally:
            own_after, kids_after = cpu_seconds()
            total = times.setdefault(label, [0.0, 0.0, 0.0])
            total[0] += time.perf_counter() - start
            total[1] += own_after - own
            total[2] += kids_after - kids
    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="articles (default 5000)")
    parser.add_argument("--site", type=Path, help="measure this site (with content/) instead of generating one")
    parser.add_argument("--again", action="store_true", help="time a build of the unchanged site, built twice before")
    parser.add_argument("--edit", action="store_true", help="like --again, one article edited first")
    args = parser.parse_args(argv)
    # What the last run left is moved aside, not deleted (see clean_state.py), and deleted after this
    # build has been timed: leave a minute between two runs.
    if args.site:
        work = args.site.resolve()
        trash = Trash(work / ".trash")  # on the site's file system: a move, not a copy
        trash.set_aside(work / "public", work / ".xdg-cache")
    else:
        work = build_bench.OUT / f"stages-n{args.n}"
        trash = Trash(build_bench.OUT / ".trash")
        trash.set_aside(work)
        people, topics, articles = build_bench.corpus(args.n)
        build_bench.write_ours(work / "content", people, topics, articles)
    templates = work / "templates" if (work / "templates").is_dir() else ROOT / "templates"
    os.environ["XDG_CACHE_HOME"] = str(work / ".xdg-cache")
    # build_bench's date for its corpus; for people_overhead's, the date that bench builds at.
    epoch = people_overhead.EPOCH if args.site else "1765584000"
    config = load_config(work / "content", work / "public", templates, None, False, {"SOURCE_DATE_EPOCH": epoch})
    if args.again or args.edit:
        for _ in range(2):
            build_module.build(config)
    if args.edit:
        sources = sorted((work / "content" / "articles").iterdir())
        article = sources[len(sources) // 2]  # the article repeat_build.py edits
        article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence, edited.\n", encoding="utf-8")
    times: dict[str, list[float]] = {}
    patched = []
    for module, name, label in STAGES:
        owner: Any = module
        *path, attribute = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        patched.append((owner, attribute, getattr(owner, attribute)))
        setattr(owner, attribute, timed(times, label, getattr(owner, attribute)))
    try:
        start = time.perf_counter()
        result = build_module.build(config)
        total = time.perf_counter() - start
    finally:
        for owner, attribute, original in patched:
            setattr(owner, attribute, original)
    print(f"{work}: {len(result.site.articles)} articles, {result.files} files"
          + (", one article edited" if args.edit else ", built again" if args.again else ""))
    print(f"{'stage':<28}{'wall':>8}{'CPU here':>10}{'children':>10}")
    for _, _, label in STAGES:
        wall, own, kids = times.get(label, [0.0, 0.0, 0.0])
        print(f"{label:<28}{wall:>6.2f} s{own:>8.2f} s{kids:>8.2f} s")
    print(f"{'whole build':<28}{total:>6.2f} s")
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU, this process and its children: user {me.ru_utime + children.ru_utime:.2f} s, "
          f"system {me.ru_stime + children.ru_stime:.2f} s (the corpus generation included, without --site;"
          " the first two builds included, with --again)")
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest child process peak memory: {child_mb:.0f} MB")
    trash.empty()
    return 0


if __name__ == "__main__":
    sys.exit(main())
