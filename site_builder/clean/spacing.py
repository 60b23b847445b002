"""spacing: put the missing space after , ; : . ! ? before a word.

"advancement,teh" -> "advancement, teh"; "officials.These" -> "officials.
These".  Not inside abbreviations (U.S., e.g., i.e.), numbers (3.5, 10:30),
URLs, e-mail addresses or file names; those are either protected spans or
recognised here.
"""

from __future__ import annotations

import re

from .rules import Edit, TextContext
from .words import SENTENCE_OPENERS

_MISSING = re.compile(r"([,;:.!?])(?=[^\W\d_])")
"""Punctuation directly followed by a letter; the letter before is checked in code (faster than a look-behind)."""
_ABBREVIATION = re.compile(r"(?:\b[^\W\d_]\.)+[^\W\d_]?$")
"""Single letters with dots before the punctuation: U.S, e.g, i.e, a.m."""
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_WORD_AFTER = re.compile(r"^[^\W\d_]+")
_DOTTED_WORDS = frozenset(
    [
        "com", "org", "net", "gov", "edu", "int", "eu", "by", "ru", "ua", "pl", "lt", "uk", "de", "fr",
        "io", "info", "news", "html", "htm", "pdf", "doc", "docx", "txt", "md", "csv", "jpg", "jpeg",
        "png", "gif", "svg", "zip", "js", "css", "py", "xml", "json",
    ]
)


def spacing(text: str, ctx: TextContext) -> list[Edit]:
    edits = []
    for match in _MISSING.finditer(text):
        if match.start() == 0 or not text[match.start() - 1].isalpha():
            continue
        mark = match.group(1)
        pos = match.end()
        before = text[max(0, match.start() - 40): match.start()]  # enough for the word before
        after_word = _WORD_AFTER.match(text[pos:])
        following = after_word.group() if after_word else ""
        if mark in ".:" and _ABBREVIATION.search(before + "."):
            continue  # U.S.-style: a letter-dot sequence continues
        if mark == "." and following.lower() in _DOTTED_WORDS and following.islower():
            continue  # a host or file name written without a scheme
        if mark == "." and len(following) == 1:
            continue  # the next initial of an abbreviation: "U.S", "e.g"
        word_before = _WORD_BEFORE.search(before)
        if mark == "." and word_before and len(word_before.group()) == 1:
            continue
        if not _starts_clause(mark, following, word_before.group() if word_before else ""):
            continue
        edits.append(Edit(pos, pos, " "))
    return edits


def _starts_clause(mark: str, following: str, previous: str) -> bool:
    """Does ``following`` look like the next word of prose rather than part of a name?

    After "." or ":" a lower-case word must be a common sentence opener
    ("deserve.some", "include:the"); "sys.path", "key:value" and
    "logging.raiseExceptions" are identifiers.  "y,x" is a coordinate pair.
    """
    if mark in ".:":
        if any(ch.isupper() for ch in following[1:]):
            return False
        if following[:1].islower() and following not in SENTENCE_OPENERS:
            return False
    return not (mark == "," and len(previous) == 1 and len(following) == 1)
