"""Safe YAML reading with line numbers and no surprises.

Only plain data is accepted: mappings, lists, strings, numbers, booleans,
dates.  Anchors and aliases are refused outright (an alias bomb is tiny on
disk and enormous in memory), and so is every tag that would construct an
object.  The loader reports the file line of each top-level key so that
schema errors can name it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import SiteError, SourceLocation
from .yaml_fast import simple_mapping

try:  # libyaml is several times faster; fall back to pure Python.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


def load_mapping(
    text: str, path: str, first_line: int = 1, topic: str = "front matter"
) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse ``text`` as a YAML mapping.

    Returns the mapping and, for each top-level key, its 1-based line in the
    file (``first_line`` is the file line of the text's first line).  Raises
    :class:`SiteError` naming the file and line on any problem.
    """
    if not text.strip():
        return {}, {}
    check_hashtags(text, path, first_line, topic)
    simple = simple_mapping(text, first_line)  # one plain line per key: read without PyYAML
    return simple if simple is not None else _composed_mapping(text, path, first_line, topic)


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[Any, str, str | None]:
    """Where a YAML error is, what it means to an editor, and how to fix it.

    PyYAML points at where it gave up, which for an unclosed quote or list is the
    end of the front matter, and says so in parser terms ("found unexpected end of
    stream"); the line where the quote or list opened is the one to fix.
    """
    problem, context = exc.problem or "", exc.context or ""
    if "quoted scalar" in context and exc.context_mark is not None:
        return exc.context_mark, "a quoted value is not closed", "end it with the quote mark it starts with"
    if "flow sequence" in context and "expected" in problem and exc.context_mark is not None:
        return (exc.context_mark, "a list in [ ] is not closed",
                "end it with ] on the same line, or put the whole value in quotes")
    if "flow mapping" in context and "expected" in problem and exc.context_mark is not None:
        return exc.context_mark, "a { is not closed", "put the whole value in quotes"
    if problem.startswith("mapping values are not allowed"):
        return (exc.problem_mark, "a value holds ': ' (a colon and a space)",
                'put the whole value in quotes, as in title: "Belarus: what next"')
    if "cannot start any token" in problem and exc.problem_mark is not None:
        mark = exc.problem_mark
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        found = repr(line[mark.column]) if mark.column < len(line) else "this character"
        if found == repr("\t"):
            return mark, "a tab where spaces are expected", "indent with spaces, or put the value in quotes"
        return mark, f"a value cannot start with {found}", "put the whole value in quotes"
    return exc.problem_mark or exc.context_mark, problem or "cannot be read", None


_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):[ \t]+(?![\"'|>])(.*)$", re.M)
"""A top-level ``key: value`` line whose value is plain (not quoted, not a block)."""
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#")
"""Where YAML starts a comment in a plain value: a ``#`` at its start or after a space."""


def check_hashtags(text: str, path: str, first_line: int, topic: str) -> None:
    """Refuse a hashtag in an unquoted value: YAML reads ``#`` after a space as a comment.

    ``summary: Support the campaign #FreeBelarus and…`` would publish "Support the
    campaign", and ``title: #FreeBelarus`` would have no title at all, with nothing
    said.  A comment meant as one is written ``# like this``, with a space; what
    follows it (``# see #12``) is the comment's own.
    """
    if "#" not in text:
        return
    for found in _KEY_LINE.finditer(text):
        value = found.group(2)
        comment = _COMMENT.search(value)
        if comment is None or value[comment.end():comment.end() + 1] in ("", " ", "\t", "#"):
            continue
        tag = value[comment.start():].split()[0]
        line = first_line + text.count("\n", 0, found.start())
        raise SiteError(SourceLocation(path, line), topic,
                        f"'{tag}' would start a comment, and the rest of '{found.group(1)}' would be left out",
                        "put the whole value in quotes; a comment is written '# like this', with a space")


def full_mapping(text: str, path: str, first_line: int = 1,
                 topic: str = "front matter") -> tuple[dict[str, Any], dict[str, int]]:
    """:func:`load_mapping` by PyYAML alone, for text of any shape."""
    if not text.strip():
        return {}, {}
    check_hashtags(text, path, first_line, topic)
    return _composed_mapping(text, path, first_line, topic)


def _composed_mapping(text: str, path: str, first_line: int,
                      topic: str) -> tuple[dict[str, Any], dict[str, int]]:
    """:func:`full_mapping` of text already checked for hashtags (:func:`check_hashtags`)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark, problem, hint = explain(exc, text)
        line = first_line + mark.line if mark else first_line
        raise SiteError(SourceLocation(path, line), topic, f"invalid YAML: {problem}", hint) from exc
    except yaml.YAMLError as exc:
        raise SiteError(SourceLocation(path, first_line), topic, f"invalid YAML: {exc}") from exc
    if node is None:
        return {}, {}
    _check_plain(node, path, first_line, topic)
    if not isinstance(node, yaml.MappingNode):
        raise SiteError(
            SourceLocation(path, first_line + node.start_mark.line),
            topic,
            "expected a mapping of 'key: value' lines",
        )
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = key_node.value
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key, str):
            raise SiteError(
                SourceLocation(path, first_line + key_node.start_mark.line),
                topic,
                "keys must be plain words",
            )
        if key in lines:
            raise SiteError(
                SourceLocation(path, first_line + key_node.start_mark.line),
                topic,
                f"duplicate key '{key}'",
                f"first given on line {lines[key]}",
            )
        lines[key] = first_line + key_node.start_mark.line
    data: dict[str, Any] = {}
    loader = _Loader("")
    try:
        for key_node, value_node in node.value:
            try:
                data[key_node.value] = loader.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError) as exc:
                raise _value_error(key_node.value, value_node, path, lines[key_node.value], topic, exc) from exc
    finally:
        loader.dispose()
    return data, lines


def _check_plain(node: yaml.Node, path: str, first_line: int, topic: str) -> None:
    """Refuse anchors, aliases and object-constructing tags anywhere in ``node``."""
    stack: list[yaml.Node] = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            # The composer resolved an alias to an already-seen node.
            raise SiteError(
                SourceLocation(path, first_line + current.start_mark.line),
                topic,
                "YAML anchors and aliases are not allowed",
            )
        seen.add(id(current))
        if current.tag not in _STANDARD_TAGS:
            raise SiteError(
                SourceLocation(path, first_line + current.start_mark.line),
                topic,
                f"YAML tag '{_short_tag(current.tag)}' is not allowed",
                "use plain text, numbers, dates, lists and mappings",
            )
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:python/object`` as the editor wrote it: ``!!python/object``."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def _value_error(key: str, node: yaml.Node, path: str, line: int, topic: str, exc: Exception) -> SiteError:
    """A value YAML recognised but could not build, such as the date 2025-02-30."""
    where = SourceLocation(path, line)
    if node.tag.endswith(":timestamp"):
        return SiteError(where, topic, f"'{key}' is not a valid date: {node.value!r} ({exc})",
                         "write it as YYYY-MM-DD, e.g. 2025-09-13")
    return SiteError(where, topic, f"invalid value for '{key}': {exc}")
