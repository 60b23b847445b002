"""articles: "a" or "an" by the sound of the next word.

"a important" -> "an important", "A obvious" -> "An obvious", "an union" ->
"a union".  The usual exceptions are known: a university, a U.S. delegation,
a one-off, a Ukrainian, an hour, an honest, an MP, an NGO, a NATO summit.
"""

from __future__ import annotations

import re

from .rules import Edit, TextContext

_ARTICLE = re.compile(r"(?<![\w’'-])(a|an|A|An)\s+([\"“‘(`]?)([A-Za-z][\w.’'-]*)")
"""An article, an optional opening quote or backtick ("an `int`"), and the next word."""
_POSSESSIVE = re.compile(r"[’']s$")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir", "herb")
_YOU_PREFIXES = (
    "unanim", "unic", "unif", "unilateral", "union", "uniq", "unis", "unit", "univ", "unary",
    "ukr", "uk", "eu", "ewe", "uti", "usu", "use", "usa", "ura", "uri", "uro", "ubiq",
    "ufo", "ugand", "uto", "uvula", "unix",
)
_W_SOUND = ("one", "once")
_INITIALISMS = """
MP MEP NGO FBI KGB EU UN US UK USA UAE OSCE UNHCR IMF HIV CEO ID OMON BBC CNN NBC OAS ICRC ICC UNGA
SMS LGBT LGBTQ EBRD NSA CIA MFA MVD FSB HR RFE RL
"""
INITIALISMS = frozenset(_INITIALISMS.split())
"""Spelt out letter by letter: "an MP", "an NGO", "a US delegation".  Others are left alone."""
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
"""Letters whose spoken name starts with a vowel sound: an MP, an NGO, an FBI."""


def wants_an(word: str) -> bool | None:
    """True if ``word`` takes "an", False if "a", None if unsure."""
    bare = _POSSESSIVE.sub("", word).rstrip(".’'")
    if "-" in bare and not bare.startswith("-"):
        bare = bare.split("-")[0]  # a user-defined, an x-ray: the first part is heard first
    letters = bare.replace(".", "")
    if not letters.isalpha():
        return None
    initialism = letters.isupper() and (len(letters) > 1 or "." in bare)
    if initialism:
        if "." in bare or letters.rstrip("s") in INITIALISMS:
            return letters[0] in _VOWEL_LETTERS
        return None  # SQL, RE, STREAM: read as a word or letter by letter? Unsure.
    if len(letters) == 1 or any(ch.isupper() for ch in letters[1:]):
        return None  # "a" as a letter ("plan a"), or NxN, iPhone: unsure how it is read
    low = letters.lower()
    if not any(ch in "aeiouy" for ch in low):
        return None  # http, xml: spelt out letter by letter
    if low[0] == "x" and low[1] not in "aeiouy":
        return True  # an xterm, an x-ray
    if low.startswith(_SILENT_H):
        return True
    if low.startswith(_W_SOUND):
        return False
    if low.startswith(_YOU_PREFIXES):
        return False  # a union, a European, a ewe: a "you" sound
    if low[0] == "u":
        if low.startswith("un"):
            return True
        # u + one consonant + vowel sounds "you": usual, utopia, user
        return not (len(low) > 2 and low[1] not in "aeiou" and low[2] in "aeiouy" and low[1] != low[2])
    return low[0] in "aeio"


CANDIDATE = re.compile(r"[aA](?<![\w’'-][aA])(?:\s+[\"“‘(`]?[aeiouAEIOUhHFLMNRSXx]|n\s)")
"""Where an article may be wrong: "a" before a vowel, an h or an initialism; any "an"."""


def articles(text: str, ctx: TextContext) -> list[Edit]:
    if not CANDIDATE.search(text):
        return []
    edits = []
    for match in _ARTICLE.finditer(text):
        article, word = match.group(1), match.group(3)
        if article == "A" and match.start() > 0 and not _after_sentence_end(text, match.start()):
            continue  # "Plan A is", "vitamin A and": a letter, not an article
        an = wants_an(word)
        if an is None or ctx.is_protected_word(word):
            continue
        has_n = article.lower() == "an"
        if an == has_n:
            continue
        fixed = ("an" if an else "a")
        if article[0].isupper():
            fixed = fixed.capitalize()
        edits.append(Edit(match.start(1), match.end(1), fixed))
    return edits


def _after_sentence_end(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    return not before or before[-1] in ".!?:\"”"
