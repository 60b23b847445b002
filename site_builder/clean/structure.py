"""Structure of raw wire copy: every line is one block; find what each is.

Raw text has no markup.  A line is a table row if it has pipe-separated cells,
a list item if it starts with a bullet, a heading if it is short and has no
closing punctuation, and otherwise a paragraph.  After a "Frequently Asked
Questions" heading, lines ending in "?" are questions (``###``) and the lines
after them their answers, until the next heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Change
from .document import Block, Line
from .markdown_blocks import LIST_ITEM
from .tables import build_table, is_table_row

_BULLET = re.compile(r"^([-*+•●▪]|\d{1,9}[.)])\s+")  # as CommonMark: up to nine digits
_MARKED = re.compile(r"^(#{1,6}(?=\s)|>(?:[ \t]*>)*)\s*")  # a heading, or quotes nested any depth
_FAQ = re.compile(r"^(frequently asked questions|faqs?|questions and answers|q\s*&\s*a)\b", re.I)
_CLOSING = tuple(".,;:!?\"”’)»…")
MAX_HEADING_WORDS = 20
MAX_HEADING_CHARS = 160


@dataclass(frozen=True)
class RawLine:
    number: int
    text: str
    """The line without its surrounding spaces."""
    column: int = 1
    """1-based source column where ``text`` starts (after any indentation)."""


def is_heading(text: str) -> bool:
    """Short, starts like a word, and does not end like a sentence."""
    stripped = text.strip()
    if not stripped or stripped.endswith(_CLOSING) or len(stripped) > MAX_HEADING_CHARS:
        return False
    if not (stripped[0].isalnum() or stripped[0] in "\"“‘'"):
        return False
    return len(stripped.split()) <= MAX_HEADING_WORDS


def _bullet_item(line: RawLine) -> Line:
    match = _BULLET.match(line.text)
    assert match is not None
    marker = match.group(1)
    prefix = f"{marker[:-1]}. " if marker[-1] in ".)" and marker[0].isdigit() else "- "
    return Line(line.number, line.column + match.end(), prefix, line.text[match.end():])


def structure(lines: list[RawLine], path: str) -> tuple[list[Block], list[Change]]:
    """Group raw lines into blocks, reporting each heading and table it made."""
    blocks: list[Block] = []
    changes: list[Change] = []
    in_faq = False
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if is_table_row(text):
            j = i
            while j < len(lines) and is_table_row(lines[j].text):
                j += 1
            rows = [(ln.number, ln.column, ln.text) for ln in lines[i:j]]
            blocks.append(build_table(rows))
            i = j
            continue
        if _BULLET.match(text):
            items = []
            while i < len(lines) and _BULLET.match(lines[i].text):
                items.append(_bullet_item(lines[i]))
                i += 1
            blocks.append(Block("list", tuple(items)))
            continue
        marked = _MARKED.match(text)
        quoted_item = LIST_ITEM.match(text) if marked and text.startswith(">") else None
        if quoted_item:  # "> 2020. text", "> - item": a list in a quote, as Markdown reads it
            blocks.append(Block("list", (Line(line.number, line.column + quoted_item.end(),
                                              text[: quoted_item.end()], text[quoted_item.end():]),)))
        elif marked:  # already Markdown: "## Heading", "> quote"; keep the markup
            quote = marked.group(1).startswith(">")
            rest = text[marked.end():]
            marked_line = Line(line.number, line.column + marked.end(), marked.group(1) + (" " if rest else ""), rest,
                               "sentence" if quote else "heading")
            blocks.append(Block("paragraph" if quote else "heading", (marked_line,)))
        elif in_faq and text.rstrip().endswith("?"):
            blocks.append(Block("heading", (Line(line.number, line.column, "### ", text, "heading"),)))
            changes.append(Change(path, line.number, 1, "structure", text, "### " + text))
        elif is_heading(text):
            in_faq = bool(_FAQ.match(text.strip()))
            blocks.append(Block("heading", (Line(line.number, line.column, "## ", text, "heading"),)))
            changes.append(Change(path, line.number, 1, "structure", text, "## " + text))
        else:
            blocks.append(Block("paragraph", (Line(line.number, line.column, "", text),)))
        i += 1
    return blocks, changes
