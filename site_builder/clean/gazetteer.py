"""Proper nouns that the casing rule may capitalise when found in lower case.

Only words that are never ordinary English words are listed: "may", "march",
"polish", "turkey", "china" and the like are left out on purpose.  The corpus
adds its own: words it only ever writes with a capital inside sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

MONTHS = "january february april june july august september october november december"
DAYS = "monday tuesday wednesday thursday friday saturday sunday"
COUNTRIES = (
    "belarus russia ukraine lithuania latvia estonia poland germany france britain england "
    "scotland ireland italy spain portugal sweden norway finland denmark austria hungary "
    "romania moldova bulgaria serbia croatia slovakia slovenia czechia armenia azerbaijan "
    "kazakhstan uzbekistan iran iraq israel syria egypt india pakistan japan canada mexico "
    "brazil argentina australia europe asia africa america"
)
NATIONALITIES = (
    "belarusian belarusians russian russians ukrainian ukrainians lithuanian latvian estonian "
    "european europeans american americans british german french swedish norwegian finnish "
    "soviet"
)
CITIES = "minsk vilnius warsaw moscow kyiv kiev riga brussels washington london paris berlin geneva"
INSTITUTIONS = "kremlin nato viasna"

K = TypeVar("K", bound=Hashable)

GAZETTEER: frozenset[str] = frozenset(
    " ".join((MONTHS, DAYS, COUNTRIES, NATIONALITIES, CITIES, INSTITUTIONS)).split()
)

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_MID_SENTENCE_CAPITAL = re.compile(r" (?<=[a-z,;] )([A-Z][a-z’'-]+)")
"""A capitalised word after a lower-case letter or a comma and a space.  The space comes
first so that the scan looks for a literal, not a look-behind at every character."""


Evidence = tuple[Counter[str], frozenset[str]]
"""One text's mid-sentence capitalised words (counted) and its lower-case words."""
Mapper = Callable[[Callable[[int], Evidence], int], list[Evidence]]


def _serial(task: Callable[[int], Evidence], count: int) -> list[Evidence]:
    return [task(i) for i in range(count)]


def corpus_proper_nouns(texts: Iterable[str], min_count: int = 2, mapper: Mapper | None = None) -> frozenset[str]:
    """Lower-cased words seen capitalised mid-sentence and never in lower case, from a tally
    that is dropped once counted (``mapper`` as for :meth:`ProperNounTally.update`)."""
    tally: ProperNounTally[int] = ProperNounTally(min_count)
    return tally.update(dict(enumerate(texts)), mapper)


def evidence(text: str) -> Evidence:
    """One text's evidence: mid-sentence capitalised words (counted) and its lower-case words."""
    # Headings and tables are title case: not evidence.
    prose = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "|")))
    capitalised = Counter(map(str.lower, _MID_SENTENCE_CAPITAL.findall(prose)))
    return capitalised, frozenset(w for w in _distinct_words(prose) if w.islower())


_NOT_IN_WORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) in "_'-")})
_NOT_FIRST = "0123456789_'-"


def _distinct_words(text: str) -> set[str]:
    """The distinct :data:`_WORD` matches of ``text``.

    For ASCII text, from a split instead of a regex scan, in half the time: a
    match is a run of letters, digits, ``_``, ``'`` and ``-``, from its first letter on.
    """
    if not text.isascii():
        return set(_WORD.findall(text))
    words = {run.lstrip(_NOT_FIRST) for run in set(text.translate(_NOT_IN_WORD).split())}
    words.discard("")
    return words


@dataclass
class ProperNounTally(Generic[K]):
    """:func:`corpus_proper_nouns` kept up to date as texts change, one text at a time.

    The dev server keeps one across saves: a rebuild looks again only at the
    texts that changed instead of every article of the site.
    """

    min_count: int = 2
    texts: dict[K, tuple[str, Counter[str], frozenset[str]]] = field(default_factory=dict)
    capitalised: Counter[str] = field(default_factory=Counter)
    lower: Counter[str] = field(default_factory=Counter)
    """In how many texts each word appears in lower case."""

    def update(self, texts: Mapping[K, str], mapper: Mapper | None = None) -> frozenset[str]:
        """Make the tally that of ``texts`` (by key) and return the proper nouns.

        ``mapper(task, n)`` returns ``[task(i) for i in range(n)]``; a build
        passes one that runs on every core (:func:`parallel.map_ordered`).
        """
        for key in [k for k in self.texts if k not in texts]:
            self._remove(key)
        changed = [(key, text) for key, text in texts.items()
                   if (known := self.texts.get(key)) is None or known[0] != text]
        found = (mapper or _serial)(lambda i: evidence(changed[i][1]), len(changed))
        for (key, text), (capitalised, lower) in zip(changed, found, strict=True):
            if key in self.texts:
                self._remove(key)
            self.texts[key] = (text, capitalised, lower)
            self.capitalised.update(capitalised)
            self.lower.update(lower)
        return frozenset(w for w, n in self.capitalised.items() if n >= self.min_count and not self.lower[w])

    def _remove(self, key: K) -> None:
        _, capitalised, lower = self.texts.pop(key)
        self.capitalised.subtract(capitalised)
        self.lower.subtract(lower)
        for counter, words in ((self.capitalised, capitalised), (self.lower, lower)):
            for word in words:
                if counter[word] <= 0:
                    del counter[word]
