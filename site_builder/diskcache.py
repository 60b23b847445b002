"""The build cache on disk, so that one ``site-builder build`` helps the next.

The dev server keeps its :class:`BuildCache` in memory between saves; a
process starts from nothing.  Saving the cleaned and enriched articles and
the Markdown HTML between builds means an unchanged article is neither
cleaned nor enriched nor converted to HTML again; saving the corpus's
proper nouns and the related-article rankings means a build whose article
bodies (or people, topics and dates) did not change does not read them all
again (or rank them again).  Each ``site-builder
build`` loads and saves the cache of its output folder; the dev server
loads it when it starts and saves its own when it stops (:mod:`serve`).

The cache lives in the user's cache directory (``$XDG_CACHE_HOME`` or
``~/.cache``, under ``site-builder/<hash of the output path>``), never in
the project: a pull request could otherwise commit a crafted pickle that
the deploy-preview build would load, and loading a pickle runs code.  A
file not owned by the current user is ignored.

Entries are keyed by content hashes of their inputs (see :mod:`cache`), and
the whole file is tagged with a hash of this package's source code, the
Python version and the versions of the libraries that shape cached values,
so a cache written by other code is ignored, never trusted.  The pickle is
preceded by a hash of its bytes: a file damaged on disk but still readable as
a pickle (a changed byte inside a stored text) would otherwise put its
damage into the pages of every build until those articles change.
It is written atomically (a temporary file renamed into place); a value that
cannot be saved only means the next build does the work again.
"""

from __future__ import annotations

import os
import pickle
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import BuildCache, Memo
from .cachedir import cache_dir, digest

FILENAME = "memo.pickle"
MAGIC = b"site-builder cache 2\n"
"""The first line of the file; the hash of the pickle after it comes on the second."""
MEMOS = ("cleaned", "enriched", "html", "corpus", "rankings")
"""Memos worth keeping on disk; rendered pages are cheaper to redo than to store."""


DEPENDENCIES = ("markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "python-slugify", "nh3", "codespell",
                "jinja2", "markupsafe")
"""Libraries whose upgrade can change a cached value (HTML, slugs, spelling fixes, pages)."""


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of every source file of this package and of the dependencies' versions."""
    root = Path(__file__).resolve().parent
    parts: list[str | bytes] = [sys.version]
    for name in DEPENDENCIES:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    for path in sorted(root.rglob("*.py")):
        parts.extend((str(path.relative_to(root)), path.read_bytes()))
    return digest(*parts)


def load(out_dir: Path) -> BuildCache:
    """The cache saved by the last build into ``out_dir``, or an empty one."""
    cache = BuildCache()
    path = cache_dir(out_dir) / FILENAME
    try:
        if path.stat().st_uid != os.getuid():
            return cache  # someone else's file: never unpickle it
        written, payload = checked(path.read_bytes())
        data: dict[str, Any] = pickle.loads(payload)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return cache
    if not isinstance(data, dict) or data.get("version") != code_version():
        return cache
    for name in MEMOS:
        entries = data.get(name)
        if isinstance(entries, dict):
            memo: Memo[Any] = getattr(cache, name)
            memo.entries = entries
    cache.saved = (written, _keys(cache))
    return cache


def save(out_dir: Path, cache: BuildCache) -> None:
    """Write the entries the last build used (call after :meth:`BuildCache.sweep`).

    Nothing is written when the file holds those very entries already: the
    cache was loaded from it (or saved to it), no other process has written it
    since, and the build used every entry and added none.  Entries are keyed
    by content hashes, so the same keys are the same values.  An unchanged
    site, or one whose templates alone changed, then saves no cache.
    """
    folder = cache_dir(out_dir)
    keys = _keys(cache)
    if cache.saved is not None and cache.saved[1] == keys:
        try:
            with (folder / FILENAME).open("rb") as f:
                if _split(f.read(len(MAGIC) + 64))[0] == cache.saved[0]:
                    return
        except (OSError, ValueError):
            pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return
    data = {"version": code_version(), **{name: getattr(cache, name).entries for name in MEMOS}}
    tmp = folder / f".{FILENAME}.{os.getpid()}"
    try:
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        written = digest(payload)
        with tmp.open("wb") as f:
            f.write(MAGIC + written.encode("ascii") + b"\n")
            f.write(payload)
        os.replace(tmp, folder / FILENAME)
        cache.saved = (written, keys)
    except (pickle.PicklingError, AttributeError, TypeError, OSError):
        pass  # an optimisation only: the next build does the work again
    finally:
        tmp.unlink(missing_ok=True)


def _keys(cache: BuildCache) -> dict[str, frozenset[str]]:
    return {name: frozenset(getattr(cache, name).entries) for name in MEMOS}


def _split(data: bytes) -> tuple[str, bytes]:
    """The hash on the second line of a cache file that begins with ``data``, and what follows
    that line; ValueError if ``data`` does not begin as a cache file of this format."""
    if not data.startswith(MAGIC):
        raise ValueError("not a cache file of this format")
    written, _, payload = data[len(MAGIC):].partition(b"\n")
    return written.decode("ascii", "replace"), payload


def checked(data: bytes) -> tuple[str, bytes]:
    """The hash and the pickle in a cache file's ``data``; ValueError unless the hash is the
    one written with it."""
    written, payload = _split(data)
    if written != digest(payload):
        raise ValueError("the cache file was changed after it was written")
    return written, payload
