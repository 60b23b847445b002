"""Which lines of a document a text rule might edit, found in one pass.

Most lines of an editor's Markdown are already clean, and running the five
text rules on each costs more than the rest of the cleaner together.  The
screen looks at the whole document at once: it joins the prose lines with a
NUL, which none of its patterns matches, and runs a trigger pattern for
each rule over the join, in C.  A line it does not flag is one on which every
rule proposes nothing, so the cleaner leaves it as it is without asking them.

The screen may flag too many lines (they are cleaned as before), never too
few: each check below is implied by its rule proposing an edit.

- phrases, spelling, lower-case proper nouns: a word the rule looks for is
  in the document (:class:`DocumentWords`) and on the line;
- spacing: punctuation before a letter;
- articles: the rule's own candidate pattern;
- casing: the line's first letter is not a capital A-Z; a sentence end is
  followed by a letter that is not ASCII upper case; a list item has a
  colon (its label).

Rules that depend on the line before (whether a line starts a sentence)
are screened as if it might, so the answer holds whatever earlier lines
become.  The word checks rely on the rules' own word keys being complete:
a proper noun's first run of ASCII letters, a phrase's longest, found in
lower case as a case-insensitive pattern sees it (:func:`rules.fold`); an
entry with no ASCII letter has :data:`rules.ANY_LINE`, which flags every
line.  A document with a NUL in its prose is not screened.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from .articles import CANDIDATE as ARTICLE_CANDIDATE
from .casing import LIST_PREFIX, noun_keys
from .document import Line
from .phrases import triggers
from .rules import CleanOptions, DocumentWords, has_hit
from .spelling import corrections

SEPARATOR = "\x00"
"""Joins the lines; matched by no trigger pattern, so no match spans two lines."""

_FIRST_LETTER = r"[\s\"“‘'(\[*_]*(?![A-Z])[^\W\d_]"
_FIRST_LOWER = re.compile(_FIRST_LETTER)
"""The first line's first letter is not A-Z (casing's first word, ``_FIRST_WORD``)."""
_NEXT_FIRST_LOWER = re.compile(SEPARATOR + _FIRST_LETTER)
"""The same for every other line (a pattern that starts with a literal is scanned for fast)."""
_PUNCTUATION = re.compile(r"[,;:.!?](?:[^\W\d_]|(?<=[.!?])[”’\"]?\s+[\"“‘(]?(?:[a-z]|[^\x00-\x7f]))")
"""Punctuation before a letter (spacing's ``MISSING``), or a sentence end before a word
that may want a capital (casing's ``SENTENCE_END``): one scan for both rules."""

SCREENED = frozenset(("phrases", "spelling", "spacing", "articles", "casing"))
"""The rules the screen knows; with any other, every line is checked."""


def join(lines: Sequence[Line]) -> str:
    """The prose of ``lines`` as one text, as the screen and :class:`DocumentWords` read it."""
    return SEPARATOR.join(line.text for line in lines)


def lines_to_check(lines: Sequence[Line], joined: str, rules: Iterable[str], options: CleanOptions,
                   document: DocumentWords) -> set[int] | None:
    """Indices of the ``lines`` some rule of ``rules`` might edit; None: check them all.

    ``joined`` is :func:`join` of ``lines``; ``document`` its words, before any edit.
    """
    names = set(rules)
    if not names <= SCREENED or joined.count(SEPARATOR) != len(lines) - 1:
        return None  # a rule the screen does not know, or a NUL in the text itself
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line.text) + 1)
    flagged: set[int] = set()

    def at(position: int) -> None:
        flagged.add(bisect_right(starts, position) - 1)

    if names & {"spacing", "casing"}:
        for match in _PUNCTUATION.finditer(joined):
            at(match.start())
    if "articles" in names:
        for match in ARTICLE_CANDIDATE.finditer(joined):
            at(match.start())
    if "casing" in names:
        if _FIRST_LOWER.match(joined):
            flagged.add(0)
        for match in _NEXT_FIRST_LOWER.finditer(joined):
            at(match.end() - 1)
        for index, line in enumerate(lines):
            if ":" in line.text and LIST_PREFIX.match(line.prefix):
                flagged.add(index)
        if options.proper_nouns:
            _with_words(flagged, lines, document.hits("nouns", noun_keys(options.proper_nouns), False), False)
    if "spelling" in names:
        _with_words(flagged, lines, document.hits("spelling", corrections().keys(), True), True)
    if "phrases" in names and options.phrases:
        _with_words(flagged, lines, document.hits("phrases", triggers(options.phrases), True), True)
    return flagged


def _with_words(flagged: set[int], lines: Sequence[Line], hits: tuple[str, ...], lowered: bool) -> None:
    """Flag the lines that contain one of ``hits`` (the rule's words the document has)."""
    if not hits:
        return
    for index, line in enumerate(lines):
        if index not in flagged and has_hit(line.text, hits, lowered):
            flagged.add(index)
