"""Output is reproducible, complete and swapped in whole.

- Same input, byte-identical output whatever the time zone, locale, hash
  seed or the order in which files were created on disk.
- No stale file from an earlier build survives.
- A build that fails while writing leaves the previous public/ as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_kit import BASE_SITE, HERE, TEMPLATES, build, build_subprocess, make_site, overlay, tree_hash

from site_builder import write


def _copy_reversed(src: Path, dest: Path) -> None:
    """Copy a tree creating files in reverse order, so directory order differs."""
    for path in sorted(src.rglob("*"), reverse=True):
        target = dest / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


def test_same_input_same_bytes_in_any_environment(tmp_path: Path) -> None:
    a = make_site(tmp_path / "a")
    overlay(HERE / "hostile_site" / "content", a / "content")
    b = tmp_path / "b"
    _copy_reversed(a / "content", b / "content")
    _copy_reversed(TEMPLATES, b / "templates")
    run_a = build_subprocess(a, {"TZ": "UTC", "LC_ALL": "C", "PYTHONHASHSEED": "1"})
    run_b = build_subprocess(b, {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "be_BY.UTF-8",
                                 "PYTHONHASHSEED": "4242"})
    assert run_a.code == 0, run_a.err
    assert run_b.code == 0, run_b.err
    assert tree_hash(a / "public") == tree_hash(b / "public")


def test_output_does_not_depend_on_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build dates come from content (or SOURCE_DATE_EPOCH), never from now."""
    import datetime as dt

    a = make_site(tmp_path / "a")
    assert build(a).code == 0
    first = tree_hash(a / "public")

    class Later(dt.date):
        @classmethod
        def today(cls) -> Later:
            return cls(2031, 1, 1)

    monkeypatch.setattr("site_builder.build.dt.date", Later)
    assert build(a).code == 0
    assert tree_hash(a / "public") == first


def test_no_stale_files_survive(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    extra = root / "content/articles/extra.md"
    extra.write_text("---\ntitle: Extra\ndate: 2025-09-10\n---\nSoon removed.\n")
    assert build(root).code == 0
    assert (root / "public/articles/extra/index.html").is_file()
    extra.unlink()
    assert build(root).code == 0
    assert not (root / "public/articles/extra").exists()
    assert not list(root.glob(".public*")), "staging or old trees left behind"


def test_failure_while_writing_keeps_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(tmp_path / "site")
    assert build(root).code == 0
    before = tree_hash(root / "public")
    # A changed article: its page must be written (unchanged pages are hard-linked).
    article = next((root / "content" / "articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    real = write._write_new
    calls = {"n": 0}

    def flaky(path: str, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(write, "_write_new", flaky)
    run = build(root)
    monkeypatch.undo()
    assert run.code == 1
    assert run.errors == ["public: output: cannot write the site: No space left on device "
                          "(the previous site was left as it was)"]
    assert tree_hash(root / "public") == before
    assert not list(root.glob(".public*"))


def test_error_after_pages_were_staged_keeps_the_previous_site(tmp_path: Path) -> None:
    # Pages are written beside public/ while the rest renders; a template error in
    # a page rendered late (the topics index) must still publish nothing.
    root = make_site(tmp_path / "site")
    assert build(root).code == 0
    before = tree_hash(root / "public")
    topics = root / "templates/topics.html"
    topics.write_text(topics.read_text().replace("{% block content %}", "{% block content %}{{ 1 / 0 }}", 1))
    (root / "content/articles/new.md").write_text("---\ntitle: New\ndate: 2025-09-10\n---\nNew text.\n")
    run = build(root)
    assert run.code == 1 and any("topics.html" in e and "division by zero" in e for e in run.errors), run.errors
    assert tree_hash(root / "public") == before
    assert not list(root.glob(".public*")), "staging or old trees left behind"


def test_refuses_to_replace_a_directory_it_did_not_make(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    (root / "public").mkdir()
    (root / "public/precious.txt").write_text("mine")
    run = build(root)
    assert run.code == 1
    assert (root / "public/precious.txt").read_text() == "mine"


def test_paths_outside_the_output_are_refused(tmp_path: Path) -> None:
    for bad in ("../escape.html", "/etc/passwd", "a/../../b.html"):
        with pytest.raises(write.SiteError):
            write.check_paths([(bad, b"")])
    with pytest.raises(write.SiteError):
        write.check_paths([("a/index.html", b""), ("a/index.html", b"")])


def test_base_site_is_untouched() -> None:
    assert not (BASE_SITE / "public").exists()
