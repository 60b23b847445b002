"""Markdown rendering: markdown-it-pyrs fast path against markdown-it-py, on the bench corpus.

    .venv/bin/python bench/markdown_bench.py --n 1000

Renders every article body of ``build_bench.corpus(n)`` with its people linked
(as ``render.Renderer.markdown`` does), once with ``render_markdown`` (the
fast path, falling back where it must) and once with ``render_reference``
(markdown-it-py alone), checks the HTML is identical, and prints ms/article
for each and the ratio, from one run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import corpus

from site_builder import markdown_fast
from site_builder.detect import matcher_for
from site_builder.linking import person_links
from site_builder.markdown import render_markdown, render_reference
from site_builder.model import Person

ORIGIN = "https://bench.example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    n = parser.parse_args().n
    bench_people, _, articles = corpus(n)
    people = {p.slug: Person(p.slug, p.name, (p.alias,), f"{p.slug}.md") for p in bench_people}
    jobs = [(a.body, {s: f"/people/{s}/" for s in a.people}) for a in articles]
    matcher = matcher_for(tuple(people.values()))
    fast_count = sum(markdown_fast.can_try(body, None) for body, _ in jobs)

    for linked in (True, False):
        results = {}
        for label, render in (("markdown-it-py", render_reference), ("markdown-it-pyrs", render_markdown)):
            start = time.perf_counter()
            html = [render(body, ORIGIN, False, {"person_links": person_links(matcher, urls)} if linked else None)
                    for body, urls in jobs]
            results[label] = (time.perf_counter() - start, html)
        slow, fast = results["markdown-it-py"], results["markdown-it-pyrs"]
        assert slow[1] == fast[1], "the fast path's HTML differs"
        print(f"{n} articles, {fast_count} on the fast path, identical HTML, "
              + ("people linked (as the build renders)" if linked else "no person links (Markdown alone)"))
        for label, (seconds, _) in results.items():
            print(f"{label:>17}: {seconds / n * 1000:.3f} ms/article")
        print(f"ratio (markdown-it-py / markdown-it-pyrs): {slow[0] / fast[0]:.1f}x")


if __name__ == "__main__":
    main()
