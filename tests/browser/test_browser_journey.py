"""A reader's journey in headless Chromium, with every request recorded.

Index -> an article -> a person -> a topic -> search, by following links as a
reader would; screenshots at 375 px and 1280 px go into the test's own
output directory; no request may leave the site's origin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from .support import CHROMIUM_ARGS, SEARCH_QUERY, ServedSite, chromium

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium()
    with sync_playwright() as pw:
        b = _launch(pw, path)
        yield b
        b.close()


def _launch(pw: Playwright, path: str) -> Browser:
    return pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


def _shot(page: Page, out: Path, name: str) -> None:
    page.screenshot(path=str(out / f"{name}-{page.viewport_size['width'] if page.viewport_size else 0}.png"),
                    full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_reader_journey_stays_on_our_origin(browser: Browser, served_site: ServedSite, tmp_path: Path,
                                            width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    requests: list[str] = []
    console_errors: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))

    page.goto(served_site.url("/"))
    expect(page.locator("h1")).to_have_text("Latest reporting")
    _shot(page, tmp_path, "index")

    page.locator(".card-title a").first.click()
    expect(page.locator("article.article h1")).to_be_visible()
    assert "/articles/" in page.url
    expect(page.locator("article.article time").first).to_have_attribute("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    _shot(page, tmp_path, "article")

    page.locator("#people-heading + ul a").first.click()
    assert "/people/" in page.url
    expect(page.locator("article.entity h1")).to_be_visible()
    _shot(page, tmp_path, "person")

    page.goto(served_site.url("/"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics").click()
    page.locator(".entity-list a").first.click()
    assert "/topics/" in page.url
    expect(page.locator("#articles-heading")).to_be_visible()
    _shot(page, tmp_path, "topic")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Search articles, people and topics").fill(SEARCH_QUERY)
    page.get_by_role("button", name="Search").click()
    results = page.locator("#search-results li")
    expect(results.first).to_be_visible(timeout=10_000)
    expect(page.locator("#search-status")).to_contain_text(f"for “{SEARCH_QUERY}”")
    expect(results.get_by_role("link", name="Maria Kalesnikava")).to_be_visible()
    assert "q=Kolesnikova" in page.url
    _shot(page, tmp_path, "search")

    # The result leads to the page it names.
    results.get_by_role("link", name="Maria Kalesnikava").click()
    assert page.url == served_site.url("/people/maria-kalesnikava/")
    context.close()

    foreign = [u for u in requests if not u.startswith(served_site.origin + "/")
               and not u.startswith(("data:", "blob:"))]
    assert requests, "no request recorded"
    assert foreign == [], f"requests to other origins: {foreign}"
    assert console_errors == [], f"errors in the console: {console_errors}"
    for name in ("index", "article", "person", "topic", "search"):
        assert (tmp_path / f"{name}-{width}.png").stat().st_size > 1000


def test_pages_read_without_javascript(browser: Browser, served_site: ServedSite,
                                       key_pages: dict[str, str]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for name in ("index", "article", "person", "topic"):
        page.goto(served_site.url(key_pages[name]))
        expect(page.locator("main h1")).to_be_visible()
    page.goto(served_site.url("/search/"))
    expect(page.locator("noscript, main").first).to_contain_text("Search")
    context.close()


def test_no_sideways_scroll_at_320px(browser: Browser, served_site: ServedSite, key_pages: dict[str, str]) -> None:
    """Responsive from 320 px: only tables scroll sideways, inside their own box."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in key_pages.values():
        page.goto(served_site.url(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide at a 320px viewport"
    context.close()


def test_content_keeps_its_distance_from_header_and_footer(browser: Browser, served_site: ServedSite,
                                                            key_pages: dict[str, str]) -> None:
    """The page's content does not touch the header's rule or the footer's: a person page ended in
    its tag list sitting on the footer line when ``.wrap`` reset the padding of ``main``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for path in key_pages.values():
        page.goto(served_site.url(path))
        gaps = page.evaluate("""() => {
            const main = document.querySelector('main'), last = main.lastElementChild;
            const header = document.querySelector('.site-header').getBoundingClientRect();
            const first = main.firstElementChild.getBoundingClientRect();
            const footer = document.querySelector('.site-footer').getBoundingClientRect();
            return [first.top - header.bottom, footer.top - last.getBoundingClientRect().bottom];
        }""")
        assert gaps[0] >= 12 and gaps[1] >= 32, \
            f"{path}: {gaps[0]:.0f}px below the header, {gaps[1]:.0f}px above the footer"
    context.close()


def test_skip_link_is_first_and_visible_on_focus(browser: Browser, served_site: ServedSite) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site.url("/"))
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to content")
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link stays off screen when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused links have no visible outline"
    context.close()
