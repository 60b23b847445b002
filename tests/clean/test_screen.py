"""The screen (site_builder/clean/screen.py) skips lines, never changes a result.

Cleaning with the screen must give exactly what running every rule on every
line gives: the same Markdown and the same changes, for any text.  And it
must skip something: on clean prose it flags no line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fixtures import FIXTURES, read_cases
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.clean import RULES, CleanOptions, clean_markdown, clean_raw
from site_builder.clean.markdown_blocks import parse_markdown
from site_builder.clean.protect import names_pattern
from site_builder.clean.rules import DocumentWords, Phrase
from site_builder.clean.screen import join, lines_to_check
from site_builder.style import load_style

CONTENT = Path(__file__).resolve().parents[2] / "content"
NAMES = ("Maria Kalesnikava", "Ales Bialiatski", "Lukashenko")
OPTIONS: CleanOptions = replace(
    load_style(CONTENT), names=names_pattern(NAMES),
    phrases=(*load_style(CONTENT).phrases, Phrase("new york", "New York"), Phrase("in order to", "to", warn=True)),
    proper_nouns=load_style(CONTENT).proper_nouns | {"hrodna", "viasna’s", "łódź"},
)

WORDS = (
    "the", "a", "an", "A", "An", "important", "hour", "university", "MP", "NGO", "one", "union", "teh", "Teh",
    "goverment", "belarus", "Belarus", "september", "hrodna", "viasna’s", "U.S.", "e.g.", "i.e.", "etc.",
    "it", "is", "indeed", "imperative", "legal", "portrayal", "new", "york", "in", "order", "to", "some",
    "this", "however", "iPhone", "Minsk", "x", "łódź", "émigré", "Émigré", "3.5", "10:30", "1,000",
    "https://example.org/a,b.html", "`code.x`", "“a important quote.”", "Maria Kalesnikava", "sys.path",
    "e\u017f\u017fential", "\u212ayiv", "\u0130ndeed", "essential", "insignificant", "signficant", "septembers",
    "setpember", "kiev", "kyiv",
)
JOINERS = (" ", " ", " ", ", ", ",", ". ", ".", "; ", ": ", "? ", "! ", ".” ", "\u00a0", "\x00", "\t")
PREFIXES = ("", "", "", "", "- ", "- Label words: ", "## ", "1. ", "> ", "    ", "| ")

token = st.sampled_from(WORDS)
sentence = st.lists(st.tuples(token, st.sampled_from(JOINERS)), min_size=1, max_size=10).map(
    lambda parts: "".join(t + j for t, j in parts).strip(" ")
)
line = st.tuples(st.sampled_from(PREFIXES), sentence).map("".join)
cell = st.lists(token, max_size=3).map(" ".join)
table = st.lists(st.lists(cell, min_size=2, max_size=2), min_size=1, max_size=3).map(
    lambda rows: "\n".join(["| " + " | ".join(rows[0]) + " |", "| --- | --- |",
                            *("| " + " | ".join(r) + " |" for r in rows[1:])])
)
# Lines without a blank between them continue a paragraph: whether a line starts a
# sentence then depends on how the line before ends, after it is cleaned.
document = st.lists(st.one_of(line, line, line, table, st.just("")), min_size=1, max_size=10).map("\n".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same(text: str, options: CleanOptions) -> None:
    screened = clean_markdown(text, "s.md", options)
    every_line = clean_markdown(text, "s.md", options, screen=False)
    assert screened.markdown == every_line.markdown
    assert screened.changes == every_line.changes
    raw_screened = clean_raw(text, "s.txt", options)
    raw_every_line = clean_raw(text, "s.txt", options, screen=False)
    assert raw_screened.markdown == raw_every_line.markdown
    assert raw_screened.changes == raw_every_line.changes


@SETTINGS
@given(document)
@example("the end.\nthis line continues the paragraph")
@example("Officials.the release,teh goverment")
@example("- Human rights advocacy: joint statement")
@example("It was a important hour for an union in belarus.")
@example("“Quoted.” émigré voices")
def test_the_screen_changes_no_result(text: str) -> None:
    _same(text, OPTIONS)


@SETTINGS
@given(document, st.sampled_from(RULES))
def test_the_screen_changes_no_result_with_one_rule(text: str, rule: str) -> None:
    """Each rule alone: the screen then checks only for that rule's triggers."""
    _same(text, replace(OPTIONS, disabled=frozenset(RULES) - {rule}))


FIXTURE_CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in read_cases(path.name)]


KYIV = (Phrase("kiev", "kyiv"), Phrase("kyiv", "Kyiv"))


@pytest.mark.parametrize(("text", "options"), [
    # An edit on one line (signficant -> significant) brings in a word that opens a rule's
    # word check on a later line: the screen must have flagged that line already.
    ("A signficant result.\nIt is indeed e\u017f\u017fential to be insignificant.\n", OPTIONS),
    ("A signficant result.\n\nIt is indeed e\u017f\u017fential to be insignificant.\n", OPTIONS),
    ("We went to kiev.\n\nThe \u212ayiv office is big.\n", replace(OPTIONS, phrases=KYIV)),
    ("In setpember we left.\n\nThe septembers in łódź are cold.\n", OPTIONS),
    ("Winters in минск are cold.\n", replace(OPTIONS, proper_nouns=OPTIONS.proper_nouns | {"минск"})),
    ("Winters in минск are cold.\n", replace(OPTIONS, phrases=(Phrase("минск", "Минск"),))),
])
def test_the_screen_changes_no_result_when_edits_bring_in_words(text: str, options: CleanOptions) -> None:
    _same(text, options)


def test_a_phrase_is_found_whatever_letters_a_case_insensitive_match_allows() -> None:
    """ſ (long s) and the Kelvin sign match s and k in any case: the phrase's word check must see them."""
    assert clean_markdown("It is indeed e\u017f\u017fential.\n", "p.md", OPTIONS).markdown == "It is essential.\n"
    kyiv = replace(OPTIONS, phrases=KYIV[1:])
    assert clean_markdown("The \u212ayiv office.\n", "p.md", kyiv).markdown == "The Kyiv office.\n"


def test_nouns_and_phrases_outside_ascii_are_applied() -> None:
    nouns = replace(OPTIONS, proper_nouns=OPTIONS.proper_nouns | {"минск"})
    assert clean_markdown("In łódź and минск.\n", "p.md", nouns).markdown == "In Łódź and Минск.\n"
    assert clean_markdown("Winters in минск.\n", "p.md", nouns).markdown == "Winters in Минск.\n"
    phrase = replace(OPTIONS, phrases=(Phrase("минск", "Минск"),))
    assert clean_markdown("Winters in минск.\n", "p.md", phrase).markdown == "Winters in Минск.\n"


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=[case.id for case in FIXTURE_CASES])
def test_the_screen_changes_no_fixture(case: object) -> None:
    _same(case.given + "\n", OPTIONS)  # type: ignore[attr-defined]


def _flagged(text: str, rules: tuple[str, ...] = RULES) -> set[int] | None:
    blocks, _ = parse_markdown(text, "s.md")
    lines = [line for block in blocks for line in block.prose_lines()]
    joined = join(lines)
    return lines_to_check(lines, joined, [r for r in rules if r not in ("whitespace", "artifacts", "structure",
                                                                         "tables")], OPTIONS, DocumentWords(joined))


def test_clean_prose_needs_no_rule() -> None:
    text = ("Ales Bialiatski was detained in Minsk. The court, in a closed hearing, gave him ten years.\n\n"
            "## What next\n\n- Relatives were not allowed to attend.\n\n| Name | Years |\n| --- | --- |\n"
            "| Maria Kalesnikava | 11 |\n")
    assert _flagged(text) == set()


@pytest.mark.parametrize(("text", "line"), [
    ("Fine.\nthis starts in lower case", 1),        # casing: a first word
    ("Fine.\nAn end. then a lower-case word", 1),    # casing: after a sentence end
    ("Fine.\nA trip to belarus", 1),                 # casing: a proper noun
    ("Fine.\n- Human rights advocacy: joint", 1),    # casing: a list label
    ("Fine.\nThe officials,however", 1),             # spacing
    ("Fine.\nIt was a important day", 1),            # articles
    ("Fine.\nIt was an day", 1),                     # articles: any "an"
    ("Fine.\nIt was teh day", 1),                    # spelling
    ("Fine.\nIt was in order to act", 1),            # phrases
    ("Fine.\nIt was IN ORDER TO act", 1),            # phrases, in capitals too
])
def test_lines_a_rule_may_edit_are_flagged(text: str, line: int) -> None:
    assert _flagged(text) == {line}


def test_a_nul_in_the_text_turns_the_screen_off() -> None:
    assert _flagged("Fine.\nA line with a \x00 in it") is None
