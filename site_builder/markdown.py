"""The one Markdown renderer: markdown-it-py with GFM tables, made safe.

- Raw HTML is escaped, not passed through (``html: False``); a site that
  sets ``allow_raw_html`` gets it through nh3 with a strict allow-list.
- Links are allowed only to http(s), mailto and relative URLs; anything else
  (``javascript:``, ``vbscript:``, ``data:``, ``file:``) is rendered as text.
- Images from another origin are not loaded (no tracking pixels, no third-party
  requests): they become a link to the image instead.
- Headings get stable ``id`` attributes so that fragments resolve.
- Tables are wrapped in a scrollable, focusable region for narrow screens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from slugify import slugify

from . import markdown_fast
from .errors import SiteError, SourceLocation
from .linking import LINKED_TEXT, person_links_plugin

_SAFE_SCHEMES = ("http", "https", "mailto")

ALLOWED_TAGS = {
    "a", "abbr", "b", "div", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"}, "div": {"role", "tabindex", "aria-label"}, "*": {"id", "lang"},
}
ALLOWED_CLASSES = {
    "div": {"table-wrap"}, "section": {"footnotes"}, "hr": {"footnotes-sep"}, "ol": {"footnotes-list"},
    "li": {"footnote-item"}, "sup": {"footnote-ref"}, "a": {"footnote-backref"},
}
"""Only the classes our own renderer emits (tables, footnotes) survive nh3."""


def is_safe_url(url: str) -> bool:
    """http(s), mailto, or relative (path, query or fragment) only."""
    scheme = urlsplit("".join(url.split()).lower()).scheme
    return scheme in _SAFE_SCHEMES if scheme else True


def is_external(url: str, origin: str) -> bool:
    """True when ``url`` points at another site than ``origin`` (the base URL).

    Compares scheme and host, not string prefixes, so that
    ``https://example.org.evil.test`` and ``//evil.test`` are both external,
    and a browser's reading of backslashes as slashes is taken into account.
    """
    parts = urlsplit(url.strip().replace("\\", "/"))
    if not parts.scheme and not parts.netloc:
        return False
    own = urlsplit(origin)
    return not own.netloc or (parts.scheme or own.scheme, parts.netloc.lower()) != (own.scheme, own.netloc.lower())


def _raw_attribute_filter(origin: str) -> Any:
    """nh3 filter for raw HTML: no image, audio or video from another site."""

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute in ("src", "srcset") and is_external(value, origin):
            return None
        return value

    return keep


def _validate_link(url: str) -> bool:
    # markdown-it calls this on normalised (entity-decoded) link and image targets.
    return is_safe_url(url)


def _heading_slug(text: str) -> str:
    return slugify(text, max_length=80, word_boundary=True) or "section"


def _table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # Each scrollable table is a landmark, and landmarks need distinct names:
    # number them and name their columns ("Table 2: Name, Role, Detention").
    number = env["tables"] = env.get("tables", 0) + 1
    headers = []
    for token in tokens[idx + 1:]:
        if token.type == "thead_close" or token.type == "tbody_open":
            break
        if token.type == "inline":
            headers.append(self.renderInlineAsText(_unlinked(token.children or []), options, env))
    label = f"Table {number}" + (": " + ", ".join(h for h in headers if h) if any(headers) else "")
    return f'<div class="table-wrap" role="region" aria-label="{escapeHtml(label)}" tabindex="0">\n<table>\n'


def _unlinked(tokens: Sequence[Token]) -> list[Token]:
    """``tokens`` with each person link (see :mod:`linking`) as the plain text it links."""
    return [Token("text", "", 0, content=token.meta[LINKED_TEXT]) if LINKED_TEXT in token.meta else token
            for token in tokens]


def _table_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return "</table>\n</div>\n"


def _image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    origin = env.get("origin", "") if isinstance(env, dict) else ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if is_external(src, origin) or not src:
        # Loading it would tell another site who reads us: link to it instead.
        label = escapeHtml(alt or "image")
        return f'<a href="{escapeHtml(src)}" rel="nofollow noopener noreferrer">{label}</a>' if src else label
    title = token.attrs.get("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} loading="lazy">'


_OWN_PATH = re.compile(r"/(?![/\\])[^\t\r\n\\]*\Z")
"""A root-relative path such as every person link: ours without parsing it (no second slash or
backslash after the first, and no tab or newline that a URL parser would drop to make one)."""


def _link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    href = str(token.attrs.get("href", ""))
    origin = env.get("origin", "") if isinstance(env, dict) else ""
    if not _OWN_PATH.match(href) and is_external(href, origin):
        token.attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=4)
def parser(allow_html: bool = False) -> MarkdownIt:
    """The configured markdown-it-py instance (one per HTML policy)."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False, "linkify": False,
                                   "maxNesting": MAX_NESTING})
    md.enable(["table", "strikethrough"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=_heading_slug)
    md.use(footnote_plugin)
    md.use(person_links_plugin)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("image", _image)
    md.add_render_rule("link_open", _link_open)
    return md


MAX_NESTING = 20
"""markdown-it's recursion limit; deeper text would be silently dropped."""
MIN_DEEP_PREFIX = 8
"""A line needs at least this many marker and indent characters in front of it
to sit near the limit (a list level costs two nesting levels and two columns)."""
_DEEP_RUN = rf"[ \t>*+\-0-9.)]{{{MIN_DEEP_PREFIX}}}"
_DEEP_PREFIX = re.compile(_DEEP_RUN)
_DEEP_LINE = re.compile("\n" + _DEEP_RUN)


def _may_nest_deeply(text: str) -> bool:
    """Whether some line starts with ``MIN_DEEP_PREFIX`` marker and indent characters.

    The first line is matched, the others searched from the newline before
    them: a ``^`` under ``re.M`` would try the pattern at every offset of the
    text (22 against 2 µs an article).
    """
    return bool(_DEEP_PREFIX.match(text) or _DEEP_LINE.search(text))


def check_nesting(text: str, path: str, first_line: int = 1) -> None:
    """Refuse Markdown nested so deeply that markdown-it would drop part of it.

    markdown-it stops descending at ``maxNesting`` and quietly loses what is
    below; an editor should hear about it instead, with the line.
    """
    # Only block containers (quotes, lists) lose text past the limit, and 19
    # levels of them need a long run of markers and indentation in front of
    # some line: without one, skip the full parse (it was half of loading).
    if not _may_nest_deeply(text):
        return
    line = 0
    for token in parser(False).parse(text, {}):
        line = token.map[0] if token.map else line
        deepest = max([token.level, *(child.level for child in token.children or ())])
        if deepest >= MAX_NESTING - 1:
            raise SiteError(SourceLocation(path, first_line + line), "markdown",
                            "lists or quotes nested too deeply; part of the text would be lost",
                            "flatten the lists or quotes")


def render_markdown(text: str, origin: str = "", allow_html: bool = False, env: dict[str, Any] | None = None) -> str:
    """HTML for Markdown ``text``; ``origin`` is the site's base URL.

    markdown-it-pyrs parses and :mod:`.markdown_fast` renders when it can give
    exactly markdown-it-py's HTML; otherwise (raw HTML allowed, footnotes,
    deep nesting, unsafe or differently normalised URLs: see that module)
    markdown-it-py renders.
    """
    if not allow_html and markdown_fast.can_try(text, env):
        try:
            return markdown_fast.render(text, origin, env)
        except markdown_fast.Fallback:
            pass
    return render_reference(text, origin, allow_html, env)


def render_reference(text: str, origin: str = "", allow_html: bool = False, env: dict[str, Any] | None = None) -> str:
    """:func:`render_markdown` by markdown-it-py alone: the reference the fast path must equal."""
    env = dict(env or {})
    env["origin"] = origin
    html: str = parser(allow_html).render(text, env)
    if allow_html:
        html = str(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                         url_schemes=set(_SAFE_SCHEMES), link_rel="noopener noreferrer",
                         allowed_classes=ALLOWED_CLASSES, attribute_filter=_raw_attribute_filter(origin)))
    return html
