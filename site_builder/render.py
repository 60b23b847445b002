"""render: the :class:`Site` becomes ``(output path, bytes)`` pairs in memory.

Templates receive view models (plain dicts built here), never the model
objects; Jinja runs with ``StrictUndefined`` and autoescaping for HTML and
XML, so a typo in a template fails the build and text is always escaped.
Nothing here touches the output directory: :mod:`write` does that.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from email.utils import format_datetime
from functools import cached_property
from itertools import chain, islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from . import search_plan, urls
from .cache import BuildCache, data_digest, tree_digest
from .config import SiteConfig
from .detect import PeopleMatcher, matcher_for
from .diskcache import code_version
from .enrich import first_paragraph
from .errors import Diagnostic, SiteError, SourceLocation, display_path
from .index import Page, paginate
from .linking import person_links
from .markdown import render_markdown
from .model import Article, Change, NameHits, Person, Site, Topic
from .page_reuse import PageReuse, Recorded
from .parallel import map_recorded

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
STATUS_ORDER = ("detained", "released", "exiled", "deceased", "unknown", None)
STATUS_LABELS = {"detained": "Detained", "released": "Released", "exiled": "In exile",
                 "deceased": "Deceased", "unknown": "Status unknown", None: "Others"}

Output = tuple[str, bytes]


def human_date(date: dt.date) -> str:
    """'13 December 2025', the same in every locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def rfc822(date: dt.date) -> str:
    return format_datetime(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC))


class ViewEnvironment(jinja2.Environment):
    """Jinja, reading ``a.title`` on our view models (plain dicts) as a key first.

    Jinja tries the attribute first and the key after it, so every ``a.title``
    on a dict raised and caught an ``AttributeError``: a quarter of a million
    of them for 2,000 articles.  A key that shadows a dict method (``items``)
    now means the key, as a template author reading ``feed.items`` expects.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(templates_dir: Path) -> jinja2.Environment:
    if not templates_dir.is_dir():
        raise SiteError(SourceLocation(display_path(templates_dir)), "templates",
                        "templates directory not found", "pass --templates DIR")
    env = ViewEnvironment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # one environment per version of the templates (BuildCache.environment)
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_ld"] = _json_ld
    return env


def _json_ld(value: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: no ``</script>`` breakout."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@dataclass(frozen=True)
class Card:
    """An article as a card in a list (the ``card`` macro's ``a``); equal cards render alike."""

    title: str
    url: str
    date: str
    date_human: str
    summary: str
    reading_minutes: int

    def fields(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    def __hash__(self) -> int:
        # The URL alone (equal cards have equal URLs): the card memo hashes a card for every
        # card on every list page, and the generated hash of all six fields was a tenth of a
        # person page's time.
        return hash(self.url)


@dataclass(frozen=True)
class Ref:
    """A link to a person or topic page (the ``tag`` macro's ``t``): name, URL and what lists show of it."""

    name: str
    url: str
    slug: str
    count: int
    """Articles that mention the person or are on the topic."""
    status: str = ""
    role: str = ""

    def __hash__(self) -> int:
        return hash(self.url)  # equal refs have equal URLs; see Card.__hash__


@dataclass(frozen=True)
class FeedItem:
    """An article as an RSS item (the ``rss_item`` macro's ``item``); equal items render alike."""

    title: str
    link: str
    guid: str
    date: str
    summary: str
    """Escaped for HTML already: RSS readers treat ``<description>`` as HTML."""
    categories: tuple[str, ...]

    def __hash__(self) -> int:
        return hash(self.link)  # equal items have equal links; see Card.__hash__


class MacroMemo:
    """A template macro whose output is kept for each item it was called with.

    Cards and RSS items appear on many pages each, and rendering one
    costs more than a lookup: the macro runs once per item (and arguments).
    Items of another type than ``kind`` (a template may pass its own) are
    rendered every time.
    """

    def __init__(self, macro: Callable[..., str], kind: type) -> None:
        self.macro = macro
        self.kind = kind
        self.done: dict[Any, Markup] = {}

    def one(self, item: Any, *args: Any) -> Markup:
        """``macro(item, *args)``, rendered once."""
        if not isinstance(item, self.kind):
            return Markup(self.macro(item, *args))
        key = (item, *args) if args else item
        found = self.done.get(key)
        if found is None:
            found = self.done[key] = Markup(self.macro(item, *args))
        return found

    def join(self, items: Iterable[Any], *args: Any) -> Markup:
        """The macro for each of ``items``, one after another: one call from a template instead of a loop.

        The same HTML as ``{% for i in items %}{{ macro(i, *args) }}{% endfor %}``;
        a person's page lists 50 cards, and each call from Jinja cost more than the lookup.
        """
        one = self.one
        if args:
            return Markup("".join([one(item, *args) for item in items]))
        return Markup("".join([one(item) for item in items]))


@dataclass(frozen=True)
class Job:
    """Some pages of the site: a name, what they are made from, and how to render them."""

    name: str
    inputs: tuple[Any, ...]
    run: Callable[[], list[Output]]


@dataclass(frozen=True)
class Renderer:
    """Renders every page of one site with one Jinja environment."""

    site: Site
    config: SiteConfig
    env: jinja2.Environment
    cache: BuildCache
    templates_key: str
    """Hash of every template file: a template edit invalidates every page."""
    changes: tuple[Change, ...] = ()
    """The cleaner's changes, for the preview report."""
    warnings: tuple[Diagnostic, ...] = ()

    # -- helpers -----------------------------------------------------------

    @cached_property
    def base_path(self) -> str:
        return urlsplit(self.config.base_url).path.rstrip("/")

    def link(self, url: str) -> str:
        """A root-relative link, valid under a base URL with a path."""
        return self.base_path + url

    def absolute(self, url: str) -> str:
        return self.config.base_url + url

    def _render(self, template: str, url: str, **context: Any) -> Output:
        context = {"site": self.site_view(url), "page_url": self.link(url), **context}
        pages = self.cache.pages if self.cache.next_build else None
        key = data_digest([self.templates_key, template, context]) if pages is not None else ""
        cached = pages.get(key) if pages is not None else None
        if cached is not None:
            return urls.output_path(url), cached
        try:
            cards = self.cards
            text = self.env.get_template(template).render(card=cards.one, cards=cards.join, tags=self.tags.join,
                                                          rss_items=self.rss_items.join, **context)
        except jinja2.TemplateSyntaxError as exc:
            path = display_path(exc.filename) if exc.filename else template
            raise SiteError(SourceLocation(path, exc.lineno), "template", exc.message or "syntax error") from exc
        except SiteError:
            raise
        except Exception as exc:  # anything a template expression raises: 1 / 0, a bad filter
            raise SiteError(SourceLocation(*_template_frame(exc, self.config.templates_dir, template)),
                            "template", str(exc) or type(exc).__name__) from exc
        data = text.encode("utf-8")
        return urls.output_path(url), pages.put(key, data) if pages is not None else data

    @cached_property
    def matcher(self) -> PeopleMatcher:
        """The registry compiled for finding names (see :mod:`linking`)."""
        return matcher_for(tuple(self.site.people.values()))

    @property
    def names_key(self) -> str:
        """Hash of every registered name: which words are a name shapes each article's person links."""
        return self.matcher.fingerprint

    def markdown(self, text: str, links: list[tuple[str, str]] | None = None, hits: NameHits | None = None) -> str:
        """HTML of ``text`` (cached), linking the people in ``links`` (slug, url).

        ``hits`` are the full names detection found in ``text``: the links are
        made from them where that gives the same HTML, so it does not change the key.
        """
        key = data_digest([text, self.config.base_url, self.config.allow_raw_html, links or [],
                           self.names_key if links else ""])
        cached = self.cache.html.get(key)
        if cached is not None:
            return cached
        env = {"person_links": person_links(self.matcher, dict(links or []), text, hits)}
        html = render_markdown(text, self.config.base_url, self.config.allow_raw_html, env=env)
        return self.cache.html.put(key, html)

    def site_view(self, url: str) -> dict[str, Any]:
        c = self.config
        return {
            "title": c.title, "description": c.description, "language": c.language,
            "base_url": c.base_url, "home": self.link("/"), "people": self.link(urls.people_index()),
            "topics": self.link(urls.topics_index()), "feed": self.link(urls.FEED),
            "feed_abs": self.absolute(urls.FEED), "search": self.link(urls.SEARCH),
            "stylesheet": self.link(urls.STYLESHEET), "canonical": self.absolute(url),
            "preview": c.is_preview, "preview_id": c.preview_id or "",
            "noindex": c.is_preview, "report": self.link(urls.REPORT),
            "build_year": self.site.build_date.year,
        }

    @cached_property
    def _cards(self) -> dict[str, Card]:
        return {}

    def card(self, slug: str) -> Card:
        """What a card (in a list of articles) shows of one article; made once per article."""
        found = self._cards.get(slug)
        if found is None:
            a = self.site.articles[slug]
            found = self._cards[slug] = Card(
                title=a.title, url=self.link(urls.article(slug)), date=a.date.isoformat(),
                date_human=human_date(a.date), summary=a.summary, reading_minutes=a.reading_minutes)
        return found

    @cached_property
    def _card_macro(self) -> Callable[..., str]:
        return self._macro("macros.html", "card")

    @cached_property
    def _rss_item_macro(self) -> Callable[..., str]:
        return self._macro("feed_macros.xml", "rss_item")

    def _macro(self, template: str, name: str) -> Callable[..., str]:
        macro: Callable[..., str] = getattr(self.env.get_template(template).module, name)
        return macro

    @cached_property
    def cards(self) -> MacroMemo:
        """``card(a, level)`` and ``cards(items, level)`` in a template: the ``card`` macro of macros.html.

        An article appears as a card on about ten pages (index, people,
        topics, related articles); its card is rendered once per heading
        level, not once per page.
        """
        return MacroMemo(self._card_macro, Card)

    @cached_property
    def rss_items(self) -> MacroMemo:
        """``rss_items(items)`` in a template: the ``rss_item`` macro of feed_macros.xml for each item.

        An article is an item of the site's feed and of the feed of each of
        its people and topics: its item is rendered once, not once per feed.
        """
        return MacroMemo(self._rss_item_macro, FeedItem)

    @cached_property
    def _tag_macro(self) -> Callable[..., str]:
        return self._macro("macros.html", "tag")

    @cached_property
    def tags(self) -> MacroMemo:
        """``tags(refs)`` in a template: the ``tag`` macro of macros.html for each person or topic.

        A person is listed on every article that names them: their link is
        rendered once, not once per article.
        """
        # Looked up at the first call: templates of a site made before the macro existed still render.
        return MacroMemo(lambda *args: self._tag_macro(*args), Ref)

    @cached_property
    def _refs(self) -> dict[str, Ref]:
        return {}

    def person_ref(self, slug: str) -> Ref:
        """What a link to a person shows; made once per person, who is named on many pages."""
        found = self._refs.get(slug)
        if found is None:
            p = self.site.people[slug]
            found = self._refs[slug] = Ref(p.name, self.link(urls.person(slug)), slug,
                                           len(self.site.by_person.get(slug, ())), p.status or "", p.role or "")
        return found

    def topic_ref(self, slug: str) -> Ref:
        """What a link to a topic shows; made once per topic."""
        key = "/topics/" + slug  # one memo for both kinds: no person slug starts with a slash
        found = self._refs.get(key)
        if found is None:
            t = self.site.topics[slug]
            found = self._refs[key] = Ref(t.name, self.link(urls.topic(slug)), slug,
                                          len(self.site.by_topic.get(slug, ())))
        return found

    def pager(self, page: Page, url_of: Any) -> dict[str, Any]:
        return {
            "number": page.number, "count": page.count,
            "prev": self.link(url_of(page.number - 1)) if page.number > 1 else "",
            "next": self.link(url_of(page.number + 1)) if page.number < page.count else "",
        }

    # -- pages -------------------------------------------------------------

    def jobs(self, with_inputs: bool = True) -> list[Job]:
        """Every page of the site as independent units of work, in output order.

        Jobs share nothing but the caches, so :func:`render_site` runs them on
        every core.  Each also names the model objects its pages are made from (its
        ``inputs``): when they equal those of the previous build, the dev
        server reuses the job's output without building a view model at all.
        Only the dev server compares them: ``with_inputs=False`` (a command-line
        build) leaves every job's inputs empty instead of making them for nothing.
        """
        site = self.site
        # Written for speed: the dev server makes every job's inputs on every rebuild
        # (map() rather than a generator per tuple, the cards without a call each).
        cards: dict[str, tuple[Any, ...]] = {}
        people: dict[str, tuple[Any, ...]] = {}
        topics_: dict[str, tuple[Any, ...]] = {}
        if with_inputs:
            cards = {s: (s, a.title, a.date, a.summary, a.reading_minutes) for s, a in site.articles.items()}
            people = {s: self.person_inputs(s) for s in site.people}
            topics_ = {s: self.topic_inputs(s) for s in site.topics}

        def person(slug: str) -> tuple[Any, ...]:
            return people.get(slug) or self.person_inputs(slug)

        def topic(slug: str) -> tuple[Any, ...]:
            return topics_.get(slug) or self.topic_inputs(slug)

        jobs: list[Job] = [Job("index", tuple(cards.values()), lambda: list(self.index_pages()))]
        inputs: tuple[Any, ...] = ()
        related, card, names_key = site.related, cards.__getitem__, self.names_key
        for slug, a in site.articles.items():
            if with_inputs:
                inputs = (a, tuple(map(person, a.people)), tuple(map(topic, a.topics)),
                          tuple(map(card, related.get(slug, ()))), names_key)
            jobs.append(Job(f"article:{slug}", inputs, lambda s=slug: [self.article_page(s)]))  # type: ignore[misc]
        jobs.append(Job("people", tuple(person(p) for p in site.people) if with_inputs else (),
                        lambda: list(self.people_index_pages())))
        for slug, p in site.people.items():
            if with_inputs:
                inputs = (p, tuple(person(q) for q in site.co_mentioned.get(slug, ())),
                          tuple(cards[s] for s in site.by_person.get(slug, ())))
            jobs.append(Job(f"person:{slug}", inputs, lambda p=p: list(self.person_pages(p))))  # type: ignore[misc]
        jobs.append(Job("topics", tuple(topic(t) for t in site.topics) if with_inputs else (),
                        lambda: list(self.topics_index_pages())))
        for slug, t in site.topics.items():
            if with_inputs:
                inputs = (t, tuple(topic(u) for u in site.related_topics.get(slug, ())),
                          tuple(cards[s] for s in site.by_topic.get(slug, ())))
            jobs.append(Job(f"topic:{slug}", inputs, lambda t=t: list(self.topic_page(t))))  # type: ignore[misc]
        topics = tuple(site.topics.values())
        jobs.append(Job("feed", (self.feed_inputs(site.articles, cards), topics) if with_inputs else (), lambda: [
            self.feed(urls.FEED, self.config.title, self.config.description, "/", list(site.articles))]))
        jobs += [Job(f"person-feed:{slug}",
                     (p, self.feed_inputs(site.by_person[slug], cards), topics) if with_inputs else (),
                     lambda s=slug: [self.person_feed(s)])  # type: ignore[misc]
                 for slug, p in site.people.items()]
        jobs += [Job(f"topic-feed:{slug}",
                     (t, self.feed_inputs(site.by_topic[slug], cards), topics) if with_inputs else (),
                     lambda s=slug: [self.topic_feed(s)])  # type: ignore[misc]
                 for slug, t in site.topics.items()]
        dates = (tuple([(s, a.date, a.updated, a.path, a.title) for s, a in site.articles.items()])
                 if with_inputs else ())
        jobs.append(Job("site", (dates, tuple(site.people), tuple(site.topics), self.changes, self.warnings)
                        if with_inputs else (), lambda: [
            self._render("sitemap.xml", urls.SITEMAP, entries=self.sitemap_entries()),
            self._render("robots.txt", urls.ROBOTS, sitemap=self.absolute(urls.SITEMAP)),
            self._render("404.html", urls.NOT_FOUND, title="Page not found"),
            self._render("search.html", urls.SEARCH, title="Search", merged=self.merged_search()),
            *([self.report_page()] if self.config.is_preview else []),
        ]))
        return jobs

    def merged_search(self) -> list[str]:
        """The search index's later shards, which the search page merges into the first (:mod:`search_plan`)."""
        site = self.site
        names = chain(site.articles, site.people, site.topics)  # each one's first page is searchable
        return [self.link(path) for path in search_plan.plan(names).merged]

    # What each kind of reference on a page is made from (see jobs(); an article's card
    # is its slug, title, date, summary and reading time).

    def person_inputs(self, slug: str) -> tuple[Any, ...]:
        p = self.site.people.get(slug)
        return (slug, p, len(self.site.by_person.get(slug, ())))

    def topic_inputs(self, slug: str) -> tuple[Any, ...]:
        t = self.site.topics.get(slug)
        return (slug, t, len(self.site.by_topic.get(slug, ())))

    def feed_inputs(self, slugs: Iterable[str], cards: dict[str, tuple[Any, ...]]) -> tuple[Any, ...]:
        articles = self.site.articles
        return tuple([(cards[s], articles[s].topics) for s in islice(slugs, self.config.feed_items)])

    def report_page(self) -> Output:
        """``/_report/``: per article, every cleaner change and warning (previews only)."""
        by_path: dict[str, dict[str, Any]] = {}
        for a in sorted(self.site.articles.values(), key=lambda a: a.path):
            by_path[a.path] = {"title": a.title, "url": self.link(urls.article(a.slug)), "path": a.path,
                               "changes": [], "warnings": []}
        for change in self.changes:
            entry = by_path.setdefault(change.path, {"title": change.path, "url": "", "path": change.path,
                                                     "changes": [], "warnings": []})
            entry["changes"].append({"line": change.line, "column": change.column, "rule": change.rule,
                                     "before": change.before, "after": change.after,
                                     "warn_only": change.warn_only})
        for diag in self.warnings:
            path = diag.location.path if diag.location else self.config.site_yaml
            entry = by_path.setdefault(path, {"title": path, "url": "", "path": path,
                                              "changes": [], "warnings": []})
            entry["warnings"].append({"line": diag.location.line if diag.location else None,
                                      "message": f"{diag.topic}: {diag.message}", "hint": diag.hint or ""})
        entries = [e for e in by_path.values() if e["changes"] or e["warnings"]]
        return self._render("report.html", urls.REPORT, title="Cleaner report", entries=entries,
                            total_changes=len(self.changes), total_warnings=len(self.warnings))

    def index_pages(self) -> Iterator[Output]:
        slugs = list(self.site.articles)
        for page in paginate(slugs, self.config.per_page):
            yield self._render("index.html", urls.home(page.number),
                               title=self.config.title if page.number == 1 else f"Page {page.number}",
                               articles=[self.card(s) for s in page.items],
                               pager=self.pager(page, urls.home))

    def article_page(self, slug: str) -> Output:
        a = self.site.articles[slug]
        people = [self.person_ref(p) for p in a.people if p in self.site.people]
        html = self.markdown(a.body, [(p.slug, p.url) for p in people], a.name_hits)
        url = urls.article(slug)
        view = {
            **self.card(slug).fields(), "html": html,
            "updated": a.updated.isoformat() if a.updated else "",
            "updated_human": human_date(a.updated) if a.updated else "",
            "people": people,
            "topics": [self.topic_ref(t) for t in a.topics if t in self.site.topics],
            "related": [self.card(s) for s in self.site.related.get(slug, ())],
            "draft": a.draft,
            # The summary is shown as a standfirst unless the text opens with it anyway.
            "show_summary": bool(a.summary) and not first_paragraph(a.body).startswith(a.summary.rstrip("…")),
        }
        return self._render("article.html", url, title=a.title, description=a.summary,
                            article=view, json_ld=self.article_ld(a, url))

    @cached_property
    def _ld_things(self) -> dict[str, dict[str, str]]:
        """URL -> the JSON-LD of the person or topic there, made once for every article it is in."""
        return {}

    def _ld_thing(self, kind: str, name: str, link: str) -> dict[str, str]:
        found = self._ld_things.get(link)
        if found is None:
            found = self._ld_things[link] = {"@type": kind, "name": name, "url": self.absolute(link)}
        return found

    def article_ld(self, a: Article, url: str) -> dict[str, Any]:
        thing = self._ld_thing
        return {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
            "description": a.summary, "datePublished": a.date.isoformat(),
            "dateModified": (a.updated or a.date).isoformat(), "url": self.absolute(url),
            "mainEntityOfPage": self.absolute(url), "inLanguage": self.config.language,
            "publisher": {"@type": "Organization", "name": self.config.title, "url": self.absolute("/")},
            "about": [thing("Thing", self.site.topics[t].name, urls.topic(t))
                      for t in a.topics if t in self.site.topics],
            "mentions": [thing("Person", self.site.people[p].name, urls.person(p))
                         for p in a.people if p in self.site.people],
        }

    def people_index_pages(self) -> Iterator[Output]:
        people = list(self.site.people.values())
        ordered = sorted(people, key=lambda p: (STATUS_ORDER.index(p.status), p.name.casefold(), p.slug))
        for page in paginate([p.slug for p in ordered], self.config.list_page_size):
            groups: list[dict[str, Any]] = []
            for slug in page.items:
                status = self.site.people[slug].status
                if not groups or groups[-1]["status"] != status:
                    groups.append({"status": status, "label": STATUS_LABELS[status], "people": []})
                groups[-1]["people"].append(self.person_ref(slug))
            yield self._render("people.html", urls.people_index(page.number), title="People",
                               groups=groups, pager=self.pager(page, urls.people_index))

    def person_pages(self, p: Person) -> Iterator[Output]:
        slugs = self.site.by_person.get(p.slug, ())
        view = {
            "name": p.name, "aliases": list(p.aliases), "status": p.status or "",
            "status_label": STATUS_LABELS[p.status] if p.status else "",
            "status_date": p.status_date.isoformat() if p.status_date else "",
            "status_date_human": human_date(p.status_date) if p.status_date else "",
            "role": p.role or "", "nationality": p.nationality or "",
            "dates": [{"label": label, "iso": d.isoformat(), "human": human_date(d)}
                      for label, d in (("Detained", p.detained), ("Sentenced", p.sentenced),
                                       ("Released", p.released)) if d],
            "bio": self.markdown(p.body),
            "feed": self.link(urls.person_feed(p.slug)),
            "together": [self.person_ref(s) for s in self.site.co_mentioned.get(p.slug, ())],
            "count": len(slugs),
        }
        ld = {"@context": "https://schema.org", "@type": "Person", "name": p.name,
              "alternateName": list(p.aliases), "url": self.absolute(urls.person(p.slug))}
        if p.role:
            ld["jobTitle"] = p.role
        if p.nationality:
            ld["nationality"] = p.nationality
        for page in paginate(list(slugs), self.config.list_page_size):
            yield self._render(
                "person.html", urls.person(p.slug, page.number), title=p.name,
                description=f"{p.name}: {p.role or 'person'} in our coverage, {len(slugs)} articles.",
                person=view, articles=[self.card(s) for s in page.items], json_ld=ld,
                searchable=page.number == 1,  # one search result per person, not one per page
                pager=self.pager(page, lambda n, s=p.slug: urls.person(s, n)),
            )

    def topics_index_pages(self) -> Iterator[Output]:
        topics = list(self.site.topics.values())
        for page in paginate([t.slug for t in topics], self.config.list_page_size):
            yield self._render("topics.html", urls.topics_index(page.number), title="Topics",
                               topics=[self.topic_ref(s) for s in page.items],
                               pager=self.pager(page, urls.topics_index))

    def topic_page(self, t: Topic) -> Iterator[Output]:
        slugs = self.site.by_topic.get(t.slug, ())
        view = {"name": t.name, "html": self.markdown(t.body),
                "feed": self.link(urls.topic_feed(t.slug)), "count": len(slugs),
                "related": [self.topic_ref(s) for s in self.site.related_topics.get(t.slug, ())]}
        for page in paginate(list(slugs), self.config.list_page_size):
            yield self._render("topic.html", urls.topic(t.slug, page.number), title=t.name,
                               description=_first_line(t.body) or f"Articles on {t.name}.",
                               topic=view, articles=[self.card(s) for s in page.items],
                               searchable=page.number == 1,
                               pager=self.pager(page, lambda n, s=t.slug: urls.topic(s, n)))

    # -- feeds and maps ----------------------------------------------------

    def feed_items(self, slugs: Iterable[str]) -> list[FeedItem]:
        return [self.feed_item(slug) for slug in islice(slugs, self.config.feed_items)]

    @cached_property
    def _feed_items(self) -> dict[str, FeedItem]:
        return {}

    def feed_item(self, slug: str) -> FeedItem:
        """One article as an RSS item; made once per article, as it is in several feeds."""
        found = self._feed_items.get(slug)
        if found is None:
            a = self.site.articles[slug]
            url = self.absolute(urls.article(slug))
            found = self._feed_items[slug] = FeedItem(
                title=a.title, link=url, guid=url, date=rfc822(a.date),
                # RSS readers treat <description> as HTML: escape once for
                # HTML here, once for XML by autoescape, as on our pages.
                summary=html.escape(a.summary, quote=False),
                categories=tuple([self.site.topics[t].name for t in a.topics if t in self.site.topics]))
        return found

    def feed(self, url: str, title: str, description: str, home: str, slugs: Any) -> Output:
        last = self.site.build_date
        return self._render("feed.xml", url, feed={
            "title": title, "description": description, "link": self.absolute(home),
            "self": self.absolute(url), "language": self.config.language,
            "updated": format_datetime(last), "items": self.feed_items(slugs)})

    def person_feed(self, slug: str) -> Output:
        p = self.site.people[slug]
        return self.feed(urls.person_feed(slug), f"{p.name} — {self.config.title}",
                         f"Articles that mention {p.name}.", urls.person(slug), self.site.by_person[slug])

    def topic_feed(self, slug: str) -> Output:
        t = self.site.topics[slug]
        return self.feed(urls.topic_feed(slug), f"{t.name} — {self.config.title}",
                         f"Articles on {t.name}.", urls.topic(slug), self.site.by_topic[slug])

    def sitemap_entries(self) -> list[dict[str, str]]:
        entries = [{"loc": self.absolute("/"), "lastmod": self.site.build_date.date().isoformat()}]
        for slug, a in self.site.articles.items():
            entries.append({"loc": self.absolute(urls.article(slug)), "lastmod": (a.updated or a.date).isoformat()})
        entries.append({"loc": self.absolute(urls.people_index()), "lastmod": ""})
        entries += [{"loc": self.absolute(urls.person(s)), "lastmod": ""} for s in self.site.people]
        entries.append({"loc": self.absolute(urls.topics_index()), "lastmod": ""})
        entries += [{"loc": self.absolute(urls.topic(s)), "lastmod": ""} for s in self.site.topics]
        return entries


def _first_line(markdown: str) -> str:
    for line in markdown.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:200]
    return ""


def _template_frame(exc: BaseException, templates_dir: Path, default: str) -> tuple[str, int | None]:
    """The template file and line where a Jinja runtime error happened."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (display_path(templates_dir / default), None)
    root = str(templates_dir.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root) or filename.endswith((".html", ".xml", ".txt")):
            found = (display_path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_site(
    site: Site,
    config: SiteConfig,
    cache: BuildCache | None = None,
    changes: tuple[Change, ...] = (),
    warnings: tuple[Diagnostic, ...] = (),
    sink: Callable[[list[Output]], object] | None = None,
    reuse: PageReuse | None = None,
    keep: Callable[[Sequence[tuple[str, str]]], bool] | None = None,
) -> list[Output]:
    """Every output file of the site, in a stable order.

    ``sink``, if given, also receives the outputs job by job as soon as each is
    ready (not in the final order), so that they can be written meanwhile.
    When the cache does not keep pages (a command-line build), the sink is
    the only one to get them: none is held, and the list returned is empty.
    With ``reuse`` and ``keep`` as well (a command-line build into an existing
    output), a job whose inputs are those the last build recorded is not
    rendered: ``keep`` is given its pages in the previous output (path, file identity).
    """
    cache = cache or BuildCache()
    templates_key = tree_digest(config.templates_dir)
    env = cache.environment(config.templates_dir, templates_key, make_environment)
    renderer = Renderer(site, config, env, cache, templates_key, changes, warnings)
    if sink is not None and not cache.next_build and reuse is not None and keep is not None:
        cache.jobs_done = _render_or_keep(renderer, reuse, sink, keep)
        return []
    if sink is not None and not cache.next_build:
        jobs = renderer.jobs(with_inputs=False)  # nothing is kept for a next build to compare with
        map_recorded(lambda i: jobs[i].run(), len(jobs), (renderer.cache.html,), then=sink, keep=False)
        cache.jobs_done = (0, len(jobs))
        return []
    # A job whose inputs are those of the last build, under the same templates,
    # config and date, has the same output: reuse it (dev server).
    jobs = renderer.jobs()
    setting = (templates_key, config, site.build_date)
    if cache.jobs_setting != setting:
        cache.jobs.clear()
        cache.jobs_setting = setting
    todo = [job for job in jobs if (known := cache.jobs.get(job.name)) is None or known[0] != job.inputs]
    if sink is not None:
        pending = {job.name for job in todo}
        for job in jobs:
            if job.name not in pending:
                sink(cache.jobs[job.name][1])
    # The other jobs are rendered on every core.
    done = map_recorded(lambda i: todo[i].run(), len(todo), (renderer.cache.html, renderer.cache.pages),
                        then=sink)
    for job, outputs in zip(todo, done, strict=True):
        cache.jobs[job.name] = (job.inputs, outputs)
    cache.jobs_done = (len(jobs) - len(todo), len(todo))
    names = {job.name for job in jobs}
    for name in [n for n in cache.jobs if n not in names]:
        del cache.jobs[name]
    return [output for job in jobs for output in cache.jobs[job.name][1]]


def pages_setting(site: Site, config: SiteConfig) -> str:
    """A hash of what every page depends on besides its render job's inputs: the templates, the
    configuration, the build date and the code that renders (:mod:`page_reuse`).  The folders
    are hashed as absolute paths: a build given them another way writes the same pages."""
    folders = {name: getattr(config, name).resolve() for name in ("content_dir", "out_dir", "templates_dir")}
    return data_digest([code_version(), tree_digest(config.templates_dir), replace(config, **folders),
                        site.build_date])


def _render_or_keep(renderer: Renderer, reuse: PageReuse, sink: Callable[[list[Output]], object],
                    keep: Callable[[Sequence[tuple[str, str]]], bool]) -> tuple[int, int]:
    """Render on every core the jobs whose inputs changed since the build ``reuse`` recorded, and
    keep the pages of the others; record this build's.  Returns (kept, rendered) jobs."""
    jobs = renderer.jobs()
    html = renderer.cache.html
    Done = tuple[int, str, list[Output] | None, tuple[str, ...]]

    def run(i: int, key: str) -> Done:
        """Job ``i`` rendered, with the keys of the Markdown HTML it used (recorded for the disk
        cache to keep them while the job is kept)."""
        outer, html.used = html.used, set()
        try:
            outputs = jobs[i].run()
            used = html.used
        finally:
            html.used = outer | html.used
        return i, key, outputs, tuple(sorted(used))

    def task(i: int) -> Done:
        key = data_digest(jobs[i].inputs)  # hashed in the workers, on every core
        return (i, key, None, ()) if reuse.unchanged(jobs[i].name, key) is not None else run(i, key)

    kept = 0

    def then(result: Done) -> None:
        nonlocal kept
        i, key, outputs, used = result
        name = jobs[i].name
        if outputs is None:
            known = reuse.unchanged(name, key)
            if known is not None and keep(known.pages):
                html.used.update(k for k in known.html if k in html.entries)  # kept on disk for later
                reuse.made[name] = known  # each link checked to be the recorded file
                kept += 1
                return
            i, key, outputs, used = run(i, key)  # its pages could not be linked: rendered here after all
            assert outputs is not None
        sink(outputs)
        reuse.made[name] = Recorded(key, tuple((path, "") for path, _ in outputs), used)

    map_recorded(task, len(jobs), (html,), then=then, keep=False)
    return kept, len(jobs) - kept
