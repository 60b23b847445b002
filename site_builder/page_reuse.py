"""page_reuse: a command-line build does not render again the pages whose inputs did not change.

The dev server keeps each render job's inputs and pages in memory and reuses
the pages of a job whose inputs are equal to last time's (:func:`render.render_site`).
A command-line build has no memory of the last one but its disk: the output
it published, and this record in the build's cache directory
(:func:`cachedir.cache_dir`, never in the project).  For each render job (an
article's page, a person's pages, a feed, ...) the record keeps a hash of
everything the job's pages are made from (its inputs, under a hash of the
templates, the configuration, the build date and the code,
:func:`render.pages_setting`), the identity (inode, size, modification time)
of each file it wrote, and the keys of the Markdown HTML it used, so that
the disk cache keeps that HTML for the day the job is rendered again.

A job whose hash is the recorded one, and whose files the previous output
still holds as written, has those files for pages: they are hard-linked into
the new output instead of being rendered, and each link is checked to be the
recorded file (:meth:`write.Staging.keep`).  Any doubt means the job is
rendered as always: a record that is missing, cannot be read, is someone
else's or was made under another setting; a file written over or touched
since; a path that is not a page's; a link that cannot be made.

An output folder that did not exist is built without keys and gets no
record: its build (a fresh clone, a deploy) has nothing to reuse, and the
keys would cost it about 1 s of CPU at 5,000 articles, some 10% of its
render's (PERFORMANCE.md, "Thirtieth session").  The next build into it hashes
every job and writes the record; the builds after that reuse it.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .cachedir import cache_dir, file_identity, identity_of
from .search import BUNDLE_DIR
from .write import MARKER

RECORD = "pages.json"
"""The record's file name in the cache directory of the output."""

FORMAT = 2
"""The record's format; a record of another is ignored."""

NOT_PAGES = (BUNDLE_DIR, "assets", MARKER)
"""First parts of output paths that no render job writes: the search index, the copied
assets, the output's marker (:data:`write.MARKER`)."""

Page = tuple[str, str]
"""A page of a job: its path in the output, and the identity of its file."""


@dataclass(frozen=True)
class Recorded:
    """What the record keeps of one render job."""

    key: str
    """The hash of its inputs."""
    pages: tuple[Page, ...]
    html: tuple[str, ...]
    """The keys of the Markdown HTML it used (:attr:`cache.BuildCache.html`)."""


@dataclass(frozen=True)
class PageReuse:
    """The previous build's render jobs that still stand for their pages, and this build's, to record."""

    out_dir: Path
    setting: str
    """The hash of what every page depends on besides its job's inputs (:func:`render.pages_setting`)."""
    known: dict[str, Recorded]
    """Each job of the record whose files the previous output holds as they were written, by name."""
    made: dict[str, Recorded] = field(default_factory=dict)
    """This build's jobs as they are rendered or kept, by name; the identity of a page just
    written is empty, and found when the record is saved."""

    @classmethod
    def of(cls, out_dir: Path, setting: str) -> PageReuse:
        """The record of the last build into ``out_dir``, trusted only for what still holds."""
        return cls(out_dir, setting, _intact(out_dir, _read(cache_dir(out_dir) / RECORD), setting))

    def unchanged(self, name: str, key: str) -> Recorded | None:
        """Job ``name`` as the previous build made it, if its inputs' hash was ``key``."""
        known = self.known.get(name)
        return known if known is not None and known.key == key else None

    def save(self, written: Path) -> None:
        """Record this build's jobs, whose pages are in ``written`` (the staged output, which keeps
        its files' identities when it is published).  A build that is not published leaves a record
        whose files are not in the output: it stands for nothing."""
        path = cache_dir(self.out_dir) / RECORD
        tmp = path.with_name(f".{RECORD}.{os.getpid()}")
        try:
            jobs = {name: [job.key, [[page, identity or file_identity(os.lstat(written / page))]
                                     for page, identity in job.pages], list(job.html)]
                    for name, job in self.made.items()}
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp.write_bytes(json.dumps({"format": FORMAT, "setting": self.setting, "jobs": jobs}).encode("utf-8"))
            os.replace(tmp, path)
        except OSError:
            pass  # an optimisation only: the next build renders every page
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def forget(out_dir: Path) -> None:
    """Drop the record of ``out_dir`` (a build that keeps none, so that no older one outlives it)."""
    with contextlib.suppress(OSError):
        (cache_dir(out_dir) / RECORD).unlink(missing_ok=True)


def _read(path: Path) -> object:
    """The record at ``path``; None if it is missing, unreadable, or not the current user's."""
    try:
        with path.open("rb") as f:
            if os.fstat(f.fileno()).st_uid != os.getuid():
                return None
            return json.loads(f.read())
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return None


def _intact(out_dir: Path, record: object, setting: str) -> dict[str, Recorded]:
    """The jobs of ``record`` made under ``setting`` whose every file is in ``out_dir`` as written."""
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("setting") != setting:
        return {}
    jobs = record.get("jobs")
    if not isinstance(jobs, dict):
        return {}
    known: dict[str, Recorded] = {}
    claimed: set[str] = set()
    for name, entry in jobs.items():
        job = _job(out_dir, entry)
        if job is None:
            continue
        paths = [path for path, _ in job.pages]
        if claimed.isdisjoint(paths):  # two jobs never write one page
            known[name] = job
            claimed.update(paths)
    return known


def _job(out_dir: Path, entry: object) -> Recorded | None:
    """A recorded job, if it is well formed and each of its files is the one it wrote."""
    if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and isinstance(entry[1], list) and entry[1] and isinstance(entry[2], list)
            and all(isinstance(key, str) for key in entry[2])):
        return None
    pages: list[Page] = []
    for page in entry[1]:
        if not (isinstance(page, list) and len(page) == 2 and all(isinstance(p, str) for p in page)):
            return None
        path, identity = page
        if not (identity and _a_page(path) and identity_of(out_dir / path) == identity):
            return None
        pages.append((path, identity))
    return Recorded(entry[0], tuple(pages), tuple(entry[2]))


def _a_page(path: str) -> bool:
    """Whether ``path`` is one a render job can write: relative, below the output, no ``..``,
    outside what the build puts there besides pages."""
    parts = path.split("/")
    return (not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)
            and parts[0] not in NOT_PAGES and "\0" not in path)
