"""Clean and enrich articles, and render pages, on every core, in a deterministic order.

Cleaning and enriching one article is pure CPU work on plain data and
independent of every other article, so a full build hands them to a pool of
forked worker processes.  The workers inherit the build's inputs (documents,
options, registries, the cache as it was) through ``fork`` instead of pickling
them; each returns its :class:`Article` (or None), the diagnostics it raised
and the cache entries it made, and the parent merges them in document order.
The result, the diagnostics and the cache are therefore the same as those of
the serial loop, only sooner.

Workers see the cache as it was when they were forked; for a hit they send back
only its key.  The first few items are done serially as a probe: if they were
cache hits (the dev server after its first build, or an unchanged site with
the disk cache), the rest stay serial too, since starting workers would cost
more than it saves.

Pages are rendered with :func:`map_recorded`: the same, for any list of tasks
that use memos.  A worker returns each task's result with what it did to the
memos, so the parent never renders a page again only to collect it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .cache import BuildCache, Memo
from .clean.rules import CleanOptions
from .config import SiteConfig
from .errors import Diagnostic, Diagnostics
from .model import Article, Person, SourceDocument, Topic

MIN_PARALLEL = 64
"""Below this many articles a pool costs more than it saves."""
PROBE = 16
"""Items done serially first: if nearly all were cache hits, the rest stay serial too."""

Prepare = Callable[..., "Article | None"]
R = TypeVar("R")


@dataclass(frozen=True)
class _Job:
    prepare: Prepare
    docs: Sequence[SourceDocument]
    options: CleanOptions
    options_key: str
    people: Sequence[Person]
    topics: Sequence[Topic]
    config: SiteConfig
    today: dt.date
    cache: BuildCache


_JOB: _Job | None = None
"""The job the forked workers inherit; set only while a pool is running."""

_Result = tuple["Article | None", str | None, list[Diagnostic], dict[str, Any], dict[str, Any], set[str], set[str],
                tuple[str, str] | None]


@contextlib.contextmanager
def forked_pool(processes: int) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of ``processes`` forked workers, with the parent's objects left out of their garbage collection.

    Python's documented recipe for fork without exec (``gc.freeze``): the
    objects the workers inherit are moved out of the collector's reach before
    the fork and put back once the pool is closed.  A worker's collections
    then walk only what it allocated, instead of every document and article of
    the build, and they no longer write into the inherited objects, which made
    the kernel copy those pages into each worker.
    """
    global _POOLS
    gc.freeze()
    _POOLS += 1
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield pool
    finally:
        _POOLS -= 1
        gc.unfreeze()


_POOLS = 0
"""How many forked pools this process has open (:func:`pool_open`)."""


def pool_open() -> bool:
    """Whether this process has a forked pool open: unwinding through it on a signal can hang
    (a worker killed while it held the task queue's lock leaves the pool's shutdown waiting)."""
    return _POOLS > 0


def workers() -> int:
    """How many processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _pool_pays(processes: int, count: int) -> bool:
    """Whether forking ``processes`` workers for ``count`` items can beat a serial loop."""
    return processes >= 2 and count >= MIN_PARALLEL and "fork" in multiprocessing.get_all_start_methods()


def _one(index: int) -> _Result:
    job = _JOB
    assert job is not None, "worker started without a job"
    diags = Diagnostics()
    cache = job.cache
    cache.cleaned.used, cache.enriched.used = set(), set()
    added_cleaned: list[str] = []
    added_enriched: list[str] = []
    cache.cleaned.journal, cache.enriched.journal = added_cleaned, added_enriched
    try:
        article = job.prepare(job.docs[index], job.options, job.options_key, job.people, job.topics,
                              job.config, job.today, diags, cache)
    finally:
        cache.cleaned.journal = cache.enriched.journal = None
    # Sent to the parent and dropped here: the worker's cache stays the one it inherited.
    new_cleaned = {k: cache.cleaned.entries[k] for k in added_cleaned}
    new_enriched = {k: cache.enriched.entries[k] for k in added_enriched}
    for memo, new in ((cache.cleaned, new_cleaned), (cache.enriched, new_enriched)):
        for key in new:
            del memo.entries[key]
    # The document's cache keys, so that the parent (the dev server) need not hash it again.
    known = cache.keys.get(job.docs[index].path)
    keys = (known[2], known[3]) if known is not None and known[0] is job.docs[index] else None
    if article is not None and not new_enriched and len(cache.enriched.used) == 1:
        # A cache hit: the parent holds the same entry, so send the key, not the article.
        return None, next(iter(cache.enriched.used)), diags.items, new_cleaned, {}, cache.cleaned.used, \
            cache.enriched.used, keys
    return article, None, diags.items, new_cleaned, new_enriched, cache.cleaned.used, cache.enriched.used, keys


def prepare_all(
    prepare: Prepare,
    docs: Sequence[SourceDocument],
    options: CleanOptions,
    options_key: str,
    people: Sequence[Person],
    topics: Sequence[Topic],
    config: SiteConfig,
    today: dt.date,
    diags: Diagnostics,
    cache: BuildCache,
    processes: int | None = None,
) -> list[Article]:
    """``[prepare(doc, ...) for doc in docs]`` without the Nones, on ``processes`` cores."""
    processes = processes or workers()
    serial = not _pool_pays(processes, len(docs))
    # Probe: the first few articles serially; if they were cache hits, so will the rest be.
    probe = len(docs) if serial else PROBE
    hits = cache.enriched.hits

    def serially(part: Sequence[SourceDocument]) -> list[Article]:
        return [a for d in part if (a := prepare(d, options, options_key, people, topics, config, today, diags, cache))]

    articles = serially(docs[:probe])
    if probe >= len(docs) or cache.enriched.hits - hits >= 0.9 * probe:
        return articles + serially(docs[probe:])
    global _JOB
    _JOB = _Job(prepare, docs, options, options_key, people, topics, config, today, cache)
    try:
        chunk = max(1, len(docs) // (processes * 8))
        with forked_pool(processes) as pool:
            for index, (article, hit, items, cleaned, enriched, used_cleaned, used_enriched, keys) in enumerate(
                    pool.imap(_one, range(probe, len(docs)), chunksize=chunk), start=probe):
                if keys is not None:
                    cache.keys[docs[index].path] = (docs[index], options_key, *keys)
                for diag in items:
                    diags._add(diag)
                for memo, new, used in ((cache.cleaned, cleaned, used_cleaned),
                                        (cache.enriched, enriched, used_enriched)):
                    for key, value in new.items():
                        memo.put(key, value)
                    memo.used |= used
                    memo.misses += len(new)
                    memo.hits += len(used) - len(new)
                if hit is not None:
                    article = cache.enriched.entries[hit]
                if article is not None:
                    articles.append(article)
    finally:
        _JOB = None
    return articles


_RECORDED: tuple[Callable[[int], Any], Sequence[Memo[Any]]] | None = None
"""The task and memos the forked workers of :func:`map_recorded` inherit."""

_Effects = list[tuple[dict[str, Any], set[str], int, int]]
"""Per memo: the entries a task added, the keys it used, its hits and its misses."""


def _run_recorded(index: int) -> tuple[tuple[Any] | None, _Effects]:
    assert _RECORDED is not None, "worker started without a task"
    task, memos = _RECORDED
    counts = [(memo.hits, memo.misses) for memo in memos]
    journals: list[list[str]] = [[] for _ in memos]
    for memo, journal in zip(memos, journals, strict=True):
        memo.used, memo.journal = set(), journal
    try:
        result = task(index)
    except Exception:  # redone in the parent, which reports the error as the serial loop would
        return None, []
    finally:
        for memo in memos:
            memo.journal = None
    return (result,), [({key: memo.entries[key] for key in journal}, memo.used, memo.hits - hits, memo.misses - misses)
                       for memo, journal, (hits, misses) in zip(memos, journals, counts, strict=True)]


def map_recorded(task: Callable[[int], R], count: int, memos: Sequence[Memo[Any]],
                 processes: int | None = None, then: Callable[[R], object] | None = None,
                 keep: bool = True) -> list[R]:
    """``[task(i) for i in range(count)]`` on every core when that pays, leaving ``memos`` as that loop would.

    Each worker sends back a task's result with the entries it put in
    ``memos``, the keys it used and its hits and misses; the parent adds them
    to its own memos in task order.  A task that failed in a worker is run
    again in the parent, so its error is raised there, in order.  ``then`` is
    called in the parent with each result as it arrives, in order (the parent
    writes pages while the workers render the next ones).  With ``keep``
    false, each result goes to ``then`` only and the list returned is empty.
    """
    processes = processes or workers()
    out: list[R] = []
    if not _pool_pays(processes, count):
        for i in range(count):
            result = task(i)
            if keep:
                out.append(result)
            if then is not None:
                then(result)
        return out
    global _RECORDED
    _RECORDED = (task, memos)
    try:
        with forked_pool(processes) as pool:
            chunk = max(1, count // (processes * 8))
            for index, (done, effects) in enumerate(pool.imap(_run_recorded, range(count), chunksize=chunk)):
                if done is None:
                    result = task(index)
                else:
                    for memo, (new, used, hits, misses) in zip(memos, effects, strict=True):
                        memo.entries.update(new)
                        memo.used |= used
                        memo.hits += hits
                        memo.misses += misses
                    result = done[0]
                if keep:
                    out.append(result)
                if then is not None:
                    then(result)
        return out
    finally:
        _RECORDED = None


def map_ordered(task: Callable[[int], R], count: int, processes: int | None = None) -> list[R]:
    """``[task(i) for i in range(count)]``, on every core when that pays; results in order.

    Workers are forked and inherit ``task``; what it returns must pickle.
    """
    return map_recorded(task, count, (), processes)
