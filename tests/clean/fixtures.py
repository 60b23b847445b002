"""Reading the cleaner's fixture files (shared by the tests and the bench).

A fixture file holds cases separated by blank lines.  Each case is an input
line and an expected line that starts with ``=> ``::

    % comments start with a percent sign
    advancement,teh
    => advancement, teh

Escapes make invisible or multi-line text visible: ``\\n`` (new line),
``\\r``, ``\\t``, ``\\s`` (a space, for trailing spaces) and ``\\uXXXX``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clean"
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrts\\])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "s": " ", "\\": "\\"}


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    given: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _SIMPLE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), text)


def read_cases(name: str) -> list[Case]:
    """The cases of ``tests/fixtures/clean/<name>``."""
    path = FIXTURES / name
    cases: list[Case] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if raw.startswith("% ") or not raw.strip():
            pending = None
            continue
        if raw.startswith("=> ") or raw == "=>":
            if pending is None:
                raise ValueError(f"{path}:{number}: '=>' without an input line")
            cases.append(Case(name, pending[0], unescape(pending[1]), unescape(raw[3:])))
            pending = None
        else:
            if pending is not None:
                raise ValueError(f"{path}:{number}: two input lines; separate cases by a blank line")
            pending = (number, raw)
    return cases
