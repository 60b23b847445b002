"""Spans of a line that no text rule may change.

URLs, e-mail addresses, file names, code spans, Markdown link targets, inline
HTML, quoted speech and the names of registered people are found once per
line; the rule driver drops every edit that overlaps one of them.  This is
what makes "never change a URL, code or a quotation" a property of the
driver rather than a promise each rule has to keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..wordsearch import WordSearch

Span = tuple[int, int]

# (pattern, trigger): a pattern is only tried on a line that contains one of
# its trigger substrings, so plain prose costs a few ``in`` tests, not a scan
# with every pattern.  A trigger of "" means "always try".
_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"`+[^`]*`+", ("`",)),                                   # code spans
    (r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)", ("](",)),             # link destinations ](url "title")
    (r"<[^>\s]+>|<[A-Za-z/][^>]*>", ("<",)),                    # autolinks, inline HTML
    (r"(?:https?|ftp|mailto):[^\s<>()\[\]]+", (":",)),          # URLs with a scheme
    (r"\bwww\.[^\s<>()\[\]]+", ("www.", "WWW.")),              # bare www. hosts
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", ("@",)),                  # e-mail addresses
    (r"(?<![\w/])(?:[\w-]+/)+[\w.-]+", ("/",)),                  # paths like docs/report.pdf
    (r"\b[\w-]+\.(?:com|org|net|gov|edu|int|eu|by|ru|ua|pl|lt|uk|de|fr|io|info|news)\b(?:/\S*)?"
     r"|\b[\w-]+\.(?:pdf|docx?|xlsx?|csv|txt|md|html?|jpe?g|png|gif|svg|zip|mp[34]|py|js|css|json|xml)\b",
     ("",)),                                                   # host and file names
    (r"“[^”]*”", ("“",)),                                      # quoted speech, curly quotes
    (r"\"[^\"\n]*\"", ('"',)),                                  # quoted speech, straight quotes
    (r"«[^»]*»", ("«",)),
    (r"&[A-Za-z]+;|&#\d+;", ("&",)),                             # HTML entities
    (r"\{\{.*?\}\}|\{%.*?%\}", ("{",)),                            # template-looking text
)
_COMPILED = tuple((re.compile(p), t) for p, t in _PATTERNS)
_DOTTED = re.compile(r"\.(?:com|org|net|gov|edu|int|eu|by|ru|ua|pl|lt|uk|de|fr|io|info|news|pdf|docx?|xlsx?|csv"
                     r"|txt|md|html?|jpe?g|png|gif|svg|zip|mp[34]|py|js|css|json|xml)\b")
"""Host and file names need one of these endings: test for it before the slow scan."""


def protected_spans(text: str, names: WordSearch | None = None) -> list[Span]:
    """Sorted, possibly overlapping (start, end) spans of ``text`` to leave alone."""
    spans: list[Span] = []
    for pattern, triggers in _COMPILED:
        if triggers == ("",):
            if not _DOTTED.search(text):
                continue
        elif not any(t in text for t in triggers):
            continue
        spans.extend(m.span() for m in pattern.finditer(text))
    if names is not None:
        spans.extend(names.spans(text))
    spans.sort()
    return spans


def names_pattern(names: Iterable[str]) -> WordSearch | None:
    """A whole-word, case-insensitive search for the registry's names.

    Compiled as a trie, longest match first: a flat alternation of a thousand
    names is tried name by name at every position of every line, while the
    trie shares prefixes, so a registry of 500 people costs little.  The trie
    is built in sorted order, so the pattern (a cache key) is the same in
    every process.
    """
    return _names_pattern(frozenset(n.strip().lower() for n in names if n.strip()))


@lru_cache(maxsize=8)
def _names_pattern(words: frozenset[str]) -> WordSearch | None:
    """:func:`names_pattern`, kept per set of names: the dev server asks again on every save."""
    return WordSearch.build(sorted(words), _trie, r"\w")


def _trie(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_body(trie)


def _trie_body(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _trie_body(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def overlaps(spans: list[Span], start: int, end: int) -> bool:
    """True if [start, end) touches any span (an insertion at a span edge is allowed)."""
    for s, e in spans:
        if s >= end and not (start == end == s):
            break
        if start < e and end > s:
            return True
        if start == end and s < start < e:
            return True
    return False
