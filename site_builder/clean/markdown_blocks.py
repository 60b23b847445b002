"""Split an editor's Markdown into blocks without changing a byte of it.

Only what the text rules must not touch needs care: fenced and indented code,
HTML blocks, link definitions and thematic breaks are ``verbatim``.  Headings,
list items and quotes keep their markup as the line's ``prefix``.  Runs of
blank lines are reported and folded into one.
"""

from __future__ import annotations

import re

from ..model import Change
from .document import Block, Line
from .tables import build_table, is_separator, is_table_row

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
LIST_ITEM = re.compile(r"^(?:[ \t]*>[ \t]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
"""A list item's markup, inside any quotes: the line's prefix."""
_QUOTE = re.compile(r"^(?:[ \t]*>[ \t]?)+")
_VERBATIM_LINE = re.compile(r"^ {0,3}(?:<[A-Za-z!/?]|\[[^\]]+\]:\s|(?:[-*_][ \t]*){3,}$)")


def _verbatim(number: int, text: str) -> Block:
    return Block("verbatim", (Line(number, 1, "", text, "verbatim"),))


def parse_markdown(text: str, path: str, first_line: int = 1) -> tuple[list[Block], list[Change]]:
    """Blocks of ``text``, whose first line is line ``first_line`` of ``path``."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    blocks: list[Block] = []
    changes: list[Change] = []
    i = 0
    prev_kind = "blank"
    while i < len(lines):
        number = first_line + i
        raw = lines[i]
        fence = _FENCE.match(raw)
        if fence:
            marker = fence.group(1)
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith(marker[0] * len(marker)):
                j += 1
            end = min(j + 1, len(lines))
            blocks.extend(_verbatim(first_line + k, lines[k]) for k in range(i, end))
            i, prev_kind = end, "verbatim"
            continue
        if not raw.strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j - i > 1 or raw:
                changes.append(Change(path, number, 1, "whitespace", "blank lines", "one blank line"))
            blocks.append(Block("blank", (Line(number, 1, "", "", "verbatim"),)))
            i, prev_kind = j, "blank"
            continue
        if (raw.startswith(("    ", "\t")) and prev_kind in ("blank", "code")) or _VERBATIM_LINE.match(raw):
            blocks.append(_verbatim(number, raw))
            prev_kind = "code" if raw.startswith(("    ", "\t")) else "verbatim"
            i += 1
            continue
        if is_table_row(raw) and (
            raw.lstrip().startswith("|") or (i + 1 < len(lines) and is_separator(lines[i + 1]))
        ):
            j = i
            while j < len(lines) and is_table_row(lines[j]):
                j += 1
            blocks.append(build_table([(first_line + k, 1, lines[k]) for k in range(i, j)]))
            i, prev_kind = j, "table"
            continue
        blocks.append(_prose_block(number, raw, prev_kind))
        prev_kind = blocks[-1].kind
        i += 1
    return blocks, changes


def _prose_block(number: int, raw: str, prev_kind: str) -> Block:
    heading = _HEADING.match(raw)
    if heading:
        return Block("heading", (Line(number, heading.end() + 1, raw[: heading.end()],
                                      raw[heading.end():], "heading"),))
    item = LIST_ITEM.match(raw)
    if item:
        return Block("list", (Line(number, item.end() + 1, raw[: item.end()], raw[item.end():]),))
    quote = _QUOTE.match(raw)
    prefix_end = quote.end() if quote else len(raw) - len(raw.lstrip())
    continues = prev_kind in ("paragraph", "list")
    return Block("paragraph", (Line(number, prefix_end + 1, raw[:prefix_end], raw[prefix_end:],
                                    continues=continues),))
