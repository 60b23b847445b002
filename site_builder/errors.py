"""Errors with a source location, and the collector that gathers them.

Every problem the tool reports names the file and, where it can, the line:
``content/articles/x.md:3: front matter: unknown key 'autor'``.  Stages do
not stop at the first bad file: they record a :class:`Diagnostic` and go on,
and the build fails once, at the end, listing everything it found.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a problem is: a path as the user knows it, and a 1-based line."""

    path: str
    """The file, relative to the working directory where that is possible."""
    line: int | None = None
    """1-based line number, or None when the problem is the whole file."""
    column: int | None = None
    """1-based column, or None."""

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


def display_path(path: Path | str) -> str:
    """A path as the user typed it: relative to the working directory if inside it.

    Symlinks are not followed (an error about a link must name the link, not
    its target), and control characters are escaped so that a hostile file
    name cannot send escape sequences to the terminal or a CI log.
    """
    absolute = os.path.abspath(path)
    shown = str(path)
    for base in _working_dirs(os.getcwd()):
        if absolute.startswith(base):
            shown = absolute[len(base):]
            break
    return printable(shown)


@lru_cache(maxsize=8)
def _working_dirs(cwd: str) -> tuple[str, ...]:
    """The working directory as given and with links resolved, each ending in a separator."""
    return tuple(dict.fromkeys(os.path.join(d, "") for d in (cwd, os.path.realpath(cwd))))


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f]")


def printable(text: str) -> str:
    """``text`` with control, bidi and zero-width characters shown as escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def format_message(location: SourceLocation | None, topic: str, message: str, hint: str | None) -> str:
    """``file:line: topic: message (hint)``, safe to print to a terminal or CI log."""
    where = f"{location}: " if location else ""
    text = f"{where}{topic}: {message}"
    if hint:
        text += f" ({hint})"
    return printable(text)


class SiteError(Exception):
    """A problem in the user's content or configuration, with a location.

    ``topic`` is a short prefix such as ``front matter`` that tells the user
    which part of the file is wrong.
    """

    def __init__(
        self,
        location: SourceLocation | None,
        topic: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.location = location
        self.topic = topic
        self.message = message
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        return format_message(self.location, self.topic, self.message, self.hint)


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


@dataclass(frozen=True)
class Diagnostic:
    """One reported problem: an error fails the build, a warning does not."""

    severity: Severity
    location: SourceLocation | None
    topic: str
    message: str
    hint: str | None = None

    def format(self) -> str:
        return format_message(self.location, self.topic, self.message, self.hint)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.message)
        return (loc.path, loc.line or 0, loc.column or 0, self.message)


@dataclass
class Diagnostics:
    """Collects errors and warnings across stages, each reported once."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, err: SiteError) -> None:
        self._add(Diagnostic("error", err.location, err.topic, err.message, err.hint))

    def warn(
        self,
        location: SourceLocation | None,
        topic: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        self._add(Diagnostic("warning", location, topic, message, hint))

    def _add(self, diag: Diagnostic) -> None:
        if diag not in self.items:
            self.items.append(diag)

    @property
    def errors(self) -> list[Diagnostic]:
        return sorted((d for d in self.items if d.severity == "error"), key=Diagnostic.sort_key)

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted((d for d in self.items if d.severity == "warning"), key=Diagnostic.sort_key)

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.items)


class BuildFailed(Exception):
    """Raised by a stage when the diagnostics hold errors; carries them all."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics.errors))

    def report(self) -> str:
        """Every error, one a line, then how many there were and that nothing was written."""
        lines = [d.format() for d in self.diagnostics.errors]
        count = len(lines)
        return "\n".join([*lines, f"{count} error{'s' if count != 1 else ''}; nothing was written"])
