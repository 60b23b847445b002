"""What a text rule is, and the driver that applies one to a line safely.

A text rule is a pure function ``(text, context) -> list[Edit]``: it proposes
replacements of spans of one line's prose.  :func:`apply_rule` drops every
edit that touches a protected span (URL, code, quotation, registered name) or
that would change a digit, applies the rest, and returns the new text with a
:class:`Change` per edit.  Rules therefore stay small and cannot break the
cleaner's promises even when they are wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property

from ..model import Change
from ..wordsearch import WordSearch
from .document import Line
from .protect import Span, overlaps, protected_spans


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    warn_only: bool = False


@dataclass(frozen=True)
class Phrase:
    """An editor's substitution from style.yaml."""

    find: str
    replace: str
    warn: bool = False
    """Only report it; leave the text alone."""


@dataclass(frozen=True)
class CleanOptions:
    """Everything the rules need to know beyond the text itself."""

    disabled: frozenset[str] = frozenset()
    """Names of rules switched off in style.yaml."""
    protected_words: frozenset[str] = frozenset()
    """Words never to change, compared case-insensitively."""
    phrases: tuple[Phrase, ...] = ()
    artifacts: tuple[str, ...] = ()
    """Lines of page chrome to drop, compared case-insensitively."""
    names: WordSearch | None = None
    """Registered people's names and aliases: never edited."""
    proper_nouns: frozenset[str] = frozenset()
    """Lower-cased words known to be proper nouns (gazetteer plus corpus)."""


@dataclass(frozen=True)
class TextContext:
    """One line as a rule sees it."""

    line: Line
    options: CleanOptions
    sentence_start: bool
    """True when the text's first word starts a sentence."""
    spans: list[Span] = field(default_factory=list)
    document: DocumentWords | None = None
    """The words of the whole document, when the caller gathered them."""

    def might_contain(self, key: str, wanted: AbstractSet[str], lowered: bool) -> bool:
        """Could a word of ``wanted`` be on this line?  (False means: certainly not.)

        With the document's words, only the few wanted words the document has
        are looked for, by substring test; without, the line's words are
        gathered and compared.  ``lowered`` compares in lower case.  An empty
        string in ``wanted`` (an entry with no ASCII word to look for) is on
        every line.
        """
        if self.document is None:
            return ANY_LINE in wanted or not wanted.isdisjoint(self.words if lowered else self.written_words)
        return has_hit(self.line.text, self.document.hits(key, wanted, lowered), lowered)

    @cached_property
    def written_words(self) -> frozenset[str]:
        """The words on the line as written ("belarus", "Belarus", "teh"): rules
        test this set to skip lines with nothing for them, instead of a scan each."""
        return frozenset(_WORD.findall(self.line.text))

    @cached_property
    def words(self) -> frozenset[str]:
        """The words in lower case, whole ("belarus", "teh", "imperative" for "IMPERATIVE")."""
        return frozenset(_words(self.line.text)[1])

    def is_protected_word(self, word: str) -> bool:
        return word.lower() in self.options.protected_words


ANY_LINE = ""
"""A key that stands for every line: a rule's entry with no ASCII word to look for
(a phrase or proper noun without an ASCII letter) puts it among its keys."""
_WORD = re.compile(r"[A-Za-z][a-z]*")
_RUN = re.compile(r"[A-Za-z]+")


_ASCII_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
"""The letters a case-insensitive pattern matches to an ASCII one: İ, ı, ſ and the Kelvin sign."""
_TWINS = str.maketrans(_ASCII_TWINS)


def _ascii_twins(text: str) -> str:
    """``text`` with the letters of :data:`_ASCII_TWINS` written as their ASCII twins."""
    if text.isascii() or not any(ch in text for ch in _ASCII_TWINS):
        return text
    return text.translate(_TWINS)


def fold(text: str) -> str:
    """``text`` in lower case as a case-insensitive pattern sees it ("eſſential" -> "essential")."""
    return _ascii_twins(text).lower()


_NOT_A_LETTER = str.maketrans({chr(c): " " for c in range(128) if not ("A" <= chr(c) <= "Z" or "a" <= chr(c) <= "z")})


def _runs(text: str) -> set[str]:
    """The distinct :data:`_RUN` matches of ``text``; for ASCII text, from a split instead of a
    regex scan, in half the time."""
    if text.isascii():
        return set(text.translate(_NOT_A_LETTER).split())
    return set(_RUN.findall(text))


def _words(text: str) -> tuple[set[str], set[str]]:
    """The words of ``text`` as written (split before capitals: "i", "Phone") and in
    lower case, whole ("iphone", "imperative" for "IMPERATIVE"; see :func:`fold`)."""
    runs = _runs(text)
    twins = _ascii_twins(text)
    lowered = {run.lower() for run in (runs if twins is text else _runs(twins))}
    inner_capitals = [run for run in runs if not (run.islower() or run.istitle())]
    if not inner_capitals:
        return runs, lowered  # the usual prose: every run is one written word
    written = runs.difference(inner_capitals)
    for run in inner_capitals:
        written.update(_WORD.findall(run))
    return written, lowered


class DocumentWords:
    """Every word of a document, gathered in one scan before the rules run.

    A rule asks which of the words it looks for (misspellings, proper nouns,
    phrase words) the document has at all; usually none, and then it skips
    every line at once.  Words that edits bring in are added, so the answer
    stays a superset as the text changes.  Lower-cased words are whole runs of
    letters, so that a phrase written in capitals is found.
    """

    def __init__(self, text: str) -> None:
        self.written, self.lowered = _words(text)
        self._hits: dict[tuple[str, bool], tuple[str, ...]] = {}

    def add(self, text: str) -> None:
        written, lowered = _words(text)
        if not (written <= self.written and lowered <= self.lowered):
            self.written |= written
            self.lowered |= lowered
            self._hits.clear()

    def hits(self, key: str, wanted: AbstractSet[str], lowered: bool) -> tuple[str, ...]:
        """The words of ``wanted`` in the document (cached under ``key``), and :data:`ANY_LINE`
        if ``wanted`` has it: it is in every text."""
        found = self._hits.get((key, lowered))
        if found is None:
            pool = self.lowered if lowered else self.written
            found = tuple(sorted(w for w in pool if w in wanted))
            if ANY_LINE in wanted:
                found = (ANY_LINE, *found)
            self._hits[(key, lowered)] = found
        return found


def has_hit(text: str, hits: tuple[str, ...], lowered: bool) -> bool:
    """Is one of ``hits`` (from :meth:`DocumentWords.hits`) in ``text``, compared as they were gathered?"""
    if not hits:
        return False
    if lowered:
        text = fold(text)
    for hit in hits:  # noqa: SIM110 (a plain loop: cheaper than any() over a generator)
        if hit in text:
            return True
    return False


TextRule = Callable[[str, TextContext], list[Edit]]


def _context(before: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole whitespace-delimited words for display."""
    left = start
    while left > 0 and not before[left - 1].isspace():
        left -= 1
    right = end
    while right < len(before) and not before[right].isspace():
        right += 1
    if right == left:
        right = min(len(before), end + 1)
    return left, right


_DIGITS = re.compile(r"\d")


Shift = tuple[int, int, int]
"""An edit already applied to a line: (start, old length, new length)."""


def source_offset(position: int, shifts: list[Shift]) -> int:
    """Where ``position`` of the edited text was before ``shifts`` were applied."""
    for start, old, new in reversed(shifts):
        if position >= start + new:
            position += old - new
        elif position > start:
            position = start
    return position


def apply_rule(
    name: str, rule: TextRule, line: Line, ctx: TextContext, path: str, shifts: list[Shift] | None = None
) -> tuple[Line, list[Change]]:
    """Apply one rule to one line; return the new line and what changed.

    ``shifts`` lists the edits earlier rules made to the line: change columns
    are mapped back through them so that they point into the source file, and
    this rule's edits are appended.
    """
    return apply_edits(name, rule(line.text, ctx), line, ctx, path, shifts)


def apply_edits(
    name: str, proposed: list[Edit], line: Line, ctx: TextContext, path: str, shifts: list[Shift] | None = None
) -> tuple[Line, list[Change]]:
    """The second half of :func:`apply_rule`, for a caller that ran the rule itself."""
    if not proposed:
        return line, []  # the common case: no need to find the protected spans
    text = line.text
    spans = protected_spans(text, ctx.options.names)
    edits = sorted(proposed, key=lambda e: (e.start, e.end))
    accepted: list[Edit] = []
    last_end = -1
    for edit in edits:
        if edit.start < last_end or overlaps(spans, edit.start, edit.end):
            continue
        old = text[edit.start:edit.end]
        if _DIGITS.findall(old) != _DIGITS.findall(edit.replacement) or old == edit.replacement:
            continue
        accepted.append(edit)
        last_end = edit.end
    changes: list[Change] = []
    new_text = text
    for edit in reversed(accepted):
        left, right = _context(text, edit.start, edit.end)
        before = text[left:right]
        after = text[left:edit.start] + edit.replacement + text[edit.end:right]
        start = source_offset(edit.start, shifts) if shifts else edit.start
        changes.append(Change(path, line.number, line.column + start, name,
                              before, after, warn_only=edit.warn_only))
        if not edit.warn_only:
            new_text = new_text[: edit.start] + edit.replacement + new_text[edit.end:]
    changes.reverse()
    if ctx.document is not None:
        for edit in accepted:
            ctx.document.add(edit.replacement)
    if shifts is not None:
        delta = 0
        for edit in accepted:
            if not edit.warn_only:
                shifts.append((edit.start + delta, edit.end - edit.start, len(edit.replacement)))
                delta += len(edit.replacement) - (edit.end - edit.start)
    return line.with_text(new_text), changes
