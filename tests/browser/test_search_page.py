"""The search page as a reader uses it, in Chromium over real HTTP: what is on screen is always the
newest query's, more than the first results can be reached, the address follows the query, and an
index built in two shards finds exactly what one index finds, query words missing from a shard
included."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from site_builder import search_plan
from site_builder.build import BuildResult

from .support import QuietHandler, ServedSite, serving

BuildFn = Callable[..., BuildResult]
"""The ``run_build`` fixture (conftest.py)."""

pytestmark = pytest.mark.browser


def add_article(content: Path, slug: str, body: str, title: str = "") -> None:
    (content / "articles" / f"{slug}.md").write_text(
        f"---\ntitle: {title or slug.replace('-', ' ').capitalize()}\nslug: {slug}\ndate: 2025-11-03\n"
        f"summary: A record of the court.\npeople: []\ntopics: []\n---\n{body}\n", encoding="utf-8")


def add_court_records(content: Path, n: int) -> None:
    """``n`` articles that all use the word "hearing"; two of them the rare words "quokka" and "zubrovka"."""
    for i in range(n):
        rare = {0: " A quokka was mentioned.", 1: " Zubrovka was mentioned."}.get(i, "")
        add_article(content, f"court-record-{i:02d}-{'ab'[i % 2]}",
                    f"The court in Hrodna held a hearing in case {i}; relatives waited outside.{rare}")


def open_search(browser: Browser, site: ServedSite, query: str = "") -> tuple[Page, list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site.url("/search/" + (f"?q={urllib.parse.quote(query)}" if query else "")))
    return page, errors


def shown(page: Page) -> list[str]:
    return page.locator("#search-results li h2 a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")


class SlowFragments(QuietHandler):
    """Holds back the page data (Pagefind's fragments) asked for while :attr:`held` is set: a slow
    network for the first query only."""

    held = threading.Event()

    def do_GET(self) -> None:
        if "/fragment/" in self.path and self.held.is_set():
            time.sleep(2.0)
        super().do_GET()


def test_an_older_query_answered_late_never_replaces_the_newer_ones_results(
        browser: Browser, full_site: Path, run_build: BuildFn) -> None:
    add_court_records(full_site / "content", 4)
    public = full_site / "public"
    SlowFragments.held.clear()
    with serving(public, lambda origin: run_build(full_site, base_url=origin), SlowFragments) as site:
        page, errors = open_search(browser, site)
        box = page.locator("#search-input")
        SlowFragments.held.set()
        box.fill("zubrovka")
        box.press("Enter")
        page.wait_for_timeout(600)  # its page data asked for, and held back
        SlowFragments.held.clear()
        box.fill("quokka")
        box.press("Enter")
        expect(page.locator("#search-status")).to_have_text("1 result for “quokka”.", timeout=10_000)
        page.wait_for_timeout(2_500)  # the first query's data has arrived meanwhile
        expect(page.locator("#search-status")).to_have_text("1 result for “quokka”.")
        assert shown(page) == ["/articles/court-record-00-a/"]
        assert urllib.parse.urlsplit(page.url).query == "q=quokka"
        page.close()
    assert errors == []


def test_emptying_the_box_clears_the_results_and_no_pending_search_brings_them_back(
        browser: Browser, full_site: Path, run_build: BuildFn) -> None:
    add_court_records(full_site / "content", 4)
    public = full_site / "public"
    with serving(public, lambda origin: run_build(full_site, base_url=origin)) as site:
        page, errors = open_search(browser, site, "hearing")
        expect(page.locator("#search-status")).to_contain_text("for “hearing”", timeout=10_000)
        box = page.locator("#search-input")
        box.fill("quokka")  # typed: its search waits for the typing to pause
        box.fill("")
        page.wait_for_timeout(1_500)
        expect(page.locator("#search-status")).to_have_text("")
        assert shown(page) == []
        assert urllib.parse.urlsplit(page.url).query == ""
        page.close()
    assert errors == []


def test_every_result_can_be_reached_and_the_address_follows_what_was_typed(
        browser: Browser, full_site: Path, run_build: BuildFn) -> None:
    add_court_records(full_site / "content", 45)
    public = full_site / "public"
    with serving(public, lambda origin: run_build(full_site, base_url=origin)) as site:
        page, errors = open_search(browser, site)
        page.locator("#search-input").press_sequentially("hearing", delay=30)
        status = page.locator("#search-status")
        more = page.get_by_role("button", name="Show more results")
        expect(status).to_have_text("45 results for “hearing”, showing the first 20.", timeout=10_000)
        assert urllib.parse.urlsplit(page.url).query == "q=hearing"  # a reload or Back brings it back
        first = shown(page)
        more.click()
        expect(status).to_have_text("45 results for “hearing”, showing the first 40.")
        expect(page.locator("#search-results li:nth-child(21) h2 a")).to_be_focused()
        more.click()
        expect(status).to_have_text("45 results for “hearing”.")
        expect(more).to_be_hidden()
        every = shown(page)
        assert every[:20] == first and len(set(every)) == 45
        assert {f"/articles/court-record-{i:02d}-{'ab'[i % 2]}/" for i in range(45)} == set(every)
        page.reload()
        expect(status).to_have_text("45 results for “hearing”, showing the first 20.", timeout=10_000)
        assert shown(page) == first
        page.close()
    assert errors == []


QUERIES = ("Seviarynets released", "rejoice", "zubrovka hearing", "quokka", "hearing quokka",
           "pris", "sanctions relief", "\"political prisoners\"")
"""Words of the seed site and of the added records; in one shard only, in both, a prefix, a phrase.
"rejoice" is one article's word: the other shard's nearest word ("re" of "re-imposing") stands in
for it there, which one index never does while a page has the word."""


def results_for(browser: Browser, site: ServedSite, query: str) -> tuple[str, list[str]]:
    page, errors = open_search(browser, site, query)
    status = page.locator("#search-status")
    expect(status).not_to_have_text("", timeout=10_000)
    more = page.get_by_role("button", name="Show more results")
    while more.is_visible():
        count = page.locator("#search-results li").count()
        more.click()
        expect(page.locator("#search-results li")).not_to_have_count(count)
    found = status.inner_text(), sorted(shown(page))
    page.close()
    assert errors == []
    return found


def test_two_shards_find_exactly_what_one_index_finds(
        browser: Browser, full_site: Path, run_build: BuildFn, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query word that one shard lacks: that shard has no page one index would list, whatever
    Pagefind finds in it on its own (the word left out, or a shorter word standing in for it)."""
    add_court_records(full_site / "content", 40)
    public = full_site / "public"
    with serving(public, lambda origin: run_build(full_site, base_url=origin)) as site:
        assert not (public / "pagefind" / "shard-2").exists()
        one = {query: results_for(browser, site, query) for query in QUERIES}
    monkeypatch.setattr(search_plan, "SHARD_MIN_PAGES", 10)
    with serving(public, lambda origin: run_build(full_site, base_url=origin)) as site:
        assert (public / "pagefind" / "shard-2" / "pagefind.js").is_file()
        two = {query: results_for(browser, site, query) for query in QUERIES}
    assert one["rejoice"][0] == "1 result for “rejoice”."
    assert one["zubrovka hearing"][1] == ["/articles/court-record-01-b/"]
    assert two == one


def test_the_byline_is_not_searched_but_each_article_result_still_shows_its_date(
        browser: Browser, full_site: Path, run_build: BuildFn) -> None:
    """Every article's byline says "N min read": indexed, "min read" matched every article and
    excerpts began with the date. It is left out of the index; the date still reaches the results."""
    public = full_site / "public"
    with serving(public, lambda origin: run_build(full_site, base_url=origin)) as site:
        page, errors = open_search(browser, site, "min read")
        expect(page.locator("#search-status")).to_have_text("No results for “min read”.", timeout=10_000)
        page.close()
        page, more_errors = open_search(browser, site, "Kalesnikava")
        expect(page.locator("#search-status")).to_contain_text("for “Kalesnikava”", timeout=10_000)
        metas = page.locator("#search-results li .meta").all_inner_texts()
        excerpts = page.locator("#search-results li > p:last-child").all_inner_texts()
        page.close()
    assert any(m.startswith("Article · ") and m[len("Article · "):][:2].strip().isdigit() for m in metas), metas
    assert not any("min read" in e for e in excerpts), excerpts
    assert errors == more_errors == []
