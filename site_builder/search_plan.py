"""search_plan: how a large site's search index is split between two Pagefind runs.

Pagefind writes its bundle on little more than one core: it compresses every
file of the index from one thread (docs/PERFORMANCE.md, "Twentieth
session"), so for half of a large build's indexing one of two cores idles.
A site with at least :data:`SHARD_MIN_PAGES` searchable pages is therefore
indexed as two shards, two Pagefind processes each over about half of the
pages, run side by side while the memory that takes is not too much
(:func:`search.runs_at_once`): the first writes the bundle under
``/pagefind/``, the second under ``/pagefind/shard-2/``.  The search page
searches both and merges their results into one list, each shard's scores
first put on the whole site's scale (``templates/assets/search.js``).
Smaller sites keep one index: it takes a second or two, and a second shard
costs each search a few more requests.

A page goes to a shard by the last character of its folder name (its slug),
because Pagefind takes a glob, not a list of files: the first shard is
``*[CHARS]``, the second ``*[!CHARS]``, so every page is in exactly one of
them whatever its name.  CHARS is chosen for each site so that the two
halves hold about as many pages; when no choice comes within
:data:`BALANCE` (every slug ending in the same letter), the site keeps one
index.

The search page and the indexer decide from the same names, the folder
names of the searchable pages: the render from the site's slugs (every
article, person and topic has a first page), the indexer from the files
(:func:`names_in`).
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .urls import SEARCHABLE_SECTIONS, searchable

BUNDLE_DIR = "pagefind"
"""Where the index and its scripts go, relative to the site root (``/pagefind/``)."""

SHARD_MIN_PAGES = 2_000
"""Searchable pages from which the index is built in two shards."""

BALANCE = 0.4
"""The smaller shard's least share of the pages; below it, the site keeps one index."""

_GROUPABLE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
"""Last characters that may go into a glob's class as they are; the others stay in the second shard."""


@dataclass(frozen=True)
class SearchPlan:
    """The Pagefind runs that index a site: a glob and a bundle folder for each."""

    globs: tuple[str, ...]
    """What each run reads, relative to the site root."""

    pages: tuple[int, ...] = field(default=(), compare=False)
    """How many searchable pages each run reads, where known (the indexer budgets its memory by them)."""

    first: str = field(default="", compare=False)
    """The last characters of the names the first of two runs reads; the second reads the rest."""

    def run_of(self, name: str) -> int:
        """Which run reads the page in the folder ``name`` (as its glob says)."""
        return 0 if len(self.globs) == 1 or (name and name[-1] in self.first) else 1

    @property
    def folders(self) -> tuple[str, ...]:
        """Where each run writes, within ``pagefind/``: the first in it, then ``shard-N``."""
        return ("", *(f"shard-{n}" for n in range(2, len(self.globs) + 1)))

    @property
    def merged(self) -> tuple[str, ...]:
        """The site paths of the bundles the search page merges into the first."""
        return tuple(f"/{BUNDLE_DIR}/{folder}/" for folder in self.folders[1:])

    def runs(self) -> tuple[tuple[str, str], ...]:
        """(glob, folder within ``pagefind/``) for each run."""
        return tuple(zip(self.globs, self.folders, strict=True))


ONE_INDEX = SearchPlan((searchable(),))
"""One Pagefind run over every searchable page."""


def plan(names: Iterable[str], min_pages: int | None = None) -> SearchPlan:
    """How to index a site whose searchable pages have these folder names (one per page);
    it is split in two from ``min_pages`` pages (:data:`SHARD_MIN_PAGES`)."""
    ends = Counter(name[-1] for name in names if name)
    total = sum(ends.values())
    if total < (SHARD_MIN_PAGES if min_pages is None else min_pages):
        return SearchPlan(ONE_INDEX.globs, (total,))
    first: list[str] = []
    size = [0, sum(n for end, n in ends.items() if end not in _GROUPABLE)]
    for end, n in sorted(((e, n) for e, n in ends.items() if e in _GROUPABLE), key=lambda en: (-en[1], en[0])):
        if size[0] <= size[1]:
            first.append(end)
            size[0] += n
        else:
            size[1] += n
    if not first or min(size) < BALANCE * total:
        return SearchPlan(ONE_INDEX.globs, (total,))
    chars = "".join(sorted(first))
    return SearchPlan((searchable(chars), searchable("!" + chars)), (size[0], size[1]), chars)


def pages_in(site_dir: Path) -> list[tuple[str, str, os.stat_result]]:
    """The pages under ``site_dir`` that :func:`urls.searchable` matches: the section, the folder
    name and the file status of each one's ``index.html``."""
    pages: list[tuple[str, str, os.stat_result]] = []
    for section in SEARCHABLE_SECTIONS:
        try:
            entries = list(os.scandir(site_dir / section))
        except FileNotFoundError:
            continue
        for entry in entries:
            if not entry.is_dir():
                continue
            try:
                st = os.stat(os.path.join(entry.path, "index.html"))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                pages.append((section, entry.name, st))
    return pages


def names_in(site_dir: Path) -> list[str]:
    """The folder names of the pages under ``site_dir`` that :func:`urls.searchable` matches."""
    return [name for _, name, _ in pages_in(site_dir)]
