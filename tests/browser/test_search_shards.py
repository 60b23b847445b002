"""Search in Chromium over an index built in two shards finds what one index finds.

A site of thousands of pages is indexed by two Pagefind runs side by side
(:mod:`site_builder.search_plan`), and the search page merges the second
bundle into the first.  The seed site is built both ways (the threshold
lowered so that its 21 pages split) and the same query is run on each in a
real browser, over real HTTP.
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


def search(browser: Browser, site: ServedSite) -> tuple[str, list[str], list[str]]:
    """The status line, the result pages and the bundles fetched, for :data:`QUERY`."""
    page = browser.new_page()
    errors: list[str] = []
    fetched: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(site.url(f"/search/?q={QUERY}"))
    status = page.locator("#search-status")
    expect(status).to_contain_text(f"for “{QUERY}”", timeout=10_000)
    found = page.locator("#search-results li h2 a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")
    text = status.inner_text()
    page.close()
    assert errors == []
    bundles = sorted({u.split("/pagefind/", 1)[1].split("/")[0] for u in fetched if "/pagefind/" in u
                      and u.split("/pagefind/", 1)[1].startswith("shard-")})
    return text, sorted(found), bundles


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
    assert (status, pages) == one[:2]
    assert 0 < len(in_first.intersection(pages)) < len(pages), "the results come from both shards"
