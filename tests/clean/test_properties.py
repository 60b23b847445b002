"""The cleaner's promises, as properties over generated text (hypothesis).

- cleaning twice changes nothing;
- no digit, URL, code span, quotation or registered name is altered;
- tables keep their cells;
- nothing outside a reported change differs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.clean import CleanOptions, clean_markdown, clean_raw
from site_builder.clean.protect import names_pattern
from site_builder.clean.spelling import corrections
from site_builder.clean.tables import split_cells
from site_builder.style import load_style

CONTENT = Path(__file__).resolve().parents[2] / "content"
NAMES = ("Maria Kalesnikava", "Ales Bialiatski", "Lukashenko")
OPTIONS: CleanOptions = replace(load_style(CONTENT), names=names_pattern(NAMES))

KEEP = (
    "https://spring96.org/en/news,teh.html", "www.example.com/a.b", "press@viasna.org", "docs/report.pdf",
    "`teh,code.x`", "“a important,teh quote.”", '"belarus said,this"', "Maria Kalesnikava", "Lukashenko",
    "ALES BIALIATSKI", "3.5", "10:30", "1,000", "2020",
)
"""Tokens that must come out exactly as they went in."""
WORDS = (
    "the", "a", "an", "important", "teh", "goverment", "belarus", "september", "U.S.", "e.g.", "i.e.",
    "release", "Prisoners", "it", "is", "indeed", "imperative", "hour", "university", "MP", "some", "this",
    "iPhone", "Viasna", "dialog", "legal", "portrayal", "Minsk", "x",
)
JOINERS = (" ", " ", " ", ", ", ",", ". ", ".", "; ", ": ", "? ", "! ", "\u00a0", "\u200b ", ",\u200b")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

token = st.sampled_from((*WORDS, *KEEP))
sentence = st.lists(st.tuples(token, st.sampled_from(JOINERS)), min_size=1, max_size=14).map(
    lambda parts: "".join(t + j for t, j in parts).strip()
)
prefix = st.sampled_from(("", "", "", "- ", "## ", "1. ", "> "))
line = st.tuples(prefix, sentence).map("".join)
document = st.lists(st.one_of(line, st.just("")), min_size=1, max_size=8).map("\n".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _digits(text: str) -> list[str]:
    return re.findall(r"\d", text)


@SETTINGS
@given(document)
def test_cleaning_twice_changes_nothing(text: str) -> None:
    once = clean_markdown(text, "p.md", OPTIONS)
    twice = clean_markdown(once.markdown, "p.md", OPTIONS)
    assert twice.markdown == once.markdown
    assert not [c for c in twice.changes if not c.warn_only]


@SETTINGS
@given(document)
@example("the\n> 2020. the")  # a quoted list item: raw and Markdown cleaning must both see one
@example("Title\n> - human Rights Advocacy: joint statement.")
def test_raw_cleaning_twice_changes_nothing(text: str) -> None:
    once = clean_raw(text, "p.txt", OPTIONS)
    twice = clean_markdown(once.markdown, "p.md", OPTIONS)
    assert twice.markdown == once.markdown


@SETTINGS
@given(document)
def test_digits_and_protected_text_are_kept(text: str) -> None:
    out = clean_markdown(text, "p.md", OPTIONS).markdown
    assert _digits(out) == _digits(text)
    for keep in KEEP:
        assert out.count(keep) == text.count(keep), keep


@SETTINGS
@given(document)
def test_nothing_outside_a_reported_change_differs(text: str) -> None:
    result = clean_markdown(text, "p.md", OPTIONS)
    source = text.split("\n")
    changed = {c.line for c in result.changes}
    for block in result.blocks:
        for ln in block.lines:
            if ln.number not in changed and block.kind != "table":
                assert ln.prefix + ln.text == source[ln.number - 1]
    for change in result.changes:
        assert 1 <= change.line <= len(source)
        assert 1 <= change.column <= len(source[change.line - 1]) + 1


@SETTINGS
@given(document)
def test_change_columns_point_at_the_source(text: str) -> None:
    source = text.split("\n")
    for change in clean_markdown(text, "p.md", OPTIONS).changes:
        at = source[change.line - 1][change.column - 1:]
        if change.rule == "casing":
            assert at[:1].islower()
        elif change.rule == "spacing":
            # the space goes after the mark (or after a zero-width character removed there)
            assert source[change.line - 1][: change.column - 1].rstrip(ZERO_WIDTH)[-1:] in tuple(",;:.!?")
        elif change.rule == "spelling":
            word = re.match(r"[A-Za-z]+", at)
            assert word and word.group().lower() in corrections()
        elif change.rule == "articles":
            assert re.match(r"(?:a|an|A|An)\b", at)


cell = st.lists(st.sampled_from((*WORDS, "3.5", "`a|b`", "")), max_size=4).map(" ".join)
table = st.tuples(
    st.integers(min_value=1, max_value=4), st.lists(st.lists(cell, min_size=1, max_size=4), min_size=1, max_size=5)
)


@SETTINGS
@given(table)
def test_tables_keep_their_cells(spec: tuple[int, list[list[str]]]) -> None:
    width, rows = spec
    rows = [(r + [""] * width)[:width] for r in rows]
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join([lines[0], "| " + " | ".join(["---"] * width) + " |", *lines[1:]]) + "\n"
    out = clean_markdown(text, "t.md", OPTIONS).markdown.rstrip("\n").split("\n")
    assert len(out) == len(rows) + 1
    for given_row, line in zip(rows, [out[0], *out[2:]], strict=True):
        cells = [c for _, c in split_cells(line)]
        assert len(cells) == width
        for before, after in zip(given_row, cells, strict=True):
            assert _digits(before) == _digits(after)
            assert len(before.split()) == len(after.split())
