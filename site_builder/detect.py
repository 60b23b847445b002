"""Who and what an article is about: person and topic detection.

A person is mentioned when their name or an alias appears as whole words
(possessives such as "Kolesnikova’s" included).  Once a full name or alias has
appeared, the surname alone counts too.  Belarusian and Russian spellings of
one name share a :func:`name_key`, which finds probable aliases the registry
does not list yet.  A topic applies when its keywords occur often enough.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .model import Person, Topic


@dataclass(frozen=True)
class Mention:
    """Where a person was first found in a text."""

    slug: str
    text: str
    """The words that matched, as written."""
    start: int
    """Offset of the first match in the text searched."""


def fold(text: str) -> str:
    """Lower case without diacritics: 'Aleś Bialiacki' -> 'ales bialiacki'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_TRANSLIT = [
    (r"x", "ks"), (r"kh", "h"), (r"ts|tz|c(?=[ei])", "t"), (r"c", "k"), (r"ph", "f"),
    (r"w", "v"), (r"j|y", "i"), (r"(?<=[aeio])u", "v"), (r"[aeiou]", ""), (r"(.)\1+", r"\1"),
]


def name_key(name: str) -> str:
    """A transliteration-blind skeleton of a name.

    Kalesnikava and Kolesnikova, Bialiatski and Byalyatski, Babaryka and
    Babariko, Tsikhanouskaya and Tikhanovskaya each share a key.
    """
    words = re.findall(r"[a-z]+", fold(name))
    out = []
    for word in words:
        for pattern, repl in _TRANSLIT:
            word = re.sub(pattern, repl, word)
        out.append(word)
    return " ".join(out)


def _words_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    options = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if not options:
        return None
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in options)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)


@lru_cache(maxsize=4096)
def _person_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    full = _words_pattern(names)
    surnames = {n.split()[-1] for n in names if len(n.split()) > 1 and len(n.split()[-1]) > 3}
    return full, _words_pattern(surnames)


def find_people(text: str, people: Iterable[Person]) -> dict[str, Mention]:
    """Person slug -> first mention, for every registered person in ``text``."""
    found: dict[str, Mention] = {}
    for person in people:
        full, _ = _person_patterns(person.names)
        match = full.search(text) if full else None
        if match is not None:
            found[person.slug] = Mention(person.slug, match.group(), match.start())
    return found


def count_mentions(text: str, person: Person) -> int:
    """Full-name and alias matches, plus surname-only ones after the first of those."""
    full, surname = _person_patterns(person.names)
    if full is None:
        return 0
    matches = list(full.finditer(text))
    if not matches:
        return 0
    covered = [(m.start(), m.end()) for m in matches]
    extra = 0
    if surname is not None:
        for m in surname.finditer(text, matches[0].end()):
            if not any(s <= m.start() < e for s, e in covered):
                extra += 1
    return len(matches) + extra


def surname_mentions(text: str, person: Person) -> list[tuple[int, int]]:
    """Spans of surname-only mentions that follow a full mention."""
    full, surname = _person_patterns(person.names)
    if full is None or surname is None:
        return []
    matches = list(full.finditer(text))
    if not matches:
        return []
    covered = [(m.start(), m.end()) for m in matches]
    return [m.span() for m in surname.finditer(text, matches[0].end())
            if not any(s <= m.start() < e for s, e in covered)]


def topic_hits(title: str, body: str, topic: Topic) -> tuple[int, int]:
    """(occurrences in the title, occurrences in the body) of the topic's keywords."""
    pattern = _words_pattern(topic.keywords)
    if pattern is None:
        return 0, 0
    return len(pattern.findall(title)), len(pattern.findall(body))


def find_topics(title: str, body: str, topics: Iterable[Topic], body_hits: int, title_hits: int) -> list[str]:
    """Slugs of the topics whose keywords occur often enough."""
    chosen = []
    for topic in topics:
        in_title, in_body = topic_hits(title, body, topic)
        if in_title >= title_hits or in_body >= body_hits:
            chosen.append(topic.slug)
    return chosen


def probable_person(name: str, people: Iterable[Person]) -> Person | None:
    """A registered person whose name or alias has the same :func:`name_key`."""
    key = name_key(name)
    for person in people:
        if any(name_key(n) == key for n in person.names):
            return person
    return None
