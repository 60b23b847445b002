"""Site configuration: ``content/site.yaml`` plus the environment and the CLI.

Everything site-wide lives in one frozen :class:`SiteConfig`; no stage reads
the environment itself.  Netlify's variables (``CONTEXT``, ``URL``,
``DEPLOY_PRIME_URL``, ``REVIEW_ID``) and ``SOURCE_DATE_EPOCH`` are read here
once, so a test can build a preview by passing an environment mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    """Check that ``url`` is an absolute http(s) URL and drop a trailing slash."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteError(
            location, "config", f"base URL must be an absolute http(s) URL, got {url!r}"
        )
    return url.strip().rstrip("/")


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
    if not site_file.is_file():
        raise SiteError(SourceLocation(shown), "config", "site.yaml not found",
                        f"is {display_path(content_dir)} the content directory?")
    try:
        text = site_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SiteError(SourceLocation(shown), "config", "not valid UTF-8") from exc
    data, lines = load_mapping(text, shown, topic="config")
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
    sizes = {k: data.get(k, d) for k, d in (("per_page", 10), ("list_page_size", 50))}
    for key, value in sizes.items():
        if value < 1:
            raise SiteError(SourceLocation(shown, lines.get(key)), "config", f"{key} must be at least 1")
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
        feed_items=data.get("feed_items", 20),
        topic_body_hits=data.get("topic_body_hits", 2),
        topic_title_hits=data.get("topic_title_hits", 1),
        allow_raw_html=data.get("allow_raw_html", False),
        author=data.get("author", ""),
        drafts=drafts or is_preview,
        future=is_preview,
        preview_id=env.get("REVIEW_ID") if is_preview else None,
        is_preview=is_preview,
        source_date_epoch=epoch,
        site_yaml=shown,
    )


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
        return int(raw)
    except ValueError as exc:
        raise SiteError(None, "environment", f"SOURCE_DATE_EPOCH must be an integer, got {raw!r}") from exc
