"""Where a people registry's time goes, part by part, in one process.

Generates the two corpora of ``people_overhead.py`` (N articles with no
registry and with P people), builds each in process without writing, then
times the parts of the build that the registry makes heavier, serially,
fastest of ``--repeat`` runs (CPU time of this process; page parts start
from an empty render cache, as a clean build does):

- related articles (``index._all_related``) and people mentioned together
  (``index._together``), for the whole site;
- detection of full names (``PeopleMatcher.full_names``) in each article's
  cleaned body, per article;
- an article page (``Renderer.article_page``), its body's Markdown with the
  person links, and its JSON-LD, per article;
- a person's pages, per person (the cards they list rendered already, as
  the topic pages of a build render them with or without a registry).

    .venv/bin/python bench/registry_parts.py --articles 10000 --people 500

It prints one line per part with both corpora's figures; the whole-build
share is measured by ``people_overhead.py`` (wall) and ``instructions.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import people_overhead  # noqa: E402

from site_builder import build, index, parallel, render, urls  # noqa: E402
from site_builder.cache import BuildCache, tree_digest  # noqa: E402
from site_builder.config import load_config  # noqa: E402
from site_builder.detect import matcher_for  # noqa: E402
from site_builder.model import Site  # noqa: E402


def fastest(repeat: int, items: Iterable[Any], f: Callable[..., Any],
            setup: Callable[[], Any] | None = None) -> float:
    """The least CPU time, in seconds, of ``repeat`` runs of ``f`` on every item.

    With ``setup``, each run first makes ``made = setup()`` (not timed) and calls ``f(made, item)``.
    """
    listed = list(items)
    best = float("inf")
    for _ in range(repeat):
        made = setup() if setup is not None else None
        start = time.process_time()
        if setup is None:
            for item in listed:
                f(item)
        else:
            for item in listed:
                f(made, item)
        best = min(best, time.process_time() - start)
    return best


@contextmanager
def serial() -> Iterator[None]:
    """Inside, the build's pools run in this process: the figures are work, not the pool's luck.

    Restored on the way out, so a caller (the test suite) keeps its workers.
    """
    workers = parallel.workers
    parallel.workers = lambda: 1
    try:
        yield
    finally:
        parallel.workers = workers


def parts(site_dir: Path, repeat: int) -> dict[str, tuple[float, int]]:
    """Part -> (seconds for all its items, how many items) for the site in ``site_dir``."""
    config = load_config(site_dir / "content", site_dir / "public", site_dir / "templates", None, False,
                         {"SOURCE_DATE_EPOCH": people_overhead.EPOCH})
    site: Site = build.build(config, write=False).site
    key = tree_digest(config.templates_dir)
    env = BuildCache().environment(config.templates_dir, key, render.make_environment)

    def renderer() -> render.Renderer:
        """A renderer with an empty cache, as a clean build has: no page or card rendered yet."""
        return render.Renderer(site, config, env, BuildCache(), key, (), ())

    def with_cards() -> render.Renderer:
        """A fresh renderer whose list cards are rendered already: in a build, the topic pages
        render every card that person pages show, with or without a registry."""
        made = renderer()
        made.cards.join([made.card(slug) for slug in site.articles], 3)
        return made

    articles = list(site.articles.values())
    people = list(site.people.values())
    matcher = matcher_for(people)
    with serial():
        out: dict[str, tuple[float, int]] = {
            "related articles (whole site)": (fastest(repeat, [None], lambda _: index._all_related(
                articles, site.by_person, site.by_topic)), 1),
            "people together (whole site)": (fastest(repeat, [None], lambda _: index._together(
                site.by_person, site.articles, lambda a: a.people)), 1),
            "detection (per article)": (fastest(repeat, articles, lambda a: matcher.full_names(a.body)), len(articles)),
            "article page (per article)": (fastest(repeat, site.articles, render.Renderer.article_page, renderer),
                                           len(articles)),
            "article body (per article)": (fastest(repeat, articles, lambda r, a: r.markdown(
                a.body, [(p, urls.person(p)) for p in a.people if p in site.people], a.name_hits), renderer),
                len(articles)),
            "article JSON-LD (per article)": (fastest(repeat, articles, lambda r, a: json.dumps(
                r.article_ld(a, urls.article(a.slug))), renderer), len(articles)),
        }
        if people:
            out["person pages (per person)"] = (fastest(repeat, people, lambda r, p: list(r.person_pages(p)),
                                                        with_cards), len(people))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each part; the fastest counts")
    args = parser.parse_args(argv)
    figures: dict[int, dict[str, tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="registry-parts-") as tmp:
        for people in (0, args.people):
            site = Path(tmp) / f"site-{people:04d}"
            people_overhead.generate(site, args.articles, people)
            figures[people] = parts(site, args.repeat)
    print(f"{args.articles} articles; CPU time, serial, fastest of {args.repeat}")
    print(f"{'part':34s} {'no registry':>14s} {f'{args.people} people':>14s}")
    for part in figures[args.people]:
        cells = []
        for people in (0, args.people):
            seconds, n = figures[people].get(part, (0.0, 0))
            cells.append("—" if not n else f"{seconds * 1e3:.1f} ms" if n == 1 else f"{seconds / n * 1e6:.1f} µs")
        print(f"{part:34s} {cells[0]:>14s} {cells[1]:>14s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
