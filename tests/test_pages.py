"""What every page tells browsers and share cards, checked on a real build.

The seed site in ``content/`` is copied to a temp dir (so one article can be
given an ``updated`` date) and built with the real command line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BASE = "https://readers.example.org"


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.title = ""
        self.json_ld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("name") or a["property"]] = a.get("content", "")
        elif tag == "link" and "rel" in a:
            self.links.setdefault(a["rel"], a.get("href", ""))
        elif tag == "title" or (tag == "script" and a.get("type") == "application/ld+json"):
            self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pages")
    content = work / "content"
    shutil.copytree(REPO / "content", content)
    shutil.copytree(REPO / "templates", work / "templates")
    article = sorted((content / "articles").glob("*.md"))[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^date: (.*)$", r"date: \1\nupdated: 2026-01-02", text, count=1, flags=re.M),
                       encoding="utf-8")
    out = work / "public"
    proc = subprocess.run([sys.executable, "-m", "site_builder", "build", "--content", str(content),
                           "--out", str(out), "--base-url", BASE], cwd=work, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


SHARE_TAGS = ("description", "og:title", "og:description", "og:url", "og:type", "og:site_name",
              "twitter:card", "twitter:title", "twitter:description")


def test_every_page_has_title_description_canonical_and_share_tags(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        head = _head(page)
        missing = [t for t in SHARE_TAGS if not head.meta.get(t)]
        assert missing == [], f"{page}: missing {missing}"
        assert head.title.strip(), page
        if page.name == "404.html":
            continue  # served at any address: no single canonical URL is right
        rel = page.relative_to(site).parent.as_posix()
        expected = f"{BASE}/" if rel == "." else f"{BASE}/{rel}/"
        assert head.links.get("canonical") == expected, page
        assert head.meta["og:url"] == expected, page


def test_articles_carry_news_article_json_ld(site: Path) -> None:
    for page in sorted((site / "articles").glob("*/index.html")):
        head = _head(page)
        data = json.loads("".join(head.json_ld))
        assert data["@type"] == "NewsArticle"
        assert data["headline"] and data["datePublished"] and data["url"] == head.links["canonical"]
        assert head.meta["og:type"] == "article"


def test_article_page_shows_what_readers_need(site: Path) -> None:
    pages = sorted((site / "articles").glob("*/index.html"))
    html = pages[0].read_text(encoding="utf-8")
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)
    assert re.search(r"\d+ min read", html)
    summary = re.search(r'<meta name="description" content="([^"]*)"', html)
    assert summary and 'class="prose"' in html
    # The summary is the standfirst, or the opening of the text when the text starts with it.
    lede = re.search(r'<p class="lede">(.*?)</p>', html)
    first = re.search(r'<div class="prose">\s*<p>(.*?)</p>', html, re.S)
    opening = re.sub(r"<[^>]+>", "", first.group(1)) if first else ""
    assert (lede and lede.group(1) == summary.group(1)) or opening.startswith(summary.group(1))
    assert 'id="people-heading"' in html and 'id="topics-heading"' in html
    assert 'id="related-heading"' in html
    assert 'Updated <time datetime="2026-01-02">2 January 2026</time>' in html
    assert '<meta property="article:modified_time" content="2026-01-02">' in html
    others = [p.read_text(encoding="utf-8") for p in pages[1:]]
    assert not any('class="updated"' in o for o in others), "no updated notice without an 'updated' date"


def test_pages_have_skip_link_breadcrumbs_and_one_stylesheet(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert '<a class="skip-link" href="#main">' in html, page
        assert html.count('rel="stylesheet"') == 1, page
        if page.parent != site:  # every page but the home page and 404
            assert 'aria-label="Breadcrumb"' in html, page
    css = (site / "assets" / "style.css").read_text(encoding="utf-8")
    for needed in ("prefers-color-scheme: dark", "@media print", ":focus-visible", ".table-wrap"):
        assert needed in css
