"""Every URL and output-path rule of the site, in one place.

Pages are directories with an ``index.html`` so URLs end in ``/``.  Site
URLs are paths (``/articles/x/``); :meth:`SiteConfig.absolute` makes them
absolute from the one base URL.  :func:`output_path` is the only way from a
URL to a file, and it refuses anything that could leave the output directory.
"""

from __future__ import annotations

from .schema import SLUG_RE


def home(page: int = 1) -> str:
    return "/" if page == 1 else f"/page/{page}/"


def article(slug: str) -> str:
    return f"/articles/{_slug(slug)}/"


def people_index(page: int = 1) -> str:
    return "/people/" if page == 1 else f"/people/page/{page}/"


def person(slug: str, page: int = 1) -> str:
    base = f"/people/{_slug(slug)}/"
    return base if page == 1 else f"{base}page/{page}/"


def person_feed(slug: str) -> str:
    return f"/people/{_slug(slug)}/feed.xml"


def topics_index(page: int = 1) -> str:
    return "/topics/" if page == 1 else f"/topics/page/{page}/"


def topic(slug: str, page: int = 1) -> str:
    base = f"/topics/{_slug(slug)}/"
    return base if page == 1 else f"{base}page/{page}/"


def topic_feed(slug: str) -> str:
    return f"/topics/{_slug(slug)}/feed.xml"


FEED = "/feed.xml"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
NOT_FOUND = "/404.html"
SEARCH = "/search/"
REPORT = "/_report/"
STYLESHEET = "/assets/style.css"

SEARCHABLE_SECTIONS = ("articles", "people", "topics")
"""The sections whose pages can be searched: each such page is ``SECTION/NAME/index.html``."""



def searchable(last: str = "") -> str:
    """A Pagefind glob of the searchable pages: all of them, or those whose folder name ends in
    a character of the glob class ``last`` (``ab1``, or ``!ab1`` for any other)."""
    name = f"*[{last}]" if last else "*"
    return f"{{{','.join(SEARCHABLE_SECTIONS)}}}/{name}/index.html"


SEARCHABLE = searchable()
"""The output files that can enter the search index (a Pagefind glob): every article page and the
first page of each person and topic.  The templates mark what is indexed in them; this spares
the indexer from reading the thousands of list pages (home, indexes, later pages) that it
would only skip."""

RESERVED_TOP = frozenset({"_headers", "_redirects", "netlify.toml"})
"""Files Netlify interprets: no content may produce them."""


def _slug(slug: str) -> str:
    if not SLUG_RE.match(slug):
        raise ValueError(f"unsafe slug {slug!r}")
    return slug


def output_path(url: str) -> str:
    """The file (relative to ``public/``) that serves ``url``.

    ``/a/b/`` -> ``a/b/index.html``; ``/feed.xml`` -> ``feed.xml``.
    """
    if not url.startswith("/") or "\\" in url or "%" in url:
        raise ValueError(f"not a site path: {url!r}")
    path = url[1:]
    if path == "" or path.endswith("/"):
        path += "index.html"
    parts = path.split("/")  # not PurePosixPath: it would hide "a//b" and "a/./b", and cost 20 µs a page
    if any(p == "" or p.startswith(".") for p in parts):
        raise ValueError(f"unsafe path: {url!r}")
    if parts[0] in RESERVED_TOP:
        raise ValueError(f"reserved path: {url!r}")
    return path
