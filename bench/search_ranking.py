"""How well a sharded search index ranks, against one index, as a reader sees it in Chromium.

Generates the corpus of ``build_bench.py`` (N articles, 300 people, 24
topics) into ``bench/out/ranking-nN``, builds it twice with ``site-builder
build`` (run in this process): once with one index, once as the build
splits it (two shards from ``--shard-min`` searchable pages), and serves
each on 127.0.0.1.  Then, in headless Chromium, it searches for every
topic's name and for every 15th person's name and notes where that topic's
or person's own page comes:

- ``one index`` and ``two shards``: through the site's own search page
  (``/search/?q=...``), which lists the first 20;
- ``two shards, raw merge``: through Pagefind's ``mergeIndex``, results by
  raw score, which is what the search page did before it put each shard's
  scores on the site's scale (docs/DECISIONS.md, "Scores on one scale").

For each it prints how many own pages came first and how many were listed
at all (the worst place), and for how many queries the pages listed are
the same as one index lists, in whatever order.

    .venv/bin/python bench/search_ranking.py --n 5000

Needs Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``; ``make
system-deps`` installs it) and the test extras (Playwright).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import build_bench  # noqa: E402

from site_builder import cli, search_plan  # noqa: E402

LISTED = 20
"""Results the search page lists."""

RAW_MERGE = """async ([query, merged, listed]) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.options({ baseUrl: '/' });
  for (const bundle of merged) await pf.mergeIndex(bundle, { baseUrl: '/' });
  const found = await pf.search(query);
  const pages = await Promise.all(found.results.slice(0, listed).map((r) => r.data()));
  return pages.map((p) => new URL(p.url, location.href).pathname);
}"""
"""The search as the search page made it before 09993b5: one Pagefind, later shards merged by raw score."""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(root: Path) -> Iterator[str]:
    """``root`` over HTTP on 127.0.0.1: its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build(content: Path, out: Path, shard_min: int) -> None:
    """Build ``content`` into ``out``, indexed in shards from ``shard_min`` searchable pages."""
    saved = search_plan.SHARD_MIN_PAGES
    search_plan.SHARD_MIN_PAGES = shard_min
    try:
        code = cli.main(["build", "--content", str(content), "--templates", str(ROOT / "templates"),
                         "--out", str(out)])
    finally:
        search_plan.SHARD_MIN_PAGES = saved
    if code != 0:
        raise SystemExit(f"building {out} failed (exit {code})")


def queries(content: Path) -> list[tuple[str, str]]:
    """(a name, the path of its own page) for every topic and every 15th person."""
    found = []
    for section, step in (("topics", 1), ("people", 15)):
        for path in sorted((content / section).glob("*.md"))[::step]:
            name = re.search(r'^name: "?([^"\n]+)"?$', path.read_text(encoding="utf-8"), re.MULTILINE)
            if name:
                found.append((name.group(1), f"/{section}/{path.stem}/"))
    return found


Searcher = Callable[[str], list[str]]


def through_page(page: object, origin: str) -> Searcher:
    """A search through the site's own search page: the pages it lists, in order."""
    def run(query: str) -> list[str]:
        page.goto(f"{origin}/search/?q={query}")  # type: ignore[attr-defined]
        page.locator("#search-status").filter(has_text=f"for “{query}”").wait_for(  # type: ignore[attr-defined]
            timeout=30_000)
        return list(page.locator("#search-results li h2 a").evaluate_all(  # type: ignore[attr-defined]
            "links => links.map(a => new URL(a.href).pathname)"))
    return run


def raw_merge(browser: object, origin: str, merged: list[str]) -> Searcher:
    """A search through Pagefind's own merge, in a fresh page each time (mergeIndex adds up)."""
    def run(query: str) -> list[str]:
        page = browser.new_page()  # type: ignore[attr-defined]
        try:
            page.goto(f"{origin}/404.html")
            return list(page.evaluate(RAW_MERGE, [query, merged, LISTED]))
        finally:
            page.close()
    return run


def report(name: str, asked: list[tuple[str, str]], found: dict[str, list[str]], one: dict[str, list[str]]) -> str:
    places = [found[q].index(own) + 1 if own in found[q] else LISTED + 1 for q, own in asked]
    same = sum(set(found[q]) == set(one[q]) for q, _ in asked)
    worst = str(max(places)) if max(places) <= LISTED else f"beyond {LISTED}"
    return (f"{name:<24}{sum(p == 1 for p in places):>3} first, {sum(p <= LISTED for p in places):>3} listed "
            f"(worst {worst}); {same:>3} list the same pages as one index")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="articles (default 5000)")
    parser.add_argument("--shard-min", type=int, default=search_plan.SHARD_MIN_PAGES,
                        help=f"searchable pages from which the index is split (default {search_plan.SHARD_MIN_PAGES})")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = build_bench.fresh_corpus(f"ranking-n{args.n}", args.n)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1765584000")
    build(work / "content", work / "one" / "public", 10**9)
    build(work / "content", work / "shards" / "public", args.shard_min)
    merged = search_plan.plan(search_plan.names_in(work / "shards" / "public"), args.shard_min).merged
    if not merged:
        print(f"the site of {args.n} articles was not split (fewer than {args.shard_min} searchable pages?)",
              file=sys.stderr)
        return 1
    asked = queries(work / "content")
    results: dict[str, dict[str, list[str]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
        page = browser.new_page()
        for name, root in (("one index", work / "one" / "public"), ("two shards", work / "shards" / "public")):
            with served(root) as origin:
                searcher = through_page(page, origin)
                results[name] = {q: searcher(q) for q, _ in asked}
                if name == "two shards":
                    raw = raw_merge(browser, origin, list(merged))
                    results["two shards, raw merge"] = {q: raw(q) for q, _ in asked}
        browser.close()
    build_bench.TRASH.empty()
    topics_asked = [qa for qa in asked if qa[1].startswith("/topics/")]
    people_asked = [qa for qa in asked if qa[1].startswith("/people/")]
    print(f"N = {args.n} articles, {len(search_plan.names_in(work / 'shards' / 'public'))} searchable pages; "
          f"own page's place when searching its name")
    for label, group in ((f"{len(topics_asked)} topics", topics_asked), (f"{len(people_asked)} people", people_asked)):
        print(label)
        for name, found in results.items():
            print("  " + report(name, group, found, results["one index"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
