"""Strict front-matter schemas for articles, people and topics.

Each key has a kind; a value of the wrong kind, an unknown key or a missing
required key is a :class:`SiteError` naming the file, the line of the key and,
for a misspelt key, the key that was probably meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from .errors import SiteError, SourceLocation
from .model import PERSON_STATUSES

Kind = Literal["text", "date", "bool", "texts", "slug", "slugs", "status"]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Lower-case ASCII words joined by single hyphens: safe in any URL and path."""

MAX_SLUG_BYTES = 100
"""Longest slug, in UTF-8 bytes: it becomes a folder name in the site, and file systems
refuse names over 255 bytes (143 on an encrypted home); slugs made from titles are at most 60."""


def slug_too_long(slug: str) -> str | None:
    """The complaint about ``slug``'s length, or None when it fits."""
    size = len(slug.encode("utf-8"))  # a slug is ASCII (SLUG_RE): its bytes are its characters
    if size <= MAX_SLUG_BYTES:
        return None
    return f"is too long ({size} characters; the limit is {MAX_SLUG_BYTES})"


@dataclass(frozen=True)
class Field:
    kind: Kind
    required: bool = False


ARTICLE: dict[str, Field] = {
    "title": Field("text"),
    "slug": Field("slug"),
    "date": Field("date"),
    "updated": Field("date"),
    "summary": Field("text"),
    "people": Field("slugs"),
    "topics": Field("slugs"),
    "draft": Field("bool"),
    "source": Field("text"),
    "clean": Field("bool"),
}

PERSON: dict[str, Field] = {
    "name": Field("text", required=True),
    "aliases": Field("texts"),
    "status": Field("status"),
    "status_date": Field("date"),
    "role": Field("text"),
    "nationality": Field("text"),
    "detained": Field("date"),
    "sentenced": Field("date"),
    "released": Field("date"),
    "review": Field("bool"),
}

TOPIC: dict[str, Field] = {
    "name": Field("text", required=True),
    "keywords": Field("texts"),
}

_KIND_WORDS = {
    "text": "text",
    "date": "a date such as 2025-09-13",
    "bool": "true or false",
    "texts": "a list of text, e.g. [one, two]",
    "slug": "a slug of lower-case letters, digits and hyphens",
    "slugs": "a list of slugs, e.g. [ales-bialiatski]",
    "status": "one of " + ", ".join(PERSON_STATUSES),
}


def validate(
    meta: dict[str, Any], lines: dict[str, int], path: str, schema: dict[str, Field]
) -> dict[str, Any]:
    """Check ``meta`` against ``schema`` and return it with values normalised."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        where = SourceLocation(path, lines.get(key))
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(schema)
            raise SiteError(where, "front matter", f"unknown key '{key}'", hint)
        if value is None:
            continue
        out[key] = _convert(key, value, schema[key].kind, where)
    for key, spec in schema.items():
        if spec.required and key not in out:
            raise SiteError(SourceLocation(path, 1), "front matter", f"missing required key '{key}'")
        if spec.required and out[key] == "":  # a person or topic named "" has empty links and headings
            raise SiteError(SourceLocation(path, lines.get(key)), "front matter", f"'{key}' is empty",
                            f"write the {key} after '{key}:'")
    return out


def _convert(key: str, value: Any, kind: Kind, where: SourceLocation) -> Any:
    def wrong(hint: str | None = None) -> SiteError:
        return SiteError(where, "front matter", f"'{key}' must be {_KIND_WORDS[kind]}", hint)

    if kind == "text":
        if isinstance(value, bool):
            raise wrong("YAML reads yes/no/true/false as true or false: put the text in quotes")
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str):
            raise wrong()
        return check_text(value, key, where)
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong()
        return value
    if kind == "date":
        return parse_date(value, key, where)
    if kind == "status":
        if value not in PERSON_STATUSES:
            raise wrong(f"got {value!r}")
        return value
    if kind == "slug":
        if not isinstance(value, str) or not SLUG_RE.match(value):
            raise wrong(f"got {value!r}")
        _check_length(key, value, where)
        return value
    # Lists: a single string is accepted as a list of one.
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise wrong()
    if kind == "slugs":
        for item in items:
            if not SLUG_RE.match(item):
                raise wrong(f"{item!r} is not a slug")
            _check_length(key, item, where)
        return tuple(items)
    return tuple(check_text(i, key, where) for i in items)


def _check_length(key: str, slug: str, where: SourceLocation) -> None:
    problem = slug_too_long(slug)
    if problem is not None:
        raise SiteError(where, "front matter", f"a slug in '{key}' {problem}" if key != "slug" else f"'slug' {problem}",
                        "shorten it to a few words; it is the page's address")


_FORBIDDEN_CHARS = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]")
"""Control, bidirectional-override and zero-width characters: never in metadata."""


_HTML_TAG = re.compile(r"<[A-Za-z/!?][^>]*>?")
"""Something a browser or feed reader would read as a tag, comment or declaration."""


def check_text(value: str, key: str, where: SourceLocation) -> str:
    """Refuse invisible characters and HTML: front matter is plain text.

    Invisible control, bidi and zero-width characters could disguise a name;
    a tag in a title or name is escaped on our pages, but a feed reader that
    treats RSS titles as HTML would run it, so it is refused at the source.
    A lone ``<`` (``a < b``) is fine.
    """
    match = _FORBIDDEN_CHARS.search(value)
    if match:
        code = f"U+{ord(match.group()):04X}"
        raise SiteError(where, "front matter", f"'{key}' contains the invisible character {code}",
                        "retype the text without it")
    tag = _HTML_TAG.search(value)
    if tag:
        raise SiteError(where, "front matter", f"'{key}' contains HTML: {tag.group()[:40]!r}",
                        "front matter is plain text; leave out the angle brackets")
    return value.strip()


def parse_date(value: Any, key: str, where: SourceLocation) -> dt.date:
    """Accept YYYY-MM-DD or a full ISO timestamp with a zone; return the date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise SiteError(where, "front matter", f"'{key}' is not a valid date: {value!r}",
                    "write it as YYYY-MM-DD, e.g. 2025-09-13")
