"""A command-line build keeps the search index of the pages it did not change (search_reuse),
and links the assets it did not change: with the real Pagefind behind a wrapper that logs each run."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitetools import bundle_files, indexed_urls, logging_pagefind
from test_search_plan import matches

from site_builder import search, search_plan, search_reuse
from site_builder.build import BuildResult
from site_builder.cachedir import cache_dir
from site_builder.config import load_config
from site_builder.serve import DevState

BuildFn = Callable[..., BuildResult]

ARTICLE = "belarus-releases-political-prisoners-signaling-shift-in"
"""A seed article; its body's third paragraph is edited, which changes no other page."""


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log of the Pagefind runs from here on (the same program for every build)."""
    log = tmp_path / "runs.log"
    log.write_text("")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(tmp_path, log)))
    return log


def started(log: Path) -> int:
    """How many Pagefind runs the log shows, and empty it."""
    count = log.read_text().count("start ")
    log.write_text("")
    return count


def bundle(public: Path) -> dict[str, bytes]:
    return bundle_files(public / search.BUNDLE_DIR)


def inodes(folder: Path) -> dict[str, int]:
    """Which file each of ``folder``'s is (a later shard inside it is not counted)."""
    return {str(f.relative_to(folder)): f.stat().st_ino for f in sorted(folder.rglob("*"))
            if f.is_file() and not f.relative_to(folder).parts[0].startswith("shard-")}


def fresh_index(public: Path, tmp_path: Path) -> dict[str, bytes]:
    """What Pagefind writes over ``public`` from nothing (no record, no previous bundle)."""
    target = tmp_path / "fresh"
    search.index_site(public, target)
    return bundle_files(target)


def fragments(folder: Path) -> list[str]:
    """The text of each page in a bundle, as its fragment holds it."""
    return [gzip.decompress(f.read_bytes()).decode("utf-8") for f in sorted((folder / "fragment").iterdir())]


def edit(site: Path, slug: str, old: str, new: str) -> None:
    path = site / "content" / "articles" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_site_is_not_indexed_again_and_keeps_its_bundle_files(
        full_site: Path, run_build: BuildFn, runs: Path, tmp_path: Path) -> None:
    public = full_site / "public"
    run_build(full_site)
    assert started(runs) == 1
    before = inodes(public / search.BUNDLE_DIR)
    run_build(full_site)
    assert started(runs) == 0
    assert inodes(public / search.BUNDLE_DIR) == before  # the same files, not copies
    assert bundle(public) == fresh_index(public, tmp_path)


def test_an_edited_article_is_indexed_again_and_found_by_its_new_words(
        full_site: Path, run_build: BuildFn, runs: Path, tmp_path: Path) -> None:
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    edit(full_site, ARTICLE, "unprecedented move", "zyxwvutsrq move")
    run_build(full_site)
    assert started(runs) == 1
    assert bundle(public) == fresh_index(public, tmp_path)
    assert any("zyxwvutsrq" in text for text in fragments(public / search.BUNDLE_DIR))


def test_a_removed_article_is_indexed_again(full_site: Path, run_build: BuildFn, runs: Path) -> None:
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    assert f"/articles/{ARTICLE}/" in indexed_urls(public / search.BUNDLE_DIR)
    (full_site / "content" / "articles" / f"{ARTICLE}.md").unlink()
    run_build(full_site)
    assert started(runs) == 1
    assert f"/articles/{ARTICLE}/" not in indexed_urls(public / search.BUNDLE_DIR)


def test_in_a_sharded_site_only_the_shard_of_the_edited_article_is_indexed_again(
        full_site: Path, run_build: BuildFn, runs: Path, two_shards: None, tmp_path: Path) -> None:
    public = full_site / "public"
    run_build(full_site)
    plan = search_plan.plan(search_plan.names_in(public))
    assert len(plan.globs) == 2 and started(runs) == 2
    edited = plan.run_of(ARTICLE)
    folders = [public / search.BUNDLE_DIR, public / search.BUNDLE_DIR / "shard-2"]
    other = folders[1 - edited]
    before = {folder: inodes(folder) for folder in folders}
    edit(full_site, ARTICLE, "unprecedented move", "zyxwvutsrq move")
    run_build(full_site)
    assert started(runs) == 1
    assert inodes(other) == before[other]
    assert not set(inodes(folders[edited]).values()) & set(before[folders[edited]].values())
    assert bundle(public) == fresh_index(public, tmp_path)


def test_another_pagefind_indexes_again(full_site: Path, run_build: BuildFn, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    run_build(full_site)  # the real binary
    log = tmp_path / "runs.log"
    log.write_text("")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(tmp_path, log)))
    run_build(full_site)
    assert started(log) == 1


def test_a_pagefind_upgraded_in_place_indexes_again(full_site: Path, run_build: BuildFn, runs: Path,
                                                   tmp_path: Path) -> None:
    """``pip install -U`` replaces the binary at the same path: its size or time tells."""
    run_build(full_site)
    started(runs)
    program = tmp_path / "logging-pagefind"
    program.write_text(program.read_text() + "# a new version\n")
    run_build(full_site)
    assert started(runs) == 1


@pytest.mark.parametrize("setting", ["variable", "file"])
def test_pagefind_settings_changed_since_index_again(
        full_site: Path, run_build: BuildFn, runs: Path, tmp_path: Path, setting: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind also reads PAGEFIND_* variables and a configuration file in the folder it runs in."""
    monkeypatch.chdir(full_site)
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    if setting == "variable":
        monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    else:
        (full_site / "pagefind.yml").write_text("force_language: fr\n")
    run_build(full_site)
    assert started(runs) == 1
    assert [p.name[:12] for p in (public / search.BUNDLE_DIR).glob("*.pf_meta")] == ["pagefind.fr_"]
    run_build(full_site)
    assert started(runs) == 0  # and the new settings are recorded in their turn


class Vanished:
    """A directory entry whose file is gone by the time it is looked at."""

    def __init__(self, entry: os.DirEntry[str]) -> None:
        self.name, self.path = entry.name, entry.path

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        return False

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        raise FileNotFoundError(2, "No such file or directory", self.path)


class Listing:
    """What ``os.scandir`` returns, already read: an iterator of entries and a context manager."""

    def __init__(self, entries: list[object]) -> None:
        self.entries = iter(entries)

    def __enter__(self) -> Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Listing:
        return self

    def __next__(self) -> object:
        return next(self.entries)


def test_a_bundle_that_changes_while_it_is_checked_is_not_reused(
        full_site: Path, run_build: BuildFn, runs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dev server swaps in a new bundle as a build lists the published one: a file listed is
    gone when it is looked at.  That bundle is not kept, though by the time it would be linked it
    is whole again (the new one in place): the build indexes, and does not fail."""
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    real_scandir = os.scandir
    published = str(public / search.BUNDLE_DIR / "fragment")
    listings: list[str] = []

    def first_listing_loses_a_file(path: str) -> object:
        if str(path) != published or listings:
            return real_scandir(path)
        with real_scandir(path) as listing:
            entries: list[object] = list(listing)
        listings.append(path)
        entries[0] = Vanished(entries[0])  # type: ignore[arg-type]
        return Listing(entries)

    monkeypatch.setattr(os, "scandir", first_listing_loses_a_file)
    run_build(full_site)
    monkeypatch.setattr(os, "scandir", real_scandir)
    assert listings and started(runs) == 1
    assert bundle(public) == fresh_index(public, tmp_path)


@pytest.mark.parametrize("damage", ["changed", "replaced", "removed", "added"])
def test_a_previous_bundle_touched_since_is_not_reused(
        full_site: Path, run_build: BuildFn, runs: Path, tmp_path: Path, damage: str) -> None:
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    folder = public / search.BUNDLE_DIR
    target = folder / "pagefind-entry.json"
    if damage == "changed":
        with target.open("ab") as f:
            f.write(b" ")
    elif damage == "replaced":
        data = target.read_bytes()
        target.unlink()
        target.write_bytes(data)
    elif damage == "removed":
        next((folder / "fragment").iterdir()).unlink()
    else:
        (folder / "fragment" / "extra.pf_fragment").write_bytes(b"x")
    run_build(full_site)
    assert started(runs) == 1
    assert bundle(public) == fresh_index(public, tmp_path)


@pytest.mark.parametrize("record", [b"", b"not json", b"[]", b'{"format": 1, "runs": []}',
                                    b'{"format": 1, "runs": {"": {"bundle": ""}}}'])
def test_an_unreadable_record_means_indexing_again(
        full_site: Path, run_build: BuildFn, runs: Path, record: bytes) -> None:
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    (cache_dir(public) / search_reuse.RECORD).write_bytes(record)
    run_build(full_site)
    assert started(runs) == 1
    assert (public / search.BUNDLE_DIR / "pagefind.js").is_file()


def test_a_bundle_that_cannot_be_linked_is_made_again(
        full_site: Path, run_build: BuildFn, runs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another file system, or too many links: Pagefind runs, over a folder with nothing half-linked."""
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    real_link = os.link
    made: list[str] = []

    def link_some(source: str | Path, target: str | Path, **kwargs: bool) -> None:
        """The bundle's first file links; the next cannot (pages and assets link as ever)."""
        if f"/{search.BUNDLE_DIR}/" in str(target):
            if made:
                raise OSError(18, "Invalid cross-device link")
            made.append(str(target))
        real_link(source, target, **kwargs)

    previous = public / search.BUNDLE_DIR
    kept = tmp_path / "previous-bundle"  # a second name for each file of the published bundle
    for path in previous.rglob("*"):
        if path.is_file():
            (kept / path.relative_to(previous)).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, kept / path.relative_to(previous))
    written = {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in kept.rglob("*") if p.is_file()}
    monkeypatch.setattr(os, "link", link_some)
    run_build(full_site)
    assert made and started(runs) == 1
    assert bundle(public) == fresh_index(public, tmp_path)
    # Pagefind writes into a file it finds in its folder: a link left there would have let it
    # write into the published site's files.
    assert {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in kept.rglob("*") if p.is_file()} == written


def test_a_failed_build_leaves_the_record_true_to_the_published_site(
        full_site: Path, run_build: BuildFn, runs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index that fails publishes nothing; the next build can still take the published bundle."""
    public = full_site / "public"
    run_build(full_site)
    started(runs)
    edit(full_site, ARTICLE, "unprecedented move", "zyxwvutsrq move")
    fake = tmp_path / "failing-pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: out of luck' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(Exception, match="out of luck"):
        run_build(full_site)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "logging-pagefind"))
    edit(full_site, ARTICLE, "zyxwvutsrq move", "unprecedented move")
    run_build(full_site)
    assert started(runs) == 0
    assert bundle(public) == fresh_index(public, tmp_path)


def test_unchanged_assets_are_the_previous_files_and_a_changed_one_is_new(
        full_site: Path, run_build: BuildFn) -> None:
    public = full_site / "public"
    run_build(full_site)
    before = inodes(public / "assets")
    style = full_site / "templates" / "assets" / "style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\n/* edited */\n", encoding="utf-8")
    run_build(full_site)
    after = inodes(public / "assets")
    assert after.keys() == before.keys()
    assert {name for name in after if after[name] != before[name]} == {"style.css"}
    assert (public / "assets" / "style.css").read_bytes() == style.read_bytes()


def test_an_asset_whose_permissions_changed_is_copied_with_them(full_site: Path, run_build: BuildFn) -> None:
    """Same bytes, other mode: a stylesheet the web server may not read is not the same file."""
    public = full_site / "public"
    style = full_site / "templates" / "assets" / "style.css"
    style.chmod(0o600)
    run_build(full_site)
    assert (public / "assets" / "style.css").stat().st_mode & 0o777 == 0o600
    style.chmod(0o644)
    run_build(full_site)
    assert (public / "assets" / "style.css").stat().st_mode & 0o777 == 0o644


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abcxyz019-_.é]![\\", min_size=1, max_size=6), min_size=0, max_size=80))
def test_the_plan_says_which_run_reads_a_page_as_its_globs_do(names: list[str]) -> None:
    """The record keys each run by the pages its glob reads: the plan must agree with the glob."""
    split = search_plan.plan(names, min_pages=10)
    for name in names:
        assert matches(split.globs[split.run_of(name)], "articles", name), (name, split)


def test_the_site_builder_program_keeps_the_bundle_of_an_unchanged_site(
        full_site: Path, runs: Path, tmp_path: Path) -> None:
    """As editors run it: each build's search step runs in the small process it hands over to."""
    public = full_site / "public"
    command = [sys.executable, "-m", "site_builder", "build", "--content", str(full_site / "content"),
               "--templates", str(full_site / "templates"), "--out", str(public)]
    for expected in (1, 0):
        subprocess.run(command, check=True, capture_output=True)
        assert started(runs) == expected
    edit(full_site, ARTICLE, "unprecedented move", "zyxwvutsrq move")
    subprocess.run(command, check=True, capture_output=True)
    assert started(runs) == 1
    assert bundle(public) == fresh_index(public, tmp_path)


def test_the_dev_server_reindexes_only_the_shard_of_a_saved_article(
        full_site: Path, runs: Path, two_shards: None, tmp_path: Path) -> None:
    """After a save, the server's background index takes the live bundle of the shard no save touched;
    the site it leaves is the one a full build makes, search index included."""
    config = load_config(full_site / "content", out_dir=full_site / "public", templates_dir=full_site / "templates",
                         base_url="http://127.0.0.1:8123")
    state = DevState(config, {})
    assert state.rebuild(), state.errors
    state.wait()
    public = full_site / "public"
    plan = search_plan.plan(search_plan.names_in(public))
    assert len(plan.globs) == 2 and started(runs) == 2
    folders = [public / search.BUNDLE_DIR, public / search.BUNDLE_DIR / "shard-2"]
    other = folders[1 - plan.run_of(ARTICLE)]
    before = inodes(other)
    for word in ("zyxwvutsrq", "qrstuvwxyz"):  # two saves, each indexed in the background
        path = full_site / "content" / "articles" / f"{ARTICLE}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("unprecedented", word, 1) if word == "zyxwvutsrq"
                        else text.replace("zyxwvutsrq", word, 1), encoding="utf-8")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert state.rebuild(), state.errors
        state.wait()
        assert started(runs) == 1
        assert inodes(other) == before
        assert any(word in text for text in fragments(folders[plan.run_of(ARTICLE)]))
    assert bundle(public) == fresh_index(public, tmp_path)
