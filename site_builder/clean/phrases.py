"""phrases: the editors' own substitutions from content/style.yaml.

Each entry replaces a phrase (whole words, any case, keeping a capital first
letter, or capitals throughout) or, with ``warn: true``, only reports it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .rules import ANY_LINE, Edit, Phrase, TextContext


def _words(find: str) -> str:
    return r"\s+".join(re.escape(w) for w in find.split())


@lru_cache(maxsize=16)
def _pattern(entries: tuple[Phrase, ...]) -> re.Pattern[str]:
    """One pattern for all entries, so a line is scanned once; group i is entry i."""
    alternatives = "|".join(f"({_words(p.find)})" for p in entries)
    return re.compile(r"(?<!\w)(?:" + alternatives + r")(?!\w)", re.I)


def _longest_words(entries: tuple[Phrase, ...]) -> frozenset[str]:
    """Each entry's longest run of letters: if it is not on a line, the entry is not either.
    An entry without an ASCII letter has :data:`ANY_LINE`."""
    return frozenset(max(re.findall(r"[a-z]+", p.find.lower()) or [ANY_LINE], key=len) for p in entries)


_COMPILED: dict[int, tuple[tuple[Phrase, ...], frozenset[str], re.Pattern[str]]] = {}


def _compiled(entries: tuple[Phrase, ...]) -> tuple[frozenset[str], re.Pattern[str]]:
    """Triggers and pattern for ``entries``, looked up by identity: hashing the
    entries on every line would cost more than the scan it saves."""
    hit = _COMPILED.get(id(entries))
    if hit is None or hit[0] is not entries:
        if len(_COMPILED) > 16:
            _COMPILED.clear()
        hit = (entries, _longest_words(entries), _pattern(entries))
        _COMPILED[id(entries)] = hit
    return hit[1], hit[2]


def triggers(entries: tuple[Phrase, ...]) -> frozenset[str]:
    """The words whose presence on a line means one of ``entries`` may be there."""
    return _compiled(entries)[0]


def _match_case(found: str, replacement: str) -> str:
    if found.isupper() and sum(ch.isalpha() for ch in found) > 1:
        return replacement.upper()  # IT IS INDEED IMPERATIVE -> IT IS IMPERATIVE
    if found[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


def phrases(text: str, ctx: TextContext) -> list[Edit]:
    entries = ctx.options.phrases
    if not entries:
        return []
    triggers, pattern = _compiled(entries)
    if not ctx.might_contain("phrases", triggers, lowered=True):
        return []  # no entry's longest word on the line
    edits = []
    for match in pattern.finditer(text):
        phrase = entries[(match.lastindex or 1) - 1]
        replacement = _match_case(match.group(), phrase.replace)
        edits.append(Edit(match.start(), match.end(), replacement, warn_only=phrase.warn))
    return edits


DEFAULT_PHRASES: tuple[Phrase, ...] = (
    Phrase("frequently enough leading", "often leading"),
    Phrase("legal portrayal", "legal representation"),
    Phrase("it is indeed imperative", "it is imperative"),
    Phrase("it is indeed essential", "it is essential"),
    Phrase("critically important", "important", warn=True),
)
