"""The cleaner's view of a text: blocks made of lines, each with prose to fix.

A :class:`Line` separates the Markdown markup in front of it (``## ``,
``- ``, ``> ``) from the prose the text rules may edit, and remembers where
that prose starts in the source file so that every change can be reported
by line and column.  Code, HTML and front matter become ``verbatim`` blocks
that no text rule sees.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

BlockKind = Literal["paragraph", "heading", "list", "table", "verbatim", "blank"]
Role = Literal["sentence", "heading", "header_cell", "cell", "verbatim"]


@dataclass(frozen=True)
class Line:
    """One line of a block: markup prefix plus editable prose."""

    number: int
    """1-based line in the source file."""
    column: int
    """1-based source column where ``text`` starts."""
    prefix: str
    """Markup written before the text (``"## "``, ``"- "``); never edited."""
    text: str
    """The prose the text rules work on."""
    role: Role = "sentence"
    """How the text rules treat it: a heading, a table cell, running prose."""
    continues: bool = False
    """True for the second and later lines of a soft-wrapped paragraph."""

    def with_text(self, text: str) -> Line:
        return replace(self, text=text)


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list, table or verbatim run of lines."""

    kind: BlockKind
    lines: tuple[Line, ...]
    rows: tuple[tuple[Line, ...], ...] = ()
    """For tables: the cells of each row (header first), separator excluded."""
    aligns: tuple[str, ...] = ()
    """For tables: one of '', 'left', 'center', 'right' per column."""

    def prose_lines(self) -> tuple[Line, ...]:
        if self.kind == "table":
            return tuple(cell for row in self.rows for cell in row)
        if self.kind in ("verbatim", "blank"):
            return ()
        return self.lines


def render_table(block: Block) -> list[str]:
    """Canonical GFM: outer pipes, one space of padding, a full separator row."""
    width = len(block.aligns)
    marks = {"": "---", "left": ":---", "center": ":---:", "right": "---:"}
    out = []
    for index, row in enumerate(block.rows):
        cells = [cell.text for cell in row] + [""] * (width - len(row))
        out.append("| " + " | ".join(cells) + " |")
        if index == 0:
            out.append("| " + " | ".join(marks[a] for a in block.aligns) + " |")
    return out


def render_block(block: Block) -> list[str]:
    if block.kind == "table":
        return render_table(block)
    return [line.prefix + line.text for line in block.lines]


def render(blocks: list[Block], separate: bool) -> str:
    """Markdown text of ``blocks``.

    ``separate`` puts one blank line between blocks (raw text, where every
    line was a block); otherwise blank lines are blocks of their own and the
    text is reassembled exactly as it was, but for the edits.
    """
    out: list[str] = []
    for block in blocks:
        if separate and out:
            out.append("")
        out.extend(render_block(block))
    text = "\n".join(out).rstrip("\n")
    return text + "\n" if text else ""
