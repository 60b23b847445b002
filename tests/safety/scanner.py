"""Scan built pages and feeds for anything that could run, load or leak.

A page passes when:

- every ``<script>`` is a JSON-LD data block from our templates, or loads
  ``/pagefind/...`` and ``/assets/search.js`` from our own origin (the search page);
- no element carries an ``on*`` event-handler attribute or a ``style``
  attribute, and there is no ``<iframe>``, ``<object>``, ``<embed>``,
  ``<svg>``, ``<math>``, ``<base>``, ``<meta http-equiv>`` or ``<style>``;
- no URL anywhere uses ``javascript:``, ``vbscript:``, ``data:`` or
  ``file:`` (after the whitespace and control characters browsers ignore);
- nothing is loaded from another origin (``src``, ``srcset``, ``poster``,
  ``data``, ``action``, ``formaction``, stylesheet and icon links), and every
  link to another site carries ``rel="noopener noreferrer"``.

A feed passes when it is well-formed XML and the HTML that a feed reader
would see in each ``<description>`` passes the same page rules and holds no
element at all (our summaries are plain text).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

BAD_SCHEMES = ("javascript", "vbscript", "data", "file")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "style", "frame", "frameset",
                  "applet", "template", "portal"}
LOADING_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "background", "ping"}
URL_ATTRS = LOADING_ATTRS | {"href", "xlink:href", "cite", "longdesc", "manifest"}
NAVIGATION_RELS = {"canonical", "alternate"}
"""``<link>`` relations that name a URL without loading it."""
_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def scheme_of(url: str) -> str:
    """The scheme a browser would see: control characters and whitespace dropped."""
    return urlsplit(_IGNORED.sub("", url).replace("\\", "/")).scheme.lower()


def is_other_origin(url: str, origin: str) -> bool:
    parts = urlsplit(_IGNORED.sub("", url).replace("\\", "/"))
    if not parts.scheme and not parts.netloc:
        return False
    own = urlsplit(origin)
    return (parts.scheme or own.scheme, parts.netloc.lower()) != (own.scheme, own.netloc.lower())


class _PageScanner(HTMLParser):
    def __init__(self, origin: str, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.origin = origin
        self.where = where
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        line, _ = self.getpos()
        self.problems.append(f"{self.where}:{line}: {text}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            self.problem(f"<{tag}> element")
        if tag == "script":
            src = values.get("src", "")
            ok = (values.get("type") == "application/ld+json" and not src) or (
                src.startswith(("/pagefind/", "/assets/search.js")) and not is_other_origin(src, self.origin))
            if not ok:
                self.problem(f"<script {values}>")
        # A Content-Security-Policy can only add restrictions (policies intersect);
        # any other http-equiv (refresh, set-cookie) is a way to act on the reader.
        if tag == "meta" and "http-equiv" in values and values["http-equiv"].lower() != "content-security-policy":
            self.problem(f"<meta http-equiv={values['http-equiv']!r}>")
        for name, value in values.items():
            self._attribute(tag, name, value, values)

    handle_startendtag = handle_starttag

    def _attribute(self, tag: str, name: str, value: str, values: dict[str, str]) -> None:
        if name.startswith("on"):
            self.problem(f"event handler {name}= on <{tag}>")
        if name == "style":
            self.problem(f"style= on <{tag}>")
        if name in URL_ATTRS or name.endswith(":href"):
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            for url in urls:
                if scheme_of(url) in BAD_SCHEMES:
                    self.problem(f"{scheme_of(url)}: URL in <{tag} {name}>")
                loads = name in LOADING_ATTRS or (
                    tag == "link" and not set(values.get("rel", "").split()) <= NAVIGATION_RELS)
                if loads and is_other_origin(url, self.origin):
                    self.problem(f"<{tag} {name}={url!r}> loads from another origin")
                web = scheme_of(url) in ("http", "https", "")
                if tag == "a" and name == "href" and web and is_other_origin(url, self.origin):
                    rel = set(values.get("rel", "").split())
                    if not {"noopener", "noreferrer"} <= rel:
                        self.problem(f"link to {url!r} without rel=noopener noreferrer")


def scan_html(text: str, origin: str, where: str) -> list[str]:
    scanner = _PageScanner(origin, where)
    scanner.feed(text)
    scanner.close()
    return scanner.problems


class _ElementCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")


def scan_feed(data: bytes, origin: str, where: str) -> list[str]:
    problems: list[str] = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"{where}: not well-formed XML: {exc}"]
    for element in root.iter():
        text = element.text or ""
        if element.tag == "description":
            problems += scan_html(text, origin, f"{where} <description>")
            counter = _ElementCounter()
            counter.feed(text)
            if counter.tags:
                problems.append(f"{where}: a feed reader would see markup in <description>: {text[:80]!r}")
        if element.tag in ("link", "guid", "{http://www.w3.org/2005/Atom}link", "loc"):
            url = element.get("href") or text
            if scheme_of(url) not in ("http", "https") or is_other_origin(url, origin):
                problems.append(f"{where}: <{element.tag}> {url!r} is not on {origin}")
    return problems


def scan_site(public: Path, origin: str) -> list[str]:
    """Every problem in every page and feed under ``public``."""
    problems: list[str] = []
    for path in sorted(public.rglob("*")):
        rel = path.relative_to(public).as_posix()
        if path.suffix == ".html":
            problems += scan_html(path.read_text(encoding="utf-8"), origin, rel)
        elif path.suffix == ".xml":
            problems += scan_feed(path.read_bytes(), origin, rel)
    return problems
