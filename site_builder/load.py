"""Find and read content files; split and validate their front matter.

Reading is defensive: a content file must be UTF-8 text of sane size, inside
the content directory, with a well-formed front-matter block.  Each problem
becomes one :class:`SiteError` with the file and line; the caller collects
them so that one bad file does not hide the others.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import schema
from .cache import FileMemo
from .errors import Diagnostics, SiteError, SourceLocation, display_path
from .markdown import check_nesting
from .model import Person, SourceDocument, Topic
from .parallel import map_ordered
from .yamlio import load_mapping

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest content file accepted; a long article is well under 100 KB."""

FENCE = "---"


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 text file, refusing what no editor meant to write."""
    try:
        info = path.stat()
    except OSError as exc:
        raise _unreadable(shown, exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise SiteError(SourceLocation(shown), "file", "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or a device would block the build or never end.
        raise SiteError(SourceLocation(shown), "file", "is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise SiteError(SourceLocation(shown), "file",
                        f"file is too large ({info.st_size // 1024} KB; the limit is {MAX_FILE_BYTES // 1024} KB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(shown, exc) from exc
    if not data.strip():
        raise SiteError(SourceLocation(shown, 1), "file", "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        raise SiteError(SourceLocation(shown, 1), "file", "file starts with a byte-order mark",
                        "save it as UTF-8 without a byte-order mark: an option of your editor's Save As")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SiteError(SourceLocation(shown, line), "file",
                        f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", "save the file as UTF-8") from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SiteError(SourceLocation(shown, line), "file", "file contains a NUL byte; is it text?")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unreadable(shown: str, exc: OSError) -> SiteError:
    """The error for a file the system will not let us read (permissions, a link loop...)."""
    if exc.errno == errno.ELOOP:
        return SiteError(SourceLocation(shown), "file", "is a link that loops back on itself",
                         "replace the link with the file it should point to")
    if exc.errno == errno.ENOENT and exc.filename is not None and os.path.islink(exc.filename):
        target = os.readlink(exc.filename)
        which = ("is itself a link to nothing" if os.path.islink(os.path.join(os.path.dirname(exc.filename), target))
                 else "does not exist")
        return SiteError(SourceLocation(shown), "file", f"is a link to {target}, which {which}",
                         "replace the link with the file it should point to")
    hint = "let the build read it: chmod a+r" if exc.errno == errno.EACCES else None
    return SiteError(SourceLocation(shown), "file", f"cannot read: {exc.strerror or exc}", hint)


def split_front_matter(text: str, shown: str) -> tuple[str | None, str, int]:
    """Split ``---`` front matter from the body.

    Returns (yaml text or None when there is no front matter, body, 1-based
    line on which the body starts).
    """
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            body = "\n".join(lines[index + 1 :])
            return "\n".join(lines[1:index]), body, index + 2
    raise SiteError(SourceLocation(shown, 1), "front matter", "no closing '---'",
                    "did you forget to add '---' after the front matter?")


def load_document(path: Path, content_dir: Path, kind: dict[str, schema.Field],
                  resolved: Resolved | None = None) -> SourceDocument:
    """Read one content file and validate its front matter against ``kind``.

    ``resolved`` holds the content directory and the file's folder, already
    resolved (:func:`load_all` resolves them once for all the files of a folder).
    """
    shown = display_path(path)
    check_inside(path, content_dir, shown, resolved)
    text = read_text(path, shown)
    yaml_text, body, body_line = split_front_matter(text, shown)
    check_nesting(body, shown, body_line)
    meta, key_lines = load_mapping(yaml_text or "", shown, first_line=2)
    meta = schema.validate(meta, key_lines, shown, kind)
    return SourceDocument(shown, meta, key_lines, body, body_line, yaml_text is not None)


Resolved = tuple[Path, Path]
"""(content directory, folder of a file), both resolved."""


def check_inside(path: Path, content_dir: Path, shown: str, resolved: Resolved | None = None) -> None:
    """Refuse a file (or symlink) that resolves outside the content directory."""
    if resolved is not None and path.name not in ("", ".", "..") and not path.is_symlink():
        # A plain file resolves to its resolved folder plus its name: one lstat, not one per path part.
        root, target = resolved[0], resolved[1] / path.name
    else:
        try:
            root, target = content_dir.resolve(), path.resolve()
        except RuntimeError as exc:  # Python 3.11 reports a link loop so; later versions as OSError
            raise _unreadable(shown, OSError(errno.ELOOP, os.strerror(errno.ELOOP))) from exc
        except OSError as exc:
            raise _unreadable(shown, exc) from exc
    if not _is_within(target, root):
        raise SiteError(SourceLocation(shown), "file",
                        "links to a file outside the content directory", f"points to {target}")


def _is_within(path: Path, root: Path) -> bool:
    """``path`` is ``root`` or below it (both resolved: no ``..``, so comparing text is exact)."""
    text, top = str(path), str(root)
    return text == top or text.startswith(top.rstrip(os.sep) + os.sep)


_KNOWN_PATHS: dict[str, dict[str, Path]] = {}
"""Folder -> file name -> the path :func:`find_sources` gave for it last time."""


def find_sources(folder: Path, names: Sequence[str] | None = None) -> list[Path]:
    """Markdown files directly in ``folder``, sorted by name for determinism.

    A folder that is not one holds no files here: callers that must not take
    it for empty check it first (:func:`check_folder`).

    A file seen by the last call for the same folder gets the same ``Path``
    object again: it has worked out its text and hash already, and the dev
    server's memo of every file looks each one up on every rebuild (at 5,000
    articles, new paths spent a tenth of a rebuild on ``str`` and ``hash``).

    ``names``: the folder's entries, when the caller has listed it already.
    """
    if names is None:
        if not folder.is_dir():
            return []
        names = _listing(folder)
    sources = sorted(name for name in names if name.endswith(".md") and not name.startswith("."))
    key = str(folder)
    known = _KNOWN_PATHS.get(key, {})
    paths = _KNOWN_PATHS[key] = {name: known.get(name) or folder / name for name in sources}
    return list(paths.values())


def check_folder(folder: Path, required: bool = False) -> None:
    """Refuse a content folder that exists but cannot be listed, or a ``required`` one that is missing.

    Taking a plain file, a broken link or an unreadable folder for an empty
    folder would publish a site without its articles over the good one.
    """
    try:
        with os.scandir(folder):
            pass
    except FileNotFoundError as exc:
        if required or os.path.islink(folder):
            raise _folder_error(folder, exc) from exc
    except OSError as exc:
        raise _folder_error(folder, exc) from exc


def _folder_error(folder: Path, exc: OSError) -> SiteError:
    """The error for a content folder that cannot be listed, in an editor's words."""
    where = SourceLocation(display_path(folder))
    if exc.errno == errno.ENOENT and os.path.islink(folder):
        return SiteError(where, "folder", f"is a link to {os.readlink(folder)}, which does not exist",
                         "replace the link with the folder itself")
    if exc.errno == errno.ENOENT:
        return SiteError(where, "folder", "not found",
                         "create it, even empty, or check --content")
    if exc.errno == errno.ENOTDIR:
        return SiteError(where, "folder", "is a file, not a folder",
                         f"move the file away and make {folder.name} a folder of .md files")
    if exc.errno == errno.ELOOP:
        return SiteError(where, "folder", "is a link that loops back on itself",
                         "replace the link with the folder itself")
    hint = "let the build read it: chmod a+rx" if exc.errno == errno.EACCES else None
    return SiteError(where, "folder", f"cannot read: {exc.strerror or exc}", hint)


def _sources(folder: Path, diags: Diagnostics, required: bool = False) -> list[Path]:
    """:func:`find_sources` of a checked folder; its error recorded in ``diags``, so others are reported too."""
    try:
        check_folder(folder, required)
    except SiteError as err:
        diags.error(err)
        return []
    try:
        names = _listing(folder)
    except OSError:  # an optional folder that is not there (check_folder refused the rest)
        return []
    for name in lookalikes(names):
        diags.warn(SourceLocation(display_path(folder / name)), "file", "not read: only files ending in .md are",
                   f"rename it to {name.split('.', 1)[0]}.md if it is one")
    return find_sources(folder, names)


def _listing(folder: Path) -> list[str]:
    """The names of the entries of ``folder``, listed once for both the sources and the lookalikes."""
    with os.scandir(folder) as entries:
        return [entry.name for entry in entries]


_LOOKALIKE = re.compile(r"[^.].*\.(md|markdown|mdown|mkd|txt)(\.\w+)?", re.I)
"""A name an editor may have meant as Markdown (``x.MD``, ``x.markdown``, ``x.md.txt``)."""


def lookalikes(names: Iterable[str]) -> list[str]:
    """The ``names`` that look like Markdown files but are not read: not ending in ``.md``."""
    return sorted(name for name in names if not name.endswith(".md") and _LOOKALIKE.fullmatch(name))


def slug_from_filename(path: Path, shown: str | None = None) -> str:
    slug = path.stem
    if not schema.SLUG_RE.match(slug):
        raise SiteError(SourceLocation(shown or display_path(path)), "file name",
                        f"'{path.name}' is not a valid slug",
                        "use lower-case letters, digits and hyphens, e.g. maria-kalesnikava.md")
    too_long = schema.slug_too_long(slug)
    if too_long is not None:
        raise SiteError(SourceLocation(shown or display_path(path)), "file name", f"the name {too_long}",
                        "shorten it to a few words")
    return slug


Loaded = tuple[SourceDocument | None, tuple[Any, ...] | None]
"""A document, or the parts of the SiteError that refused it (exceptions with a
location do not pickle back from a worker process)."""


def _load_or_error(path: Path, content_dir: Path, kind: dict[str, schema.Field], with_slug: bool,
                   resolved: Resolved | None = None) -> Loaded:
    try:
        if with_slug:
            # The name is not the URL (the slug is), but a name that is not a
            # slug is a file nobody meant to add, or one that shells mangle.
            slug_from_filename(path)
        return load_document(path, content_dir, kind, resolved), None
    except SiteError as err:
        return None, (err.location, err.topic, err.message, err.hint)


def load_all(paths: Sequence[Path], content_dir: Path, kind: dict[str, schema.Field], diags: Diagnostics,
             memo: FileMemo[SourceDocument] | None = None, with_slug: bool = False) -> list[SourceDocument]:
    """The documents at ``paths``, in order; each bad file recorded in ``diags`` and skipped.

    Files the memo holds unchanged (dev server) are not read; the others are
    read and parsed on every core.  Errors are reported in file order, as a
    serial loop would.
    """
    looked = [memo.lookup(path) if memo is not None else (None, None) for path in paths]
    missing = [n for n, (_, doc) in enumerate(looked) if doc is None]
    root = content_dir.resolve()
    folders = {parent: (root, parent.resolve()) for parent in {paths[n].parent for n in missing}}
    loaded = map_ordered(lambda i: _load_or_error(paths[missing[i]], content_dir, kind, with_slug,
                                                  folders[paths[missing[i]].parent]), len(missing))
    outcome: dict[int, Loaded] = {n: (doc, None) for n, (_, doc) in enumerate(looked) if doc is not None}
    outcome.update(zip(missing, loaded, strict=True))
    docs = []
    for n, path in enumerate(paths):
        doc, error = outcome[n]
        if doc is None:
            assert error is not None
            diags.error(SiteError(*error))
            continue
        if memo is not None:
            memo.store(path, looked[n][0], doc)
        docs.append(doc)
    return docs


def load_articles(content_dir: Path, diags: Diagnostics,
                  memo: FileMemo[SourceDocument] | None = None) -> list[SourceDocument]:
    """Every article source; bad files are recorded in ``diags`` and skipped."""
    # Required: a site.yaml with no articles folder beside it is a wrong --content or a
    # moved folder, not a site to publish empty over the last one (docs/DECISIONS.md).
    return load_all(_sources(content_dir / "articles", diags, required=True), content_dir, schema.ARTICLE,
                    diags, memo, with_slug=True)


def _load_registry(folder: Path, content_dir: Path, kind: dict[str, schema.Field],
                   diags: Diagnostics, memo: FileMemo[SourceDocument] | None) -> list[tuple[str, SourceDocument]]:
    """(slug, document) for each file of a registry folder; people and topics alike."""
    # The file name is the slug here, and checked before the file is read.
    return [(Path(doc.path).stem, doc)
            for doc in load_all(_sources(folder, diags), content_dir, kind, diags, memo, with_slug=True)]


def load_people(content_dir: Path, diags: Diagnostics, memo: FileMemo[SourceDocument] | None = None) -> list[Person]:
    return [
        Person(slug=slug, name=m["name"], aliases=m.get("aliases", ()), path=doc.path,
               body=doc.body.strip(), status=m.get("status"), status_date=m.get("status_date"),
               role=m.get("role"), nationality=m.get("nationality"), detained=m.get("detained"),
               sentenced=m.get("sentenced"), released=m.get("released"), review=m.get("review", False))
        for slug, doc in _load_registry(content_dir / "people", content_dir, schema.PERSON, diags, memo)
        for m in (doc.meta,)
    ]


def load_topics(content_dir: Path, diags: Diagnostics, memo: FileMemo[SourceDocument] | None = None) -> list[Topic]:
    return [
        Topic(slug=slug, name=doc.meta["name"], keywords=doc.meta.get("keywords", ()),
              path=doc.path, body=doc.body.strip())
        for slug, doc in _load_registry(content_dir / "topics", content_dir, schema.TOPIC, diags, memo)
    ]
