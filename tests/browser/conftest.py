"""Fixtures of the page quality tests: see :mod:`support`."""

from __future__ import annotations

from .support import browser, key_pages, served_site

__all__ = ["browser", "key_pages", "served_site"]
