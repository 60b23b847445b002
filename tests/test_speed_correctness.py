"""The speed-ups change nothing: parallel equals serial, cache hits equal fresh work.

No timing here (that is bench/build_bench.py); only that the fast paths give
the same bytes, diagnostics and changes as the plain ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder import parallel
from site_builder.build import BuildResult, build
from site_builder.cache import BuildCache
from site_builder.config import load_config
from site_builder.errors import BuildFailed


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(root: Path, out: str, cache: BuildCache | None = None) -> BuildResult:
    config = load_config(root / "content", out_dir=root / out, templates_dir=root / "templates",
                         env={"SOURCE_DATE_EPOCH": "1765584000"})
    return build(config, cache=cache)


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 1)


def _parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)


def _add_problem_articles(root: Path) -> None:
    """One article without a date (a warning) and one changed by the cleaner."""
    articles = root / "content" / "articles"
    (articles / "undated.md").write_text("---\ntitle: Undated\nsummary: S.\n---\nText without a date.\n")
    (articles / "messy.md").write_text("---\ntitle: Messy\ndate: 2025-01-02\n---\nteh court,said no .\n")


def test_parallel_build_equals_serial(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_problem_articles(full_site)
    _serial(monkeypatch)
    serial = _build(full_site, "serial")
    _parallel(monkeypatch)
    par = _build(full_site, "parallel")
    assert tree(full_site / "serial") == tree(full_site / "parallel")
    assert serial.changes == par.changes and serial.changes
    assert serial.diagnostics.items == par.diagnostics.items and serial.diagnostics.warnings
    assert list(serial.site.articles) == list(par.site.articles)


def test_parallel_build_reports_the_same_errors(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (full_site / "content/articles/bad.md").write_text("---\ntitle: Bad\npeople: [nobody-known]\n---\nText.\n")
    failures = []
    for mode in (_serial, _parallel):
        mode(monkeypatch)
        with pytest.raises(BuildFailed) as failed:
            _build(full_site, "public")
        failures.append([d.format() for d in failed.value.diagnostics.items])
    assert failures[0] == failures[1] and any("nobody-known" in f for f in failures[0])


def test_parallel_build_fills_the_cache(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parallel(monkeypatch)
    cache = BuildCache()
    _build(full_site, "first", cache)
    assert cache.stats()["cleaned"] == (0, 5) and cache.stats()["enriched"] == (0, 5)
    _build(full_site, "second", cache)  # a warm cache: every article is a hit
    assert cache.stats()["cleaned"] == (5, 0) and cache.stats()["enriched"] == (5, 0)
    assert tree(full_site / "first") == tree(full_site / "second")


def test_registry_change_invalidates_enriched_articles(full_site: Path) -> None:
    cache = BuildCache()
    _build(full_site, "public", cache)
    person = sorted((full_site / "content/people").glob("*.md"))[0]
    person.write_text(person.read_text().replace("aliases: [", "aliases: [Someone Else, ", 1))
    _build(full_site, "public", cache)
    assert cache.stats()["enriched"][0] == 0  # every article looked at the registry again
    _build(full_site, "fresh")
    assert tree(full_site / "public") == tree(full_site / "fresh")
