r"""The fast path of :func:`site_builder.markdown.render_markdown`: markdown-it-pyrs.

markdown-it-pyrs (the Rust port of markdown-it, CommonMark + GFM tables)
parses; this module renders its syntax tree to exactly the HTML that
markdown-it-py with our plugins and render rules writes (``markdown.parser``):
same escaping, same newlines (tight lists, the quirks of hidden paragraphs),
same heading ids, table wrappers, image and link policies and person links.

Whatever it cannot reproduce byte for byte it refuses with :class:`Fallback`,
and the caller renders that document with markdown-it-py instead:

- raw HTML allowed (``allow_html``), footnotes (``[^`` or ``^[`` anywhere),
  an ``env`` carrying anything but the person links;
- a fence marker in a document that does not end with a newline (a fence
  left open to the end keeps or drops its last line differently);
- a line followed by a possible table delimiter row (``-``, ``:``, ``|``)
  unless both have a ``|`` or the row is only dashes (a setext underline or
  a rule): the two parsers disagree on tables without pipes in either line;
- a quote and an empty list item (a line with only a list marker) or an
  ordered list item not numbered 1: markdown-it-py lets these end a
  paragraph in a quote, markdown-it-pyrs continues the paragraph;
- a table header line that starts with another block's marker, has a
  backslash, or sits in a different quote depth than its delimiter row or
  the paragraph lines before it (markdown-it-py tries tables first, and they split cells
  on escaped pipes differently);
- ``\|`` in a document with a table; ``~~~`` anywhere but at the start of
  a fence line without further tildes (strikethrough runs differ);
- a link definition followed by a line that starts like a title (``"``,
  ``'``, ``(``): markdown-it-py drops the definition when that is no valid
  title, markdown-it-pyrs keeps it;
- an image, and emphasis markers against an entity or an escape (``*&amp;``,
  ``*\*``): markdown-it-pyrs can leave the emphasis of an image description
  unparsed;
- whitespace other than space, tab and newline (no-break, thin spaces): markdown-it-py
  trims it from the ends of blocks, markdown-it-pyrs keeps it;
- emphasis markers against a non-ASCII symbol (``€``, ``©``), which only
  markdown-it-py counts as punctuation;
- three or more emphasis markers in a row, or ``*`` against ``_`` (but for a
  thematic break such as ``***``): markdown-it-pyrs pairs some such runs differently;
- a table row (or any line after a pipe, with no empty line between) followed by an
  empty item or an ordered item not numbered 1;
- a URL with whitespace, written as an entity, at either end;
- a code span over more than one line (markdown-it-pyrs drops spaces at
  the line end inside it);
- a backtick and a ``[`` in the same document: markdown-it-pyrs 0.4.0 panics
  on an unclosed code span inside a link label (``[`x``); a panic or any
  parser error falls back too;
- a link, image or autolink that markdown-it-py would not accept (a scheme
  other than http(s)/mailto: our validator is stricter than markdown-it's),
  or whose URL the two normalise differently (non-ASCII hosts, which
  markdown-it-py writes in punycode, and any URL that markdown-it-py's
  ``normalizeLink`` would still change);
- block containers nested 18 deep or more, or 15 and more ``[`` open at once
  (markdown-it-py's ``maxNesting`` of 20 starts to drop or flatten text there);
- a table big enough to reach markdown-it-py's cap on padded empty cells;
- any node type this renderer does not know.

``tests/test_markdown_fast.py`` checks the two renderers agree on the whole
seed site and on generated Markdown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.common.utils import MD_TRIM_RE, escapeHtml, mdTrim, unescapeAll
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE
from mdit_py_plugins.anchors.index import unique_slug

from .linking import PersonLinks, linked_html


class Fallback(Exception):
    """This document needs markdown-it-py for identical output."""


_PLUGINS: list[Any] = [
    # markdown-it-py's "commonmark" preset without html_block / html_inline (html: False) ...
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
    # ... plus what markdown.parser enables.
    "table", "strikethrough",
]
_MD: Any = None
"""The markdown-it-pyrs parser, or None where it has no wheel (Python 3.13 and later, for 0.4):
then :func:`can_try` says no and markdown-it-py renders every document, with the same HTML."""
try:
    import markdown_it_pyrs
except ImportError:  # pragma: no cover - depends on the Python version
    pass
else:
    _MD = markdown_it_pyrs.MarkdownIt("zero").enable_many(_PLUGINS)

MAX_CONTAINER_DEPTH = 18
"""Containers (quotes, lists, items) this deep fall back: markdown-it-py drops text at 20."""
MAX_BRACKET_DEPTH = 15
"""Open ``[`` this deep fall back: markdown-it-py's link label scan stops at 20."""
MAX_TABLE_CELLS = 0x10000
"""markdown-it-py stops a table after this many padded empty cells; fall back near it."""

_ENV_KEYS = frozenset({"person_links", "origin"})
_BRACKETS = re.compile(r"[\[\]]")
_DELIMITER_ROW = re.compile(r"\n([ \t>]*)([-:|][-:| \t]*)$", re.M)
"""A possible table delimiter row (its quote prefix, the row) and the newline that ends the
line before it, where a table's header would be: see :func:`_table_starts`."""
_TILDE_LINE = re.compile(r"^.*~~~.*$", re.M)
_TILDE_FENCE = re.compile(r"[ \t>]*~{3,}[^~]*")
_PREFIX = re.compile(r"[ \t>]*")
_MARKERS = frozenset("#>-*+0123456789`~=_<")
_ORDERED_NOT_ONE = re.compile(r"^[ \t>]*(?!0*1[.)])[0-9]{1,9}[.)]", re.M)
_DELIMITER_BY_SPECIAL = re.compile(r"[*_][&\\]|(?:;|\\.)[*_]")
"""Emphasis markers against an entity or a backslash escape: in an image description,
markdown-it-pyrs 0.4.0 can leave such emphasis unparsed (``![**&amp;* b*](/a)``)."""
_DEFINITION_THEN_TITLE = re.compile(r"^[ \t>]*\[[^\n]*\]:[^\n]*\n[ \t>]*[\"'(]", re.M)
"""A link definition and a next line that may be its title: markdown-it-py drops the whole
definition when that title is not valid, markdown-it-pyrs keeps it without the title."""
_TAB_IN_QUOTE = re.compile(r"^[ \t>]*>[ \t]*\t", re.M)
"""A tab after a quote marker: the two parsers count the columns it stands for differently
(``> > \t alpha`` is an indented code block ``alpha`` in markdown-it-py, `` alpha`` in
markdown-it-pyrs 0.4.0)."""
_EMPTY_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]*$", re.M)
_ITEM_AFTER_LINE = re.compile(r"\n[ \t>]*(?:(?!0*1[.)])[0-9]{1,9}[.)]|(?:[-*+]|[0-9]{1,9}[.)])[ \t]*$)", re.M)
"""An empty item or an ordered one not numbered 1, and the newline before it.  After a table
row (with a pipe or not), markdown-it-py ends the table there, markdown-it-pyrs reads the line
as one more row."""
_ODD_SPACE = re.compile(r"[^\S \t\n]")
"""Whitespace other than space, tab and newline (no-break and thin spaces, form feeds):
markdown-it-py strips it from the ends of paragraphs, headings and cells, markdown-it-pyrs keeps it."""
_DELIMITER_BY_NON_ASCII = re.compile(r"[*_~]([^\x00-\x7f])|([^\x00-\x7f])[*_~]")
"""Emphasis markers against a non-ASCII character: markdown-it-py counts symbols such as
``€`` and ``©`` as punctuation when it decides whether they open or close, markdown-it-pyrs does not."""
_MIXED_DELIMITERS = re.compile(r"[*_]{3,}|\*_|_\*")
"""Three or more emphasis markers in a row, or ``*`` against ``_``: markdown-it-pyrs 0.4.0
pairs some such runs differently (``__a_b a_b*_ *x*``, ``a**a_b*)***.*``).  Random lines
of markers, letters and punctuation without them (290,000 that can_try let through)
rendered the same in both."""
_THEMATIC_BREAK = re.compile(r"[ \t>]*(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)?([-*_])(?:[ \t]*\1){2,}[ \t]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_HOST_END = re.compile(r"[/?#]")

# Block token kinds, as markdown-it-py's renderer sees them.
_OPEN, _CLOSE, _SINGLE, _HTML = 1, -1, 0, 2
"""_HTML: an inline token or a block rendered by its own rule (fence, code, table wrapper)."""
_Tok = tuple[int, str, str, bool]
"""(kind, tag, attributes or the HTML for _HTML, hidden)."""


def can_try(text: str, env: dict[str, Any] | None) -> bool:
    """Cheap checks on the source: False when the document needs markdown-it-py anyway."""
    if _MD is None:
        return False
    if "[^" in text or "^[" in text:
        return False
    if not text.endswith("\n") and ("```" in text or "~~~" in text):
        return False  # a fence left open at the end: the two differ on the last line
    if "\t" in text and _TAB_IN_QUOTE.search(text):
        return False  # see _TAB_IN_QUOTE
    for head, prefix, delimiter, head_start in _table_starts(text):
        if not head.strip():
            continue
        if "|" in head and "|" in delimiter:
            # markdown-it-py tries a table before any other block: a header line
            # that also starts a quote, heading, list or fence is read differently.
            # So is one continuing a quoted paragraph lazily, or with backslashes before pipes.
            quotes = _quotes(head)
            if quotes != _quotes(prefix) or head.lstrip(" \t>")[:1] in _MARKERS or "\\" in head:
                return False
            if ">" in text and any(_quotes(line) != quotes for line in _paragraph_before(text, head_start)):
                return False
            continue
        if "|" in head or "|" in delimiter or ":" in delimiter:
            return False  # tables without pipes: the two parsers do not agree on them
    if "\\|" in text and _DELIMITER_ROW.search(text):
        return False  # a table with escaped pipes: the two split its cells differently
    if "![" in text and _DELIMITER_BY_SPECIAL.search(text):
        return False  # see _DELIMITER_BY_SPECIAL
    if "]:" in text and _DEFINITION_THEN_TITLE.search(text):
        return False  # a title on the next line that is not one: see _DEFINITION_THEN_TITLE
    if "~~~" in text and any(not _TILDE_FENCE.fullmatch(line) for line in _TILDE_LINE.findall(text)):
        return False  # runs of three or more tildes delimit strikethrough differently
    if ">" in text and (_EMPTY_ITEM.search(text) or _ORDERED_NOT_ONE.search(text)):
        return False  # an empty item or one not numbered 1 ends a quoted paragraph in markdown-it-py only
    if "|" in text and any("|" in _lines_before(text, m.start()) for m in _ITEM_AFTER_LINE.finditer(text)):
        return False  # see _ITEM_AFTER_LINE
    if not text.isascii():
        if _ODD_SPACE.search(text):
            return False  # see _ODD_SPACE
        for m in _DELIMITER_BY_NON_ASCII.finditer(text):
            if unicodedata.category(m.group(1) or m.group(2)).startswith("S"):
                return False  # see _DELIMITER_BY_NON_ASCII
    if "`" in text and "[" in text:
        return False  # markdown-it-pyrs 0.4.0 panics on an unclosed code span in a link label ("[`")
    if ("**" in text or "__" in text or "*_" in text or "_*" in text) and any(
            not _THEMATIC_BREAK.fullmatch(_line_at(text, m.start())) for m in _MIXED_DELIMITERS.finditer(text)):
        return False  # see _MIXED_DELIMITERS (a rule such as "***" is no emphasis)
    if env and not _ENV_KEYS.issuperset(env):
        return False
    if text.count("[") >= MAX_BRACKET_DEPTH:
        depth = 0
        for m in _BRACKETS.finditer(text):
            depth = depth + 1 if m.group() == "[" else max(depth - 1, 0)
            if depth >= MAX_BRACKET_DEPTH:
                return False
    return True


def _table_starts(text: str) -> Iterator[tuple[str, str, str, int]]:
    """(header line, the delimiter row's quote prefix, the row, the header's offset) for every
    line followed by a possible delimiter row, in order.

    The scan looks for the rows, which start after a newline, rather than trying
    every line as a header: nearly every line is prose that no row follows.
    """
    for m in _DELIMITER_ROW.finditer(text):
        head = _line_before(text, m.start())
        yield head, m.group(1), m.group(2), m.start() - len(head)


def _line_before(text: str, newline: int) -> str:
    """The line that the newline at offset ``newline`` ends."""
    return text[text.rfind("\n", 0, newline) + 1:newline]


def _line_at(text: str, offset: int) -> str:
    """The line that holds offset ``offset``."""
    end = text.find("\n", offset)
    return text[text.rfind("\n", 0, offset) + 1:end if end >= 0 else len(text)]


def _lines_before(text: str, newline: int) -> str:
    """The lines since the last empty one up to the newline at offset ``newline``: a table's
    rows, if it is in one (its body goes on over lines without pipes)."""
    return text[text.rfind("\n\n", 0, newline) + 1:newline]


def _quotes(line: str) -> int:
    """How many quote levels the line's prefix opens."""
    return _PREFIX.match(line).group().count(">")  # type: ignore[union-attr]


def _paragraph_before(text: str, start: int) -> list[str]:
    """The non-blank lines right before offset ``start`` (a line start), nearest first."""
    lines: list[str] = []
    end = start - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if not line.strip(" \t>"):
            break
        lines.append(line)
        end = begin - 1
    return lines


@lru_cache(maxsize=4096)
def _external(url: str, origin: str) -> bool:
    from .markdown import is_external
    return is_external(url, origin)


@lru_cache(maxsize=4096)
def _safe(url: str) -> bool:
    from .markdown import is_safe_url
    return is_safe_url(url)


@lru_cache(maxsize=4096)
def _href(url: str) -> str:
    """markdown-it-py's href for a link whose destination markdown-it-pyrs normalised to ``url``."""
    scheme = _SCHEME.match(url)
    if scheme or url.startswith("//"):
        # markdown-it-py writes a non-ASCII host in punycode, markdown-it-pyrs percent-encodes it.
        rest = url[scheme.end():] if scheme else url
        if "%" in _HOST_END.split(rest[2:] if rest.startswith("//") else rest, maxsplit=1)[0]:
            raise Fallback(url)
    if normalizeLink(url) != url or not _safe(url):
        raise Fallback(url)
    if "%" in url and (decoded := unquote(url)) != decoded.strip():
        raise Fallback(url)  # whitespace written as an entity at an end: markdown-it-py trims it
    return url


@lru_cache(maxsize=1024)
def _autolink(raw: str) -> tuple[str, str]:
    """(href, text) of ``<raw>`` as markdown-it-py's autolink rule writes them."""
    if AUTOLINK_RE.search(raw) is not None:
        href = normalizeLink(raw)
    elif EMAIL_RE.search(raw) is not None:
        href = normalizeLink("mailto:" + raw)
    else:
        raise Fallback(raw)
    if not _safe(href):
        raise Fallback(raw)
    return href, normalizeLinkText(raw)


def _heading_slug(text: str) -> str:
    from .markdown import _heading_slug as slug
    return slug(text)


@dataclass
class _Context:
    text: str
    origin: str
    links: PersonLinks | None
    tables: int = 0
    slugs: set[str] = field(default_factory=set)
    _utf8: bytes | None = None

    def source(self, node: Any) -> bytes:
        """The source of ``node`` (markdown-it-pyrs maps nodes to UTF-8 byte offsets)."""
        if self._utf8 is None:
            self._utf8 = self.text.encode("utf-8")
        start, end = node.srcmap
        return self._utf8[start:end]


def render(text: str, origin: str, env: dict[str, Any] | None) -> str:
    """HTML for ``text``, identical to markdown-it-py's; raises :class:`Fallback`."""
    links = (env or {}).get("person_links")
    if not isinstance(links, PersonLinks) or not links.urls:
        links = None
    ctx = _Context(text, origin, links)
    state = links.state() if links else None
    try:
        toks: list[_Tok] = []
        _blocks(_tree(text).children, toks, ctx, 0)
        return _emit(toks)
    except Fallback:
        if links is not None and state is not None:  # undo the person links made before giving up
            links.restore(state)
        raise


def _tree(text: str) -> Any:
    try:
        return _MD.tree(text)
    except Exception as exc:
        raise Fallback("parser error") from exc
    except BaseException as exc:  # a Rust panic is a pyo3 PanicException, a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise Fallback("parser panic") from exc


def _emit(toks: list[_Tok]) -> str:
    """markdown-it-py's ``RendererHTML.render`` / ``renderToken`` over the block tokens."""
    out: list[str] = []
    last = len(toks) - 1
    for i, (kind, tag, attrs, hidden) in enumerate(toks):
        if kind == _HTML:
            out.append(attrs)
            continue
        if hidden:
            continue
        if kind != _CLOSE and i and toks[i - 1][3]:
            out.append("\n")
        if kind == _CLOSE:
            out.append(f"</{tag}>\n")
        elif kind == _SINGLE:
            out.append(f"<{tag}{attrs} />\n")
        else:
            lf = True
            if i < last:
                nkind, ntag, _, nhidden = toks[i + 1]
                if nhidden or (nkind == _HTML and ntag == "inline") or (nkind == _CLOSE and ntag == tag):
                    lf = False
            out.append(f"<{tag}{attrs}>\n" if lf else f"<{tag}{attrs}>")
    return "".join(out)


_INLINE_NAMES = frozenset({
    "text", "text_special", "em", "strong", "strikethrough", "link", "image", "autolink",
    "code_inline", "softbreak", "hardbreak",
})


def _blocks(nodes: Sequence[Any], toks: list[_Tok], ctx: _Context, depth: int) -> None:
    i, n = 0, len(nodes)
    while i < n:
        node = nodes[i]
        name = node.name
        if name == "paragraph":
            toks.append((_OPEN, "p", "", False))
            toks.append((_HTML, "inline", _inline_html(node.children, ctx, True), False))
            toks.append((_CLOSE, "p", "", False))
        elif name in _INLINE_NAMES:
            # A tight list item's paragraph: markdown-pyrs drops it, markdown-it-py hides it.
            j = i + 1
            while j < n and nodes[j].name in _INLINE_NAMES:
                j += 1
            toks.append((_OPEN, "p", "", True))
            toks.append((_HTML, "inline", _inline_html(nodes[i:j], ctx, True), False))
            toks.append((_CLOSE, "p", "", True))
            i = j
            continue
        elif name == "heading" or name == "lheading":
            level = node.meta["level"]
            children = node.children
            attrs = ""
            if 2 <= level <= 4:
                slug = unique_slug(_heading_slug(_title(children)), ctx.slugs)
                attrs = f' id="{escapeHtml(slug)}"'
            tag = f"h{level}"
            toks.append((_OPEN, tag, attrs, False))
            toks.append((_HTML, "inline", _inline_html(children, ctx, False), False))
            toks.append((_CLOSE, tag, "", False))
        elif name == "bullet_list" or name == "ordered_list" or name == "blockquote" or name == "list_item":
            if depth + 1 >= MAX_CONTAINER_DEPTH:
                raise Fallback("nesting")
            if name == "bullet_list":
                tag, attrs = "ul", ""
            elif name == "ordered_list":
                start = node.meta["start"]
                tag, attrs = "ol", ("" if start == 1 else f' start="{start}"')
            elif name == "blockquote":
                tag, attrs = "blockquote", ""
            else:
                tag, attrs = "li", ""
            toks.append((_OPEN, tag, attrs, False))
            _blocks(node.children, toks, ctx, depth + 1)
            toks.append((_CLOSE, tag, "", False))
        elif name == "fence":
            toks.append((_HTML, "fence", _fence(node.meta), False))
        elif name == "code_block":
            toks.append((_HTML, "code", f"<pre><code>{escapeHtml(node.meta['content'])}</code></pre>\n", False))
        elif name == "hr":
            toks.append((_SINGLE, "hr", "", False))
        elif name == "table":
            _table(node, toks, ctx)
        elif name == "definition":
            _href(node.meta["destination"])  # markdown-it-py keeps as text a definition it would not link
        else:
            raise Fallback(name)
        i += 1


def _fence(meta: dict[str, Any]) -> str:
    info = meta.get("info") or ""
    info = mdTrim(unescapeAll(info)) if info else ""
    code = escapeHtml(meta["content"])
    if not info:
        return f"<pre><code>{code}</code></pre>\n"
    lang = MD_TRIM_RE.split(info, maxsplit=1)[0]
    return f'<pre><code class="{escapeHtml("language-" + lang)}">{code}</code></pre>\n'


def _table(node: Any, toks: list[_Tok], ctx: _Context) -> None:
    aligns = node.meta.get("alignments") or []
    sections = node.children
    rows = sum(len(s.children) for s in sections)
    if rows * max(len(aligns), 1) >= MAX_TABLE_CELLS:
        raise Fallback("table size")
    ctx.tables += 1
    headers: list[str] = []
    body: list[_Tok] = []
    for section in sections:
        sname = section.name
        if sname not in ("thead", "tbody"):
            raise Fallback(sname)
        cell_tag = "th" if sname == "thead" else "td"
        body.append((_OPEN, sname, "", False))
        for row in section.children:
            if row.name != "trow":
                raise Fallback(row.name)
            body.append((_OPEN, "tr", "", False))
            for col, cell in enumerate(row.children):
                if cell.name != "tcell":
                    raise Fallback(cell.name)
                align = aligns[col] if col < len(aligns) else None
                attrs = f' style="text-align:{align}"' if align in ("left", "right", "center") else ""
                if align not in ("left", "right", "center", "none", None):
                    raise Fallback(str(align))
                children = cell.children
                if sname == "thead":
                    headers.append(_as_text(children))
                body.append((_OPEN, cell_tag, attrs, False))
                body.append((_HTML, "inline", _inline_html(children, ctx, True), False))
                body.append((_CLOSE, cell_tag, "", False))
            body.append((_CLOSE, "tr", "", False))
        body.append((_CLOSE, sname, "", False))
    label = f"Table {ctx.tables}" + (": " + ", ".join(h for h in headers if h) if any(headers) else "")
    toks.append((_HTML, "table", f'<div class="table-wrap" role="region" aria-label="{escapeHtml(label)}" '
                                 'tabindex="0">\n<table>\n', False))
    toks.extend(body)
    toks.append((_HTML, "table", "</table>\n</div>\n", False))


def _title(nodes: Sequence[Any]) -> str:
    """The anchors plugin's heading title: text and code, not image descriptions nor breaks."""
    out: list[str] = []
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            out.append(node.meta["content"])
        elif name == "code_inline":
            out.append(_content(node))
        elif name == "autolink":
            out.append(_autolink(_content(node))[1])
        elif name in ("em", "strong", "strikethrough", "link"):
            out.append(_title(node.children))
    return "".join(out)


def _as_text(nodes: Sequence[Any], images: int = 0) -> str:
    """markdown-it-py's ``renderInlineAsText`` (image descriptions, table header labels).

    ``images``: how many image descriptions deep. markdown-it-py joins escapes and
    entities (``text_special``) into text one image deep only, and leaves them out deeper.
    """
    out: list[str] = []
    for node in nodes:
        name = node.name
        if name == "text" or (name == "text_special" and images <= 1):
            out.append(node.meta["content"])
        elif name == "code_inline":
            out.append(_content(node))
        elif name == "softbreak" or name == "hardbreak":
            out.append("\n")
        elif name == "autolink":
            out.append(_autolink(_content(node))[1])
        elif name == "image":
            out.append(_as_text(node.children, images + 1))
        elif name != "text_special":
            out.append(_as_text(node.children, images))
    return "".join(out)


def _content(node: Any) -> str:
    """The text of a code span or an autolink: its children's contents, joined."""
    return "".join(child.meta["content"] for child in node.children)


def _inline_html(nodes: Sequence[Any], ctx: _Context, person_links: bool) -> str:
    out: list[str] = []
    _inline(nodes, out, ctx, ctx.links if person_links else None)
    return "".join(out)


def _inline(nodes: Sequence[Any], out: list[str], ctx: _Context, links: PersonLinks | None) -> None:
    """Inline nodes as HTML; ``links`` is None inside links and headings (no person links there)."""
    run: list[str] = []
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            run.append(node.meta["content"])
            continue
        if run:
            _text(run, out, ctx, links)
            run = []
        if name == "softbreak":
            out.append("\n")
        elif name == "hardbreak":
            out.append("<br />\n")
        elif name == "em" or name == "strong" or name == "strikethrough":
            tag = "em" if name == "em" else "strong" if name == "strong" else "s"
            out.append(f"<{tag}>")
            _inline(node.children, out, ctx, links)
            out.append(f"</{tag}>")
        elif name == "code_inline":
            if b"\n" in ctx.source(node):
                raise Fallback("code span over lines")  # markdown-it-pyrs drops the spaces before the break
            out.append(f"<code>{escapeHtml(_content(node))}</code>")
        elif name == "link":
            meta = node.meta
            href = _href(meta["url"])
            title = meta.get("title")
            attrs = f' href="{escapeHtml(href)}"'
            if title:
                attrs += f' title="{escapeHtml(title)}"'
            if _external(href, ctx.origin):
                attrs += ' rel="noopener noreferrer"'
            out.append(f"<a{attrs}>")
            _inline(node.children, out, ctx, None)
            out.append("</a>")
        elif name == "autolink":
            href, label = _autolink(_content(node))
            rel = ' rel="noopener noreferrer"' if _external(href, ctx.origin) else ""
            out.append(f'<a href="{escapeHtml(href)}"{rel}>{escapeHtml(label)}</a>')
        elif name == "image":
            out.append(_image(node, ctx))
        else:
            raise Fallback(name)
    if run:
        _text(run, out, ctx, links)


def _image(node: Any, ctx: _Context) -> str:
    meta = node.meta
    src = _href(meta["url"])
    for inner in node.walk(include_self=False):
        # The description is only text, but markdown-it-py parsed it with the same rules.
        name = inner.name
        if name == "link" or name == "image":
            _href(inner.meta["url"])
        elif name == "code_inline" and b"\n" in ctx.source(inner):
            raise Fallback("code span over lines")
    alt = _as_text(node.children, 1)
    if _external(src, ctx.origin) or not src:
        label = escapeHtml(alt or "image")
        return f'<a href="{escapeHtml(src)}" rel="nofollow noopener noreferrer">{label}</a>' if src else label
    title = meta.get("title")
    title_attr = f' title="{escapeHtml(title)}"' if title else ""
    return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} loading="lazy">'


def _text(run: list[str], out: list[str], ctx: _Context, links: PersonLinks | None) -> None:
    """One run of text (markdown-it-py joins it into one token), the first mention of each person linked."""
    rest = run[0] if len(run) == 1 else "".join(run)
    if links is not None and len(links.done) < len(links.urls):
        html = linked_html(links, rest)
        if html is not None:
            out.append(html)
            return
    if rest:
        out.append(escapeHtml(rest))
