"""Pipe tables: recognise them and rebuild them as canonical GFM tables.

Wire copy has tables with or without outer pipes, separator rows of the wrong
width (``---|---|`` under three columns), ragged rows, or no separator at all.
``build_table`` reads such rows and returns a table block whose cells the text
rules can fix and which renders as a GFM table markdown-it-py turns into a
``<table>``: the header row is the first row, every row has the same number of
cells, and column alignments given in the separator row are kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .document import Block, Line

_SEPARATOR_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")


@lru_cache(maxsize=4096)
def split_cells(text: str) -> tuple[tuple[int, str], ...]:
    """Cells of a pipe-table row as (0-based offset in ``text``, cell text).

    Outer pipes are optional; ``\\|`` is an escaped pipe inside a cell and so
    is a pipe inside a code span.  Cached: a row is split when it is recognised
    and again when it is read.
    """
    cells: list[tuple[int, str]] = []
    if "\\" not in text and "`" not in text:  # the common case: split on every pipe
        offset = 0
        for part in text.split("|"):
            cells.append((offset, part))
            offset += len(part) + 1
        return _trim(text, cells)
    start = 0
    in_code = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`" and (in_code or "`" in text[i + 1:]):
            in_code = not in_code  # a lone backtick opens no code span
        elif ch == "|" and not in_code:
            cells.append((start, text[start:i]))
            start = i + 1
        i += 1
    cells.append((start, text[start:]))
    return _trim(text, cells)


def _trim(text: str, cells: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    # Outer pipes produce an empty first and/or last cell: drop them.
    if cells and not cells[0][1].strip() and text.lstrip().startswith("|"):
        cells.pop(0)
    if cells and not cells[-1][1].strip() and text.rstrip().endswith("|"):
        cells.pop()
    return tuple((off + len(c) - len(c.lstrip()), c.strip()) for off, c in cells)


def is_table_row(text: str) -> bool:
    """A line that holds at least two pipe-separated cells (or one outer-piped cell)."""
    if "|" not in text:
        return False
    stripped = text.strip()
    cells = split_cells(stripped)
    return len(cells) >= 2 or (len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|"))


def is_separator(text: str) -> bool:
    cells = split_cells(text.strip())
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for _, c in cells)


def _align(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith(":") and cell.endswith(":"):
        return "center"
    if cell.endswith(":"):
        return "right"
    if cell.startswith(":"):
        return "left"
    return ""


def build_table(rows: list[tuple[int, int, str]]) -> Block:
    """A table block from (line number, column of the text, row text) triples.

    The first non-separator row is the header; separator rows anywhere are
    dropped (their alignments kept); short rows are padded with empty cells.
    """
    aligns: list[str] = []
    parsed: list[tuple[Line, ...]] = []
    for number, column, text in rows:
        if is_separator(text):
            if not aligns:
                aligns = [_align(c) for _, c in split_cells(text.strip())]
            continue
        lead = len(text) - len(text.lstrip())
        role = "header_cell" if not parsed else "cell"
        parsed.append(tuple(
            Line(number, column + lead + off, "", cell, role)  # type: ignore[arg-type]
            for off, cell in split_cells(text.strip())
        ))
    width = max(len(r) for r in parsed) if parsed else 0
    aligns = (aligns + [""] * width)[:width]
    source = tuple(Line(n, c, "", t, "verbatim") for n, c, t in rows)
    if not any(cell.text for row in parsed for cell in row):
        # Only separators or empty cells: nothing a reader could read as a table.
        return Block("paragraph", tuple(Line(n, c, "", t) for n, c, t in rows))
    return Block("table", source, tuple(parsed), tuple(aligns))
