"""Link the first mention of each person in an article body to their page.

A markdown-it core rule: it walks the inline text tokens (never inside an
existing link, a heading or code) and turns the first match of each person's
names into a link.  The people and their URLs come through the render
``env`` so the one parser instance serves every article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .detect import _words_pattern
from .model import Person

PersonLink = tuple[re.Pattern[str], str]


def person_links(people: Sequence[Person], url_of: dict[str, str]) -> list[PersonLink]:
    """(pattern, url) for each person, longest names first within a person."""
    out = []
    for person in people:
        pattern = _words_pattern(person.names)
        if pattern is not None and person.slug in url_of:
            out.append((pattern, url_of[person.slug]))
    return out


def _link_tokens(state: StateCore, text: str, match: re.Match[str], url: str) -> list[Token]:
    before, found, after = text[: match.start()], match.group(), text[match.end():]
    tokens = []
    if before:
        tokens.append(_text(state, before))
    link = Token("link_open", "a", 1)
    link.attrs = {"href": url, "class": "person-link"}
    tokens.extend([link, _text(state, found), Token("link_close", "a", -1)])
    if after:
        tokens.append(_text(state, after))
    return tokens


def _text(state: StateCore, content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _rule(state: StateCore) -> None:
    pending: list[PersonLink] = list(state.env.get("person_links", []))
    in_heading = False
    for block in state.tokens:
        if block.type == "heading_open":
            in_heading = True
        elif block.type == "heading_close":
            in_heading = False
        if block.type != "inline" or in_heading or not block.children or not pending:
            continue
        children: list[Token] = []
        depth = 0
        for child in block.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            if child.type != "text" or depth > 0:
                children.append(child)
                continue
            pieces = [child]
            for link in list(pending):
                pattern, url = link
                for index, piece in enumerate(pieces):
                    if piece.type != "text":
                        continue
                    match = pattern.search(piece.content)
                    if match:
                        pieces[index: index + 1] = _link_tokens(state, piece.content, match, url)
                        pending.remove(link)
                        break
            children.extend(pieces)
        block.children = children


def person_links_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("person_links", _rule)
