"""A large site's search index is built in two shards (search_plan): which page goes to which
shard, whether they run side by side, and the real Pagefind over each, merged by the search page."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitetools import bundle_files, indexed_urls, logging_pagefind

from site_builder import search, search_plan, urls
from site_builder.build import BuildResult
from site_builder.errors import SiteError
from site_builder.search_plan import BALANCE, ONE_INDEX, plan

BuildFn = Callable[..., BuildResult]
"""The ``run_build`` fixture (conftest.py)."""

WORDS = ("court", "sentence", "prison", "appeal", "lawyer", "hearing", "release", "letters", "colony",
         "protest", "strike", "union", "journalist", "minsk", "hrodna", "brest", "homel", "vitebsk")


def matches(glob: str, section: str, name: str) -> bool:
    """Pagefind's reading of our globs: a brace list of sections, then ``*`` and classes as fnmatch."""
    sections, rest = re.fullmatch(r"\{([^}]*)\}/(.*)", glob).groups()  # type: ignore[union-attr]
    return section in sections.split(",") and fnmatch.fnmatchcase(f"{name}/index.html", rest)


def slugs(n: int) -> list[str]:
    """Slugs as editors make them: words, and sometimes a number."""
    return [f"{WORDS[i % len(WORDS)]}-{WORDS[(i * 7) % len(WORDS)]}" + (f"-{i}" if i % 3 == 0 else "")
            for i in range(n)]


def test_a_site_below_the_threshold_keeps_one_index() -> None:
    assert plan(slugs(search_plan.SHARD_MIN_PAGES - 1)) == ONE_INDEX
    assert ONE_INDEX.globs == (urls.SEARCHABLE,) and ONE_INDEX.merged == () and ONE_INDEX.runs() == (
        (urls.SEARCHABLE, ""),)


def test_a_large_site_is_split_in_two_halves_that_hold_every_page_once() -> None:
    names = slugs(search_plan.SHARD_MIN_PAGES + 400)
    split = plan(names)
    assert len(split.globs) == 2
    assert split.runs()[1][1] == "shard-2" and split.merged == ("/pagefind/shard-2/",)
    counts = [sum(matches(g, "articles", n) for n in names) for g in split.globs]
    assert sum(counts) == len(names)
    assert all(not (matches(split.globs[0], "people", n) and matches(split.globs[1], "people", n)) for n in names)
    assert min(counts) >= BALANCE * len(names)


def test_slugs_that_all_end_alike_keep_one_index() -> None:
    """No split by the last character could be even: one index, as for a small site."""
    assert plan([f"{name}-s" for name in slugs(search_plan.SHARD_MIN_PAGES * 2)]) == ONE_INDEX


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abcxyz019-_.é]![\\", min_size=1, max_size=6), min_size=0, max_size=80))
def test_every_name_is_in_exactly_one_shard_and_the_shards_are_even(names: list[str]) -> None:
    """Whatever the names end in (class syntax, accents, punctuation), the two globs partition them."""
    split = plan(names, min_pages=10)
    for name in names:
        assert sum(matches(g, "topics", name) for g in split.globs) == 1, (name, split)
    if len(split.globs) == 2:
        counts = [sum(matches(g, "topics", n) for n in names) for g in split.globs]
        assert min(counts) >= BALANCE * len(names)
    else:
        assert split == ONE_INDEX


def test_names_in_lists_what_the_glob_reads(tmp_path: Path) -> None:
    for page in ("articles/a-case/index.html", "people/ales-b/index.html", "topics/courts/index.html",
                 "people/page/2/index.html", "articles/notes/image.png", "search/index.html", "index.html"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("x")
    assert sorted(search_plan.names_in(tmp_path)) == ["a-case", "ales-b", "courts"]
    assert search_plan.names_in(tmp_path / "nothing") == []


def page_count(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def merged_on_search_page(public: Path) -> list[str]:
    form = re.search(r"<form[^>]*data-site-root[^>]*>", (public / "search" / "index.html").read_text())
    assert form is not None
    merge = re.search(r'data-merge="([^"]*)"', form.group(0))
    return merge.group(1).split() if merge else []


def test_a_sharded_build_indexes_every_page_once_and_its_search_page_merges_the_shards(
        full_site: Path, tmp_path: Path, run_build: BuildFn, monkeypatch: pytest.MonkeyPatch) -> None:
    run_build(full_site)
    public = full_site / "public"
    whole = indexed_urls(public / "pagefind")
    assert merged_on_search_page(public) == [] and not (public / "pagefind" / "shard-2").exists()

    monkeypatch.setattr(search_plan, "SHARD_MIN_PAGES", 10)
    assert len(search_plan.plan(search_plan.names_in(public)).globs) == 2, "the seed site must split"
    run_build(full_site)
    first, second = public / "pagefind", public / "pagefind" / "shard-2"
    assert merged_on_search_page(public) == ["/pagefind/shard-2/"]
    assert (second / "pagefind.js").is_file()
    in_first, in_second = indexed_urls(first), indexed_urls(second)
    assert in_first and in_second
    assert sorted(in_first + in_second) == sorted(whole)  # every page, once
    assert page_count(first) + page_count(second) == len(whole)


def test_the_search_page_lists_the_shards_under_a_base_path(
        full_site: Path, run_build: BuildFn, two_shards: None) -> None:
    run_build(full_site, base_url="https://example.org/news")
    assert merged_on_search_page(full_site / "public") == ["/news/pagefind/shard-2/"]


@pytest.fixture
def starts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[subprocess.Popen[bytes], dict[str, Any]]]:
    """Every process ``subprocess.Popen`` starts from here on, with the keyword arguments it was given."""
    seen: list[tuple[subprocess.Popen[bytes], dict[str, Any]]] = []
    popen = subprocess.Popen

    def spy(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        seen.append((popen(args, **kwargs), kwargs))
        return seen[-1][0]

    monkeypatch.setattr(subprocess, "Popen", spy)
    return seen


def test_background_shards_share_one_process_group_and_a_lower_priority(
        full_site: Path, run_build: BuildFn, two_shards: None,
        starts: list[tuple[subprocess.Popen[bytes], dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The dev server stops and ends the indexer by its process group: both runs must be in it."""
    run_build(full_site)
    starts.clear()
    monkeypatch.setattr(search.os, "sched_getaffinity", lambda pid: {0, 1})  # both at once
    told: list[int | None] = []
    bundle = full_site / "fresh-bundle"
    search.index_site(full_site / "public", bundle, background=True, running=told.append)
    first = starts[0][0].pid
    assert [kwargs["process_group"] for _, kwargs in starts] == [0, first]
    assert all(proc.args[:3] == search.WRAPPER for proc, _ in starts)  # type: ignore[index]
    assert told == [first, None]
    assert (bundle / "pagefind.js").is_file() and (bundle / "shard-2" / "pagefind.js").is_file()


def test_a_failing_shard_fails_the_index(full_site: Path, run_build: BuildFn, two_shards: None,
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Half an index would answer half the searches: a failure of either run is the build's."""
    run_build(full_site)
    fake = tmp_path / "pagefind"
    real = search.pagefind_program()[0]
    fake.write_text(f'#!/bin/sh\ncase "$*" in *"[!"*) echo "Error: shard broke" >&2; exit 3;; esac\n'
                    f'exec {real} "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(SiteError, match="pagefind failed: Error: shard broke"):
        search.index_site(full_site / "public", tmp_path / "bundle")


@pytest.mark.parametrize(("signal_name", "said"), [
    ("XFSZ", "stopped by SIGXFSZ: a file it wrote reached the size limit (ulimit -f)"),
    ("KILL", "stopped by SIGKILL: killed, perhaps for want of memory"),
])
def test_a_run_stopped_by_a_signal_says_which_and_why(full_site: Path, run_build: BuildFn, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, signal_name: str,
                                                      said: str) -> None:
    """A Pagefind stopped by a signal prints nothing: 'exit status -25' told an editor nothing."""
    run_build(full_site)
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!/bin/sh\nkill -{signal_name} $$\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(SiteError, match=re.escape(f"pagefind failed: {said}")):
        search.index_site(full_site / "public", tmp_path / "bundle")


def test_a_shard_that_cannot_start_leaves_no_run_behind(full_site: Path, run_build: BuildFn, two_shards: None,
                                                        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    run_build(full_site)
    started: list[subprocess.Popen[bytes]] = []
    popen = subprocess.Popen

    def second_fails(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        if started:
            raise OSError(24, "Too many open files")
        started.append(popen(args, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", second_fails)
    with pytest.raises(SiteError, match=r"could not run pagefind: .*Too many open files"):
        search.index_site(full_site / "public", tmp_path / "bundle")
    assert started[0].returncode is not None  # ended and reaped, not left indexing


@pytest.mark.parametrize(("cores", "runs", "threads"), [(2, 2, "1"), (8, 2, "4"), (1, 2, "1"), (8, 1, None)])
def test_shards_share_the_cores_between_their_parsing_threads(
        cores: int, runs: int, threads: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    monkeypatch.setattr(search.os, "sched_getaffinity", lambda pid: set(range(cores)))
    env = search.pagefind_env(runs)
    assert env.get("RAYON_NUM_THREADS") == threads
    assert env["PATH"] == search.os.environ["PATH"]  # the rest of the environment is passed on
    monkeypatch.setenv("RAYON_NUM_THREADS", "3")
    assert search.pagefind_env(runs)["RAYON_NUM_THREADS"] == "3"  # the caller's choice stands


def test_every_run_gets_the_allocator_settings_unless_the_caller_chose_others(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(search.ALLOCATOR_VARIABLE, raising=False)
    for runs in (1, 2):
        assert search.pagefind_env(runs)[search.ALLOCATOR_VARIABLE] == search.ALLOCATOR_SETTINGS
    monkeypatch.setenv(search.ALLOCATOR_VARIABLE, "narenas:4")
    assert search.pagefind_env(1)[search.ALLOCATOR_VARIABLE] == "narenas:4"


def allocator_options(said: str) -> dict[str, str]:
    """``opt.NAME: VALUE`` lines of jemalloc's statistics, as printed at exit with ``stats_print``."""
    return dict(re.findall(r"^\s*opt\.(\w+): (\S+)", said, re.MULTILINE))


def test_the_pagefind_binary_takes_each_allocator_setting(full_site: Path, run_build: BuildFn, tmp_path: Path) -> None:
    """A Pagefind whose allocator no longer reads the variable, or rejects a setting, fails here."""
    run_build(full_site)
    env = {**search.pagefind_env(1), search.ALLOCATOR_VARIABLE: search.ALLOCATOR_SETTINGS + ",stats_print:true"}
    done = subprocess.run(search.pagefind_command(full_site / "public", tmp_path / "bundle"), env=env,
                          capture_output=True, text=True, check=True)
    said = done.stdout + done.stderr
    assert "Invalid conf" not in said
    options = allocator_options(said)
    for setting in search.ALLOCATOR_SETTINGS.split(","):
        name, value = setting.split(":")
        assert options.get(name) == value, setting


def test_the_allocator_settings_leave_the_bundle_byte_identical(
        full_site: Path, run_build: BuildFn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    run_build(full_site)
    monkeypatch.delenv(search.ALLOCATOR_VARIABLE, raising=False)
    search.index_site(full_site / "public", tmp_path / "ours")
    monkeypatch.setenv(search.ALLOCATOR_VARIABLE, "")  # jemalloc's own defaults
    search.index_site(full_site / "public", tmp_path / "defaults")
    ours = bundle_files(tmp_path / "ours")
    assert any(name.startswith("fragment/") for name in ours)
    assert ours == bundle_files(tmp_path / "defaults")


def test_each_shard_is_started_with_its_share_of_the_cores_and_the_allocator_settings(
        full_site: Path, run_build: BuildFn, two_shards: None, monkeypatch: pytest.MonkeyPatch,
        starts: list[tuple[subprocess.Popen[bytes], dict[str, Any]]], tmp_path: Path) -> None:
    run_build(full_site)
    starts.clear()
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    monkeypatch.delenv(search.ALLOCATOR_VARIABLE, raising=False)
    monkeypatch.setattr(search.os, "sched_getaffinity", lambda pid: {0, 1})
    search.index_site(full_site / "public", tmp_path / "bundle")
    assert [kwargs["env"].get("RAYON_NUM_THREADS") for _, kwargs in starts] == ["1", "1"]
    assert [kwargs["env"][search.ALLOCATOR_VARIABLE] for _, kwargs in starts] == [search.ALLOCATOR_SETTINGS] * 2


def test_the_plan_counts_the_pages_of_each_run() -> None:
    names = slugs(search_plan.SHARD_MIN_PAGES + 400)
    split = plan(names)
    assert split.pages == tuple(sum(matches(g, "articles", n) for n in names) for g in split.globs)
    assert plan(names[:10]).pages == (10,) and plan(names[:10]) == ONE_INDEX


@pytest.mark.parametrize(("pages", "cores", "at_once"), [
    ((2662, 2662), 2, 2), ((3000, 3000), 2, 2), ((3001, 3000), 2, 1), ((5162, 5162), 2, 1),
    ((2662, 2662), 1, 1), ((2662, 2662), 8, 2), ((21,), 2, 1), ((), 2, 1)])
def test_runs_go_side_by_side_one_a_core_within_the_pages_that_memory_allows(
        pages: tuple[int, ...], cores: int, at_once: int) -> None:
    assert search.PAGES_AT_ONCE == 6_000
    assert search.runs_at_once(pages, cores) == at_once


def most_at_once(log: Path) -> int:
    running = most = 0
    for line in log.read_text().splitlines():
        running += 1 if line.startswith("start ") else -1
        most = max(most, running)
    return most


@pytest.mark.parametrize(("cores", "pages_at_once", "at_once"), [(2, 6_000, 2), (2, 15, 1), (1, 6_000, 1)])
def test_shards_run_side_by_side_only_where_cores_and_memory_allow(
        full_site: Path, run_build: BuildFn, two_shards: None, cores: int, pages_at_once: int, at_once: int,
        monkeypatch: pytest.MonkeyPatch, starts: list[tuple[subprocess.Popen[bytes], dict[str, Any]]],
        tmp_path: Path) -> None:
    """Each run's memory grows with its pages: past PAGES_AT_ONCE, one after the other."""
    run_build(full_site)
    public = full_site / "public"
    sizes = search_plan.plan(search_plan.names_in(public)).pages
    assert len(sizes) == 2 and max(sizes) <= 15 < sum(sizes), sizes
    starts.clear()
    log = tmp_path / "runs.log"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(tmp_path, log)))
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    monkeypatch.setattr(search.os, "sched_getaffinity", lambda pid: set(range(cores)))
    monkeypatch.setattr(search, "PAGES_AT_ONCE", pages_at_once)
    bundle = tmp_path / "bundle"
    search.index_site(public, bundle)
    assert len(starts) == 2 and most_at_once(log) == at_once
    # Side by side, they share the cores; one at a time, each has them all.
    assert [kwargs["env"].get("RAYON_NUM_THREADS") for _, kwargs in starts] == ["1" if at_once == 2 else None] * 2
    found = [indexed_urls(bundle), indexed_urls(bundle / "shard-2")]
    every = found[0] + found[1]
    assert all(found) and len(every) == len(set(every)) == sum(sizes)  # every page, once


def test_background_shards_one_after_the_other_each_lead_a_group_the_dev_server_is_told_of(
        full_site: Path, run_build: BuildFn, two_shards: None, monkeypatch: pytest.MonkeyPatch,
        starts: list[tuple[subprocess.Popen[bytes], dict[str, Any]]], tmp_path: Path) -> None:
    """The dev server stops and ends the indexer by its process group: a run started once the
    group's others have all ended leads a new group, and the server is told of it."""
    run_build(full_site)
    starts.clear()
    log = tmp_path / "runs.log"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(tmp_path, log)))
    monkeypatch.setattr(search, "PAGES_AT_ONCE", 15)
    told: list[int | None] = []
    bundle = tmp_path / "bundle"
    search.index_site(full_site / "public", bundle, background=True, running=told.append)
    assert most_at_once(log) == 1
    pids = [proc.pid for proc, _ in starts]
    groups = [int(line.split()[2]) for line in log.read_text().splitlines() if line.startswith("start ")]
    assert groups == pids and told == [*pids, None]
    assert [kwargs["process_group"] for _, kwargs in starts] == [0, 0]
    assert (bundle / "pagefind.js").is_file() and (bundle / "shard-2" / "pagefind.js").is_file()


@pytest.mark.parametrize("at_once", [2, 1])
def test_a_failed_shard_is_the_one_reported_and_no_run_outlives_it(
        full_site: Path, run_build: BuildFn, two_shards: None, at_once: int, monkeypatch: pytest.MonkeyPatch,
        starts: list[tuple[subprocess.Popen[bytes], dict[str, Any]]], tmp_path: Path) -> None:
    """Side by side, the second fails while the first still runs: the first is ended, and not
    reported as a failure.  One after the other, the first fails: the second never starts."""
    run_build(full_site)
    starts.clear()
    first, second = search_plan.plan(search_plan.names_in(full_site / "public")).globs
    broken, other = (second, first) if at_once == 2 else (first, second)
    fake = logging_pagefind(tmp_path, tmp_path / "runs.log", before=(
        f'*"{other}"*) exec sleep 30;; *"{broken}"*) echo "Error: shard broke" >&2; exit 3;;'))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    monkeypatch.setattr(search.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(search, "PAGES_AT_ONCE", 6_000 if at_once == 2 else 15)
    with pytest.raises(SiteError, match=r"pagefind failed: Error: shard broke$"):
        search.index_site(full_site / "public", tmp_path / "bundle")
    if at_once == 2:
        assert len(starts) == 2 and starts[0][0].returncode == -9  # ended and reaped, not left sleeping
    else:
        assert len(starts) == 1
