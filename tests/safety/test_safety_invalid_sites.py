"""Every site in tests/sites_invalid fails with its exact message, fast, touching nothing.

A case is a folder holding ``content/`` and/or ``templates/`` files laid over
the base site, and ``expected.txt``: the error lines ``site-builder build``
must print, exactly.  Before each bad build a good one is made, and the
tree it wrote must be byte for byte the same afterwards.  Cases that cannot
be committed to git as files (a 50 MB file, a symlink, a file name with shell
metacharacters) are made by the functions below.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from safety_kit import INVALID_SITES, build, build_subprocess, make_site, overlay, tree_hash

CASES = sorted(p.name for p in INVALID_SITES.iterdir() if (p / "expected.txt").is_file())
FRONT = "---\ntitle: Made Up\ndate: 2025-09-13\n---\n"
TIME_LIMIT = 10.0


def _fails_cleanly(root: Path, expected: list[str]) -> None:
    before = tree_hash(root / "public")
    started = time.monotonic()
    run = build(root)
    elapsed = time.monotonic() - started
    assert run.code == 1, run.err
    assert run.errors == expected
    assert run.err.rstrip().endswith("nothing was written")
    assert tree_hash(root / "public") == before
    assert not (root / "pwned").exists()
    assert elapsed < TIME_LIMIT


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site")
    first = build(root)
    assert first.code == 0, first.err
    return root


@pytest.mark.parametrize("case", CASES)
def test_invalid_site(site: Path, case: str) -> None:
    folder = INVALID_SITES / case
    overlay(folder / "content", site / "content") if (folder / "content").is_dir() else None
    overlay(folder / "templates", site / "templates") if (folder / "templates").is_dir() else None
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    _fails_cleanly(site, expected)


def _huge(root: Path) -> list[str]:
    (root / "content/articles/huge.md").write_bytes(FRONT.encode() + b"word " * (10 * 1024 * 1024))
    return ["content/articles/huge.md: file: file is too large (51200 KB; the limit is 4096 KB)"]


def _symlink_out(root: Path) -> list[str]:
    (root / "secret.md").write_text(FRONT + "Not for publication.\n")
    os.symlink(root / "secret.md", root / "content/articles/leak.md")
    return [f"content/articles/leak.md: file: links to a file outside the content directory "
            f"(points to {(root / 'secret.md').resolve()})"]


def _symlink_system(root: Path) -> list[str]:
    os.symlink("/etc/passwd", root / "content/people/passwd.md")
    return ["content/people/passwd.md: file: links to a file outside the content directory "
            f"(points to {Path('/etc/passwd').resolve()})"]


def _shell_name(root: Path) -> list[str]:
    name = "$(touch pwned); `touch pwned` | x.md"
    (root / "content/articles" / name).write_text(FRONT + "Body.\n")
    return [f"content/articles/{name}: file name: '{name}' is not a valid slug "
            "(use lower-case letters, digits and hyphens, e.g. maria-kalesnikava.md)"]


def _escape_name(root: Path) -> list[str]:
    (root / "content/articles/\x1b[2Jclear.md").write_text(FRONT + "Body.\n")
    return ["content/articles/\\x1b[2Jclear.md: file name: '\\x1b[2Jclear.md' is not a valid slug "
            "(use lower-case letters, digits and hyphens, e.g. maria-kalesnikava.md)"]


def _deep_quotes(root: Path) -> list[str]:
    (root / "content/articles/deep.md").write_text(FRONT + "> " * 100_000 + "x\n")
    return ["content/articles/deep.md:5: markdown: lists or quotes nested too deeply; part of the text would be lost "
            "(flatten the lists or quotes)"]


def _deep_lists(root: Path) -> list[str]:
    (root / "content/articles/deep.md").write_text(FRONT + "".join("  " * i + "- x\n" for i in range(200)))
    return ["content/articles/deep.md:13: markdown: lists or quotes nested too deeply; part of the text would be lost "
            "(flatten the lists or quotes)"]


MADE: list[Callable[[Path], list[str]]] = [
    _huge, _symlink_out, _symlink_system, _shell_name, _escape_name, _deep_quotes, _deep_lists]


@pytest.mark.parametrize("make", MADE, ids=lambda f: f.__name__.strip("_"))
def test_generated_invalid_site(site: Path, make: Callable[[Path], list[str]]) -> None:
    _fails_cleanly(site, make(site))


def test_invalid_site_through_subprocess(site: Path) -> None:
    """The same contract through ``python -m site_builder``, as Netlify runs it."""
    overlay(INVALID_SITES / "yaml-python-tag" / "content", site / "content")
    before = tree_hash(site / "public")
    run = build_subprocess(site)
    assert run.code == 1
    assert run.errors == (INVALID_SITES / "yaml-python-tag" / "expected.txt").read_text().splitlines()
    assert tree_hash(site / "public") == before
    assert not (site / "pwned").exists()


def test_every_problem_reported_once(site: Path) -> None:
    """Several bad files: each is reported, none hides another."""
    expected: list[str] = []
    for case in ("unknown-person", "bidi-in-name", "person-file-name"):
        overlay(INVALID_SITES / case / "content", site / "content")
        expected += (INVALID_SITES / case / "expected.txt").read_text().splitlines()
    run = build(site)
    assert run.code == 1
    assert sorted(run.errors) == sorted(expected)
    assert "3 errors; nothing was written" in run.err
