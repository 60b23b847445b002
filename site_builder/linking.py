"""Link the first mention of each person in an article body to their page.

A markdown-it core rule: it walks the inline text tokens (never inside an
existing link, a heading or code) and turns the first mention of each person
(name, alias or probable alias; never a bare surname) into a link.  The
matcher and the URLs come through the render ``env`` so the one parser
instance serves every article.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import itemgetter

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .detect import PeopleMatcher
from .model import NameHits

LINKED_TEXT = "person_links_text"
"""The ``meta`` key under which a token of linked text keeps the text alone: what
labels made from the text (a table's name) read, as they read the text of a link."""


_HEAD = 24
"""How much of a text :meth:`PersonLinks.known_hits` looks for before comparing the rest."""

Span = tuple[str, int, int]
"""A person's slug, and where their name starts and ends in a text."""

_SPECIAL = re.compile(r'[&<>"]')
"""What :func:`markdown_it.common.utils.escapeHtml` replaces."""

_JOINS = re.compile(r"[\w-]")
"""A character that can continue a word (:data:`detect.CAPITAL_WORD` has letters and hyphens)."""


@dataclass
class PersonLinks:
    """The registry, compiled, and the URL of the page of each person to link in one article.

    With the ``source`` that is being rendered and the full-name ``hits``
    that detection found in it, a text of the parsed document that is a
    piece of the source takes its hits from those instead of being read
    again (see :meth:`known_hits`).
    """

    matcher: PeopleMatcher
    urls: dict[str, str]
    done: set[str] = field(default_factory=set)
    source: str = ""
    hits: tuple[Span, ...] | None = None
    """``matcher.full_names(source)`` as (slug, start, end), or None when not known."""
    cursor: int = 0
    """Where in ``source`` to look for the next text: texts come in document order."""

    def pending(self, text: str) -> list[Span]:
        """(slug, start, end) of the names in ``text`` to link, in order: the first mention
        of each person not linked yet."""
        found = self.known_hits(text) if self.hits is not None else None
        if found is None:
            found = [(hit.slug, hit.start, hit.end) for hit in self.matcher.full_names(text)]
        out = []
        for span in found:
            if span[0] in self.urls and span[0] not in self.done:
                self.done.add(span[0])
                out.append(span)
        return out

    def known_hits(self, text: str) -> list[Span] | None:
        """(slug, start, end) of ``matcher.full_names(text)``, read off :attr:`hits`; None when that
        cannot be done exactly.

        It can where ``text`` is the source from some offset on (the parser's
        texts mostly are; an entity, an escape or trimmed space makes one
        differ), no word of the source runs across either end of that piece,
        and no hit does.  Then the piece holds the same capitalised words as
        ``text``, the scan enters it in the same state, and it finds the same
        names in it: a name that would run on past the end is a hit across
        the end.
        """
        if not text:
            return []
        source, hits = self.source, self.hits
        assert hits is not None
        # The text is found by its start, then compared whole: a find of the whole text set up
        # a search for a needle of a paragraph's length, for each text of each article.
        head = text[:_HEAD]
        at = source.find(head, self.cursor)
        while at >= 0 and not source.startswith(text, at):
            at = source.find(head, at + 1)
        if at < 0:
            return None
        end = at + len(text)
        if at and _JOINS.match(source, at - 1) and _JOINS.match(text):
            return None
        if end < len(source) and _JOINS.match(source, end) and _JOINS.match(text, len(text) - 1):
            return None
        i = bisect_left(hits, at, key=itemgetter(1))
        if i and hits[i - 1][2] > at:
            return None
        out = []
        for slug, start, stop in hits[i:]:
            if start >= end:
                break
            if stop > end:
                return None
            out.append((slug, start - at, stop - at))
        self.cursor = end
        return out

    def state(self) -> tuple[set[str], int]:
        """What :meth:`restore` needs to undo the links made from here on."""
        return set(self.done), self.cursor

    def restore(self, state: tuple[set[str], int]) -> None:
        self.done.clear()
        self.done.update(state[0])
        self.cursor = state[1]


def person_links(matcher: PeopleMatcher, url_of: dict[str, str], source: str = "",
                 hits: NameHits | None = None) -> PersonLinks:
    """What the ``person_links`` rule needs: the whole registry's matcher, and who to link where.

    The matcher knows every registered name, not only the linked people's, so
    that text is read as detection read it: in "Maria Kalesnikava Jr", when
    someone of that name is registered, no other Maria Kalesnikava is linked.
    ``hits`` are detection's full names in ``source``, the text to be
    rendered; they are used only if found with this matcher's registry.
    """
    known = hits.hits if hits is not None and hits.registry == matcher.fingerprint else None
    return PersonLinks(matcher, dict(url_of), source=source, hits=known)


def linked_html(links: PersonLinks, content: str) -> str | None:
    """``content`` as HTML with the first mention of each pending person linked, or None.

    The HTML is exactly what markdown-it's text and link tokens would render
    to (the escaped text, ``<a href="…" class="person-link">``).  None when
    nobody is to be linked in the text.
    """
    hits = links.pending(content)
    if not hits:
        return None
    # Most texts hold nothing to escape: then their pieces are not escaped one by one.
    escape = escapeHtml if _SPECIAL.search(content) else str
    parts: list[str] = []
    at = 0
    for slug, start, end in hits:
        parts.append(escape(content[at: start]))
        parts.append(f'<a href="{escapeHtml(links.urls[slug])}" class="person-link">'
                     f"{escape(content[start: end])}</a>")
        at = end
    parts.append(escape(content[at:]))
    return "".join(parts)


def _link_text(links: PersonLinks, content: str) -> Token | None:
    """``content`` with its person links as one ``html_inline`` token, or None.

    One token instead of five per link, made and rendered in a fraction of
    the time.  None when nobody is to be linked in the text: the token stays
    as it is.
    """
    html = linked_html(links, content)
    if html is None:
        return None
    token = Token("html_inline", "", 0)
    token.content = html
    token.meta[LINKED_TEXT] = content
    return token


def _rule(state: StateCore) -> None:
    links = state.env.get("person_links")
    if not isinstance(links, PersonLinks) or not links.urls:
        return
    in_heading = False
    for block in state.tokens:
        if block.type == "heading_open":
            in_heading = True
        elif block.type == "heading_close":
            in_heading = False
        if block.type != "inline" or in_heading or not block.children:
            continue
        if len(links.done) == len(links.urls):
            return
        children: list[Token] = []
        depth = 0
        for child in block.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            linked = _link_text(links, child.content) if child.type == "text" and depth == 0 else None
            children.append(child if linked is None else linked)
        block.children = children


def person_links_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("person_links", _rule)
