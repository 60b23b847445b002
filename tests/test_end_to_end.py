"""Import the five seeds into a fresh site, build it, and check what readers get."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from sitetools import ROOT, SEEDS

from site_builder.clean.tables import is_separator, is_table_row, split_cells
from site_builder.cli import main

BASE = "https://preview.example.net"


class Page(HTMLParser):
    """Links, ids and tables of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def seed_tables(path: Path) -> list[tuple[int, int]]:
    """(columns, body rows) of every pipe table in a raw seed."""
    tables: list[list[str]] = []
    previous = False
    for line in path.read_text(encoding="utf-8").splitlines():
        row = is_table_row(line)
        if row and not previous:
            tables.append([])
        if row:
            tables[-1].append(line)
        previous = row
    out = []
    for rows in tables:
        data = [r for r in rows if not is_separator(r)]
        out.append((max(len(split_cells(r.strip())) for r in data), len(data) - 1))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns("articles"))
    (root / "content" / "articles").mkdir()
    shutil.copytree(ROOT / "templates", root / "templates")
    common = ["--content", str(root / "content"), "--templates", str(root / "templates")]
    for index, seed in enumerate(SEEDS):
        assert main(["import", str(seed), "--date", f"2025-0{index + 1}-10", *common]) == 0
    assert main(["build", *common, "--out", str(root / "public"), "--base-url", BASE]) == 0
    return root


def test_every_page_of_the_url_table_exists(built: Path) -> None:
    public = built / "public"
    slugs = [p.stem for p in (built / "content" / "articles").glob("*.md")]
    assert len(slugs) == 5
    expected = ["index.html", "people/index.html", "topics/index.html", "feed.xml", "sitemap.xml",
                "robots.txt", "404.html", "assets/style.css"]
    expected += [f"articles/{s}/index.html" for s in slugs]
    expected += [f"people/{p.stem}/index.html" for p in (built / "content" / "people").glob("*.md")]
    expected += [f"people/{p.stem}/feed.xml" for p in (built / "content" / "people").glob("*.md")]
    expected += [f"topics/{p.stem}/index.html" for p in (built / "content" / "topics").glob("*.md")]
    expected += [f"topics/{p.stem}/feed.xml" for p in (built / "content" / "topics").glob("*.md")]
    missing = [e for e in expected if not (public / e).is_file()]
    assert not missing


def test_every_internal_link_and_fragment_resolves(built: Path) -> None:
    public = built / "public"
    pages = {p: parse(p) for p in public.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        url = "/" + str(path.relative_to(public)).replace("index.html", "")
        for link in page.links:
            absolute = urljoin(BASE + url, link)
            if not absolute.startswith(BASE):
                continue
            target_url, fragment = urldefrag(absolute)
            rel = urlsplit(target_url).path.lstrip("/")
            target = public / rel
            if target.is_dir() or rel == "":
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(public)} -> {link}")
            elif fragment and fragment not in pages.get(target, Page()).ids:
                broken.append(f"{path.relative_to(public)} -> {link} (no #{fragment})")
    assert not broken


def test_every_seed_table_is_a_table_with_its_rows_and_columns(built: Path) -> None:
    public = built / "public"
    total = 0
    for seed in SEEDS:
        article = next(p for p in (built / "content" / "articles").glob("*.md")
                       if f"source: {seed.relative_to(seed.parent.parent)}" in p.read_text())
        page = parse(public / "articles" / article.stem / "index.html")
        expected = seed_tables(seed)
        got = [(max(len(r) for r in t), len(t) - 1) for t in page.tables]
        assert got == expected, seed.name
        for table in page.tables:
            assert all(len(row) == len(table[0]) for row in table)
            assert all(cell[:1].isupper() or cell[:1].isdigit() for cell in table[0] if cell)
        total += len(expected)
    assert total == 14


def test_feed_is_rss_with_absolute_links(built: Path) -> None:
    for feed in [built / "public" / "feed.xml", *sorted((built / "public" / "people").glob("*/feed.xml"))]:
        root = ET.parse(feed).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        assert channel is not None
        for tag in ("title", "link", "description"):
            assert (channel.findtext(tag) or "").strip()
        for item in channel.findall("item"):
            link = item.findtext("link") or ""
            assert link.startswith(BASE + "/articles/")
            assert item.findtext("guid") == link
            assert re.match(r"\w{3}, \d{2} \w{3} \d{4} ", item.findtext("pubDate") or "")
    main_feed = ET.parse(built / "public" / "feed.xml").getroot()
    assert len(main_feed.findall("channel/item")) == 5


def test_index_lists_the_five_articles_newest_first(built: Path) -> None:
    html = (built / "public" / "index.html").read_text()
    dates = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})"', html)
    assert len(dates) == 5
    assert dates == sorted(dates, reverse=True)


def test_base_url_is_used_everywhere_and_production_never_appears(built: Path) -> None:
    for path in (built / "public").rglob("*"):
        if path.suffix in (".html", ".xml", ".txt"):
            text = path.read_text()
            assert "belarus-prisoners.example.org" not in text, path
    assert f"<loc>{BASE}/</loc>" in (built / "public" / "sitemap.xml").read_text()
    assert f"Sitemap: {BASE}/sitemap.xml" in (built / "public" / "robots.txt").read_text()


def test_import_again_skips_and_keeps_the_file(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = sorted((built / "content" / "articles").glob("*.md"))
    before = {p: p.read_bytes() for p in articles}
    common = ["--content", str(built / "content"), "--templates", str(built / "templates")]
    assert main(["import", str(SEEDS[0]), *common]) == 0
    assert "skipped" in capsys.readouterr().out
    assert sorted((built / "content" / "articles").glob("*.md")) == articles
    assert {p: p.read_bytes() for p in articles} == before


def test_raw_html_is_escaped_not_passed_through(built: Path) -> None:
    html = (built / "public" / "index.html").read_text()
    assert "<script>" not in html


def test_import_of_another_story_with_the_same_headline_takes_the_next_slug(
        built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A headline that recurs is not a story already imported: the second story is kept, under
    the next free slug, and the editor is told; the first is untouched."""
    articles = built / "content" / "articles"
    before = {p: p.read_bytes() for p in articles.glob("*.md")}
    title = next(line for line in SEEDS[0].read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    other = tmp_path / "other-story.txt"
    other.write_text(f"{title}\nA different story told under the same headline, in Minsk.\n", encoding="utf-8")
    common = ["--content", str(built / "content"), "--templates", str(built / "templates")]
    assert main(["import", str(other), *common]) == 0
    out = capsys.readouterr().out
    new = sorted(set(articles.glob("*.md")) - set(before))
    assert len(new) == 1 and new[0].stem.endswith("-2"), new
    assert f"is another article's, so its slug is '{new[0].stem}'" in out
    assert "A different story" in new[0].read_text(encoding="utf-8")
    assert {p: p.read_bytes() for p in before} == before
    assert main(["import", str(other), *common]) == 0  # the same seed again: already imported
    assert "skipped" in capsys.readouterr().out
    assert sorted(set(articles.glob("*.md")) - set(before)) == new
