"""Whole-word, case-insensitive search for phrases, at the regex engine's speed.

Topic keywords and registered names are searched in every article, written
as ``(?<!B)(?:phrases)(?!B)`` with ``re.I`` (``B`` is the class of characters
that may not touch a match).  Python's regex engine cannot skip ahead in such
a pattern: the look-behind comes first, and case-insensitive letters rule
out its search for a first character, so it tries the whole pattern at every
position of the text.

For phrases written in ASCII, :class:`WordSearch` searches the text's
:func:`search_form` instead (the same length, with what ``re.I`` matches to
an ASCII character mapped to that character in lower case) with a pattern
that starts with the phrases themselves, so that the engine jumps from one
possible first character to the next; the look-behind is checked for each
match found.  The spans found are those of the ``re.I`` pattern: the
equivalence is tested character by character over all of Unicode, and for
phrases with other characters the ``re.I`` pattern itself is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The only characters outside ASCII that ``re.I`` matches to an ASCII one (İ, ı, ſ and the
Kelvin sign); ``str.lower`` leaves the first three alone, and makes two characters of İ."""


_RARE = re.compile("[\u0130\u0131\u017f\u212a]")


def search_form(text: str) -> str:
    """``text`` in lower case, one character for one, with :data:`_TO_ASCII` applied first."""
    if _RARE.search(text):  # str.translate looks up every character: only when needed
        text = text.translate(_TO_ASCII)
    return text.lower()


@dataclass(frozen=True)
class WordSearch:
    """Where some phrases occur in a text as whole words, in any case."""

    reference: str
    """The reference pattern: ``(?<!B)(?:body)(?!B)``, case-insensitive, on the text as it is."""
    fast: re.Pattern[str] | None
    """``(?:body)(?!B)`` on lower-case phrases, for :func:`search_form` texts; None unless all are ASCII."""
    edge: re.Pattern[str]
    """``B``: a character that may not come right before a match."""

    @classmethod
    def build(cls, phrases: Iterable[str], body: Callable[[list[str]], str], edge: str) -> WordSearch | None:
        """The search for ``phrases``, whose alternation ``body`` writes; None when there are none.

        ``body`` gets the phrases, stripped, and must escape them; ``edge`` is a
        regex character class such as ``\\w`` or ``[\\w-]``.
        """
        options = [p.strip() for p in phrases if p.strip()]
        if not options:
            return None
        reference = rf"(?<!{edge})(?:{body(options)})(?!{edge})"
        fast = None
        if all(p.isascii() for p in options):
            fast = re.compile(rf"(?:{body([p.lower() for p in options])})(?!{edge})")
        return cls(reference, fast, re.compile(edge))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """:attr:`reference`, compiled when first used: searches of ASCII phrases never use it, and
        compiling it for a registry's thousand names took half the time of building the search."""
        return re.compile(self.reference, re.I)

    def spans(self, text: str, form: str | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of each occurrence, left to right, as ``pattern.finditer`` finds them.

        ``form`` is ``search_form(text)``, when the caller searches one text for several things.
        """
        if self.fast is None:
            yield from (found.span() for found in self.pattern.finditer(text))
            return
        low = search_form(text) if form is None else form
        search, edge = self.fast.search, self.edge.match
        pos = 0
        while (match := search(low, pos)) is not None:
            start, end = match.span()
            if start and edge(low, start - 1):
                pos = start + 1  # inside a word: a match may still start further on
                continue
            yield start, end
            pos = end

    def count(self, text: str, form: str | None = None) -> int:
        return sum(1 for _ in self.spans(text, form))
