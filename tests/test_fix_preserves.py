"""``site-builder fix`` adds what is missing and damages nothing the editors wrote.

Every test drives the real command line on a copy of the site: the front
matter comes back as written (comments, quoting, timestamps), with only the
missing keys added at its end; links, modes and line breaks are kept; a
file with nothing to fix is not touched; and a problem in any file is
reported with all the others before any file is written.
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitetools import make_site_dir

from site_builder import atomic
from site_builder.cli import main

EPOCH_2025_09_12 = "1757635200"
"""SOURCE_DATE_EPOCH for 2025-09-12: the date fix gives an article without one."""

BODY = "Body text here.\n"
"""A body the cleaner leaves alone, naming no person and no topic."""


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2025_09_12)


def args(root: Path) -> list[str]:
    return ["--content", str(root / "content"), "--templates", str(root / "templates"),
            "--out", str(root / "public")]


def fix(root: Path) -> int:
    return main(["fix", *args(root)])


def tree(root: Path) -> dict[str, str]:
    """Path -> sha256 of every file under ``root`` (links followed), and where each link points."""
    out = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            out[name + " ->"] = os.readlink(path)
        if path.is_file():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def article(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "content" / "articles" / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- the front matter as the editor wrote it ---------------------------------------------


def test_comments_and_quoting_are_kept_and_missing_keys_appended(site_dir: Path) -> None:
    head = (
        "---\n"
        "# editor note: ask Hanna before publishing\n"
        "title: 'Belarus frees prisoners'   # the headline, quoted\n"
        "slug: belarus-frees-prisoners   # the URL; never change it once published\n"
        "\n"
        "draft: true                     # drafts appear only in previews\n"
        "# trailing note\n"
    )
    path = article(site_dir, "x.md", head + "---\n" + BODY)
    assert fix(site_dir) == 0
    assert path.read_text() == (
        head
        + "date: 2025-09-12\n"
        "summary: Body text here.\n"
        "people: []\n"
        "topics: []\n"
        "---\n" + BODY
    )


def test_a_timestamp_keeps_its_time(site_dir: Path) -> None:
    head = "---\ntitle: T\ndate: 2025-09-12T18:30:00+03:00\nupdated: 2025-09-13T09:00:00Z\n"
    path = article(site_dir, "x.md", head + "---\n" + BODY)
    assert fix(site_dir) == 0
    text = path.read_text()
    assert text.startswith(head + "slug: t\nsummary: Body text here.\n")
    assert "2025-09-12\n" not in text


def test_a_key_without_a_value_is_left_alone_not_added_twice(site_dir: Path) -> None:
    head = "---\ntitle: T\nsummary:\npeople:\n"
    path = article(site_dir, "x.md", head + "---\n" + BODY)
    assert fix(site_dir) == 0
    assert path.read_text() == head + "slug: t\ndate: 2025-09-12\ntopics: []\n---\n" + BODY
    assert main(["check", *args(site_dir)]) == 0


def test_the_cleaned_body_and_a_title_from_the_heading(site_dir: Path) -> None:
    path = article(site_dir, "x.md", "---\ndraft: true  # not yet\n---\n# Kolesnikova freed\n\n"
                   "Maria Kolesnikova was released on friday,officials said.\n")
    assert fix(site_dir) == 0
    text = path.read_text()
    assert text.startswith("---\ndraft: true  # not yet\ntitle: Kolesnikova freed\nslug: kolesnikova-freed\n")
    assert "people: [maria-kalesnikava]\n" in text
    assert text.endswith("---\nMaria Kolesnikova was released on Friday, officials said.\n")


@pytest.mark.parametrize("head", [
    "---\ntitle: T\npeople:\n- maria-kalesnikava   # she\n",  # a block list last
    "---\ntitle: >-   # folded\n  T\nsummary: |+\n  Body text here.\n\n",  # block scalars last
])
def test_keys_are_appended_after_block_values(site_dir: Path, head: str) -> None:
    path = article(site_dir, "x.md", head + "---\n" + BODY)
    assert fix(site_dir) == 0
    text = path.read_text()
    assert text.startswith(head + "slug: t\ndate: 2025-09-12\n")
    assert text.endswith("topics: []\n---\n" + BODY)
    assert main(["check", *args(site_dir)]) == 0


def test_a_file_with_nothing_to_fix_is_not_rewritten(site_dir: Path) -> None:
    path = article(site_dir, "x.md", "---\ntitle: T   # c\nslug: t\ndate: 2025-09-12\nsummary: S.\n"
                   "people: []\ntopics: []\n---\n" + BODY)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    assert fix(site_dir) == 0
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)


def test_fixing_twice_changes_nothing_more(site_dir: Path) -> None:
    article(site_dir, "x.md", "---\n# note\ntitle: T  # c\n---\n" + BODY)
    assert fix(site_dir) == 0
    once = tree(site_dir / "content")
    assert fix(site_dir) == 0
    assert tree(site_dir / "content") == once


# -- the file itself: links, mode, line breaks ------------------------------------------


def test_a_symlinked_article_updates_its_target_and_stays_a_link(site_dir: Path) -> None:
    drafts = site_dir / "content" / "drafts"
    drafts.mkdir()
    real = drafts / "real.md"
    real.write_text("---\ntitle: T\n---\n" + BODY)
    link = site_dir / "content" / "articles" / "x.md"
    link.symlink_to(Path("..") / "drafts" / "real.md")
    assert fix(site_dir) == 0
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "drafts" / "real.md")
    assert real.read_text().startswith("---\ntitle: T\nslug: t\ndate: 2025-09-12\n")
    assert leftovers(drafts) == [] and leftovers(link.parent) == []


@pytest.mark.parametrize("mode", [0o664, 0o640, 0o444])
def test_the_file_mode_is_kept(site_dir: Path, mode: int) -> None:
    path = article(site_dir, "x.md", "---\ntitle: T\n---\n" + BODY)
    path.chmod(mode)
    assert fix(site_dir) == 0
    assert "slug: t" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_breaks_are_kept_and_never_mixed(site_dir: Path, newline: str) -> None:
    lines = ["---", "title: T   # c", "date: 2025-01-01", "---", "Maria Kolesnikova was freed on friday.", ""]
    path = article(site_dir, "x.md", newline.join(lines))
    assert fix(site_dir) == 0
    data = path.read_bytes().decode()
    assert data.startswith(newline.join(lines[:3]) + newline + "slug: t" + newline)
    assert data.endswith(newline + "---" + newline + "Maria Kolesnikova was freed on Friday." + newline)
    assert "\r" not in data.replace(newline, "") and "\n" not in data.replace(newline, "")
    assert data.count(newline) == 9  # the five lines, and slug, summary, people and topics


# -- all or nothing ----------------------------------------------------------------------


def test_every_bad_file_is_reported_and_no_file_is_written(site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article(site_dir, "a.md", "---\ntitle: A\n---\nMaria Kolesnikova was released on friday.\n")
    article(site_dir, "y.md", "---\ntitle: Y\nautor: someone\n---\n" + BODY)
    article(site_dir, "z.md", "---\ntitle: Z\npeople: [nobody-here]\n---\n" + BODY)
    before = tree(site_dir / "content")
    assert fix(site_dir) == 1
    err = capsys.readouterr().err
    assert "y.md:3: front matter: unknown key 'autor'" in err
    assert "z.md:3: front matter: unknown person 'nobody-here'" in err
    assert "2 errors; nothing was written" in err
    assert tree(site_dir / "content") == before


def test_a_slug_two_articles_would_share_is_reported_before_writing(
        site_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article(site_dir, "a.md", "---\ntitle: Same Title\n---\n" + BODY)
    article(site_dir, "b.md", "---\ntitle: Same title\n---\n" + BODY)
    before = tree(site_dir / "content")
    assert fix(site_dir) == 1
    assert "'same-title' is already used by" in capsys.readouterr().err
    assert tree(site_dir / "content") == before


@pytest.mark.parametrize("front", [
    "{title: T}\n",                 # a flow mapping: a key after it would not be YAML
    "  title: T\n  draft: true\n",  # keys off the margin: a key at the margin would not be YAML
])
def test_front_matter_fix_cannot_append_to_is_an_error_not_damage(
        site_dir: Path, capsys: pytest.CaptureFixture[str], front: str) -> None:
    article(site_dir, "a.md", "---\ntitle: A\n---\nMaria Kolesnikova was released on friday.\n")
    path = article(site_dir, "x.md", "---\n" + front + "---\n" + BODY)
    assert main(["check", *args(site_dir)]) == 0  # the build reads it
    capsys.readouterr()
    before = tree(site_dir / "content")
    assert fix(site_dir) == 1
    err = capsys.readouterr().err
    assert f"{path.name}:{front.count(chr(10)) + 2}: front matter: fix cannot add 'slug'" in err
    assert tree(site_dir / "content") == before


def test_a_failed_write_changes_no_file_and_leaves_no_temporary_file(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.md", "b.md", "c.md"):
        article(site_dir, name, f"---\ntitle: {name[0].upper()}\n---\n" + BODY)
    before = tree(site_dir / "content")
    real = atomic._write_all
    calls = []

    def full_disk(fd: int, data: bytes, sync: bool) -> None:
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data, sync)

    monkeypatch.setattr(atomic, "_write_all", full_disk)
    assert fix(site_dir) == 1
    assert "b.md: file: cannot write it" in capsys.readouterr().err
    assert tree(site_dir / "content") == before
    assert leftovers(site_dir / "content" / "articles") == []


def test_a_file_saved_while_fix_runs_is_not_overwritten(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = article(site_dir, "x.md", "---\ntitle: T\n---\n" + BODY)
    real = atomic.stage_replacement

    def editor_saves_first(target: Path, data: bytes, expected: bytes | None = None) -> atomic.Replacement:
        target.write_text("---\ntitle: Saved by the editor\n---\n" + BODY)
        return real(target, data, expected)

    monkeypatch.setattr(atomic, "stage_replacement", editor_saves_first)
    assert fix(site_dir) == 1
    assert "x.md: file: changed while fix was running" in capsys.readouterr().err
    assert path.read_text() == "---\ntitle: Saved by the editor\n---\n" + BODY
    assert leftovers(path.parent) == []


# -- new and import write through the same safe path -------------------------------------


def test_new_gives_the_usual_mode_and_leaves_no_temporary_file(site_dir: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    assert main(["new", "Belarus frees 52 prisoners", *args(site_dir)]) == 0
    path = site_dir / "content" / "articles" / "belarus-frees-52-prisoners.md"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert leftovers(path.parent) == []


def run_with_file_size_limit(limit: int, *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process that cannot make a file larger than ``limit`` bytes.

    A real write failure, as a full disk gives: the write past the limit fails
    with EFBIG (SIGXFSZ, which would kill the process first, is ignored).
    """
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "site_builder", *argv], capture_output=True, text=True,
                          preexec_fn=limited, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_a_write_past_a_full_disk_changes_no_file_and_leaves_no_temporary_file(site_dir: Path) -> None:
    article(site_dir, "a.md", "---\ntitle: A\n---\n" + BODY)  # fits in 400 bytes once fixed
    article(site_dir, "b.md", "---\ntitle: B\n---\n" + "Body text here and more. " * 14 + "\n")  # does not
    before = tree(site_dir / "content")
    proc = run_with_file_size_limit(400, "fix", *args(site_dir))
    assert proc.returncode == 1, proc.stderr
    assert "b.md: file: cannot write it" in proc.stderr
    assert tree(site_dir / "content") == before
    assert leftovers(site_dir / "content" / "articles") == []


def test_a_failed_new_leaves_no_temporary_file(site_dir: Path) -> None:
    proc = run_with_file_size_limit(50, "new", "Belarus frees 52 prisoners", *args(site_dir))
    assert proc.returncode != 0
    assert list((site_dir / "content" / "articles").iterdir()) == []


def test_write_new_never_replaces_a_file_that_appeared(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("first")
    with pytest.raises(FileExistsError):
        atomic.write_new(path, b"second")
    assert path.read_text() == "first"
    assert leftovers(tmp_path) == []


# -- any front matter of keys and comments: its lines come back first, unchanged ---------


@pytest.fixture(scope="module")
def one_site() -> Iterator[Path]:
    root = make_site_dir(Path(tempfile.mkdtemp(prefix="fix-preserves-")))
    yield root
    shutil.rmtree(root)


_WORDS = st.text(st.sampled_from("abcdefghij KLMNOP"), min_size=1, max_size=20).filter(lambda s: s.strip())
_SYMBOLS = st.text(st.sampled_from("abc XYZ:#-[]{},&*!|>%@`?"), min_size=1, max_size=20).filter(
    lambda s: s.strip())
"""What a quoted value may hold (neither quote nor backslash: no escapes to write)."""
_NOTE = st.text(st.sampled_from("abc XYZ:'\"-[]{}"), max_size=20)
"""A comment's words (no '#': the loader takes '#word' in a value line for a cut-off hashtag)."""


@st.composite
def _value_line(draw: Any, key: str) -> str:
    if key == "date":
        value = draw(st.sampled_from(["2025-09-12", "2025-09-12T18:30:00+03:00", "'2025-09-12'"]))
    elif key == "draft":
        value = draw(st.sampled_from(["true", "false"]))
    elif key == "slug":
        value = draw(st.sampled_from(["x", "my-title", "'quoted-slug'", '"double-slug"']))
    else:
        quote = draw(st.sampled_from(["", "'", '"']))
        text = draw(_SYMBOLS if quote else _WORDS).strip()
        value = f"{quote}{text}{quote}"
    gap = draw(st.sampled_from(["", " ", "   "]))
    comment = draw(st.one_of(st.just(""), _NOTE.map(lambda n: f"{gap} # {n}")))
    return f"{key}: {value}{comment}"


@st.composite
def front_matters(draw: Any) -> list[str]:
    keys = ["title", *draw(st.lists(st.sampled_from(["slug", "date", "summary", "draft"]), unique=True))]
    keys = draw(st.permutations(keys))
    lines = []
    for key in keys:
        lines += draw(st.lists(st.one_of(_NOTE.map(lambda n: f"# {n}"), st.just("")), max_size=2))
        lines.append(draw(_value_line(key)))
    tail: list[str] = draw(st.lists(_NOTE.map(lambda n: f"# {n}"), max_size=2))
    return lines + tail


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=front_matters())
def test_any_front_matter_comes_back_first_and_unchanged(one_site: Path, lines: list[str]) -> None:
    head = "---\n" + "".join(line + "\n" for line in lines)
    path = article(one_site, "x.md", head + "---\n" + BODY)
    try:
        assert fix(one_site) == 0
        text = path.read_text()
        assert text.startswith(head)
        written = [k for k in ("title", "slug", "date", "summary", "people", "topics")
                   if not any(line.startswith(f"{k}:") for line in lines)]
        added = text[len(head):].split("\n")[: len(written) + 1]
        assert [line.split(":")[0] for line in added] == [*written, "---"]
        assert text.endswith("---\n" + BODY)
        once = path.read_bytes()
        assert fix(one_site) == 0
        assert path.read_bytes() == once
    finally:
        path.unlink()
