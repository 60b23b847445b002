"""Memoisation of the expensive steps, keyed by content hashes.

The dev server keeps one :class:`BuildCache` across rebuilds, so a save
re-reads, re-cleans and re-renders only what it touched; everything else is
reused.  Keys are hashes of the inputs themselves (file bytes, cleaner
options, view-model data, template sources), never timestamps alone, so a
cached result is by construction what a full build would produce: the
partial rebuild gives the same files as a fresh one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

V = TypeVar("V")


def digest(*parts: str | bytes) -> str:
    """A short stable hash of ``parts``."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def data_digest(value: Any) -> str:
    """Hash of plain data (dicts, lists, strings, numbers) in a canonical form."""
    return digest(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


def tree_digest(root: Path) -> str:
    """Hash of every file under ``root`` (names and bytes), e.g. the templates."""
    parts: list[str | bytes] = []
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            parts.extend((str(path.relative_to(root)), path.read_bytes()))
    return digest(*parts)


@dataclass
class Memo(Generic[V]):
    """A dictionary that forgets entries not used in the latest generation."""

    entries: dict[str, V] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0

    def get(self, key: str) -> V | None:
        value = self.entries.get(key)
        if value is not None:
            self.hits += 1
            self.used.add(key)
        else:
            self.misses += 1
        return value

    def put(self, key: str, value: V) -> V:
        self.entries[key] = value
        self.used.add(key)
        return value

    def sweep(self) -> None:
        """Drop what the last build did not use, so memory stays bounded."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.used = set()
        self.hits = self.misses = 0


@dataclass
class BuildCache:
    """Everything a rebuild may reuse from the previous one."""

    cleaned: Memo[Any] = field(default_factory=Memo)
    """(body, cleaner options) -> (cleaned body, changes)."""
    enriched: Memo[Any] = field(default_factory=Memo)
    """(source document, cleaned body, registries, date) -> Article."""
    html: Memo[str] = field(default_factory=Memo)
    """(markdown, render settings) -> HTML."""
    pages: Memo[bytes] = field(default_factory=Memo)
    """(template sources, template name, view model) -> page bytes."""

    last: dict[str, tuple[int, int]] = field(default_factory=dict)
    """(hits, misses) of each memo in the last completed build."""

    def sweep(self) -> None:
        """End of a build: remember the statistics, forget unused entries."""
        self.last = {name: (memo.hits, memo.misses)
                     for name, memo in (("cleaned", self.cleaned), ("enriched", self.enriched),
                                        ("html", self.html), ("pages", self.pages))}
        for memo in (self.cleaned, self.enriched, self.html, self.pages):
            memo.sweep()

    def stats(self) -> dict[str, tuple[int, int]]:
        """(hits, misses) per memo for the last completed build."""
        return dict(self.last)
