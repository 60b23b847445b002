"""Person detection: names, aliases, possessives, surnames, transliterations."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.detect import (
    CAPITAL_WORD,
    Mention,
    PeopleMatcher,
    _Word,
    capital_words,
    find_people,
    name_key,
    person_hits,
)
from site_builder.model import Person

KALESNIKAVA = Person("maria-kalesnikava", "Maria Kalesnikava", ("Maria Kolesnikova",), "p.md")
BABARYKA = Person("viktor-babaryka", "Viktor Babaryka", (), "p.md")
PEOPLE = [KALESNIKAVA, BABARYKA]


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(h.slug, h.kind, h.text) for h in person_hits(text, PEOPLE)]


@pytest.mark.parametrize(("a", "b"), [("Kalesnikava", "Kolesnikova"), ("Bialiatski", "Byalyatski"),
                                      ("Babaryka", "Babariko"), ("Tsikhanouskaya", "Tikhanovskaya")])
def test_transliterations_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_and_alias_are_one_person() -> None:
    assert set(find_people("Maria Kolesnikova spoke.", PEOPLE)) == {"maria-kalesnikava"}
    assert set(find_people("Maria Kalesnikava spoke.", PEOPLE)) == {"maria-kalesnikava"}


def test_possessive_and_whole_words() -> None:
    assert kinds("Maria Kolesnikova’s release and Maria Kolesnikova's trial") == [
        ("maria-kalesnikava", "name", "Maria Kolesnikova")] * 2
    assert kinds("Maria Kolesnikovas and Maria Kolesnikova-led groups") == []


def test_name_across_a_line_break_but_not_across_punctuation() -> None:
    assert kinds("Maria\nKolesnikova") == [("maria-kalesnikava", "name", "Maria\nKolesnikova")]
    assert kinds("Maria. Kolesnikova") == []
    assert kinds("| Maria | Kolesnikova |") == []


def test_surname_alone_counts_only_after_a_full_mention() -> None:
    assert kinds("Kolesnikova spoke. Then Maria Kolesnikova spoke. Kolesnikova’s lawyer agreed.") == [
        ("maria-kalesnikava", "name", "Maria Kolesnikova"), ("maria-kalesnikava", "surname", "Kolesnikova")]


def test_surname_after_another_given_name_is_someone_else() -> None:
    text = "Viktor Babaryka was freed. His son Eduard Babaryka was not. President Babaryka?"
    assert kinds(text) == [("viktor-babaryka", "name", "Viktor Babaryka"),
                           ("viktor-babaryka", "surname", "Babaryka")]


def test_lower_case_words_are_not_names() -> None:
    assert kinds("maria kolesnikova") == []


def test_unlisted_transliteration_is_a_probable_alias() -> None:
    assert kinds("Mariya Kalesnikova was freed") == [("maria-kalesnikava", "probable", "Mariya Kalesnikova")]


def test_table_cells_count() -> None:
    text = "| Name | Role |\n| --- | --- |\n| Maria Kalesnikava | Activist |\n"
    assert set(find_people(text, PEOPLE)) == {"maria-kalesnikava"}


def test_diacritics_in_a_registered_alias() -> None:
    ales = Person("ales-bialiatski", "Ales Bialiatski", ("Aleś Bialacki",), "p.md")
    assert set(find_people("Aleś Bialacki and Ales Bialacki", [ales])) == {"ales-bialiatski"}
    assert len(person_hits("Aleś Bialacki and Ales Bialacki", [ales])) == 2


PLAIN_CAPITAL_WORD = re.compile(r"(?<![\w-])[^\W\d_a-z][^\W\d_]*(?:-[^\W\d_]+)*")
"""What CAPITAL_WORD means; CAPITAL_WORD is spelled for speed."""


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(
    [*"aAzZ-_1 \n\t'’éÉЁёß.,;:()\"", "Maria", "Kalesnikava", "\u0301", "McFaul", "iPhone", "\u00a0", "ǅ"]),
    max_size=20).map("".join)))
def test_capital_word_finds_what_its_plain_spelling_finds(text: str) -> None:
    assert [m.span() for m in CAPITAL_WORD.finditer(text)] == [m.span() for m in PLAIN_CAPITAL_WORD.finditer(text)]


FULL_NAME_PIECES = ["Maria", "Mariya", "Kalesnikava", "Kolesnikova", "Kolesnikova’s", "Viktor", "Eduard",
                    "Babaryka", "Babariko", "President", "Jr", "Aleś", "Ales", "Bialacki", "The", "ǅemal",
                    "Mariya Kalesnikova", "Viktar Babaryka", "Maria Kalesnikava", " Jr",
                    *" \n.,;'’-", "\n\n"]
FULL_NAME_MATCHER = PeopleMatcher([
    KALESNIKAVA, BABARYKA, Person("eduard-babaryka", "Eduard Babaryka", (), "p.md"),
    Person("ales-bialiatski", "Ales Bialiatski", ("Aleś Bialacki",), "p.md"),
    Person("maria-kalesnikava-jr", "Maria Kalesnikava Jr", (), "p.md"),
    Person("babaryka", "Babaryka", (), "p.md"),  # a one-word name that is also someone's surname
])


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(FULL_NAME_PIECES), max_size=30).map("".join))
@example("Babaryka. Mariya Kalesnikova and Viktar Babaryka; Babaryka, then Maria Kalesnikava Jr.")
@example("Maria\n\nKalesnikava, Maria\nKalesnikava Jr Jr and Mariya Kalesnikova’s Babariko.\nViktor Babaryka")
def test_full_names_are_the_scans_hits_that_are_not_surnames(text: str) -> None:
    """What the person links use: the same names as detection, without its surname pass."""
    hits = FULL_NAME_MATCHER.scan(text)
    assert FULL_NAME_MATCHER.full_names(text) == [h for h in hits if h.kind != "surname"]
    first: dict[str, Mention] = {}
    for h in hits:
        first.setdefault(h.slug, Mention(h.slug, h.text, h.start))
    assert find_people(text, FULL_NAME_MATCHER.people) == first


class _TriesEveryWord(PeopleMatcher):
    """The matcher without its shortcut: every capitalised word is tried as the start of a name."""

    def _may_start(self, word: _Word) -> bool:
        return True


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FULL_NAME_PIECES), max_size=12).map("".join), min_size=2, max_size=6))
@example(["Bialacki", "Babaryka and Babariko"])
def test_skipping_words_that_start_no_name_changes_no_hit(texts: list[str]) -> None:
    """The matcher memoises which words can start a name, whatever it read before."""
    used = PeopleMatcher(FULL_NAME_MATCHER.people)
    for text in texts:
        every = _TriesEveryWord(FULL_NAME_MATCHER.people)
        assert used.scan(text) == every.scan(text)
        assert used.full_names(text) == every.full_names(text)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(
    [*"aAzZ-_1 \n\t'’éÉЁёß.,;:()\"", "Maria", "Kalesnikava", "\u0301", "McFaul", "iPhone", "\u00a0", "ǅ"]),
    max_size=20).map("".join)))
def test_capital_words_are_the_capitalised_matches_with_their_offsets(text: str) -> None:
    expected = [(m.start(), m.end(), m.group(), m.group().casefold())
                for m in PLAIN_CAPITAL_WORD.finditer(text) if m.group()[0].isupper()]
    words = capital_words(text)
    assert [tuple(w) for w in words] == expected
    assert all(text[w.start: w.end] == w.text for w in words)
