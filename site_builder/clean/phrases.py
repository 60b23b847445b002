"""phrases: the editors' own substitutions from content/style.yaml.

Each entry replaces a phrase (whole words, any case, keeping a capital first
letter) or, with ``warn: true``, only reports it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .rules import Edit, Phrase, TextContext


@lru_cache(maxsize=256)
def _pattern(find: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in find.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.I)


def _match_case(found: str, replacement: str) -> str:
    if found[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


def phrases(text: str, ctx: TextContext) -> list[Edit]:
    edits = []
    for phrase in ctx.options.phrases:
        for match in _pattern(phrase.find).finditer(text):
            replacement = _match_case(match.group(), phrase.replace)
            edits.append(Edit(match.start(), match.end(), replacement, warn_only=phrase.warn))
    return edits


DEFAULT_PHRASES: tuple[Phrase, ...] = (
    Phrase("frequently enough leading", "often leading"),
    Phrase("legal portrayal", "legal representation"),
    Phrase("it is indeed imperative", "it is imperative"),
    Phrase("critically important", "important", warn=True),
)
