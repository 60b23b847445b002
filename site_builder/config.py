"""Site configuration: ``content/site.yaml`` plus the environment and the CLI.

Everything site-wide lives in one frozen :class:`SiteConfig`; no stage reads
the environment itself.  Netlify's variables (``CONTEXT``, ``URL``,
``DEPLOY_PRIME_URL``, ``REVIEW_ID``) and ``SOURCE_DATE_EPOCH`` are read here
once, so a test can build a preview by passing an environment mapping.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

from .errors import SiteError, SourceLocation, display_path
from .yamlio import load_mapping

SITE_KEYS: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "description": str,
    "language": str,
    "base_url": str,
    "per_page": int,
    "list_page_size": int,
    "feed_items": int,
    "topic_body_hits": int,
    "topic_title_hits": int,
    "allow_raw_html": bool,
    "author": str,
}
"""Allowed keys of site.yaml and their types."""

NUMBERS = {"per_page": 10, "list_page_size": 50, "feed_items": 20, "topic_body_hits": 2, "topic_title_hits": 1}
"""The numeric settings and their defaults: each a count of at least one."""

MAX_NUMBER = 1_000_000
"""Larger than any page, feed or hit count a site means; far larger ones break slicing (feed_items)."""


@dataclass(frozen=True)
class SiteConfig:
    """Every setting the pipeline needs, resolved once."""

    content_dir: Path
    """Where site.yaml, articles/, people/ and topics/ live."""
    out_dir: Path
    """Where the built site goes (``public/``)."""
    templates_dir: Path
    """Jinja templates and ``assets/``."""
    title: str
    description: str
    language: str
    base_url: str
    """Absolute URL without a trailing slash, e.g. ``https://example.org``."""
    per_page: int = 10
    """Articles per index page."""
    list_page_size: int = 50
    """Entries per page on people and topic listings."""
    feed_items: int = 20
    topic_body_hits: int = 2
    """Keyword occurrences in the body that put an article on a topic."""
    topic_title_hits: int = 1
    """Keyword occurrences in the title that put an article on a topic."""
    allow_raw_html: bool = False
    """Pass raw HTML in Markdown through the sanitiser instead of escaping it."""
    author: str = ""
    drafts: bool = False
    """Build drafts (``--drafts``)."""
    future: bool = False
    """Build articles dated after the build date."""
    preview_id: str | None = None
    """Pull-request number in a Netlify deploy preview, else None."""
    is_preview: bool = False
    """A deploy preview: banner, noindex, ``/_report/``."""
    today: dt.date | None = None
    """The date that decides what is 'in the future'; None means the clock."""
    source_date_epoch: int | None = None
    """From SOURCE_DATE_EPOCH, for reproducible build dates."""
    site_yaml: str = ""
    """Path of site.yaml as shown in messages."""

    def absolute(self, url: str) -> str:
        """Turn a site path such as ``/articles/x/`` into an absolute URL."""
        return self.base_url + url


def normalise_base_url(url: str, location: SourceLocation | None) -> str:
    """Check that ``url`` is an absolute http(s) URL fit to prefix every link; drop a trailing slash.

    Every page, feed and sitemap entry starts with it, so a query, a fragment
    or a space in it would break every link of the site at once.
    """
    text = url.strip()
    problem = _base_url_problem(text)
    if problem is not None:
        message, hint = problem
        raise SiteError(location, "config", f"{message}, got {url!r}", hint)
    return text.rstrip("/")


_EXAMPLE = "e.g. https://example.org or https://example.org/site"
_NOT_IN_URL = re.compile(r"[\s<>\"{}|\\^`]")
"""Characters a URL cannot hold unencoded (RFC 3986): spaces, quotes, brackets."""
_HOST = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.?")
"""A host name: labels of letters (of any script) and digits, hyphens inside, joined by dots."""


def _base_url_problem(url: str) -> tuple[str, str] | None:
    """What is wrong with ``url`` as a base URL, with a hint; None if nothing."""
    if _NOT_IN_URL.search(url):
        return "base URL must not contain spaces, quotes or brackets", "write %20 for a space in a path"
    try:
        parts = urlsplit(url)
    except ValueError:  # brackets around something that is not an IPv6 address
        return "base URL has no valid host name or port", _EXAMPLE
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "base URL must be an absolute http(s) URL", _EXAMPLE
    if parts.query or url.endswith("?"):
        return "base URL must not have a query ('?...')", _EXAMPLE
    if parts.fragment or "#" in url:
        return "base URL must not have a fragment ('#...')", _EXAMPLE
    if parts.username is not None:
        return "base URL must not hold a user name or password", _EXAMPLE
    if not _valid_host(parts.hostname or "") or not _valid_port(parts):
        return "base URL has no valid host name or port", _EXAMPLE
    return None


def _valid_host(host: str) -> bool:
    if ":" in host:  # an IPv6 address, which urlsplit has taken out of its brackets
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    return bool(_HOST.fullmatch(host))


def _valid_port(parts: SplitResult) -> bool:
    try:
        port = parts.port  # raises on a port that is not a number from 0 to 65535
    except ValueError:
        return False
    return port != 0


def load_config(
    content_dir: Path,
    out_dir: Path | None = None,
    templates_dir: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    env: Mapping[str, str] | None = None,
) -> SiteConfig:
    """Read ``content_dir/site.yaml`` and merge the CLI options and environment.

    Precedence for the base URL: ``--base-url``, then Netlify's
    ``DEPLOY_PRIME_URL`` (deploy previews) or ``URL`` (production), then
    ``base_url`` in site.yaml.
    """
    env = env or {}
    site_file = content_dir / "site.yaml"
    shown = display_path(site_file)
    data, lines = load_mapping(_read_site_yaml(site_file, shown, content_dir), shown, topic="config")
    _check_site_keys(data, lines, shown)
    for required in ("title", "base_url"):
        if required not in data:
            raise SiteError(SourceLocation(shown), "config", f"missing required key '{required}'")

    context = env.get("CONTEXT", "")
    is_preview = context == "deploy-preview"
    url_from_env = env.get("DEPLOY_PRIME_URL") if is_preview else env.get("URL")
    chosen = base_url or url_from_env or data["base_url"]
    where = SourceLocation(shown, lines.get("base_url")) if chosen == data["base_url"] else None
    epoch = _source_date_epoch(env)
    sizes = {key: data.get(key, default) for key, default in NUMBERS.items()}
    for key, value in sizes.items():
        if not 1 <= value <= MAX_NUMBER:
            raise SiteError(SourceLocation(shown, lines.get(key)), "config",
                            f"{key} must be at least 1" if value < 1 else f"{key} must be at most {MAX_NUMBER:,}")
    return SiteConfig(
        content_dir=content_dir,
        out_dir=out_dir or Path("public"),
        templates_dir=templates_dir or content_dir.resolve().parent / "templates",
        title=data["title"],
        description=data.get("description", ""),
        language=data.get("language", "en"),
        base_url=normalise_base_url(chosen, where),
        per_page=sizes["per_page"],
        list_page_size=sizes["list_page_size"],
        feed_items=sizes["feed_items"],
        topic_body_hits=sizes["topic_body_hits"],
        topic_title_hits=sizes["topic_title_hits"],
        allow_raw_html=data.get("allow_raw_html", False),
        author=data.get("author", ""),
        drafts=drafts or is_preview,
        future=is_preview,
        preview_id=env.get("REVIEW_ID") if is_preview else None,
        is_preview=is_preview,
        source_date_epoch=epoch,
        site_yaml=shown,
    )


def _read_site_yaml(site_file: Path, shown: str, content_dir: Path) -> str:
    """The text of site.yaml; a missing or unreadable file is the user's error, not a traceback."""
    where = SourceLocation(shown)
    try:
        mode = site_file.stat().st_mode
        # Only a regular file is read: a pipe would block the build for ever.
        data = site_file.read_bytes() if stat.S_ISREG(mode) else None
    except FileNotFoundError as exc:
        raise SiteError(where, "config", "site.yaml not found",
                        f"is {display_path(content_dir)} the content directory?") from exc
    except OSError as exc:
        hint = "let the build read it: chmod a+r" if isinstance(exc, PermissionError) else None
        raise SiteError(where, "config", f"cannot read site.yaml: {exc.strerror or exc}", hint) from exc
    if data is None:
        raise SiteError(where, "config", "site.yaml is a folder, not a file" if stat.S_ISDIR(mode)
                        else "site.yaml is not a regular file")
    try:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text() did
    except UnicodeDecodeError as exc:
        raise SiteError(where, "config", "not valid UTF-8") from exc


def _check_site_keys(data: dict[str, Any], lines: dict[str, int], shown: str) -> None:
    for key, value in data.items():
        where = SourceLocation(shown, lines.get(key))
        if key not in SITE_KEYS:
            raise SiteError(where, "config", f"unknown key '{key}'",
                            "known keys: " + ", ".join(sorted(SITE_KEYS)))
        expected = SITE_KEYS[key]
        ok = isinstance(value, expected) and not (
            expected is int and isinstance(value, bool)
        )
        if not ok:
            name = expected.__name__ if isinstance(expected, type) else "value"
            raise SiteError(where, "config", f"'{key}' must be a {_TYPE_WORDS.get(name, name)}")


_TYPE_WORDS = {"str": "text", "int": "whole number", "bool": "true or false"}


def _source_date_epoch(env: Mapping[str, str]) -> int | None:
    raw = env.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return None
    try:
        epoch = int(raw)
    except ValueError as exc:
        raise SiteError(None, "environment", f"SOURCE_DATE_EPOCH must be an integer, got {raw!r}") from exc
    try:
        # Checked here, once: every later use turns it into a date.
        dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise SiteError(None, "environment", f"SOURCE_DATE_EPOCH is not a date between the years 1 and 9999, "
                        f"got {raw!r}", "it counts seconds since 1970-01-01") from exc
    return epoch
