"""index: all articles, people and topics become the :class:`Site`.

Which articles are published (drafts and future dates only where the config
allows), every listing sorted newest first with the slug as tie-break, and
the cross-references: articles per person and topic, related articles,
people mentioned together, topics that share articles.  People and topics
are taxonomies of one shape, so one function serves both.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from .cache import Memo, data_digest
from .config import SiteConfig
from .errors import Diagnostics, SiteError, SourceLocation
from .model import Article, Person, Site, Topic
from .parallel import map_ordered

T = TypeVar("T")
RELATED_COUNT = 3
TOGETHER_COUNT = 5
"""People shown as often mentioned with a person, and topics related to a topic."""
CANDIDATES = 50
"""Newest articles of each person and topic considered as related (ties go to the newest anyway)."""


@dataclass(frozen=True)
class Page:
    """One page of a paginated listing."""

    number: int
    """1-based page number."""
    count: int
    """How many pages the listing has."""
    items: tuple[str, ...]
    """Slugs on this page."""


def paginate(items: Sequence[str], size: int) -> list[Page]:
    """Split ``items`` into pages of ``size``; an empty listing has one empty page."""
    chunks = [tuple(items[i: i + size]) for i in range(0, len(items), size)] or [()]
    return [Page(n, len(chunks), chunk) for n, chunk in enumerate(chunks, start=1)]


def newest_first(article: Article) -> tuple[int, str]:
    return (-article.date.toordinal(), article.slug)


def is_published(article: Article, config: SiteConfig, today: dt.date) -> bool:
    if article.draft and not config.drafts:
        return False
    return config.future or article.date <= today


def build_site(
    articles: Iterable[Article],
    people: Sequence[Person],
    topics: Sequence[Topic],
    config: SiteConfig,
    today: dt.date,
    diags: Diagnostics,
    memo: dict[str, Any] | None = None,
    rankings: Memo[dict[str, tuple[str, ...]]] | None = None,
) -> Site:
    """Cross-reference everything; duplicate slugs are errors.

    ``memo`` lets the dev server skip re-ranking unchanged related articles;
    ``rankings`` (the disk cache's) lets a command-line build take all of them
    from the last build when nothing they are ranked by changed.
    """
    seen: dict[str, Article] = {}
    # A file named after the slug keeps it; the other one, which took it, is the one to change
    # (often a new article whose title made the slug of one already published).
    for item in sorted(articles, key=lambda a: (Path(a.path).stem != a.slug, a.path)):
        if item.slug in seen:
            diags.error(SiteError(SourceLocation(item.path, 1), "slug",
                                  f"'{item.slug}' is already used by {seen[item.slug].path}",
                                  "every article needs its own slug"))
            continue
        seen[item.slug] = item
    published = sorted((a for a in seen.values() if is_published(a, config, today)), key=newest_first)
    by_slug = {a.slug: a for a in published}
    # Stubs made by ``import`` get no page until an editor has checked them: a
    # wrong name on an advocacy site does harm, a missing page does little.
    people_sorted = sorted((p for p in people if not p.review), key=lambda p: (p.name.casefold(), p.slug))
    topics_sorted = sorted(topics, key=lambda t: (t.name.casefold(), t.slug))
    by_person = _taxonomy(published, [p.slug for p in people_sorted], lambda a: a.people)
    by_topic = _taxonomy(published, [t.slug for t in topics_sorted], lambda a: a.topics)
    return Site(
        articles=by_slug,
        people={p.slug: p for p in people_sorted},
        topics={t.slug: t for t in topics_sorted},
        by_person=by_person,
        by_topic=by_topic,
        related=_all_related(published, by_person, by_topic, None if memo is None else memo.setdefault("related", {}),
                             rankings),
        co_mentioned=_remembered(memo, "co_mentioned", (by_person, [a.people for a in published]),
                                 lambda: _together(by_person, by_slug, lambda a: a.people)),
        related_topics=_remembered(memo, "related_topics", (by_topic, [a.topics for a in published]),
                                   lambda: _together(by_topic, by_slug, lambda a: a.topics)),
        build_date=_build_date(config, published),
    )


def _remembered(memo: dict[str, Any] | None, name: str, inputs: object, compute: Callable[[], T]) -> T:
    """``compute()``, or its last result if ``inputs`` equal the last ones (dev server)."""
    if memo is None:
        return compute()
    known = memo.get(name)
    if known is not None and known[0] == inputs:
        return known[1]  # type: ignore[no-any-return]
    result = compute()
    memo[name] = (inputs, result)
    return result


def _taxonomy(
    articles: Sequence[Article], terms: Sequence[str], of: Callable[[Article], Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Term slug -> slugs of the articles carrying it, in listing order."""
    out: dict[str, list[str]] = {term: [] for term in terms}
    for article in articles:
        for term in of(article):
            if term in out:
                out[term].append(article.slug)
    return {term: tuple(slugs) for term, slugs in out.items()}


PARALLEL_RANKING = 2000
"""Ranking takes about 0.1 ms an article: below this many, forking workers costs more than it saves."""


def _all_related(
    published: Sequence[Article],
    by_person: dict[str, tuple[str, ...]],
    by_topic: dict[str, tuple[str, ...]],
    memo: dict[str, Any] | None = None,
    rankings: Memo[dict[str, tuple[str, ...]]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Article slug -> up to three others: most shared people and topics first, then newest.

    A person counts twice as much as a topic.  Comparing every pair would take
    minutes for 10,000 articles, so the candidates are the newest 50 articles
    sharing each person or topic (listings are newest first, so
    those win every tie) and the newest few overall.

    ``memo`` (kept by the dev server) holds each article's candidate lists and
    result: while the order of all articles stays the same, an article whose
    candidates are unchanged keeps its related articles without scoring.
    ``rankings`` (a command-line build's, on disk) holds the whole result under a
    hash of all it is ranked by: the articles in listing order, each one's
    people and topics, and each person's and topic's candidates.
    """
    order = {a.slug: n for n, a in enumerate(published)}
    newest = [a.slug for a in published[: RELATED_COUNT + 1]]
    # Each term's candidates are cut once, not once for every article that has it.
    of_person = {p: slugs[:CANDIDATES] for p, slugs in by_person.items()}
    of_topic = {t: slugs[:CANDIDATES] for t, slugs in by_topic.items()}
    terms = [(a.slug, sorted(set(a.people)), sorted(set(a.topics))) for a in published]
    key = ""
    if rankings is not None:
        key = data_digest([terms, of_person, of_topic])
        known_all = rankings.get(key)
        if known_all is not None:
            return known_all
    if memo is not None and memo.get("") != (tuple(order), tuple(newest)):
        memo.clear()
        memo[""] = (tuple(order), tuple(newest))
    out: dict[str, tuple[str, ...]] = {}
    todo: list[tuple[str, list[tuple[str, ...]], list[tuple[str, ...]]]] = []
    for slug, person_slugs, topic_slugs in terms:
        people = [of_person.get(p, ()) for p in person_slugs]
        topics = [of_topic.get(t, ()) for t in topic_slugs]
        known = memo.get(slug) if memo is not None else None
        if known is not None and known[0] == people and known[1] == topics:
            out[slug] = known[2]
        else:
            out[slug] = ()  # keeps the listing order; ranked below
            todo.append((slug, people, topics))
    # Ranked on every core when there are many, a batch of articles per task.
    batch = max(1, len(todo) // 64)
    ranked = map_ordered(lambda i: [_ranked(slug, people, topics, newest, order)
                                    for slug, people, topics in todo[i * batch: (i + 1) * batch]],
                         -(-len(todo) // batch), processes=None if len(todo) >= PARALLEL_RANKING else 1)
    for (slug, people, topics), related in zip(todo, chain.from_iterable(ranked), strict=True):
        out[slug] = related
        if memo is not None:
            memo[slug] = (people, topics, related)
    return out if rankings is None else rankings.put(key, out)


def _ranked(slug: str, people: list[tuple[str, ...]], topics: list[tuple[str, ...]], newest: list[str],
            order: dict[str, int]) -> tuple[str, ...]:
    """The ``RELATED_COUNT`` best of the candidates: highest score, then newest.

    Written for speed (it runs once per article): counting, the cut-off and
    both sorts happen in C, and only candidates that can make the cut are sorted.
    """
    scores: Counter[str] = Counter(dict.fromkeys(newest, 0))
    scores.update(chain(*people, *people, *topics))  # a person weighs twice a topic
    scores.pop(slug, None)
    if not scores:
        return ()
    cut = heapq.nlargest(RELATED_COUNT, scores.values())[-1]
    pool = [s for s, score in scores.items() if score >= cut]
    pool.sort(key=order.__getitem__)  # newest first ...
    pool.sort(key=scores.__getitem__, reverse=True)  # ... within each score (sorts are stable)
    return tuple(pool[:RELATED_COUNT])


def _together(
    taxonomy: dict[str, tuple[str, ...]],
    articles: dict[str, Article],
    of: Callable[[Article], Sequence[str]],
) -> dict[str, tuple[str, ...]]:
    """Term -> the other terms that share most articles with it (at most five; ties by slug).

    Written for speed (with 500 people it took a quarter of a second per build
    as a loop per article): the counting is one ``Counter`` over all the
    term's articles' terms, and only the terms that can make the five are sorted.
    """
    out: dict[str, tuple[str, ...]] = {}
    for term, slugs in taxonomy.items():
        counts = Counter(chain.from_iterable([of(articles[slug]) for slug in slugs]))
        counts.pop(term, None)
        pool = [kv for kv in counts.items() if kv[0] in taxonomy]
        if len(pool) > TOGETHER_COUNT:
            cut = heapq.nlargest(TOGETHER_COUNT, [n for _, n in pool])[-1]
            pool = [kv for kv in pool if kv[1] >= cut]
        pool.sort(key=_most_then_slug)
        out[term] = tuple(t for t, _ in pool[:TOGETHER_COUNT])
    return out


def _most_then_slug(kv: tuple[str, int]) -> tuple[int, str]:
    return -kv[1], kv[0]


def _build_date(config: SiteConfig, published: Sequence[Article]) -> dt.datetime:
    if config.source_date_epoch is not None:
        return dt.datetime.fromtimestamp(config.source_date_epoch, tz=dt.UTC)
    newest = max(((a.updated or a.date) for a in published), default=dt.date(2000, 1, 1))
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)


def group_by(items: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    groups: dict[str, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return dict(groups)
