"""The dev server's output stays what a full build of the same sources would write, whatever else
happens to the folder and however files arrive: a command-line build into it, files moved in with
old times, assets deleted or renamed, a write that fails half-way; and what goes wrong is said in
the terminal."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from sitetools import tree

from site_builder import live
from site_builder.build import build
from site_builder.cli import main
from site_builder.config import load_config
from site_builder.serve import DevState, source_watcher

SERVE_BASE = "http://127.0.0.1:8123"
"""The base URL the dev server builds with (its own address), not site.yaml's."""


def _unbuilt(root: Path) -> DevState:
    """A dev server's state over ``root``, before its first build."""
    config = load_config(root / "content", out_dir=root / "public", templates_dir=root / "templates",
                         base_url=SERVE_BASE)
    return DevState(config, {})


def dev_state(root: Path) -> DevState:
    state = _unbuilt(root)
    assert state.rebuild(), state.errors
    state.wait()
    return state


def fresh_build(root: Path, out: Path) -> Path:
    build(load_config(root / "content", out_dir=out, templates_dir=root / "templates", base_url=SERVE_BASE))
    return out


def save(path: Path, text: str) -> None:
    """An editor's save: new bytes, and a time that moves on even within the same clock tick."""
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_a_command_line_build_into_the_servers_folder_is_written_over_at_the_next_save(
        full_site: Path, tmp_path: Path) -> None:
    """`make site` while `make serve` runs: both use public/. The command line swaps in pages with
    the production base URL; the server's next save must not keep them beside its own."""
    state = dev_state(full_site)
    assert main(["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates"),
                 "--out", str(full_site / "public")]) == 0
    assert SERVE_BASE not in (full_site / "public" / "index.html").read_text()
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    save(article, article.read_text() + "\nOne more line.\n")
    assert state.rebuild(), state.errors
    state.wait()
    assert tree(full_site / "public") == tree(fresh_build(full_site, tmp_path / "fresh"))


def test_a_file_moved_in_with_an_old_time_is_built(full_site: Path, tmp_path: Path) -> None:
    """livereload counts a file it has not seen as new only if modified after the server started;
    the dev server's watcher asks DevState, which compares every file's inode, size and times."""
    state = dev_state(full_site)
    builds = state.builds
    outside = tmp_path / "moved.md"
    outside.write_text("---\ntitle: Moved in\ndate: 2025-06-01\n---\nAles Bialiatski wrote this.\n", encoding="utf-8")
    os.utime(outside, (1_000_000_000, 1_000_000_000))  # 2001: long before the server started
    watcher = source_watcher(state.rebuild)
    assert watcher.examine() == (None, None)  # nothing changed yet: nothing built
    assert state.builds == builds
    outside.rename(full_site / "content/articles/moved-in.md")
    assert watcher.examine() == (None, None)  # the reload is sent by serve's on_change, once per build
    assert state.builds == builds + 1 and state.errors == []
    state.wait()
    assert (full_site / "public/articles/moved-in/index.html").is_file()
    assert tree(full_site / "public") == tree(fresh_build(full_site, tmp_path / "fresh"))


def test_assets_deleted_or_renamed_leave_the_servers_folder_too(full_site: Path, tmp_path: Path) -> None:
    assets = full_site / "templates/assets"
    (assets / "extra.css").write_text("body{}\n")
    state = dev_state(full_site)
    assert (full_site / "public/assets/extra.css").is_file()
    (assets / "extra.css").unlink()
    (assets / "favicon.svg").rename(assets / "icon.svg")
    assert state.rebuild(), state.errors
    state.wait()
    assert not (full_site / "public/assets/extra.css").exists()
    assert sorted(p.name for p in (full_site / "public/assets").iterdir()) == sorted(p.name for p in assets.iterdir())
    (assets / "icon.svg").rename(assets / "favicon.svg")
    assert state.rebuild(), state.errors
    state.wait()
    assert tree(full_site / "public") == tree(fresh_build(full_site, tmp_path / "fresh"))


def test_an_asset_whose_permissions_change_is_copied_with_them(full_site: Path) -> None:
    """Same bytes, other mode: a stylesheet the web server may not read is not the same file."""
    style = full_site / "templates/assets/style.css"
    style.chmod(0o600)
    state = dev_state(full_site)
    assert (full_site / "public/assets/style.css").stat().st_mode & 0o777 == 0o600
    style.chmod(0o644)
    assert state.rebuild(), state.errors
    state.wait()
    assert (full_site / "public/assets/style.css").stat().st_mode & 0o777 == 0o644


def test_a_save_that_changes_nothing_in_the_output_does_not_reindex(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = dev_state(full_site)
    scheduled: list[bool] = []
    assert state.output is not None
    monkeypatch.setattr(state.output, "_schedule_search", lambda: scheduled.append(True))
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    save(article, article.read_text())  # saved again as it was
    assert state.rebuild() and state.builds == 2
    assert scheduled == []
    save(article, article.read_text() + "\nOne more line.\n")
    assert state.rebuild()
    assert scheduled == [True]


def test_a_write_that_fails_half_way_leaves_the_last_good_site_whole(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk after some of a save's files: none of them is renamed into place, no temporary
    file is left, and the next save writes everything."""
    state = dev_state(full_site)
    good = tree(full_site / "public")
    real = Path.write_bytes
    written: list[Path] = []

    def full_disk(self: Path, data: bytes) -> int:
        if ".tmp-" in self.name and written:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real(self, data)

    monkeypatch.setattr(live.Path, "write_bytes", full_disk)
    (full_site / "content/articles/new-one.md").write_text(
        "---\ntitle: New one\ndate: 2025-06-02\n---\nAles Bialiatski wrote this.\n", encoding="utf-8")
    assert not state.rebuild()
    assert len(state.errors) == 1
    assert state.errors[0].endswith("public: output: cannot write the site: No space left on device")
    assert len(written) == 1  # one page written before the disk filled
    assert tree(full_site / "public") == good
    assert not [p for p in (full_site / "public").rglob("*") if ".tmp-" in p.name]
    monkeypatch.undo()
    save(full_site / "content/articles/new-one.md",
         (full_site / "content/articles/new-one.md").read_text() + "\nMore.\n")
    assert state.rebuild(), state.errors
    state.wait()
    assert (full_site / "public/articles/new-one/index.html").is_file()


def test_the_terminal_is_told_of_errors_once_and_of_the_fix(
        full_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = dev_state(full_site)
    capsys.readouterr()
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    original = article.read_text()
    save(article, original.replace("---\ntitle:", "---\ntitle: [unclosed\ntitle:", 1))
    assert not state.rebuild()
    err = capsys.readouterr().err
    assert f"content/articles/{article.name}:" in err and "front matter" in err
    assert err.endswith("1 error; the last good site is still served\n")
    save(full_site / "content/site.yaml", (full_site / "content/site.yaml").read_text() + "\n")
    assert not state.rebuild()
    assert capsys.readouterr().err == ""  # the same error again: said once
    save(article, original)
    assert state.rebuild()
    assert capsys.readouterr().err == "fixed: the site builds again\n"


def test_a_background_index_that_fails_is_said_in_the_terminal(
        full_site: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = dev_state(full_site)
    fake = tmp_path / "failing-pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: the index could not be written' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    capsys.readouterr()
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    save(article, article.read_text() + "\nOne more line.\n")
    assert state.rebuild()
    state.wait()
    err = capsys.readouterr().err
    assert err.startswith("search index not updated: ") and "the index could not be written" in err
    shutil.rmtree(full_site / "public")


def _appears(path: Path) -> bool:
    """Whether ``path`` exists within 30 s."""
    for _ in range(600):
        if path.exists():
            return True
        time.sleep(0.05)
    return path.exists()


def _held_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """A Pagefind that says it started, waits for ``go`` (30 s at most), runs the real one and
    says it is done: (started, go, done)."""
    from site_builder import search

    real = search.pagefind_program()
    started, go, done = tmp_path / "started", tmp_path / "go", tmp_path / "done"
    wrapper = tmp_path / "held-pagefind"
    wrapper.write_text(f"""#!/bin/sh
touch {started}
i=0
while [ ! -e {go} ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
{" ".join(real)} "$@"
status=$?
touch {done}
exit $status
""")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    return started, go, done


def test_the_first_build_serves_before_its_search_index_with_the_last_one(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make site`, then `make serve`: the server's first build does not wait for Pagefind. Until
    the new index is swapped in, search answers from the one the build left (the same files),
    and then from exactly what Pagefind makes of the new pages."""
    from test_search_reuse import bundle, fresh_index, inodes

    from site_builder import search

    assert main(["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates"),
                 "--out", str(full_site / "public")]) == 0
    built = inodes(full_site / "public" / search.BUNDLE_DIR)
    started, go, done = _held_pagefind(tmp_path, monkeypatch)
    state = _unbuilt(full_site)
    try:
        assert state.rebuild(), state.errors
        assert SERVE_BASE in (full_site / "public" / "index.html").read_text()  # the new pages are served
        assert _appears(started) and not done.exists()  # the new pages' index, begun in the background
        assert inodes(full_site / "public" / search.BUNDLE_DIR) == built  # the last index, not a copy
        go.touch()
        state.wait()
        assert done.exists()
        monkeypatch.delenv("PAGEFIND_BINARY_PATH")
        assert bundle(full_site / "public") == fresh_index(full_site / "public", tmp_path)
    finally:
        go.touch()
        state.close()


def test_a_server_stopped_while_it_indexes_says_nothing_failed(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl+C soon after `make serve` ends the first index in the background: that is no failure."""
    started, go, _ = _held_pagefind(tmp_path, monkeypatch)
    state = _unbuilt(full_site)
    try:
        assert state.rebuild(), state.errors
        capsys.readouterr()
        assert _appears(started)
        state.close()
        state.wait()
        assert capsys.readouterr().err == ""
        assert not (full_site / "public" / "pagefind").exists()  # nothing to search from, nothing broken
    finally:
        go.touch()
        state.close()
