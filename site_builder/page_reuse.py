"""page_reuse: a command-line build does not render again the pages whose inputs did not change.

The dev server keeps each render job's inputs and pages in memory and reuses
the pages of a job whose inputs are equal to last time's (:func:`render.render_site`).
A command-line build has no memory of the last one but its disk: the output
it published, and this record in the build's cache directory
(:func:`cachedir.cache_dir`, never in the project).  For each render job (an
article's page, a person's pages, a feed, ...) the record keeps a hash of
everything the job's pages are made from (its inputs, under a hash of the
templates, the configuration, the build date and the code, :func:`setting`)
and the identity (inode, size, modification time) of each file it wrote.

A job whose hash is the recorded one, and whose files the previous output
still holds as written, has those files for pages: they are hard-linked into
the new output instead of being rendered (:meth:`write.Staging.keep`).  Any
doubt means the job is rendered as always: a record that is missing, cannot
be read or was made by other code; a file written over or touched since; a
link that cannot be made.

An output folder that did not exist is built without keys and gets no
record: its build (a fresh clone, a deploy) has nothing to reuse, and the
keys would cost it about 3% of its render.  The next build into it hashes
every job and writes the record; the builds after that reuse it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .cachedir import cache_dir

RECORD = "pages.json"
"""The record's file name in the cache directory of the output."""

FORMAT = 1
"""The record's format; a record of another is ignored."""


@dataclass(frozen=True)
class PageReuse:
    """The previous build's render jobs that still stand for their pages, and this build's, to record."""

    out_dir: Path
    setting: str
    """The hash of what every page depends on besides its job's inputs (:func:`setting`)."""
    known: dict[str, tuple[str, tuple[str, ...]]]
    """Job name -> (its inputs' hash, its pages' paths), for each job of the record whose files
    the previous output holds as they were written."""
    made: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """The same, for this build's jobs, as they are rendered or kept."""

    @classmethod
    def of(cls, out_dir: Path, setting: str) -> PageReuse:
        """The record of the last build into ``out_dir``, trusted only for what still holds."""
        return cls(out_dir, setting, _intact(out_dir, _read(cache_dir(out_dir) / RECORD), setting))

    def unchanged(self, name: str, key: str) -> tuple[str, ...] | None:
        """The pages of job ``name`` in the previous output, if its inputs' hash was ``key``."""
        known = self.known.get(name)
        return known[1] if known is not None and known[0] == key else None

    def save(self, written: Path) -> None:
        """Record this build's jobs, whose pages are in ``written`` (the staged output, which keeps
        its files' identities when it is published).  A build that is not published leaves a record
        whose files are not in the output: it stands for nothing."""
        path = cache_dir(self.out_dir) / RECORD
        tmp = path.with_name(f".{RECORD}.{os.getpid()}")
        try:
            jobs = {name: [key, [[page, _identity(os.lstat(written / page))] for page in pages]]
                    for name, (key, pages) in self.made.items()}
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
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _intact(out_dir: Path, record: object, setting: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The jobs of ``record`` made under ``setting`` whose every file is in ``out_dir`` as written."""
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("setting") != setting:
        return {}
    jobs = record.get("jobs")
    if not isinstance(jobs, dict):
        return {}
    known: dict[str, tuple[str, tuple[str, ...]]] = {}
    claimed: set[str] = set()
    for name, entry in jobs.items():
        pages = _pages(out_dir, entry)
        if pages is not None and claimed.isdisjoint(pages):  # two jobs never write one page
            known[name] = (entry[0], pages)
            claimed.update(pages)
    return known


def _pages(out_dir: Path, entry: object) -> tuple[str, ...] | None:
    """The paths of a recorded job's pages if each is the file it wrote, else None."""
    if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
            and isinstance(entry[1], list) and entry[1]):
        return None
    pages = []
    for page in entry[1]:
        if not (isinstance(page, list) and len(page) == 2 and all(isinstance(p, str) for p in page)):
            return None
        path, identity = page
        if not identity or not _inside(path):
            return None
        try:
            if _identity(os.lstat(out_dir / path)) != identity:
                return None
        except OSError:
            return None
        pages.append(path)
    return tuple(pages)


def _inside(path: str) -> bool:
    """Whether ``path`` is one an output can have: relative, below the output, no ``..``."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _identity(st: os.stat_result) -> str:
    """Which file this is, as far as a hard link keeps it: inode, size and modification time;
    empty for anything but a regular file."""
    if not stat.S_ISREG(st.st_mode):
        return ""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"

