"""The content model: frozen dataclasses passed between the stages.

Objects refer to each other by slug, never by reference (an article lists
person slugs; the site maps a person slug to article slugs), so every stage
can be tested with plain values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

PersonStatus = Literal["detained", "released", "exiled", "deceased", "unknown"]
PERSON_STATUSES: tuple[str, ...] = ("detained", "released", "exiled", "deceased", "unknown")


@dataclass(frozen=True)
class Change:
    """One edit the cleaner made (or, for a warn-only rule, would make)."""

    path: str
    """The file the text came from, as shown to the user."""
    line: int
    """1-based line in that file."""
    column: int
    """1-based column where the edited text starts."""
    rule: str
    """Name of the rule that made the edit, e.g. ``spacing``."""
    before: str
    """The text as it was, with a little context."""
    after: str
    """The text as the rule left it."""
    warn_only: bool = False
    """True when the rule only reports and did not edit the text."""

    def format(self) -> str:
        verb = "consider" if self.warn_only else ""
        arrow = f'"{self.before}" -> "{self.after}"'
        text = f"{self.path}:{self.line}:{self.column}: {self.rule}: "
        return text + (f"{verb} {arrow}" if verb else arrow)


@dataclass(frozen=True)
class SourceDocument:
    """A content file as read from disk: front matter mapping and body text."""

    path: str
    """Path shown in messages (relative to the working directory)."""
    meta: dict[str, Any]
    """Front matter, validated against the schema for its kind."""
    meta_lines: dict[str, int]
    """1-based file line of each front-matter key, for messages."""
    body: str
    """Everything after the closing ``---``."""
    body_line: int
    """1-based file line on which the body starts."""
    has_front_matter: bool = True
    """False for a plain Markdown file with no ``---`` block at all."""


@dataclass(frozen=True)
class Article:
    """A published (or draft) article with every metadata field filled in."""

    slug: str
    """URL segment: ``/articles/<slug>/``; never changes once published."""
    title: str
    """Plain-text headline."""
    date: dt.date
    """Publication date."""
    summary: str
    """One or two sentences for listings, feeds and share cards (plain text)."""
    body: str
    """Cleaned Markdown, without the title."""
    people: tuple[str, ...]
    """Slugs of the people the article mentions, in registry order."""
    topics: tuple[str, ...]
    """Slugs of the topics the article is on."""
    path: str
    """The source file, for messages."""
    updated: dt.date | None = None
    """Date of the last substantive update, if any."""
    draft: bool = False
    """Drafts are built only with ``--drafts`` or in deploy previews."""
    source: str | None = None
    """The raw seed this article was imported from, if any."""
    reading_minutes: int = 1
    """Estimated reading time at 230 words a minute, at least 1."""
    changes: tuple[Change, ...] = ()
    """What the cleaner changed in the body for this build."""
    body_line: int = 1
    """File line where the body starts (for messages from later stages)."""
    mentions: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Person slug -> the first text that matched them in the body."""
    name_hits: NameHits | None = field(default=None, compare=False, hash=False)
    """Where detection found full names in the body, for the person links (None: not recorded)."""


@dataclass(frozen=True)
class NameHits:
    """Every full-name mention detection found in an article's body, for its person links.

    Derived from the body and the registry alone, so an article that equals
    another equals it here too (the field is left out of comparisons).
    """

    registry: str
    """:attr:`detect.PeopleMatcher.fingerprint` of the registry searched: the hits hold for it alone."""
    hits: tuple[tuple[str, int, int], ...]
    """(person slug, start, end) in the body, in order; a start below 0 is in the title."""


@dataclass(frozen=True)
class Person:
    """A person in the registry (``content/people/<slug>.md``)."""

    slug: str
    name: str
    """The spelling the publication uses."""
    aliases: tuple[str, ...]
    """Every other spelling seen in print (transliterations, short forms)."""
    path: str
    body: str = ""
    """Short biography in Markdown."""
    status: str | None = None
    """detained, released, exiled, deceased or unknown; None if not stated."""
    status_date: dt.date | None = None
    """When the status was last confirmed."""
    role: str | None = None
    nationality: str | None = None
    detained: dt.date | None = None
    sentenced: dt.date | None = None
    released: dt.date | None = None
    review: bool = False
    """True for a stub created by ``import`` that an editor must check."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Topic:
    """A topic (``content/topics/<slug>.md``)."""

    slug: str
    name: str
    keywords: tuple[str, ...]
    """Phrases that mark an article as being on this topic."""
    path: str
    body: str = ""
    """Description in Markdown."""


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, gathered before anything is written."""

    articles: dict[str, Article]
    """Published articles by slug, newest first (date, then slug)."""
    people: dict[str, Person]
    """People by slug, sorted by name."""
    topics: dict[str, Topic]
    """Topics by slug, sorted by name."""
    by_person: dict[str, tuple[str, ...]]
    """Person slug -> article slugs, newest first."""
    by_topic: dict[str, tuple[str, ...]]
    """Topic slug -> article slugs, newest first."""
    related: dict[str, tuple[str, ...]]
    """Article slug -> up to three related article slugs."""
    co_mentioned: dict[str, tuple[str, ...]]
    """Person slug -> people most often mentioned in the same articles."""
    related_topics: dict[str, tuple[str, ...]]
    """Topic slug -> topics that most often share articles with it."""
    build_date: dt.datetime
    """The site's reference time: SOURCE_DATE_EPOCH or the newest content date."""
