"""Search in Chromium over an index built in two shards finds what one index finds.

A site of thousands of pages is indexed by two Pagefind runs
(:mod:`site_builder.search_plan`), and the search page searches both and
merges their results, each shard's scores put on the whole site's scale.
The seed site is built both ways (the threshold lowered so that its pages
split) and the same queries are run on each in a real browser, over real
HTTP: the same pages are found, and a word that one shard uses far more
often than the other ranks the pages as one index does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sitetools import indexed_urls

from site_builder import search_plan
from site_builder.build import BuildResult

from .support import ServedSite, serving

BuildFn = Callable[..., BuildResult]
"""The ``run_build`` fixture (conftest.py)."""

pytestmark = pytest.mark.browser

QUERY = "sanctions"
"""A word of some articles, people and topics of the seed site: on pages of both shards."""


def search(browser: Browser, site: ServedSite, query: str = QUERY) -> tuple[str, list[str], list[str]]:
    """The status line, the result pages in order and the later shards fetched, for ``query``."""
    page = browser.new_page()
    errors: list[str] = []
    fetched: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(site.url(f"/search/?q={query}"))
    status = page.locator("#search-status")
    expect(status).to_contain_text(f"for “{query}”", timeout=10_000)
    found = page.locator("#search-results li h2 a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")
    text = status.inner_text()
    page.close()
    assert errors == []
    bundles = sorted({u.split("/pagefind/", 1)[1].split("/")[0] for u in fetched if "/pagefind/" in u
                      and u.split("/pagefind/", 1)[1].startswith("shard-")})
    return text, found, bundles


def build(run_build: BuildFn, root: Path, origin: str) -> None:
    run_build(root, base_url=origin)


def test_a_search_over_two_shards_finds_what_one_index_finds(
        browser: Browser, full_site: Path, run_build: BuildFn, monkeypatch: pytest.MonkeyPatch) -> None:
    public = full_site / "public"
    with serving(public, lambda origin: build(run_build, full_site, origin)) as site:
        one = search(browser, site)
    monkeypatch.setattr(search_plan, "SHARD_MIN_PAGES", 10)
    with serving(public, lambda origin: build(run_build, full_site, origin)) as site:
        assert (public / "pagefind" / "shard-2" / "pagefind.js").is_file()
        in_first = set(indexed_urls(public / "pagefind"))
        two = search(browser, site)
    status, pages, bundles = two
    assert one[2] == [] and bundles == ["shard-2"]  # the second shard is fetched only when there is one
    assert 1 < len(pages) <= 20, status  # every result listed, so the two lists can be compared
    assert (status, sorted(pages)) == (one[0], sorted(one[1]))
    assert 0 < len(in_first.intersection(pages)) < len(pages), "the results come from both shards"


def add_articles(content: Path, common_end: str = "") -> None:
    """Sixty articles, half with slugs ending in "a", half in "b": the two largest groups, which
    the plan puts in different shards. Every article whose slug ends in ``common_end`` (the half
    in the Sanctions topic page's shard) mentions sanctions, and one of the other half does: a word
    common in one shard and rare in the other."""
    for i in range(60):
        end = "ab"[i % 2]
        slug = f"court-record-{i:02d}-{end}"
        extra = " Sanctions were discussed at the hearing." if end == common_end or i in (0, 1) else ""
        body = ("The court in Hrodna heard the case for a second day, and the defence asked for more time "
                "to read the file. Relatives waited outside the building until the evening." + extra + "\n")
        (content / "articles" / f"{slug}.md").write_text(
            f"---\ntitle: Court record {i}\nslug: {slug}\ndate: 2025-11-{1 + i % 28:02d}\n"
            f"summary: The court heard case {i}.\npeople: []\ntopics: []\n---\n{body}", encoding="utf-8")


def test_a_word_common_in_one_shard_and_rare_in_the_other_ranks_as_in_one_index(
        browser: Browser, full_site: Path, run_build: BuildFn, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each shard weighs a word by how many of its own pages use it (BM25's IDF): merged by raw
    score, the two articles of the rare half would outrank the Sanctions topic page, which one
    index ranks first. The search page puts every shard's scores on the site's scale."""
    content = full_site / "content"
    add_articles(content)
    names = [p.stem for section in ("articles", "people", "topics") for p in (content / section).glob("*.md")]
    holder = next(g for g in search_plan.plan(names, min_pages=10).globs if matches_name(g, "sanctions"))
    assert matches_name(holder, "record-a") != matches_name(holder, "record-b"), "the halves go to different shards"
    add_articles(content, common_end=next(end for end in "ab" if matches_name(holder, f"record-{end}")))
    public = full_site / "public"
    queries = ("sanctions", "sanctions hearing")  # one word, and two (each word counted in each shard)
    with serving(public, lambda origin: build(run_build, full_site, origin)) as site:
        assert not (public / "pagefind" / "shard-2").exists()
        one = [search(browser, site, query)[:2] for query in queries]
    monkeypatch.setattr(search_plan, "SHARD_MIN_PAGES", 10)
    with serving(public, lambda origin: build(run_build, full_site, origin)) as site:
        assert (public / "pagefind" / "shard-2" / "pagefind.js").is_file()
        two = [search(browser, site, query)[:2] for query in queries]
    assert one[0][1][0] == two[0][1][0] == "/topics/sanctions/"
    for (status, pages), (status_two, pages_two) in zip(one, two, strict=True):
        assert status_two == status and pages_two[:3] == pages[:3], (pages, pages_two)


def matches_name(glob: str, name: str) -> bool:
    """Whether a page named ``name`` is in the shard of ``glob`` (``*[CHARS]`` or ``*[!CHARS]``)."""
    chars = glob.split("*[", 1)[1].split("]", 1)[0]
    return (name[-1] not in chars[1:]) if chars.startswith("!") else (name[-1] in chars)


@pytest.mark.parametrize("missing", ["pagefind/pagefind.js", "pagefind/shard-2/pagefind-entry.json"])
def test_a_search_whose_index_cannot_load_says_so(
        browser: Browser, full_site: Path, run_build: BuildFn, monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    """An index not there yet (the dev server builds it in the background) or not fetched: the reader
    is told, rather than left with an empty page."""
    public = full_site / "public"
    monkeypatch.setattr(search_plan, "SHARD_MIN_PAGES", 10)
    with serving(public, lambda origin: build(run_build, full_site, origin)) as site:
        (public / missing).unlink()
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site.url(f"/search/?q={QUERY}"))
        expect(page.locator("#search-status")).to_have_text("Search could not load. Try again in a moment.",
                                                            timeout=10_000)
        assert page.locator("#search-results li").count() == 0
        page.close()
    assert errors == []
