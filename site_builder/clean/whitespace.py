"""whitespace: invisible mess that changes how text renders or searches.

Trailing spaces and tabs, no-break spaces between words (kept after a digit,
as in "10 km"), zero-width characters outside words, and trailing blank
lines.  CRLF line ends become LF.
"""

from __future__ import annotations

import re

from ..model import Change

_ZERO_WIDTH = re.compile(r"(?<!\w)[\u200b\u200c\u200d\u2060\ufeff]|[\u200b\u200c\u200d\u2060\ufeff](?!\w)")
_NBSP = re.compile(r"(?<!\d)\u00a0")
_ZERO_WIDTH_ANY = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPECIAL = re.compile(r"[\u00a0\u200b\u200c\u200d\u2060\ufeff]")
_TRAILING_CHARS = (" ", "\t", "\u00a0")
_TRAILING = re.compile(r"[ \t\u00a0]+$")


def whitespace(text: str, path: str, first_line: int = 1) -> tuple[str, list[Change]]:
    """Normalise ``text`` line by line; ``first_line`` is its first file line."""
    out: list[str] = []
    changes: list[Change] = []
    if "\r" in text:
        text = _crlf(text, path, first_line, changes)
    # Every special character is non-ASCII: isascii() answers for most texts, far sooner than a scan.
    special = not text.isascii() and _SPECIAL.search(text) is not None
    for index, line in enumerate(text.split("\n")):
        if not (line.endswith(_TRAILING_CHARS) or (special and _SPECIAL.search(line))):
            out.append(line)  # the common case: nothing to do on this line
            continue
        number = first_line + index
        fixed = _ZERO_WIDTH.sub("", line)
        fixed = _NBSP.sub(" ", fixed)
        trailing = _TRAILING.search(fixed)
        if trailing:
            fixed = fixed[: trailing.start()]
        if fixed != line:
            column = next((i for i, (a, b) in enumerate(zip(line, fixed, strict=False)) if a != b), len(fixed)) + 1
            changes.append(Change(path, number, column, "whitespace", _show(line), _show(fixed)))
        out.append(fixed)
    total = len(out)
    while out and not out[-1]:
        out.pop()
    if total - len(out) > 1 and out:
        changes.append(Change(path, first_line + len(out), 1, "whitespace",  # the first extra blank line
                              "trailing blank lines", "one final newline"))
    return "\n".join(out) + ("\n" if out else ""), changes


def _crlf(text: str, path: str, first_line: int, changes: list[Change]) -> str:
    """CRLF (and lone CR) line ends become LF; reported once, at the first one."""
    before = text.split("\n")
    number = next(i for i, line in enumerate(before) if "\r" in line)
    changes.append(Change(path, first_line + number, len(before[number].split("\r")[0]) + 1,
                          "whitespace", "CRLF line ends", "LF line ends"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _show(line: str) -> str:
    """A short, visible rendering of a line's invisible characters."""
    tail = line[-40:]
    return (tail.replace("\u00a0", "\\u00a0").replace("\u200b", "\\u200b").replace("\t", "\\t")
            .replace("\u200c", "\\u200c").replace("\u200d", "\\u200d").replace("\ufeff", "\\ufeff")
            .replace("\u2060", "\\u2060") + ("⏎" if tail.endswith(" ") else ""))


def column_maps(original: str, first_line: int = 1) -> dict[int, list[int]]:
    """For each line that loses zero-width characters: cleaned index -> source index.

    Later rules see the cleaned line; their change columns are mapped back
    through this so that they still point into the source file.
    """
    if original.isascii() or not _ZERO_WIDTH_ANY.search(original):
        return {}  # the common case (zero-width characters are not ASCII)
    maps: dict[int, list[int]] = {}
    for index, line in enumerate(original.replace("\r\n", "\n").split("\n")):
        if not _ZERO_WIDTH_ANY.search(line):
            continue
        cleaned = _NBSP.sub(" ", _ZERO_WIDTH.sub("", line))
        mapping, i = [], 0
        for ch in cleaned:
            while i < len(line) and line[i] != ch and not (line[i] == "\u00a0" and ch == " "):
                i += 1  # a removed zero-width character
            mapping.append(i)
            i += 1
        maps[first_line + index] = mapping
    return maps

