"""Shared fixtures: a copy of the project's site in a temp dir, real builds."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sitetools import ROOT, make_site_dir

# Builds keep a disk cache in the user's cache directory: give the test run
# its own, so tests never read or litter the developer's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="site-builder-test-cache-")

from site_builder import search_plan
from site_builder.build import BuildResult, build
from site_builder.config import load_config


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A fresh copy of content/ (people, topics, config; no articles) and templates/."""
    return make_site_dir(tmp_path)


@pytest.fixture
def full_site(tmp_path: Path) -> Path:
    """A copy of the committed content, articles included."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


BuildFn = Callable[..., BuildResult]


@pytest.fixture
def run_build() -> BuildFn:
    def _run(root: Path, **kwargs: object) -> BuildResult:
        env = kwargs.pop("env", {})
        config = load_config(root / "content", out_dir=root / "public",
                             templates_dir=root / "templates", env=env, **kwargs)  # type: ignore[arg-type]
        return build(config)
    return _run


@pytest.fixture
def two_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shard the seed site's index, as a site of thousands of pages is."""
    monkeypatch.setattr(search_plan, "SHARD_MIN_PAGES", 10)
