"""spelling: known misspellings, from codespell's maintained dictionary.

Only unambiguous entries are used (one suggestion, no note).  A word is left
alone when it is capitalised inside a sentence (probably a name), has inner
capitals or digits, is a registered name (a protected span) or is on the
editors' protected list.  The case of the first letter is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .rules import Edit, TextContext

_WORD = re.compile(r"(?<![\w’'.@/-])([A-Za-z][a-z]+)(?![\w’'@/-]|\.\w)")

EXCLUDED = frozenset(
    [
        "dialog", "favor", "favors", "color", "colors", "honor", "center", "centers", "organization",
        "organizations", "analyze", "analyzed", "behavior", "traveled", "labor", "defense", "license",
        "offense", "practice",
    ]
)
"""Entries of the list that are valid spellings in some English we publish."""


@lru_cache(maxsize=1)
def corrections() -> dict[str, str]:
    """misspelling -> correction, lower case, unambiguous entries only."""
    data = resources.files("codespell_lib").joinpath("data", "dictionary.txt")
    table: dict[str, str] = {}
    for line in data.read_text(encoding="utf-8").splitlines():
        wrong, sep, right = line.partition("->")
        if not sep or "," in right or " " in right.strip() or wrong in EXCLUDED:
            continue
        right = right.strip()
        if wrong.isalpha() and wrong.islower() and right.replace("'", "").isalpha():
            table[wrong] = right
    return table


def spelling(text: str, ctx: TextContext) -> list[Edit]:
    table = corrections()
    if not ctx.might_contain("spelling", table.keys(), lowered=True):
        return []  # no known misspelling anywhere on the line
    edits = []
    for match in _WORD.finditer(text):
        word = match.group(1)
        lower = word.lower()
        fix = table.get(lower)
        if fix is None or ctx.is_protected_word(word):
            continue
        if word[0].isupper():
            lead = text[: match.start()]
            at_start = not lead.strip(" \"“‘(") or (ctx.sentence_start and not lead.strip())
            if not (at_start or _after_sentence_end(text, match.start())):
                continue  # capitalised mid-sentence: a name, leave it
            fix = fix[0].upper() + fix[1:]
        edits.append(Edit(match.start(1), match.end(1), fix))
    return edits


def _after_sentence_end(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \"“‘(")
    return not before or before[-1] in ".!?"
