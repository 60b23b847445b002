"""Hostile content builds into pages and feeds that run, load and leak nothing.

The hostile site (``hostile_site/``, laid over the base site) carries raw
HTML, script, SVG and MathML tricks, event handlers, javascript:/vbscript:/
data: links and images, title and alt breakouts, Jinja-looking text and
tracking images.  It must build, and every page and feed must pass the
scanner, with raw HTML escaped (the default) and sanitised by nh3
(``allow_raw_html: true``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from safety_kit import HERE, build, make_site, output_files, overlay
from scanner import scan_feed, scan_html, scan_site

ORIGIN = "https://example.org"


def _hostile_site(root: Path, raw_html: bool) -> Path:
    make_site(root)
    overlay(HERE / "hostile_site" / "content", root / "content")
    if raw_html:
        with (root / "content" / "site.yaml").open("a", encoding="utf-8") as f:
            f.write("allow_raw_html: true\n")
    run = build(root)
    assert run.code == 0, run.err
    return root / "public"


@pytest.fixture(scope="module", params=[False, True], ids=["escaped", "raw-html-sanitised"])
def public(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _hostile_site(tmp_path_factory.mktemp("hostile"), request.param)


def test_scanner_passes_every_page_and_feed(public: Path) -> None:
    assert scan_site(public, ORIGIN) == []


def test_nothing_executable_or_third_party_anywhere(public: Path) -> None:
    for path in output_files(public):
        text = path.read_text(encoding="utf-8").lower()
        # Escaped, these are harmless text (&lt;iframe); raw, they would be markup.
        for needle in ("<script>alert", "<iframe", "<svg", "<math", "<object", "<base ", "<meta http-equiv=\"refresh",
                       "<style", "<link rel=\"stylesheet\" href=\"https://evil", "<div onmouseover"):
            assert needle not in text, f"{path}: {needle}"


def test_jinja_in_content_is_text_not_code(public: Path) -> None:
    page = (public / "articles/hostile/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }} {% include &#39;base.html&#39; %}" in page or "{{ 7*7 }} {% include 'base.html' %}" in page
    assert "{{ &#39;&#39;." in page or "{{ ''." in page
    person = (public / "people/eve-example/index.html").read_text(encoding="utf-8")
    assert "Eve {{ 7*7 }}" in person
    assert "49" not in person.replace("2049", "")


def test_tracking_image_becomes_a_link(public: Path) -> None:
    page = (public / "articles/hostile/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="https://tracker.example/pixel.gif" rel="[^"]*noreferrer[^"]*">pixel</a>', page)
    assert re.search(r'<a href="https://example.org.tracker.example/p.gif" rel="[^"]*noreferrer', page)
    assert '<img src="/images/ok.png" alt="ok"' in page


def test_breakouts_stay_inside_their_attribute(public: Path) -> None:
    page = (public / "articles/hostile/index.html").read_text(encoding="utf-8")
    assert 'alt="alt&quot; onerror=&quot;alert(1)"' in page
    assert 'title="x&quot; onmouseover=&quot;alert(1)"' in page


def test_feeds_escape_as_pages_do(public: Path) -> None:
    feed = (public / "feed.xml").read_text(encoding="utf-8")
    # What a reader sees after XML decoding is HTML-escaped text, not a comment or tag.
    assert "<description>Summary {{ 7*7 }} ]]&amp;gt; a &amp;lt; b &amp;amp; c</description>" in feed
    page = (public / "articles/hostile/index.html").read_text(encoding="utf-8")
    assert html.escape("Summary {{ 7*7 }} ]]> a < b & c", quote=False) in page


def test_content_cannot_create_netlify_files(public: Path) -> None:
    names = {p.relative_to(public).as_posix() for p in public.rglob("*")}
    assert not {"_headers", "_redirects", "netlify.toml"} & names
    assert all(not part.startswith(".") or part == ".site-builder-output" for n in names for part in n.split("/"))


# -- the scanner itself must catch what it claims to -----------------------------------------

@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>", '<script src="https://cdn.example/x.js"></script>',
    '<script type="module" src="/app.js"></script>', '<img src="x" onerror="alert(1)">',
    '<a href="java\tscript:alert(1)">x</a>', '<a href=" JAVASCRIPT:alert(1)">x</a>',
    '<img src="data:image/png;base64,AAAA">', '<img src="https://tracker.example/p.gif">',
    '<img src="//tracker.example/p.gif">', '<img srcset="/a.png 1x, https://t.example/b.png 2x">',
    '<link rel="stylesheet" href="https://evil.example/x.css">', '<iframe src="/x"></iframe>',
    '<svg><a href="/x">x</a></svg>', '<form action="https://evil.example/"></form>',
    '<a href="https://other.example/">x</a>', '<meta http-equiv="refresh" content="0">',
    '<p style="background:url(https://t.example/x)">x</p>', '<a href="vbscript:x">x</a>',
])
def test_scanner_catches(snippet: str) -> None:
    assert scan_html(snippet, ORIGIN, "t.html")


@pytest.mark.parametrize("snippet", [
    '<script type="application/ld+json">{"a": 1}</script>', '<script src="/pagefind/pagefind-ui.js"></script>',
    '<a href="https://other.example/" rel="noopener noreferrer">x</a>', '<img src="/a.png" alt="">',
    '<link rel="canonical" href="https://example.org/x/">', '<a href="mailto:a@example.org">m</a>',
    '<link rel="stylesheet" href="https://example.org/assets/style.css">',
])
def test_scanner_allows(snippet: str) -> None:
    assert scan_html(snippet, ORIGIN, "t.html") == []


def test_feed_scanner_catches_markup_in_description() -> None:
    feed = b"<rss><channel><item><description>&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>"
    assert scan_feed(feed, ORIGIN, "feed.xml")


def test_scanner_passes_the_real_site(tmp_path: Path) -> None:
    """The publication's own content/ builds into pages and feeds that pass the scanner."""
    import shutil

    from safety_kit import REPO, TEMPLATES

    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    run = build(tmp_path)
    assert run.code == 0, run.err
    base = (REPO / "content/site.yaml").read_text(encoding="utf-8").split("base_url:")[1].split()[0]
    assert scan_site(tmp_path / "public", base) == []
