"""Hypothesis fuzzing: loaders, cleaner and renderer never crash on any input.

- The front-matter loader either returns a document or raises SiteError.
- The cleaner (clean_markdown and clean_raw) never raises and is idempotent:
  cleaning its own output changes nothing.
- The Markdown renderer never raises anything but SiteError, and its output
  holds no script, no event handler and no javascript: link.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scanner import scan_html

from site_builder import load, schema
from site_builder.clean import clean_markdown, clean_raw
from site_builder.errors import SiteError
from site_builder.markdown import _OWN_PATH, check_nesting, is_external, render_markdown
from site_builder.yamlio import load_mapping

ORIGIN = "https://example.org"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text rich in the characters that matter to YAML, Markdown, HTML and the cleaner.
PIECES = st.sampled_from([
    "---", "\n", "\n\n", " ", "  ", "\t", ":", "- ", "* ", "> ", "# ", "## ", "|", "| --- |", "[", "]", "(", ")",
    "!", "<", ">", "&", '"', "'", "`", "```", "~~", "*", "_", "\\", "{{", "}}", "{%", "%}", "&#x09;",
    "javascript:", "data:", "https://x.example/", "<script>", "</script>", "<img src=x onerror=alert(1)>",
    "<svg onload=1>", "<a href=javascript:1>", "[^1]", "[^1]: ", "1. ", "U.S.", "3.5", "e.g.", "a", "an",
    "apple", "maria kalesnikava", "Listen to this article", "FAQ", "?", ",", ";", ".", "\u202e", "\u200b",
    "\ufeff", "\x00", "\r\n", "é", "Ё", "😀", "title: x", "&a [*a]", "!!python/object", "2025-02-30",
])
TEXT = st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=60).map("".join))


@given(TEXT)
@FUZZ
def test_yaml_loader_never_crashes(text: str) -> None:
    try:
        meta, lines = load_mapping(text, "x.md")
        schema.validate(meta, lines, "x.md", schema.ARTICLE)
    except SiteError:
        pass


@given(TEXT)
@FUZZ
def test_front_matter_split_never_crashes(text: str) -> None:
    try:
        _, body, line = load.split_front_matter(text, "x.md")
    except SiteError:
        return
    assert line >= 1
    assert body in text


@given(st.binary(max_size=400))
@FUZZ
def test_document_loader_takes_any_bytes(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "x.md"
    path.write_bytes(data)
    with contextlib.suppress(SiteError):
        load.load_document(path, tmp_path / "content", schema.ARTICLE)



@given(TEXT)
@example("|-|")
@FUZZ
def test_clean_markdown_never_raises(text: str) -> None:
    clean_markdown(text, "x.md")


@given(TEXT)
@example("|")
@FUZZ
def test_clean_markdown_is_idempotent(text: str) -> None:
    try:
        once = clean_markdown(text, "x.md").markdown
    except IndexError:
        return  # covered by test_clean_markdown_never_raises
    assert clean_markdown(once, "x.md").markdown == once


@given(TEXT)
@example("|-|")
@FUZZ
def test_clean_raw_never_raises(text: str) -> None:
    clean_raw(text, "x.txt")


@given(TEXT)
@example(">a")
@FUZZ
def test_imported_text_is_stable_under_the_build_cleaner(text: str) -> None:
    """import writes clean_raw's output; build must not change it again."""
    once = clean_raw(text, "x.txt").markdown
    try:
        again = clean_markdown(once, "x.md").markdown
    except IndexError:
        return  # covered by test_clean_markdown_never_raises
    assert again == once


@pytest.mark.parametrize("raw_html", [False, True])
@given(text=TEXT)
@FUZZ
def test_renderer_is_total_and_safe(raw_html: bool, text: str) -> None:
    try:
        check_nesting(text, "x.md")
    except SiteError:
        return
    html = render_markdown(text, ORIGIN, allow_html=raw_html)
    # Escaped text may mention <script> or javascript:; markup may not.
    assert scan_html(html, ORIGIN, "x.html") == []


HREF_PIECES = st.sampled_from(["/", "//", "\\", "/\\", "\t", "\n", "\r", " ", "evil.test", "people", "x", ":", "@",
                               "%2f", "%5c", "?", "#", "https:", "javascript:", ".", ".."])


@FUZZ
@given(st.one_of(st.text(max_size=40), st.lists(HREF_PIECES, max_size=12).map("".join)).map(lambda s: "/" + s))
def test_links_taken_for_ours_without_parsing_are_ours(href: str) -> None:
    # The renderer skips parsing hrefs that look like our own paths (every person
    # link); that shortcut must never let an external link through without rel.
    if _OWN_PATH.match(href):
        assert not is_external(href, ORIGIN)
