"""search_plan: how a large site's search index is split between Pagefind runs.

Pagefind writes its bundle on little more than one core: it compresses every
file of the index from one thread (docs/PERFORMANCE.md, "Twentieth
session"), so for half of a large build's indexing one of two cores idles.
A site with at least :data:`SHARD_MIN_PAGES` searchable pages is therefore
indexed in shards, Pagefind processes side by side (:mod:`search`), each
over its share of the pages: the first writes the bundle under
``/pagefind/``, the others under ``/pagefind/shard-2/``, ``shard-3/`` and so
on.  The search page merges the later ones into the first (Pagefind's
``mergeIndex``), and readers get one list of results ranked by score.
Smaller sites keep one index: it takes a second or two, and each shard
costs each search a few more requests.

Shards come in pairs, as many pairs as keep each shard within
:data:`SHARD_PAGES` (up to :data:`MAX_SHARDS`): a Pagefind run's memory grows
with its pages, and the indexer runs only as many at once as there are
cores, so smaller shards bound the build's peak memory, and an even number
keeps both cores of a two-core machine busy to the end.  The plan depends on
the pages alone, never on the machine, so that every machine writes the same
site.

A page goes to a shard by the last character of its folder name (its slug),
because Pagefind takes a glob, not a list of files: each shard but the last
is ``*[CHARS]`` for a class of its own, the last ``*[!ALL]`` for none of
them, so every page is in exactly one shard whatever its name.  The classes
are chosen for each site so that the shards hold about as many pages; a
number of shards that no choice splits within :data:`BALANCE` of even gives
way to two fewer (ten endings, as of numbered slugs, make six shards but
not eight), and a site that not even two can split (every slug ending
in the same letter) keeps one index.

The search page and the indexer decide from the same names, the folder
names of the searchable pages: the render from the site's slugs (every
article, person and topic has a first page), the indexer from the files
(:func:`names_in`).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .urls import SEARCHABLE_SECTIONS, searchable

BUNDLE_DIR = "pagefind"
"""Where the index and its scripts go, relative to the site root (``/pagefind/``)."""

SHARD_MIN_PAGES = 2_000
"""Searchable pages from which the index is built in shards."""

SHARD_PAGES = 3_000
"""The most pages a shard is planned to hold: a site of more than twice as many gets more pairs."""

MAX_SHARDS = 8
"""The most shards a site's index is split into: each one costs every search a few requests."""

BALANCE = 1.25
"""The most pages a shard may hold, as a multiple of an even split (of two shards, the larger
holds at most 62.5%): shards are there to bound the largest run's memory."""

_GROUPABLE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
"""Last characters that may go into a glob's class as they are; the others stay in the last shard."""


@dataclass(frozen=True)
class SearchPlan:
    """The Pagefind runs that index a site: a glob and a bundle folder for each."""

    globs: tuple[str, ...]
    """What each run reads, relative to the site root."""

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


def plan(names: Iterable[str], min_pages: int | None = None, shard_pages: int | None = None) -> SearchPlan:
    """How to index a site whose searchable pages have these folder names (one per page): in
    shards from ``min_pages`` pages (:data:`SHARD_MIN_PAGES`), in as many pairs as keep each
    within ``shard_pages`` (:data:`SHARD_PAGES`) where the names allow."""
    ends = Counter(name[-1] for name in names if name)
    total = sum(ends.values())
    if total < (SHARD_MIN_PAGES if min_pages is None else min_pages):
        return ONE_INDEX
    pairs = max(1, math.ceil(total / (2 * (SHARD_PAGES if shard_pages is None else shard_pages))))
    for shards in range(min(2 * pairs, MAX_SHARDS), 1, -2):
        classes = _split(ends, shards)
        if classes is not None:
            every = "".join(sorted("".join(classes)))
            return SearchPlan((*(searchable(chars) for chars in classes), searchable("!" + every)))
    return ONE_INDEX


def _split(ends: Counter[str], shards: int) -> list[str] | None:
    """The glob classes of all shards but the last, which takes every other name; None if no split
    by these last characters into ``shards`` comes within :data:`BALANCE` of even.

    Largest groups first, each to the smallest shard so far (the first of equals); characters
    that cannot go into a class as they are stay with the last shard."""
    total = sum(ends.values())
    chosen: list[list[str]] = [[] for _ in range(shards)]
    size = [0] * (shards - 1) + [sum(n for end, n in ends.items() if end not in _GROUPABLE)]
    for end, n in sorted(((e, n) for e, n in ends.items() if e in _GROUPABLE), key=lambda en: (-en[1], en[0])):
        smallest = size.index(min(size))
        chosen[smallest].append(end)
        size[smallest] += n
    if not all(chosen[:-1]) or max(size) > BALANCE * total / shards:
        return None
    return ["".join(sorted(chars)) for chars in chosen[:-1]]


def names_in(site_dir: Path) -> list[str]:
    """The folder names of the pages under ``site_dir`` that :func:`urls.searchable` matches."""
    names: list[str] = []
    for section in SEARCHABLE_SECTIONS:
        try:
            entries = list(os.scandir(site_dir / section))
        except FileNotFoundError:
            continue
        names += [e.name for e in entries if e.is_dir() and os.path.isfile(os.path.join(e.path, "index.html"))]
    return names
