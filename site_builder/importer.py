"""import: raw wire copy -> ``content/articles/<slug>.md``.

Load + clean + enrich for a raw ``.txt``: the cleaner gives Markdown blocks,
the first heading becomes the title and leaves the body, and the metadata is
computed and written as front matter.  An article already imported (its
``source`` is this seed) is skipped, never overwritten; another story whose
title makes the same slug is imported under the next free one (``-2``...),
and the message says so: a headline that recurs ("Hearing postponed") is
not a story already imported.  People named in the
text who are not in the registry get a stub file marked ``review: true``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import atomic, frontmatter, load
from .clean import clean_raw
from .clean.document import render
from .clean.rules import CleanOptions
from .detect import find_people, find_topics
from .discover import find_unregistered
from .enrich import make_slug, make_summary, plain_text
from .errors import SiteError, SourceLocation, display_path
from .model import Person, Topic


@dataclass(frozen=True)
class ImportResult:
    seed: str
    """The seed as given."""
    path: Path | None
    """The article written, or None when it was skipped."""
    message: str


def import_seed(
    seed: Path,
    content_dir: Path,
    options: CleanOptions,
    people: Sequence[Person],
    topics: Sequence[Topic],
    date: dt.date,
    body_hits: int = 2,
    title_hits: int = 1,
) -> ImportResult:
    shown = display_path(seed)
    text = load.read_text(seed, shown)
    result = clean_raw(text, shown, options)
    blocks = list(result.blocks)
    heading = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
    if heading is None:
        raise SiteError(SourceLocation(shown, 1), "import", "no heading found to use as the title",
                        "the title is the first short line without closing punctuation")
    title = plain_text(blocks.pop(heading).lines[0].text)
    body = render(blocks, separate=True)
    existing, taken = _existing(content_dir, shown)
    if existing is not None:
        return ImportResult(shown, None, f"skipped {shown}: already imported as {display_path(existing)}")
    wanted = make_slug(title)
    slug = _free_slug(wanted, taken)
    target = content_dir / "articles" / f"{slug}.md"
    mentions = find_people(f"{title}\n{body}", people)
    stubs = write_person_stubs(content_dir, body, people)
    meta = {
        "title": title, "slug": slug, "date": date, "summary": make_summary(body),
        "people": [p.slug for p in people if p.slug in mentions] + [s for s in stubs if s not in mentions],
        "topics": find_topics(title, body, topics, body_hits, title_hits),
        "source": shown,
    }
    make_folder(target.parent)
    write_new(target, frontmatter.dump(meta) + body)
    changed = len(result.changes)
    new = f", {len(stubs)} people to review" if stubs else ""
    if slug != wanted:
        new += f"; '{wanted}' is another article's, so its slug is '{slug}'"
    return ImportResult(shown, target, f"imported {shown} -> {display_path(target)} ({changed} changes{new})")


def write_person_stubs(content_dir: Path, body: str, people: Sequence[Person]) -> list[str]:
    """Slugs of the stub person files for the new names in ``body`` (written unless they exist).

    Probable aliases of registered people get no stub: ``check`` reports them
    so an editor adds the spelling to ``aliases`` instead of a second person.
    """
    known = {p.slug for p in people}
    slugs = []
    for finding in find_unregistered(body, people):
        slug = make_slug(finding.name)
        if finding.close_to or slug in known or slug in slugs:
            continue
        path = content_dir / "people" / f"{slug}.md"
        if not path.exists():
            make_folder(path.parent)
            write_new(path, person_stub(finding.name, slug))
        slugs.append(slug)
    return slugs


def _existing(content_dir: Path, seed: str) -> tuple[Path | None, set[str]]:
    """The article imported from ``seed`` before, if any, and every slug the articles use."""
    source = frontmatter.dump({"source": seed}).splitlines()[1]  # the line as import writes it
    taken: dict[str, Path] = {}
    for path, head in _heads(content_dir):
        if f"\n{source}\n" in head:
            return path, set(taken)
        taken.update(_slugs(path, head))
    return None, set(taken)


def slugs_in_use(content_dir: Path) -> dict[str, Path]:
    """Every slug the articles use (their file names, and the ``slug:`` of their front matter),
    with the file that uses it."""
    taken: dict[str, Path] = {}
    for path, head in _heads(content_dir):
        taken.update(_slugs(path, head))
    return taken


def _heads(content_dir: Path) -> Iterator[tuple[Path, str]]:
    folder = content_dir / "articles"
    if not folder.exists():
        return  # a fresh site has none yet
    load.check_folder(folder)  # one that is a file is an error
    for path in load.find_sources(folder):
        yield path, _head(path)


def _slugs(path: Path, head: str) -> dict[str, Path]:
    found = _SLUG_LINE.search(head)
    return {path.stem: path, **({found.group(1).strip("'\" "): path} if found else {})}


_SLUG_LINE = re.compile(r"^slug:[ \t]*(\S+)", re.M)


def _free_slug(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... whichever no article uses yet."""
    free, n = slug, 1
    while free in taken:
        n += 1
        free = f"{slug}-{n}"
    return free


def _head(path: Path) -> str:
    """The first 4 KB of an article (where its front matter names its seed), or an error naming it."""
    try:
        with path.open("rb") as file:
            return file.read(4096).decode("utf-8", errors="replace")
    except OSError as exc:
        # Checked before importing: the build would refuse the same entry anyway.
        what = "is a folder, not a file" if isinstance(exc, IsADirectoryError) else f"cannot read: {exc.strerror}"
        raise SiteError(SourceLocation(display_path(path)), "file", what) from exc


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) for a new file; an error naming it when that cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise SiteError(SourceLocation(display_path(folder)), "folder", "is a file, not a folder",
                        f"move the file away and make {folder.name} a folder") from exc
    except OSError as exc:
        raise SiteError(SourceLocation(display_path(exc.filename or folder)), "folder",
                        f"cannot create: {exc.strerror or exc}") from exc


def write_new(path: Path, text: str) -> None:
    """Write a new file atomically; never replace an existing one (:func:`atomic.write_new`)."""
    atomic.write_new(path, text.encode("utf-8"))


def person_stub(name: str, slug: str) -> str:
    meta = {"name": name, "aliases": [], "status": "unknown", "review": True}
    return frontmatter.dump(meta, frontmatter.PERSON_ORDER) + (
        f"{name} was found in an imported article and is not in the registry yet. "
        "Check the spelling, add aliases, role and status, then remove `review: true`.\n")


__all__ = ["ImportResult", "import_seed", "make_folder", "person_stub", "write_new"]
