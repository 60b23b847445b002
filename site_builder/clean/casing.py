"""casing: capital letters where English needs them.

- the first word of a paragraph, list item, heading or table header cell;
- the word after a sentence ends (". this could" -> ". This could"), but not
  after an abbreviation ("the U.S. has", "e.g. the");
- the text after a list label ("- Human Rights Advocacy: joint" -> "Joint");
- proper nouns written in lower case ("belarus", "september 2020"), from a
  gazetteer plus the words the corpus itself always capitalises.

Words with inner capitals ("iPhone"), protected words and registered names
are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .rules import ANY_LINE, Edit, TextContext
from .words import SENTENCE_OPENERS

_FIRST_WORD = re.compile(r"^[\s\"“‘'(\[*_]*([^\W\d_][\w’'-]*)")
_SENTENCE_END = re.compile(
    r"([.!?][”’\"]?)(\s+)([\"“‘(]?)((?=[a-z]|[^\x00-\x7f])[^\W\d_][\w’'-]*)"
)
"""A sentence end followed by a word that may need a capital (a lower-case or non-ASCII letter)."""
_LABEL = re.compile(r"^([^\W\d_][^:.!?]{0,60}):\s+([^\W\d_][\w’'-]*)")
_WORD = re.compile(r"(?<![\w’'.-])([^\W\d_][\w’'-]*)")
LIST_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])\s")

ABBREVIATIONS = frozenset(
    [
        "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "st", "no", "nos", "approx", "cf", "al",
        "gen", "col", "sen", "rep", "gov", "lt", "sgt", "capt", "prof", "inc", "ltd", "co", "corp",
        "jr", "sr", "fig", "vol", "pp", "p", "ed", "eds", "dept", "est", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "ave", "blvd",
    ]
)


def _needs_capital(word: str, ctx: TextContext) -> bool:
    if not word[0].islower() or ctx.is_protected_word(word):
        return False
    return not any(ch.isupper() for ch in word[1:])  # iPhone, eBay: leave alone


def _identifier(text: str, end: int) -> bool:
    """Is the word ending at ``end`` code written bare ("urllib.request", "main()", "max_len")?"""
    rest = text[end:end + 2]
    return rest[:1] in ("(", "_", "/", "@", "=") or (rest[:1] == "." and rest[1:2].isalnum())


def _capital(start: int, word: str) -> Edit:
    return Edit(start, start + 1, word[0].upper())


def _is_abbreviation(text: str, end: int) -> bool:
    """Is the token ending at ``end`` (just before its final period) an abbreviation?"""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start:end].strip("(\"“‘'").lower()
    return "." in token or token in ABBREVIATIONS or len(token) == 1


def casing(text: str, ctx: TextContext) -> list[Edit]:
    edits: list[Edit] = []
    role = ctx.line.role
    if ctx.sentence_start and role in ("sentence", "heading", "header_cell"):
        first = _FIRST_WORD.match(text)
        if first and _needs_capital(first.group(1), ctx) and not _identifier(text, first.end(1)):
            edits.append(_capital(first.start(1), first.group(1)))
    if role == "sentence" and LIST_PREFIX.match(ctx.line.prefix):
        label = _LABEL.match(text)
        if label and len(label.group(1).split()) <= 6 and _needs_capital(label.group(2), ctx):
            edits.append(_capital(label.start(2), label.group(2)))
    if role in ("sentence", "heading"):
        nouns = ctx.options.proper_nouns
        for match in _SENTENCE_END.finditer(text):
            mark, word = match.group(1), match.group(4)
            lower = word.lower()
            if lower not in SENTENCE_OPENERS and lower not in nouns:
                continue  # "size is optional": maybe an identifier written in lower case on purpose
            if match.start() == 0 or not (text[match.start() - 1].isalpha() or text[match.start() - 1] in ")”’\""):
                continue  # "3. the" or ". . . the": not the end of a sentence
            if mark.startswith(".") and _is_abbreviation(text, match.start(1)):
                continue
            if text[max(0, match.start(1) - 2): match.start(1) + 1].endswith(".."):
                continue  # an ellipsis does not end a sentence
            if _needs_capital(word, ctx) and not _identifier(text, match.end(4)):
                edits.append(_capital(match.start(4), word))
    nouns = ctx.options.proper_nouns
    if nouns and ctx.might_contain("nouns", noun_keys(nouns), lowered=False):
        for match in _nouns_pattern(nouns).finditer(text):
            word = match.group(1)
            if not ctx.is_protected_word(word):
                edits.append(_capital(match.start(1), word))
    return edits


@lru_cache(maxsize=4)
def noun_keys(nouns: frozenset[str]) -> frozenset[str]:
    """The first run of ASCII letters of each noun ("lukashenko" for "lukashenko’s", "d" for
    "łódź"): a whole word of the document wherever the noun is written.  A noun without
    an ASCII letter ("минск") has none: :data:`ANY_LINE` stands for it."""
    return frozenset(m.group() if m else ANY_LINE for m in map(_LETTER_RUN.search, nouns))


_LETTER_RUN = re.compile(r"[a-z]+")


@lru_cache(maxsize=4)
def _nouns_pattern(nouns: frozenset[str]) -> re.Pattern[str]:
    """One pattern for every proper noun: a line is scanned once, in C.

    "belarus’s" matches "belarus"; "belarus-based" and "minsk.by" do not.
    """
    return re.compile(r"(?<![\w’'.-])(" + _trie(nouns) + r")(?![\w@/]|[’'-]\w(?<![’']s)|\.\w)")


def _trie(words: frozenset[str]) -> str:
    """A regex matching exactly ``words``, factored by prefix ("bel(?:arus(?:ian)?)")."""
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(tree)


def _emit(node: dict[str, dict[str, Any]]) -> str:
    ends = "" in node
    alternatives = [re.escape(ch) + _emit(sub) for ch, sub in sorted(node.items()) if ch]
    if not alternatives:
        return ""
    if len(alternatives) == 1 and not ends:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")" + ("?" if ends else "")
