"""build: the whole pipeline, read top to bottom.

load -> clean -> enrich -> index -> render -> write.  Everything is read and
checked before anything is rendered, and everything is rendered in memory
before anything is written; problems are collected across files and reported
together, and then nothing is written at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from . import diskcache, load, page_reuse, urls
from .cache import BuildCache, data_digest
from .cachedir import digest
from .clean import clean_markdown
from .clean.gazetteer import corpus_proper_nouns
from .clean.rules import CleanOptions
from .config import SiteConfig
from .enrich import enrich
from .errors import BuildFailed, Diagnostics, SiteError, SourceLocation
from .index import build_site
from .model import Article, Change, Person, Site, SourceDocument, Topic
from .parallel import map_ordered, prepare_all
from .render import pages_setting, render_site
from .search import indexer_for
from .style import load_style, with_corpus
from .write import Staging, check_out_dir, check_paths

T = TypeVar("T")


@dataclass(frozen=True)
class BuildResult:
    site: Site
    files: int
    """Number of files rendered (assets not counted)."""
    changes: tuple[Change, ...]
    """Every edit the cleaner made in memory, across all articles."""
    diagnostics: Diagnostics
    staged: Staging | None = None
    """The written site, not yet indexed for search nor published, when the caller finishes it (:mod:`finish`)."""
    jobs: tuple[int, int] = (0, 0)
    """Render jobs whose pages were kept from the last build (their inputs unchanged), and rendered."""


def today_for(config: SiteConfig) -> dt.date:
    """The date that decides what is in the future: fixed by config or the epoch, else the clock."""
    if config.today is not None:
        return config.today
    if config.source_date_epoch is not None:
        return dt.datetime.fromtimestamp(config.source_date_epoch, tz=dt.UTC).date()
    return dt.date.today()


Publish = Callable[[Sequence[tuple[str, bytes]]], None]


def build(config: SiteConfig, write: bool = True, cache: BuildCache | None = None,
          publish: Publish | None = None, publish_later: bool = False) -> BuildResult:
    """Build the site described by ``config``; raise :class:`BuildFailed` on errors.

    ``cache`` (kept by the dev server across rebuilds) lets unchanged
    articles skip cleaning and unchanged pages skip rendering.  ``publish``
    replaces the atomic write of the whole tree (the dev server writes only
    what changed, see :mod:`live`).  With ``publish_later``, the written
    site is left staged in the result, for the caller to index and publish
    (the command line does it in a smaller process, see :mod:`finish`).
    """
    diags = Diagnostics()
    on_disk = cache is None  # the dev server passes its own; a command-line build reuses the last one's
    cache = cache or diskcache.load(config.out_dir)
    cache.next_build = not on_disk  # only the dev server has a next build to reuse pages, nouns and keys in
    # 1. load: every source file, with its front matter checked.
    style = _guard(diags, lambda: load_style(config.content_dir))
    # File signatures mean nothing to another process: only the dev server's next build can use
    # them, and a command-line build would stat every source for its memo in vain.
    sources = None if on_disk else cache.sources
    people = cache.same_as_before("people", tuple(load.load_people(config.content_dir, diags, sources)))
    topics = cache.same_as_before("topics", tuple(load.load_topics(config.content_dir, diags, sources)))
    docs = load.load_articles(config.content_dir, diags, sources)
    # 2-3. clean and enrich each article in memory.
    options = with_corpus(style or CleanOptions(), _all_names(people), corpus_nouns(docs, cache))
    today = today_for(config)
    options_key = data_digest([options_digest(options), registry_digest(people, topics, config, today)])
    articles = prepare_all(prepare, docs, options, options_key, people, topics, config, today, diags, cache)
    del docs  # the articles hold what is needed from here on; no later worker need inherit the raw text
    # 4. index: the site with every cross-reference.
    site = build_site(articles, people, topics, config, today, diags, cache.related,
                      cache.rankings if on_disk else None)
    if diags.failed:
        raise BuildFailed(diags)
    check_site(site, articles, today, diags)
    changes = tuple(c for a in articles for c in a.changes)
    # 5. render every page; 6. write them beside the old output as they come,
    # index them for search, and swap the new output in (or, in the dev
    # server, write only what changed).
    staging: Staging | None = None
    handed_over = False
    try:
        if write:
            check_out_dir(config.out_dir, [config.content_dir, config.templates_dir])
            if publish is None:
                staging = Staging(config.out_dir, config.templates_dir / "assets")
        reuse = _page_reuse(staging, site, config) if on_disk else None
        outputs = render_site(site, config, cache, changes, tuple(diags.warnings),
                              sink=staging.add if staging else None,  # its add() checks every path
                              reuse=reuse, keep=staging.keep if staging else None)
        if staging is None:
            check_paths(outputs)
            if write and publish is not None:
                publish(outputs)
        cache.sweep()
        if on_disk and write:
            diskcache.save(config.out_dir, cache)
        if reuse is not None and staging is not None:
            reuse.save(staging.dir)
        handed_over = staging is not None and publish_later
        if staging is not None and not handed_over:
            staging.publish(finish=indexer_for(staging.out_dir))
    except SiteError as err:
        diags.error(err)
        raise BuildFailed(diags) from err
    finally:
        if staging is not None and not handed_over:
            staging.discard()  # nothing left to discard once published
    return BuildResult(site, staging.count if staging else len(outputs), changes, diags,
                       staging if handed_over else None, cache.jobs_done)


def _page_reuse(staging: Staging | None, site: Site, config: SiteConfig) -> page_reuse.PageReuse | None:
    """What a command-line build can keep of the pages it wrote last time (:mod:`page_reuse`):
    nothing, and no record to keep, when there is no previous output to link them from."""
    if staging is None:
        return None
    if staging.previous is None or not staging.links():  # nothing to link pages from
        page_reuse.forget(staging.out_dir)
        return None
    return page_reuse.PageReuse.of(staging.previous, pages_setting(site, config))


def corpus_nouns(docs: Sequence[SourceDocument], cache: BuildCache) -> frozenset[str]:
    """The proper nouns of the corpus, tallied on every core.

    Only the dev server keeps the tally, with each article's evidence, so that
    its next build recounts the articles that changed; a command-line build
    drops it here rather than carry it into every worker it forks.  Instead, a
    command-line build keeps the nouns on disk under a hash of every body, in
    the order they were read: a build whose bodies did not change (front matter,
    templates or configuration edited; `make site` run again) takes them from
    there instead of reading the whole corpus again.
    """
    if cache.next_build:
        return cache.nouns.update({d.path: d.body for d in docs}, map_ordered)
    key = digest(*(d.body for d in docs))
    nouns = cache.corpus.get(key)
    if nouns is None:
        nouns = cache.corpus.put(key, corpus_proper_nouns((d.body for d in docs), mapper=map_ordered))
    return nouns


def prepare(
    doc: SourceDocument,
    options: CleanOptions,
    options_key: str,
    people: Sequence[Person],
    topics: Sequence[Topic],
    config: SiteConfig,
    today: dt.date,
    diags: Diagnostics,
    cache: BuildCache,
) -> Article | None:
    """Clean and enrich one article; record a problem and return None on error."""
    try:
        key, enriched_key = cache_keys(doc, options_key, cache)
        if doc.meta.get("clean", True):
            cleaned = cache.cleaned.get(key)
            if cleaned is None:
                result = clean_markdown(doc.body, doc.path, options, first_line=doc.body_line)
                cleaned = cache.cleaned.put(key, (result.markdown, result.changes))
            body, changes = cleaned
        else:
            body, changes = doc.body, ()
        if "date" not in doc.meta:
            diags.warn(SourceLocation(doc.path, 1), "front matter", "no date; using today's",
                       "add 'date: YYYY-MM-DD' or run 'site-builder fix'")
        article: Article | None = cache.enriched.get(enriched_key)
        if article is None:
            article = cache.enriched.put(enriched_key, enrich(doc, body, changes, people, topics, today,
                                                              config.topic_body_hits, config.topic_title_hits))
        return article
    except SiteError as err:
        diags.error(err)
        return None


def cache_keys(doc: SourceDocument, options_key: str, cache: BuildCache) -> tuple[str, str]:
    """The keys of ``doc``'s cleaned and enriched entries, hashed once per document.

    The dev server gets the same document object back for an unchanged file,
    so its keys are not hashed again on every save.
    """
    known = cache.keys.get(doc.path)
    if known is not None and known[0] is doc and known[1] == options_key:
        return known[2], known[3]
    cleaned = data_digest([doc.path, doc.body_line, doc.body, options_key])
    # options_key covers the registries, the topic thresholds and today: all enrich reads.
    enriched = data_digest([doc.path, doc.meta, doc.meta_lines, doc.body_line, doc.body, options_key])
    if cache.next_build:
        cache.keys[doc.path] = (doc, options_key, cleaned, enriched)
    return cleaned, enriched


def options_digest(options: CleanOptions) -> str:
    """A hash of everything in ``options`` that can change what the cleaner does."""
    return data_digest([
        sorted(options.disabled), sorted(options.protected_words),
        [(p.find, p.replace, p.warn) for p in options.phrases], list(options.artifacts),
        options.names.reference if options.names else "", sorted(options.proper_nouns),
    ])


def registry_digest(people: Sequence[Person], topics: Sequence[Topic], config: SiteConfig, today: dt.date) -> str:
    """A hash of everything besides the document that :func:`enrich` reads."""
    return data_digest([[repr(p) for p in people], [repr(t) for t in topics],
                        config.topic_body_hits, config.topic_title_hits, today.isoformat()])


def check_site(site: Site, articles: Sequence[Article], today: dt.date, diags: Diagnostics) -> None:
    """Warnings an editor should see: missing summaries, future dates, links to nowhere."""
    pages = {urls.article(slug) for slug in site.articles}
    pages |= {urls.person(slug) for slug in site.people} | {urls.topic(slug) for slug in site.topics}
    pages |= {"/", urls.people_index(), urls.topics_index(), urls.SEARCH, urls.FEED}
    for article in articles:
        where = SourceLocation(article.path, 1)
        if not article.summary:
            diags.warn(where, "front matter", "no summary", "add 'summary:' or a first paragraph")
        if article.date > today:
            diags.warn(where, "front matter", f"dated in the future ({article.date.isoformat()}); "
                       "it will not be published until then")
        for number, target in internal_links(article.body, article.body_line):
            path = target.split("#")[0].split("?")[0]
            if path and not path.endswith(("/", ".xml", ".html", ".css", ".png", ".jpg", ".pdf")):
                path += "/"
            if path and path not in pages:
                diags.warn(SourceLocation(article.path, number), "link", f"no page at {target}",
                           "check the slug, or link to an existing article, person or topic")


_LINK = re.compile(r"\]\((/[^)\s]*)")


def internal_links(body: str, first_line: int) -> list[tuple[int, str]]:
    """(file line, target) of every root-relative Markdown link in ``body``."""
    found: list[tuple[int, str]] = []
    if "](/" not in body:
        return found
    # One search of the whole body (a link never spans lines): the dev server checks every
    # article on every rebuild, and splitting each body into lines cost more than the search.
    line, counted = first_line, 0
    for match in _LINK.finditer(body):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        found.append((line, match.group(1)))
    return found


def _all_names(people: Sequence[Person]) -> list[str]:
    return [name for p in people for name in p.names]


def _guard(diags: Diagnostics, step: Callable[[], T]) -> T | None:
    """``step()``, or None with its error recorded: later stages still run and report."""
    try:
        return step()
    except SiteError as err:
        diags.error(err)
        return None
