"""The fast phrase search finds exactly what its case-insensitive regex finds."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.clean.protect import _trie
from site_builder.detect import _alternation
from site_builder.wordsearch import WordSearch, search_form

EVERY_CHAR = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)


def test_search_form_keeps_length_and_the_character_classes_the_patterns_use() -> None:
    form = search_form(EVERY_CHAR)
    assert len(form) == len(EVERY_CHAR)
    for cls in (r"\w", r"[\w-]", r"\s"):
        pattern = re.compile(cls)
        assert [m.start() for m in pattern.finditer(EVERY_CHAR)] == [m.start() for m in pattern.finditer(form)], cls


def test_search_form_equals_an_ascii_character_exactly_when_re_i_matches_it() -> None:
    # Every character that re.I matches to some ASCII character...
    near_ascii = set(re.findall(r"[\x00-\x7f]", EVERY_CHAR, re.I))
    form = search_form(EVERY_CHAR)
    assert {c for c, f in zip(EVERY_CHAR, form, strict=True) if f.isascii()} == near_ascii
    # ...is mapped to the one that re.I matches it to, in lower case.
    for char in near_ascii:
        assert re.fullmatch(re.escape(search_form(char)), char, re.I)


def _reference(phrases: list[str], body: object, edge: str, text: str) -> list[tuple[int, int]]:
    options = [p.strip() for p in phrases if p.strip()]
    pattern = re.compile(rf"(?<!{edge})(?:{body(options)})(?!{edge})", re.I)  # type: ignore[operator]
    return [m.span() for m in pattern.finditer(text)]


WORDS = st.sampled_from(["ales", "Ales", "maria", "Kalesnikava", "ka", "sanctions", "s", "k", "i-x", "2020"])
PHRASES = st.lists(st.lists(WORDS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=5)
TEXT = st.lists(st.one_of(WORDS, st.sampled_from([" ", "  ", "\n", "-", "_", ",", "’s", "x", "İ", "ı", "ſ", "\u212a",
                                                  "é", "ALES", "Ka"])), max_size=30).map("".join)


@settings(max_examples=400)
@given(PHRASES, TEXT)
def test_topic_keyword_search_equals_the_regex(phrases: list[str], text: str) -> None:
    search = WordSearch.build(phrases, _alternation, r"[\w-]")
    assert search is not None and search.fast is not None
    assert list(search.spans(text)) == _reference(phrases, _alternation, r"[\w-]", text)


@settings(max_examples=400)
@given(PHRASES, TEXT)
def test_name_search_equals_the_regex(phrases: list[str], text: str) -> None:
    lowered = sorted({p.strip().lower() for p in phrases})
    search = WordSearch.build(lowered, _trie, r"\w")
    assert search is not None
    assert list(search.spans(text)) == _reference(lowered, _trie, r"\w", text)


def test_phrases_outside_ascii_use_the_regex_itself() -> None:
    search = WordSearch.build(["Aleś Bialiacki", "sanctions"], _alternation, r"[\w-]")
    assert search is not None and search.fast is None
    assert list(search.spans("ALEŚ BIALIACKI, Sanctions; xsanctions")) == [(0, 14), (16, 25)]
    assert WordSearch.build([" ", ""], _alternation, r"\w") is None


def test_a_rejected_match_inside_a_word_does_not_hide_a_later_one() -> None:
    search = WordSearch.build(["ales bialiatski", "bialiatski"], _alternation, r"\w")
    assert search is not None and search.fast is not None
    assert list(search.spans("sales bialiatski")) == [(6, 16)]
    assert list(search.spans("Ales Bialiatski and İvan")) == [(0, 15)]


def test_the_reference_pattern_is_compiled_only_for_phrases_outside_ascii() -> None:
    """A registry's names compile into a long pattern: an ASCII search never needs the reference one."""
    ascii_only = WordSearch.build(["ales bialiatski", "maria kalesnikava"], _trie, r"\w")
    assert ascii_only is not None
    assert list(ascii_only.spans("Maria Kalesnikava and ALES BIALIATSKI")) == [(0, 17), (22, 37)]
    assert "pattern" not in vars(ascii_only)
    other = WordSearch.build(["aleś bialiacki"], _trie, r"\w")
    assert other is not None and "pattern" not in vars(other)
    assert list(other.spans("Aleś Bialiacki")) == [(0, 14)]
    assert vars(other)["pattern"].pattern == other.reference
