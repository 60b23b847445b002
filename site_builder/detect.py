"""Who and what an article is about: person and topic detection.

A person is mentioned when their name or an alias appears as whole words
(possessives such as "Kolesnikova’s" included).  Once a full name or alias has
appeared, the surname alone counts too.  Belarusian and Russian spellings of
one name share a :func:`name_key`; a run of capitalised words whose key equals
a registered name's key is a *probable alias*: it counts as a mention and
``check`` reports it so an editor can add it to ``aliases``.  A topic applies
when its keywords occur often enough.

Speed matters: a registry of 500 people and 10,000 articles must add little
to a build.  So the registry is compiled once into a :class:`PeopleMatcher`
(dictionaries keyed by the first word of every name, Aho-Corasick style on
words), and each text is scanned once, capitalised word by capitalised word,
instead of once per person.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, count
from typing import Any, NamedTuple

from .model import NameHits, Person, Topic
from .wordsearch import WordSearch, search_form

CAPITAL_WORD = re.compile(r"[^a-z \n,.;:'\"()0-9](?<=(?<![\w-])[^\W\d_a-z])[^\W\d_]*(?:-[^\W\d_]+)*")
r"""A word starting with a letter that is not lower-case ASCII (checked further with isupper).

That is ``(?<![\w-])[^\W\d_a-z]`` and the rest of the word; it is spelled so that
the regex engine first rejects the common characters of prose with a plain set (none
of them could start a word here), and only then checks the costly Unicode classes
and the character before: 2.6 times faster, and the scan of every article for
people is mostly this search."""

TITLES = frozenset(["president", "mr", "mrs", "ms", "dr", "sir", "madam", "minister", "general",
                    "sister", "brother", "father"])
"""Words that may stand right before a bare surname without making it part of another name."""

MIN_SURNAME = 4
"""Shorter surnames are too ambiguous to count on their own."""


@dataclass(frozen=True)
class Mention:
    """Where a person was first found in a text."""

    slug: str
    text: str
    """The words that matched, as written."""
    start: int
    """Offset of the first match in the text searched."""


@dataclass(frozen=True)
class Hit:
    """One place where a person is named in a text."""

    slug: str
    text: str
    """The words that matched, as written."""
    start: int
    end: int
    kind: str
    """``name`` (name or alias), ``surname`` (surname alone, after a name) or ``probable`` (close spelling)."""


def fold(text: str) -> str:
    """Lower case without diacritics: 'Aleś Bialiacki' -> 'ales bialiacki'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_TRANSLIT = [
    (r"x", "ks"), (r"kh", "h"), (r"ts|tz|c(?=[ei])", "t"), (r"c", "k"), (r"ph", "f"),
    (r"w", "v"), (r"j|y", "i"), (r"(?<=[aeio])u", "v"), (r"[aeiou]", ""), (r"(.)\1+", r"\1"),
]
_TRANSLIT_RE = [(re.compile(p), r) for p, r in _TRANSLIT]


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The transliteration-blind skeleton of one word (cached: the vocabulary of names is small)."""
    out = fold(word)
    for pattern, repl in _TRANSLIT_RE:
        out = pattern.sub(repl, out)
    return out


def name_key(name: str) -> str:
    """A transliteration-blind skeleton of a name.

    Kalesnikava and Kolesnikova, Bialiatski and Byalyatski, Babaryka and
    Babariko, Tsikhanouskaya and Tikhanovskaya each share a key.
    """
    return " ".join(word_key(w) for w in re.findall(r"[a-z]+", fold(name)))


def _words(name: str) -> list[str]:
    return [m.group() for m in CAPITAL_WORD.finditer(name)] or name.split()


class _Word(NamedTuple):
    """One capitalised word of a text (a tuple: texts have many, and they are made in a hot loop)."""

    start: int
    end: int
    text: str
    key: str
    """Case-folded text."""


_SPLIT_WORDS = re.compile(f"({CAPITAL_WORD.pattern})")
_new_word = tuple.__new__


def capital_words(text: str) -> list[_Word]:
    """Every capitalised word of ``text`` with its offsets.

    Written for speed (half the time of the person scan is here): ``split``
    gives the words and the text between them as plain strings, without a
    match object per word, and the offsets are summed from their lengths.
    """
    parts = _SPLIT_WORDS.split(text)  # [before, word, between, word, ..., after]
    words: list[_Word] = []
    start = len(parts[0])
    for i in range(1, len(parts), 2):
        word = parts[i]
        end = start + len(word)
        if word[0].isupper():
            words.append(_new_word(_Word, (start, end, word, word.casefold())))
        start = end + len(parts[i + 1])
    return words


def adjacent(text: str, left: _Word, right: _Word) -> bool:
    """True when only spaces (no blank line, no punctuation) separate two words."""
    gap = text[left.end: right.start]
    return (gap.isspace() or gap == "") and gap.count("\n") <= 1 and left.end < right.start


_END = "\0"
"""The key under which a trie node keeps the slug of the name that ends there (no word contains it)."""

_Trie = dict[str, Any]
"""Word -> child node; ``_END`` -> the slug whose name ends at this node."""


@dataclass(frozen=True)
class _Compiled:
    """What the matcher needs of one name, worked out once per distinct name."""

    variants: tuple[tuple[str, ...], ...]
    """The name's words case-folded, and also without diacritics."""
    keys: tuple[str, ...] | None
    """Transliteration keys of the words, for probable aliases (names of two words or more)."""
    surnames: tuple[str, ...]
    """The last word, when it may stand alone (long enough, in a name of two words or more)."""


@lru_cache(maxsize=65536)
def _compile_name(name: str) -> _Compiled:
    words = _words(name)
    variants = tuple({tuple(w.casefold() for w in words), tuple(fold(w) for w in words)})
    keys = tuple(word_key(w) for w in words) if len(words) > 1 else None
    surnames = (tuple({words[-1].casefold(), fold(words[-1])})
                if len(words) > 1 and len(words[-1]) >= MIN_SURNAME else ())
    return _Compiled(variants, keys if keys and all(keys) else None, surnames)


def _insert(trie: _Trie, tokens: tuple[str, ...], slug: str) -> None:
    node = trie
    for token in tokens:
        node = node.setdefault(token, {})
    if _END not in node or slug < node[_END]:
        node[_END] = slug  # two people with one name: the first slug wins, as everywhere


class PeopleMatcher:
    """The registry compiled for one-pass scanning.

    Names are kept in two tries of words (case-folded words, and
    transliteration keys for probable aliases), so each capitalised word of a
    text costs one dictionary lookup unless a name starts there, and the
    longest name wins.
    """

    def __init__(self, people: Sequence[Person]) -> None:
        self.people = tuple(people)
        self.order = {person.slug: n for n, person in enumerate(self.people)}
        """Slug -> position in the registry, the order in which an article lists its people."""
        self.names: _Trie = {}
        self.keys: _Trie = {}
        self.surnames: dict[str, set[str]] = {}
        for person in self.people:
            for name in person.names:
                compiled = _compile_name(name)
                for variant in compiled.variants:
                    _insert(self.names, variant, person.slug)
                if compiled.keys is not None:
                    _insert(self.keys, compiled.keys, person.slug)
                for surname in compiled.surnames:
                    self.surnames.setdefault(surname, set()).add(person.slug)
        self._starts: dict[str, bool] = {}
        """Word as written -> whether a name or probable alias can start with it (most words: no)."""
        self.fingerprint = hashlib.blake2b(repr(sorted((p.slug, p.names) for p in self.people)).encode(),
                                           digest_size=12).hexdigest()
        """Hash of what :meth:`full_names` depends on (each person's slug and names): equal
        fingerprints find the same full names in every text."""

    def _may_start(self, word: _Word) -> bool:
        """Whether ``word`` is the first word of a name, or has the key of one; memoised by its text."""
        known = self._starts.get(word.text)
        if known is None:
            known = self._starts[word.text] = word.key in self.names or word_key(word.text) in self.keys
        return known

    def _full(self, words: list[_Word], i: int, text: str) -> tuple[str, int, str] | None:
        """(slug, words used, kind) for a name or probable alias starting at word ``i``."""
        found = _longest(self.names, words, i, text, False)
        if found is not None:
            return found[0], found[1], "name"
        found = _longest(self.keys, words, i, text, True)
        if found is not None and found[1] >= 2:
            return found[0], found[1], "probable"
        return None

    def scan(self, text: str) -> list[Hit]:
        """Every mention of a registered person in ``text``, in order."""
        return self._hits(text, surnames=True)

    def full_names(self, text: str) -> list[Hit]:
        """The mentions in ``text`` by name, alias or probable alias: :meth:`scan` without surnames.

        A surname alone never starts or ends a full name (it only consumes its
        own word), so these are exactly the ``name`` and ``probable`` hits of
        :meth:`scan`, found without looking up every word as a surname.

        Written for speed (every article is read so, and most of its
        capitalised words start no name): the words stay the plain strings
        of one ``split``, which of them may start a name is looked up for all
        at once in the memo, and offsets are summed, in C, only for texts
        where some word may.
        """
        if not self.people:
            return []
        parts = _SPLIT_WORDS.split(text)  # [gap, word, gap, word, ..., gap]: word k at 2k + 1
        words = parts[1::2]
        memo = self._starts
        flags = list(map(memo.get, words))
        if None in flags:
            flags = [self._may_start_text(w) if f is None else f for w, f in zip(words, flags, strict=True)]
        starts = list(compress(count(1, 2), flags))
        if not starts:
            return []
        ends = list(accumulate(map(len, parts)))  # part j ends at ends[j] and starts at ends[j - 1]
        hits: list[Hit] = []
        free = 0  # the first part not in a name found already
        for j in starts:
            if j < free:
                continue
            kind = "name"
            found = _longest_in_parts(self.names, parts, j, False)
            if found is None:
                kind = "probable"
                found = _longest_in_parts(self.keys, parts, j, True)
                if found is not None and found[1] == j:
                    found = None  # a probable alias has two words or more
            if found is not None:
                slug, last = found
                start, end = ends[j - 1], ends[last]
                hits.append(Hit(slug, text[start:end], start, end, kind))
                free = last + 1
        return hits

    def _may_start_text(self, text: str) -> bool:
        """:meth:`_may_start` for a word as written, capitalised or not (memoised alike)."""
        known = self._starts.get(text)
        if known is None:
            known = self._starts[text] = text[0].isupper() and (
                text.casefold() in self.names or word_key(text) in self.keys)
        return known

    def _hits(self, text: str, surnames: bool) -> list[Hit]:
        if not self.people:
            return []
        words = capital_words(text)
        hits: list[Hit] = []
        seen: list[str] = []  # mentioned people, most recent last
        i = 0
        may_start = self._may_start
        while i < len(words):
            found = self._full(words, i, text) if may_start(words[i]) else None
            if found is not None:
                slug, n, kind = found
                hits.append(Hit(slug, text[words[i].start: words[i + n - 1].end], words[i].start,
                                words[i + n - 1].end, kind))
                if slug in seen:
                    seen.remove(slug)
                seen.append(slug)
                i += n
                continue
            if surnames and (surname := self._surname(words, i, text, seen)) is not None:
                w = words[i]
                hits.append(Hit(surname, w.text, w.start, w.end, "surname"))
            i += 1
        return hits

    def _surname(self, words: list[_Word], i: int, text: str, seen: list[str]) -> str | None:
        """The already-mentioned person whose surname word ``i`` is, if it stands alone."""
        owners = self.surnames.get(words[i].key)
        if not owners:
            return None
        if i > 0 and adjacent(text, words[i - 1], words[i]) and words[i - 1].key not in TITLES:
            return None  # "Eduard Babaryka" is someone else than Viktor Babaryka
        if i + 1 < len(words) and adjacent(text, words[i], words[i + 1]):
            return None  # part of a longer run of capitalised words
        for slug in reversed(seen):
            if slug in owners:
                return slug
        return None


def _longest(trie: _Trie, words: list[_Word], i: int, text: str, by_key: bool) -> tuple[str, int] | None:
    """(slug, words used) of the longest name in ``trie`` that starts at word ``i``."""
    node = trie.get(word_key(words[i].text) if by_key else words[i].key)
    best = None
    j = i
    while node is not None:
        slug = node.get(_END)
        if slug is not None:
            best = slug, j - i + 1
        j += 1
        if j >= len(words) or not adjacent(text, words[j - 1], words[j]):
            break
        node = node.get(word_key(words[j].text) if by_key else words[j].key)
    return best


def _joins(gap: str) -> bool:
    """Whether two words with ``gap`` between them can be one name: spaces only, at most one line break."""
    return gap.isspace() and gap.count("\n") <= 1


def _longest_in_parts(trie: _Trie, parts: list[str], j: int, by_key: bool) -> tuple[str, int] | None:
    """(slug, index of its last word) of the longest name in ``trie`` that starts at ``parts[j]``.

    :func:`_longest` on :meth:`PeopleMatcher.full_names`'s split: the next
    word continues a name when only :func:`_joins` spaces come before it and it is capitalised.
    """
    word = parts[j]
    node = trie.get(word_key(word) if by_key else word.casefold())
    best = None
    while node is not None:
        slug = node.get(_END)
        if slug is not None:
            best = slug, j
        j += 2
        if j >= len(parts) or not _joins(parts[j - 1]) or not parts[j][0].isupper():
            break
        word = parts[j]
        node = node.get(word_key(word) if by_key else word.casefold())
    return best


_MATCHERS: dict[tuple[int, ...], PeopleMatcher] = {}
_LAST: dict[int, tuple[tuple[Person, ...], PeopleMatcher]] = {}
"""The tuple last asked about, by id, with its matcher: every article of a build asks with the same one."""


def matcher_for(people: Sequence[Person]) -> PeopleMatcher:
    """The compiled matcher for this registry, built once per registry object set."""
    last = _LAST.get(id(people))
    if last is not None and last[0] is people:
        return last[1]  # a tuple cannot change, so the same one has the same matcher
    key = tuple(map(id, people))
    found = _MATCHERS.get(key)
    if found is None:
        if len(_MATCHERS) > 16:
            _MATCHERS.clear()
        found = _MATCHERS[key] = PeopleMatcher(people)  # keeps the people alive, so ids stay unique
    if isinstance(people, tuple):
        _LAST.clear()
        _LAST[id(people)] = people, found
    return found


def person_hits(text: str, people: Sequence[Person]) -> list[Hit]:
    """Every mention of a registered person in ``text``, in order."""
    return matcher_for(people).scan(text)


def find_people(text: str, people: Sequence[Person]) -> dict[str, Mention]:
    """Person slug -> first mention, for every registered person in ``text``.

    A surname alone counts only after a full mention of the same person, so
    the first mention of everyone is among the full names: the surname pass
    of :meth:`PeopleMatcher.scan` is skipped.
    """
    return first_mentions(matcher_for(people).full_names(text))


def first_mentions(hits: Iterable[Hit]) -> dict[str, Mention]:
    """Person slug -> the first of their ``hits``."""
    found: dict[str, Mention] = {}
    for hit in hits:
        if hit.slug not in found:
            found[hit.slug] = Mention(hit.slug, hit.text, hit.start)
    return found


def name_hits(matcher: PeopleMatcher, hits: Iterable[Hit], offset: int) -> NameHits:
    """``hits`` of a text, kept for the part from ``offset`` on (the body after the title and a newline).

    Offsets become relative to that part; a hit that ends in it but starts
    before is kept, with a negative start, so that the person links see that
    a name runs across the line between the title and the body.
    """
    return NameHits(matcher.fingerprint, tuple((h.slug, h.start - offset, h.end - offset)
                                               for h in hits if h.end > offset))


def count_mentions(text: str, person: Person) -> int:
    """Full-name and alias matches, plus surname-only ones after the first of those."""
    return sum(1 for h in person_hits(text, [person]) if h.slug == person.slug)


def surname_mentions(text: str, person: Person) -> list[tuple[int, int]]:
    """Spans of surname-only mentions that follow a full mention."""
    return [(h.start, h.end) for h in person_hits(text, [person]) if h.kind == "surname"]


def _alternation(phrases: list[str]) -> str:
    """The phrases, longest first, with any run of spaces between their words."""
    options = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in options)


@lru_cache(maxsize=4096)
def _keyword_search(keywords: tuple[str, ...]) -> WordSearch | None:
    return WordSearch.build(keywords, _alternation, r"[\w-]")


def keyword_matches(text: str, topic: Topic) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of one of the topic's keywords (whole words, any case)."""
    search = _keyword_search(tuple(topic.keywords))
    return list(search.spans(text)) if search else []


def topic_hits(title: str, body: str, topic: Topic, forms: tuple[str, str] | None = None) -> tuple[int, int]:
    """(occurrences in the title, occurrences in the body) of the topic's keywords.

    ``forms`` are the two texts' :func:`search_form`, made once for every topic.
    """
    search = _keyword_search(tuple(topic.keywords))
    if search is None:
        return 0, 0
    title_form, body_form = forms or (None, None)
    return search.count(title, title_form), search.count(body, body_form)


def find_topics(title: str, body: str, topics: Iterable[Topic], body_hits: int, title_hits: int) -> list[str]:
    """Slugs of the topics whose keywords occur often enough."""
    chosen = []
    forms = search_form(title), search_form(body)
    for topic in topics:
        in_title, in_body = topic_hits(title, body, topic, forms)
        if in_title >= title_hits or in_body >= body_hits:
            chosen.append(topic.slug)
    return chosen


def probable_person(name: str, people: Sequence[Person]) -> Person | None:
    """A registered person whose name or alias has the same :func:`name_key`."""
    key = name_key(name)
    if not key:
        return None
    node: _Trie | None = matcher_for(people).keys
    for token in key.split():
        node = node.get(token) if node is not None else None
    slug = node.get(_END) if node is not None else None
    return next((p for p in people if p.slug == slug), None) if slug is not None else None
