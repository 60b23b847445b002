"""A copy of the real site (content and templates) in a temporary directory, and a builder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.build import BuildResult, build
from site_builder.config import load_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture
def empty_site(tmp_path: Path) -> Path:
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "people").mkdir()
    (tmp_path / "content" / "topics").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Test\nbase_url: https://t.example.org\n")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


Builder = Callable[[Path], BuildResult]


@pytest.fixture
def build_site() -> Builder:
    def run(root: Path) -> BuildResult:
        config = load_config(root / "content", out_dir=root / "public", templates_dir=root / "templates",
                             env={"SOURCE_DATE_EPOCH": "1767225600"})
        return build(config)
    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def person_file(root: Path, slug: str, name: str, aliases: str = "[]", extra: str = "") -> Path:
    return write(root / "content" / "people" / f"{slug}.md",
                 f"---\nname: {name}\naliases: {aliases}\n{extra}---\nBiography of {name}.\n")


def article_file(root: Path, slug: str, body: str, date: str = "2025-01-01", meta: str = "") -> Path:
    return write(root / "content" / "articles" / f"{slug}.md",
                 f"---\ntitle: {slug.replace('-', ' ').title()}\nslug: {slug}\ndate: {date}\n{meta}---\n{body}\n")
