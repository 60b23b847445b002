"""build: the whole pipeline, read top to bottom.

load -> clean -> enrich -> index -> render -> write.  Everything is read and
checked before anything is rendered, and everything is rendered in memory
before anything is written; problems are collected across files and reported
together, and then nothing is written at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from . import load
from .clean import clean_markdown
from .clean.gazetteer import corpus_proper_nouns
from .clean.rules import CleanOptions
from .config import SiteConfig
from .enrich import enrich
from .errors import BuildFailed, Diagnostics, SiteError, SourceLocation
from .index import build_site
from .model import Article, Change, Person, Site, SourceDocument, Topic
from .render import render_site
from .search import index_site
from .style import load_style, with_corpus
from .write import check_out_dir, check_paths, write_site


@dataclass(frozen=True)
class BuildResult:
    site: Site
    files: int
    """Number of files rendered (assets not counted)."""
    changes: tuple[Change, ...]
    """Every edit the cleaner made in memory, across all articles."""
    diagnostics: Diagnostics


def today_for(config: SiteConfig) -> dt.date:
    """The date that decides what is in the future: fixed by config or the epoch, else the clock."""
    if config.today is not None:
        return config.today
    if config.source_date_epoch is not None:
        return dt.datetime.fromtimestamp(config.source_date_epoch, tz=dt.timezone.utc).date()
    return dt.date.today()


def build(config: SiteConfig, write: bool = True) -> BuildResult:
    """Build the site described by ``config``; raise :class:`BuildFailed` on errors."""
    diags = Diagnostics()
    # 1. load: every source file, with its front matter checked.
    style = _guard(diags, lambda: load_style(config.content_dir))
    people = load.load_people(config.content_dir, diags)
    topics = load.load_topics(config.content_dir, diags)
    docs = load.load_articles(config.content_dir, diags)
    # 2-3. clean and enrich each article in memory.
    options = with_corpus(style or CleanOptions(), _all_names(people),
                          corpus_proper_nouns(d.body for d in docs))
    today = today_for(config)
    articles = [a for d in docs if (a := prepare(d, options, people, topics, config, today, diags))]
    # 4. index: the site with every cross-reference.
    site = build_site(articles, people, topics, config, today, diags)
    if diags.failed:
        raise BuildFailed(diags)
    # 5. render everything in memory; 6. write it in one swap.
    try:
        outputs = render_site(site, config)
        check_paths(outputs)
        if write:
            check_out_dir(config.out_dir, [config.content_dir, config.templates_dir])
            write_site(outputs, config.out_dir, config.templates_dir / "assets", finish=index_site)
    except SiteError as err:
        diags.error(err)
        raise BuildFailed(diags) from err
    changes = tuple(c for a in articles for c in a.changes)
    return BuildResult(site, len(outputs), changes, diags)


def prepare(
    doc: SourceDocument,
    options: CleanOptions,
    people: Sequence[Person],
    topics: Sequence[Topic],
    config: SiteConfig,
    today: dt.date,
    diags: Diagnostics,
) -> Article | None:
    """Clean and enrich one article; record a problem and return None on error."""
    try:
        if doc.meta.get("clean", True):
            result = clean_markdown(doc.body, doc.path, options, first_line=doc.body_line)
            body, changes = result.markdown, result.changes
        else:
            body, changes = doc.body, ()
        if "date" not in doc.meta:
            diags.warn(SourceLocation(doc.path, 1), "front matter", "no date; using today's",
                       "add 'date: YYYY-MM-DD' or run 'site-builder fix'")
        return enrich(doc, body, changes, people, topics, today,
                      config.topic_body_hits, config.topic_title_hits)
    except SiteError as err:
        diags.error(err)
        return None


def _all_names(people: Sequence[Person]) -> list[str]:
    return [name for p in people for name in p.names]


def _guard(diags: Diagnostics, step):  # type: ignore[no-untyped-def]
    try:
        return step()
    except SiteError as err:
        diags.error(err)
        return None
