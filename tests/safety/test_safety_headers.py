"""netlify.toml sends a strict Content-Security-Policy and the other security headers."""

from __future__ import annotations

import fnmatch
import tomllib
from typing import Any

from safety_kit import REPO

CONFIG = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))


def headers_for(path: str) -> dict[str, list[str]]:
    """Every header value Netlify would send for ``path`` (a list per name: rules add up)."""
    found: dict[str, list[str]] = {}
    for rule in CONFIG.get("headers", []):
        if fnmatch.fnmatchcase(path, rule["for"]):
            for name, value in rule["values"].items():
                found.setdefault(name, []).append(value)
    return found


def csp(path: str = "/articles/x/") -> dict[str, list[str]]:
    (policy,) = headers_for(path)["Content-Security-Policy"]
    directives: dict[str, Any] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_csp_is_self_only() -> None:
    d = csp()
    assert d["default-src"] == ["'none'"]
    assert d["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert d["frame-ancestors"] == ["'none'"]
    assert d["object-src"] == ["'none'"]
    assert d["base-uri"] == ["'none'"]
    for name, sources in d.items():
        for source in sources:
            assert source in ("'self'", "'none'", "'wasm-unsafe-eval'"), (name, source)
    assert "'unsafe-inline'" not in str(d) and "'unsafe-eval'" not in str(d)


def test_security_headers_on_every_kind_of_path() -> None:
    for path in ("/", "/articles/x/", "/feed.xml", "/assets/style.css", "/pagefind/pagefind.js", "/404.html"):
        h = headers_for(path)
        assert h["Referrer-Policy"] == ["no-referrer"]
        assert h["X-Content-Type-Options"] == ["nosniff"]
        assert "camera=()" in h["Permissions-Policy"][0]
        assert h["Strict-Transport-Security"][0].startswith("max-age=63072000")
        assert len(h["Content-Security-Policy"]) == 1


def test_one_cache_rule_per_path() -> None:
    """Netlify joins repeated headers with commas: one Cache-Control per path, at most."""
    for path in ("/", "/articles/x/", "/feed.xml", "/people/x/feed.xml", "/assets/style.css",
                 "/pagefind/pagefind.js", "/_report/", "/sitemap.xml"):
        assert len(headers_for(path).get("Cache-Control", [])) <= 1, path
    assert headers_for("/feed.xml")["Cache-Control"] == ["public, max-age=900, must-revalidate"]
    assert headers_for("/topics/x/feed.xml")["Content-Type"] == ["application/rss+xml; charset=utf-8"]
