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

Span = tuple[int, int]

_PATTERNS = [
    r"`+[^`]*`+",                                 # code spans
    r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)",           # link destinations ](url "title")
    r"<[^>\s]+>",                                  # autolinks and inline tags
    r"<[A-Za-z/][^>]*>",                           # inline HTML with attributes
    r"(?:https?|ftp|mailto):[^\s<>()\[\]]+",       # URLs with a scheme
    r"\bwww\.[^\s<>()\[\]]+",                      # bare www. hosts
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",               # e-mail addresses
    r"(?<![\w/])(?:[\w-]+/)+[\w.-]+",              # paths like docs/report.pdf
    r"\b[\w-]+\.(?:com|org|net|gov|edu|int|eu|by|ru|ua|pl|lt|uk|de|fr|io|info|news)\b(?:/\S*)?",
    r"\b[\w-]+\.(?:pdf|docx?|xlsx?|csv|txt|md|html?|jpe?g|png|gif|svg|zip|mp[34])\b",
    r"“[^”]*”",                                    # quoted speech, curly quotes
    r"\"[^\"\n]*\"",                               # quoted speech, straight quotes
    r"«[^»]*»",
    r"&[A-Za-z]+;|&#\d+;",                         # HTML entities
    r"\{\{.*?\}\}|\{%.*?%\}",                      # template-looking text
]
_PROTECTED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def protected_spans(text: str, names: re.Pattern[str] | None = None) -> list[Span]:
    """Sorted, possibly overlapping (start, end) spans of ``text`` to leave alone."""
    spans = [m.span() for m in _PROTECTED.finditer(text)]
    if names is not None:
        spans.extend(m.span() for m in names.finditer(text))
    spans.sort()
    return spans


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A whole-word, case-insensitive pattern for the registry's names."""
    words = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


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
