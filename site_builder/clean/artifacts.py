"""artifacts: drop lines of scraped page chrome ("Listen to this article").

Only whole lines are dropped, and only when they match an entry of the list
exactly (ignoring case, surrounding space and a trailing colon or ellipsis).
"""

from __future__ import annotations

from functools import lru_cache

DEFAULT_ARTIFACTS: tuple[str, ...] = (
    "Listen to this article",
    "Listen to this story",
    "Share this article",
    "Share this story",
    "Share on Facebook",
    "Share on Twitter",
    "Share on X",
    "Advertisement",
    "Skip advertisement",
    "Sponsored content",
    "Read more",
    "Read more:",
    "Continue reading",
    "Click here to subscribe",
    "Subscribe to our newsletter",
    "Sign up for our newsletter",
    "Print this article",
    "Copy link",
)


def _key(text: str) -> str:
    return " ".join(text.strip().rstrip(":.…").split()).casefold()


def is_artifact(line: str, artifacts: tuple[str, ...]) -> bool:
    """True when ``line`` is one of ``artifacts`` (or the defaults if empty)."""
    if not line.strip():
        return False
    if len(line) > _longest(artifacts or DEFAULT_ARTIFACTS) + 8:
        return False  # a paragraph, not page chrome
    return _key(line) in _keys(artifacts or DEFAULT_ARTIFACTS)


@lru_cache(maxsize=16)
def _keys(artifacts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(a) for a in artifacts)


@lru_cache(maxsize=16)
def _longest(artifacts: tuple[str, ...]) -> int:
    return max((len(a) for a in artifacts), default=0)
