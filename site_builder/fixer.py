"""fix: the cleaner's changes and the missing metadata, written into an article's file.

The front matter is the editors' text: ``fix`` keeps every line of it as
written (comments, quoting, key order, a timestamp's time) and only adds the
keys it lacks (:data:`FIX_KEYS`), at its end, formatted as
:func:`site_builder.frontmatter.dump` formats them.  After it comes the
cleaned body.  Where keys cannot be added without changing what the
existing lines mean (a flow mapping ``{...}``, keys indented off the
margin), :func:`fixed_text` refuses with an error rather than guess.

The file keeps its line breaks: those of its first line (a file that mixes
them gets that one throughout, and only when ``fix`` has something to
change in it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import frontmatter, load, schema
from .errors import SiteError, SourceLocation
from .model import Article, SourceDocument
from .yamlio import full_mapping

FIX_KEYS = ("title", "slug", "date", "summary", "people", "topics")
"""The keys ``fix`` writes when the front matter lacks them, in the order it writes them."""


@dataclass(frozen=True)
class Fix:
    """What ``fix`` would write for one article, worked out before anything is written."""

    path: Path
    """The file as found in the articles folder (maybe a symlink)."""
    raw: bytes
    """The file's bytes when it was read: it must still hold them when it is replaced."""
    data: bytes | None
    """The new bytes, or None when the file needs no change."""


def newline_of(text: str) -> str:
    """The line break that ends the first line of ``text`` (``\\n`` if it has none)."""
    lf, cr = text.find("\n"), text.find("\r")
    if cr == -1 or (lf != -1 and lf < cr):
        return "\n"
    return "\r\n" if lf == cr + 1 else "\r"


def missing_metadata(doc: SourceDocument, article: Article) -> dict[str, Any]:
    """The computed values of the :data:`FIX_KEYS` that the front matter does not have.

    A key written with no value (``summary:``) is there: ``fix`` leaves it be.
    """
    return {key: getattr(article, key) for key in FIX_KEYS if key not in doc.meta_lines}


def fixed_text(doc: SourceDocument, text: str, article: Article) -> str:
    """The new text of ``doc``'s file, whose current text (line breaks ``\\n``) is ``text``.

    Raises :class:`SiteError` when the missing keys cannot be added safely.
    """
    missing = missing_metadata(doc, article)
    if not doc.has_front_matter:
        return frontmatter.dump(missing) + article.body
    lines = text.split("\n")
    close = doc.body_line - 2  # the index of the closing '---' line
    head = lines[:close]
    if missing:
        added = frontmatter.dump(missing)[len("---\n"):-len("---\n")].rstrip("\n").split("\n")
        check_append(lines[1:close], added, missing, SourceLocation(doc.path, close + 1))
        head += added
    # A file that ends at its closing '---' (no line break after it) and stays without a body stays so.
    rest = "\n" + article.body if article.body or close + 1 < len(lines) else ""
    return "\n".join([*head, lines[close]]) + rest


def check_append(existing: list[str], added: list[str], values: dict[str, Any], where: SourceLocation) -> None:
    """Refuse unless ``existing`` front-matter lines followed by ``added`` mean both, unchanged.

    The lines are read back as the build reads them: the existing keys must
    keep their order and the values the site uses (a block scalar's final
    line breaks, which no metadata keeps, may differ), and the added keys
    must follow them, read as ``values`` and be valid article metadata.
    """
    keys = ", ".join(f"'{key}'" for key in values)
    try:
        before, before_lines = full_mapping("\n".join(existing), where.path)
        after, after_lines = full_mapping("\n".join(existing + added), where.path)
        original = schema.validate(before, before_lines, where.path, schema.ARTICLE)
    except SiteError as err:
        raise _cannot(where, keys) from err
    if list(after) != [*before, *values]:
        raise _cannot(where, keys)
    try:
        checked = schema.validate(after, after_lines, where.path, schema.ARTICLE)
    except SiteError as err:
        raise SiteError(where, "front matter", f"fix cannot add {keys}: {err.message}",
                        "add the missing keys to the front matter by hand") from err
    # repr compares the values and their order alike, a NaN (``.nan``) with itself too.
    if repr({key: value for key, value in checked.items() if key in before}) != repr(original):
        raise _cannot(where, keys)
    for key, value in values.items():
        if checked.get(key) != (tuple(value) if isinstance(value, list) else value):
            raise SiteError(where, "front matter", f"fix cannot add '{key}': it would not read back as written",
                            f"add '{key}:' to the front matter by hand")


def _cannot(where: SourceLocation, keys: str) -> SiteError:
    return SiteError(where, "front matter", f"fix cannot add {keys} without changing the lines above",
                     "write the front matter as 'key: value' lines at the left margin, "
                     "or add the missing keys by hand")


def plan(doc: SourceDocument, path: Path, article: Article) -> Fix:
    """Read ``path`` (``doc``'s file) again and work out what ``fix`` writes into it.

    Raises :class:`SiteError` for a file that cannot be read or fixed, or
    that changed since ``doc`` was loaded from it.
    """
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteError(SourceLocation(doc.path), "file", f"cannot read it again: {exc}") from exc
    plain = text.replace("\r\n", "\n").replace("\r", "\n")  # as load.read_text gives it
    yaml_text, body, body_line = load.split_front_matter(plain, doc.path)
    if (body, body_line, yaml_text is not None) != (doc.body, doc.body_line, doc.has_front_matter):
        raise changed(doc.path)
    new = fixed_text(doc, plain, article)
    if new == plain:
        return Fix(path, raw, None)
    newline = newline_of(text)
    return Fix(path, raw, (new if newline == "\n" else new.replace("\n", newline)).encode("utf-8"))


def changed(shown: str) -> SiteError:
    return SiteError(SourceLocation(shown), "file", "changed while fix was running; nothing was written",
                     "run 'site-builder fix' again")
