"""The cleaner: raw wire copy or an editor's Markdown in, clean Markdown out.

The rules run in the order of :data:`RULES`; each can be switched off by name
in ``content/style.yaml``.  Text rules are applied line by line, repeatedly
until nothing changes (at most :data:`MAX_PASSES` times), so that cleaning
clean text is a no-op.  Every edit is reported as a :class:`Change`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Change
from .articles import articles
from .artifacts import is_artifact
from .casing import casing
from .document import Block, Line, render, render_table
from .markdown_blocks import parse_markdown
from .phrases import phrases
from .rules import CleanOptions, DocumentWords, Shift, TextContext, TextRule, apply_edits
from .screen import join, lines_to_check
from .spacing import spacing
from .spelling import spelling
from .structure import RawLine, structure
from .whitespace import column_maps, whitespace

TEXT_RULES: tuple[tuple[str, TextRule], ...] = (
    ("phrases", phrases),    # multi-word substitutions before single words change
    ("spelling", spelling),  # "teh" -> "the" before anything reads the word
    ("spacing", spacing),    # "deserve.some" -> "deserve. some": splits sentences
    ("articles", articles),  # "a important" -> "an important"
    ("casing", casing),      # last: sees the sentences the rules above made
)
RULES: tuple[str, ...] = ("whitespace", "artifacts", "structure", "tables",
                          *(name for name, _ in TEXT_RULES))
"""Every rule name, in the order they run."""
MAX_PASSES = 3

__all__ = ["RULES", "CleanOptions", "CleanResult", "clean_markdown", "clean_raw"]


@dataclass(frozen=True)
class CleanResult:
    markdown: str
    """The cleaned Markdown."""
    changes: tuple[Change, ...]
    """Every edit, in file order."""
    blocks: tuple[Block, ...]
    """The cleaned blocks (used by import to find the title)."""


def clean_raw(text: str, path: str, options: CleanOptions | None = None, screen: bool = True) -> CleanResult:
    """Clean raw text where every line is one block (paragraph, heading, row).

    ``screen`` skips the lines no text rule can edit (:mod:`.screen`); without
    it every rule reads every line, which gives the same result more slowly.
    """
    options = options or CleanOptions()
    changes: list[Change] = []
    maps: dict[int, list[int]] = {}
    if "whitespace" not in options.disabled:
        maps = column_maps(text)
        text, found = whitespace(text, path)
        changes.extend(found)
    raw_lines: list[RawLine] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "artifacts" not in options.disabled and is_artifact(line, options.artifacts):
            changes.append(Change(path, number, 1, "artifacts", line.strip(), ""))
        elif line.strip():
            raw_lines.append(RawLine(number, line.strip(), len(line) - len(line.lstrip()) + 1))
    if "structure" in options.disabled:
        blocks = [Block("paragraph", (Line(r.number, r.column, "", r.text),)) for r in raw_lines]
    else:
        blocks, found = structure(raw_lines, path)
        changes.extend(found)
    blocks, found = _clean_blocks(blocks, path, options, screen)
    changes.extend(_to_source(found, maps))
    return CleanResult(render(blocks, separate=True), _sorted(changes), tuple(blocks))


def clean_markdown(
    text: str, path: str, options: CleanOptions | None = None, first_line: int = 1, screen: bool = True
) -> CleanResult:
    """Clean an editor's Markdown body, changing nothing but what it reports (``screen``: see :func:`clean_raw`)."""
    options = options or CleanOptions()
    changes: list[Change] = []
    maps: dict[int, list[int]] = {}
    if "whitespace" not in options.disabled:
        maps = column_maps(text, first_line)
        text, found = whitespace(text, path, first_line)
        changes.extend(found)
    blocks, found = parse_markdown(text, path, first_line)
    if "whitespace" not in options.disabled:
        changes.extend(found)
    blocks, found = _clean_blocks(blocks, path, options, screen)
    changes.extend(_to_source(found, maps))
    return CleanResult(render(blocks, separate=False), _sorted(changes), tuple(blocks))


def _to_source(changes: list[Change], maps: dict[int, list[int]]) -> list[Change]:
    """Map columns on lines that lost zero-width characters back to the source."""
    if not maps:
        return changes
    out = []
    for change in changes:
        mapping = maps.get(change.line)
        if mapping and 0 < change.column <= len(mapping):
            change = replace(change, column=mapping[change.column - 1] + 1)
        out.append(change)
    return out


def _sorted(changes: list[Change]) -> tuple[Change, ...]:
    return tuple(sorted(dict.fromkeys(changes), key=lambda c: (c.line, c.column)))


def _clean_blocks(blocks: list[Block], path: str, options: CleanOptions,
                  screen: bool = True) -> tuple[list[Block], list[Change]]:
    rules = [(n, r) for n, r in TEXT_RULES if n not in options.disabled]
    prose = [block.prose_lines() for block in blocks]
    lines = [line for block_lines in prose for line in block_lines]
    joined = join(lines)
    document = DocumentWords(joined)
    check = lines_to_check(lines, joined, (n for n, _ in rules), options, document) if screen else None
    changes: list[Change] = []
    out: list[Block] = []
    previous_end = ""
    first = 0  # index of the block's first prose line among ``lines``
    found: list[Change]
    for block, block_lines in zip(blocks, prose, strict=True):
        todo = None if check is None else [first + i in check for i in range(len(block_lines))]
        first += len(block_lines)
        if todo is not None and True not in todo:  # no rule can edit it: the common case
            new_block, found, previous_end = block, [], _end_of(block)
        else:
            new_block, found, previous_end = _clean_block(block, path, options, rules, previous_end, document, todo)
        changes.extend(found)
        if block.kind == "table" and "tables" not in options.disabled:
            changes.extend(_table_change(block, path))
        out.append(new_block)
    return out, changes


def _end_of(block: Block) -> str:
    """The text a block leaves for the next to continue (as :func:`_clean_block` returns it)."""
    return "" if block.kind in ("table", "verbatim", "blank") else block.lines[-1].text.rstrip()


def _clean_block(
    block: Block,
    path: str,
    options: CleanOptions,
    rules: list[tuple[str, TextRule]],
    previous_end: str,
    document: DocumentWords,
    todo: list[bool] | None = None,
) -> tuple[Block, list[Change], str]:
    """Apply the text rules to every prose line of ``block`` (those ``todo`` flags, if given)."""
    changes: list[Change] = []
    if block.kind == "table":
        rows = []
        index = 0
        for row in block.rows:
            new_row = []
            for cell in row:
                if todo is None or todo[index]:
                    cell, found = _clean_line(cell, True, path, options, rules, document)
                    changes.extend(found)
                new_row.append(cell)
                index += 1
            rows.append(tuple(new_row))
        return Block("table", block.lines, tuple(rows), block.aligns), changes, ""
    if block.kind in ("verbatim", "blank"):
        return block, changes, ""
    lines = []
    for index, line in enumerate(block.lines):
        if todo is None or todo[index]:
            starts = not line.continues or previous_end.rstrip("”’\"')").endswith((".", "!", "?"))
            line, found = _clean_line(line, starts, path, options, rules, document)
            changes.extend(found)
        lines.append(line)
        previous_end = line.text.rstrip()
    return Block(block.kind, tuple(lines), block.rows, block.aligns), changes, previous_end


def _clean_line(
    line: Line,
    sentence_start: bool,
    path: str,
    options: CleanOptions,
    rules: list[tuple[str, TextRule]],
    document: DocumentWords,
) -> tuple[Line, list[Change]]:
    changes: list[Change] = []
    shifts: list[Shift] = []  # so that later rules report columns in the source
    for _ in range(MAX_PASSES):
        before = line.text
        ctx = TextContext(line, options, sentence_start, document=document)
        for name, rule in rules:
            proposed = rule(line.text, ctx)
            if not proposed:
                continue  # the common case, kept cheap: no call into the driver
            line, found = apply_edits(name, proposed, line, ctx, path, shifts)
            if found:
                changes.extend(found)
                ctx = TextContext(line, options, sentence_start, document=document)
        if line.text == before:
            break
    return line, changes


def _table_change(block: Block, path: str) -> list[Change]:
    """Report a table whose source lines differ from the canonical form."""
    canonical = render_table(block)
    source = [line.text for line in block.lines]
    if canonical == source or not block.lines:
        return []
    # Point at the first row that differs (often the separator row), not the header.
    index = next((i for i, (a, b) in enumerate(zip(source, canonical, strict=False)) if a != b),
                 min(len(source), len(canonical)) - 1)
    line = block.lines[min(index, len(block.lines) - 1)]
    shown = canonical[index] if index < len(canonical) else ""
    return [Change(path, line.number, 1, "tables", line.text.strip(), shown)]
