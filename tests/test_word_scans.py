"""The ASCII fast paths of the word scans give exactly what their regexes give.

Three scans read every word of every article: the reading time's word count,
the cleaner's document words and the corpus's proper-noun evidence.  For
ASCII text each takes a shortcut (a byte translation, then a split or a
count) instead of a regex scan; for any other text it runs the regex.  The
text below mixes the characters where the shortcuts could go wrong (digits,
``_``, apostrophes, hyphens, ASCII control and separator characters) with
non-ASCII letters, so both paths are exercised.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.clean.gazetteer import _WORD, _distinct_words, evidence
from site_builder.clean.rules import _RUN, _runs
from site_builder.enrich import _COUNTED_WORD, count_words

TRICKY = "aZz9_'-’ \n\t\r\x0b\x0c\x1c\x1f\x7f.,;|#*é²½İ"
texts = st.text(alphabet=st.sampled_from(TRICKY), max_size=40) | st.text(max_size=40)

EXAMPLES = ("", "a", "-a", "'a", "a-b-c", "x--y", "don't", "well-known", "9-a", "_a", "a_b", "A1-b2", "’a",
            "rock'n'roll", "--a--", "a-", "-", "l’été", "²a", "\x1ca\x1fb")


@settings(max_examples=3000)
@given(texts)
@example("")
@example("a-b-c d--e 'f g' h_i 9j")
def test_word_count_is_the_regex_count(text: str) -> None:
    assert count_words(text) == len(_COUNTED_WORD.findall(text))


def test_word_count_examples() -> None:
    for text in EXAMPLES:
        assert count_words(text) == len(_COUNTED_WORD.findall(text)), text
    # well-known, don't, a, b, 3, x, y: a double hyphen and "_" join nothing.
    assert count_words("well-known don't a--b 3 x_y") == 7


@settings(max_examples=3000)
@given(texts)
def test_document_words_are_the_regex_runs(text: str) -> None:
    assert _runs(text) == set(_RUN.findall(text))


@settings(max_examples=3000)
@given(texts)
def test_evidence_words_are_the_regex_words(text: str) -> None:
    assert _distinct_words(text) == set(_WORD.findall(text))


def test_word_examples() -> None:
    for text in EXAMPLES:
        assert _runs(text) == set(_RUN.findall(text)), text
        assert _distinct_words(text) == set(_WORD.findall(text)), text
    assert _distinct_words("12abc _-x9 9 don't") == {"abc", "x9", "don't"}
    assert _runs("iPhone x_y 9z") == {"iPhone", "x", "y", "z"}


def test_evidence_counts_capitals_mid_sentence_and_lower_words() -> None:
    capitalised, lower = evidence("# Heading Words\nHe met Viasna, then Viasna again in minsk.\n| Table | Row |\n")
    assert capitalised == {"viasna": 2}
    assert lower == {"met", "then", "again", "in", "minsk"}
