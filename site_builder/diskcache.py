"""The build cache on disk, so that one ``site-builder build`` helps the next.

The dev server keeps its :class:`BuildCache` in memory; a command-line build
starts from nothing.  Saving the cleaned and enriched articles and the
Markdown HTML between builds (``.site-builder-cache/`` beside the output
directory) means an unchanged article is neither cleaned nor enriched nor
converted to HTML again.

Entries are keyed by content hashes of their inputs (see :mod:`cache`), and
the whole file is tagged with a hash of this package's source code, the
Python version and the versions of the libraries that shape cached values,
so a cache written by other code is ignored, never trusted.
The file is a pickle: it is as trusted as the virtualenv beside it, and it is
written atomically (a temporary file renamed into place).
"""

from __future__ import annotations

import os
import pickle
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import BuildCache, Memo, digest

DIRNAME = ".site-builder-cache"
FILENAME = "memo.pickle"
MEMOS = ("cleaned", "enriched", "html")
"""Memos worth keeping on disk; rendered pages are cheaper to redo than to store."""


DEPENDENCIES = ("markdown-it-py", "mdit-py-plugins", "python-slugify", "nh3", "codespell")
"""Libraries whose upgrade can change a cached value (HTML, slugs, spelling fixes)."""


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


def cache_dir(out_dir: Path) -> Path:
    return out_dir.resolve().parent / DIRNAME


def load(out_dir: Path) -> BuildCache:
    """The cache saved by the last build into ``out_dir``, or an empty one."""
    cache = BuildCache()
    path = cache_dir(out_dir) / FILENAME
    try:
        with path.open("rb") as f:
            data: dict[str, Any] = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return cache
    if not isinstance(data, dict) or data.get("version") != code_version():
        return cache
    for name in MEMOS:
        entries = data.get(name)
        if isinstance(entries, dict):
            memo: Memo[Any] = getattr(cache, name)
            memo.entries = entries
    return cache


def save(out_dir: Path, cache: BuildCache) -> None:
    """Write the entries the last build used (call after :meth:`BuildCache.sweep`)."""
    folder = cache_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    data = {"version": code_version(), **{name: getattr(cache, name).entries for name in MEMOS}}
    tmp = folder / f".{FILENAME}.{os.getpid()}"
    try:
        with tmp.open("wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / FILENAME)
    finally:
        tmp.unlink(missing_ok=True)
