"""The fast path of :func:`site_builder.yamlio.load_mapping`: front matter of plain lines.

Almost every front matter block is one ``key: value`` line per key, each
value a date, a word, a line of text (plain or quoted) or a one-line list
of such words or texts.  For exactly that shape this module reads the
mapping itself, giving the same values and key lines PyYAML would, in about
a third of the time libyaml's composer and PyYAML's constructor take
(14 against 45 µs for an article's front matter in the bench corpus).

Anything else makes :func:`simple_mapping` return None, and the caller
parses the text with PyYAML, which also reports every error.  That covers:

- indented lines (block lists and mappings, continued scalars), comments,
  blank lines with spaces, document markers, anchors, aliases and tags;
- a key that is not a plain word or appears twice, a key with no value;
- a plain value that starts with a YAML indicator, holds ``: `` or `` #``
  or ends with ``:``, or that YAML would read as anything but a string,
  a boolean or a ``YYYY-MM-DD`` date (numbers, nulls, times, invalid dates);
- a quoted value with a backslash or a doubled quote (escapes);
- tabs, carriage returns, and characters YAML refuses or treats as line breaks.

``tests/test_yaml_fast.py`` holds the two readers equal on generated front
matter and checks that the site's and the bench corpus's front matter take
this path.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

import yaml
from yaml.resolver import Resolver

_RESOLVER = Resolver()
"""PyYAML's own rules for what a plain scalar is (the loaders share them)."""
_STR, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool"
_IMPLICIT = (True, False)
_RESOLVED_FIRST = frozenset(Resolver.yaml_implicit_resolvers)
"""The first characters of the scalars PyYAML may read as something else than a string."""

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters outside YAML's printable set, and those it reads as line breaks
(NEL, the line and paragraph separators) or as a byte-order mark; tabs and
carriage returns too, which only the full parser handles.  (Written as the
characters refused: the class of those allowed takes 7 ms to compile.)"""
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""Characters a plain scalar may not start with (or only in forms not taken here)."""
_QUOTED_TEXT = r'"([^"\\]*)"|\'([^\']*)\''
"""A double- or single-quoted text without escapes: its content in group 1 or 2."""
_QUOTED = re.compile(_QUOTED_TEXT)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_FLOW_ITEM = re.compile(rf' *(?:{_QUOTED_TEXT}|([^ ,\[\]{{}}:#"\'][^,\[\]{{}}:#"\']*)) *(,|\])')
"""One item of a one-line list, and what follows it: a quoted text, or a plain one without
flow indicators, colons or hashes (with the spaces after it)."""


def simple_mapping(text: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The mapping and its key lines, as :func:`yamlio.load_mapping` gives them, or None
    when ``text`` is not of the shape this module reads."""
    if _UNSAFE.search(text):
        return None
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n")):
        if not line:
            continue
        key, colon, raw = line.partition(":")
        value = raw.strip(" ")
        if not (colon and value and raw[0] == " ") or key in data or not _plain_key(key):
            return None
        value = _value(value)
        if value is None:
            return None
        data[key] = value
        lines[key] = first_line + number
    return (data, lines) if data else None


@lru_cache(maxsize=256)
def _plain_key(key: str) -> bool:
    """Whether PyYAML reads ``key`` as this word (not as true, null, a number...)."""
    return _KEY.fullmatch(key) is not None and _tag(key) == _STR


def _tag(plain: str) -> str:
    """The tag PyYAML resolves a plain scalar to."""
    if plain[0] not in _RESOLVED_FIRST:
        return _STR
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, plain, _IMPLICIT)  # type: ignore[no-untyped-call]
    return tag


def _value(raw: str) -> Any:
    """The value of a ``key: value`` line (without the spaces around it), or None when
    PyYAML must read it."""
    first = raw[0]
    if first == "[":
        return _flow_list(raw)
    if first in "\"'":
        m = _QUOTED.fullmatch(raw)
        return None if m is None else m.group(1) if m.group(1) is not None else m.group(2)
    return _plain(raw, block=True)


def _plain(raw: str, block: bool) -> Any:
    """A plain scalar's value: a string, a boolean or a date; None for anything else."""
    if raw[0] in _INDICATORS or (block and (": " in raw or " #" in raw or raw.endswith(":"))):
        return None
    if block and (m := _DATE.fullmatch(raw)):  # what PyYAML's first timestamp form reads as a date
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None  # PyYAML reports it
    tag = _tag(raw)
    if tag == _STR:
        return raw
    if tag == _BOOL and block:
        return raw.lower() in ("yes", "true", "on")
    return None


def _flow_list(raw: str) -> list[str] | None:
    """``[a, "b", c d]`` as a list of strings; None for any other list."""
    if raw == "[]":
        return []
    items: list[str] = []
    at = 1
    while True:
        m = _FLOW_ITEM.match(raw, at)
        if m is None:
            return None
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        if quoted is not None:
            items.append(quoted)
        else:
            item = _plain(m.group(3).rstrip(" "), block=False)
            if not isinstance(item, str):
                return None
            items.append(item)
        at = m.end()
        if m.group(4) == "]":
            return items if at == len(raw) else None
