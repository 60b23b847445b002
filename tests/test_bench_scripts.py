"""The benchmark scripts run and report every part (no timing is checked: that is their job)."""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from site_builder import parallel

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_registry_parts_reports_each_part_for_both_corpora(capsys: pytest.CaptureFixture[str]) -> None:
    workers = parallel.workers
    assert _script("registry_parts").main(["--articles", "30", "--people", "6", "--repeat", "1"]) == 0
    assert parallel.workers is workers  # measured serially, then given back: later tests keep their pools
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "30 articles; CPU time, serial, fastest of 1"
    rows = {line[:34].strip(): line[34:].split() for line in lines[2:]}
    assert list(rows) == ["related articles (whole site)", "people together (whole site)", "detection (per article)",
                          "article page (per article)", "article body (per article)",
                          "article JSON-LD (per article)", "person pages (per person)"]
    figure = re.compile(r"\d+\.\d")
    for part, cells in rows.items():
        with_people = cells[-2]
        assert figure.fullmatch(with_people), (part, cells)
    assert rows["person pages (per person)"][0] == "—"  # no registry, no person pages


def _bodies(root: Path) -> dict[str, list[str]]:
    return {path.name: path.read_text(encoding="utf-8").split("---\n", 2)[2].strip().split("\n\n")
            for path in sorted((root / "content" / "articles").glob("*.md"))}


def test_people_overhead_articles_are_as_long_as_the_seeds(tmp_path: Path) -> None:
    overhead = _script("people_overhead")
    mean, block = overhead.seed_shape()
    seeds = sorted((BENCH.parent / "seeds").glob("*.txt"))
    assert mean == round(sum(len(p.read_text(encoding="utf-8").split()) for p in seeds) / len(seeds))
    long_words = overhead.generate(tmp_path / "long", 12, 40)
    short_words = overhead.generate(tmp_path / "short", 12, 40, words=0)
    long, short = _bodies(tmp_path / "long"), _bodies(tmp_path / "short")
    assert list(long) == list(short) and len(long) == 12
    # What generate() says it wrote: the mean words of a body.
    for said, bodies in ((long_words, long), (short_words, short)):
        assert said == round(sum(len(p.split()) for ps in bodies.values() for p in ps) / len(bodies))
    names = {n for _, n, a in map(overhead.person, range(500)) for n in (n, a)}
    keywords = [k for ks in overhead.TOPICS.values() for k in ks]
    for name, paragraphs in long.items():
        assert abs(sum(len(p.split()) for p in paragraphs) - mean) < block, name
        # The five paragraphs that name people are those of the short corpus, in order; the rest name nobody.
        assert len(short[name]) == 5
        assert [p for p in paragraphs if p in short[name]] == short[name], name
        assert paragraphs[0] == short[name][0]
        padding = [p for p in paragraphs if p not in short[name]]
        assert padding and not any(n in p for p in padding for n in [*names, *keywords])
        assert all(len(p.split()) <= block for p in padding)


def test_pagefind_phases_splits_cpu_at_the_marks() -> None:
    script = _script("pagefind_phases")
    samples = [(0.0, 0.0), (1.0, 2.0), (2.0, 3.0), (3.0, 3.5)]
    found = script.phases([("[Parsing files]", 0.0), ("Total:", 1.0), ("end", 3.0)], samples)
    assert [(p.name, p.wall, p.cpu) for p in found] == [("parse", 1.0, 2.0), ("write", 2.0, 1.5)]
    assert [p.cores for p in found] == [2.0, 0.75]
    # A mark between two samples takes the CPU in proportion.
    between = script.phases([("[Parsing files]", 0.5), ("Total:", 1.5), ("end", 3.0)], samples)
    assert [(p.name, p.cpu) for p in between] == [("parse", 1.5), ("write", 1.0)]


def test_proctree_counts_the_cpu_and_memory_of_a_process_tree() -> None:
    proctree = _script("proctree")
    # A shell whose child burns CPU, then ends: its time must stay counted, through the shell.
    busy = "import time; t = time.process_time(); exec('while time.process_time() - t < 0.3: pass')"
    peak = 0
    with subprocess.Popen(["sh", "-c", f"{sys.executable} -c \"{busy}\"; sleep 0.3"]) as shell:
        time.sleep(0.05)
        while shell.poll() is None:
            seen = proctree.cpu_seconds(shell.pid)
            peak = max(peak, proctree.rss_kib(shell.pid))
            time.sleep(0.02)
    assert seen >= 0.3
    assert peak > 4096  # Python alone takes more than 4 MB


def searchable_site(site: Path, slugs: tuple[str, ...]) -> Path:
    """A built site in miniature: one searchable article page for each slug."""
    for slug in slugs:
        page = site / "articles" / slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!doctype html><html lang="en"><head><title>{slug}</title></head><body>'
                        f'<main data-pagefind-body><h1>{slug}</h1><p>Political prisoners in Belarus.</p></main>'
                        "</body></html>", encoding="utf-8")
    return site


def test_pagefind_phases_times_every_phase_and_leaves_the_site_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script("pagefind_phases")
    site = searchable_site(tmp_path / "public", ("one", "two"))
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    found, wall, cpu = script.run(site)
    assert [p.name for p in found] == ["start", "walk", "parse", "languages", "index", "write", "exit"]
    assert cpu > 0 and abs(sum(p.wall for p in found) - wall) < 1e-9
    assert all(p.wall >= 0 and p.cpu >= 0 for p in found)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # the index went elsewhere

    assert script.main([str(site)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith(f"Pagefind over {site}: ") and rows[1].split() == ["phase", "wall", "CPU", "cores"]
    assert [row.split()[0] for row in rows[2:]] == ["start", "walk", "parse", "languages", "index", "write", "exit"]


def test_pagefind_phases_reports_a_failed_pagefind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = _script("pagefind_phases")
    (tmp_path / "empty").mkdir()
    assert script.main([str(tmp_path / "empty")]) == 1
    assert f"{tmp_path / 'empty'}: pagefind failed:" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]  # no bundle left behind


def test_memory_phases_reports_our_stages_and_pagefind(capsys: pytest.CaptureFixture[str]) -> None:
    assert _script("memory_phases").main(["--n", "40"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("N = 40 articles: full build ")
    ours, search = lines[1:]
    assert re.fullmatch(r"our stages \(before Pagefind\) +\d+ MB  \(python \d+(, python \d+)*\)", ours), ours
    assert re.fullmatch(r"while Pagefind runs +\d+ MB  \(.*pagefind\w* \d+.*\)", search), search


def test_memory_phases_splits_samples_at_pagefind() -> None:
    phases = _script("memory_phases")
    samples = [{"python:1": 100}, {"python:1": 300, "python:2": 250}, {"python:1": 20, "pagefind_extended:3": 400},
               {"python:1": 20, "pagefind_extended:3": 200}]
    ours, search = phases.peaks(samples)
    assert ours == {"python:1": 300, "python:2": 250} and search == {"python:1": 20, "pagefind_extended:3": 400}


def test_the_trash_takes_a_folder_whose_name_an_earlier_run_left_in_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each benchmark process counts its trash names from 0; an earlier one's may still be there."""
    clean_state = _script("clean_state")
    monkeypatch.setattr(clean_state, "_counter", itertools.count())
    trash = clean_state.Trash(tmp_path / ".trash")
    for left in ("0-site", "1-site"):
        (trash.dir / left / "public").mkdir(parents=True)
    (tmp_path / "site" / "public").mkdir(parents=True)
    trash.set_aside(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert sorted(p.name for p in trash.dir.iterdir()) == ["0-site", "1-site", "2-site"]
    trash.empty()
    assert not trash.dir.exists()
    (tmp_path / "site").mkdir()
    trash.set_aside(tmp_path / "site")  # one trash, shared by the scripts of one process, emptied and used again
    assert sorted(p.name for p in trash.dir.iterdir()) == ["3-site"]


def test_shard_layouts_times_every_layout_and_leaves_the_site_and_the_settings_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from site_builder import search, search_plan
    script = _script("shard_layouts")
    site = searchable_site(tmp_path / "public", tuple(f"case-{end}" for end in "abcdefgh"))
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    settings = (search_plan.SHARD_MIN_PAGES, search_plan.plan, search.PAGES_AT_ONCE)
    four = script.four_shards(search_plan.names_in(site))
    assert len(four.globs) == 4 and four.pages == (2, 2, 2, 2)
    assert script.main([str(site), "--repeat", "2"]) == 0
    rows = capsys.readouterr().out.splitlines()
    cores = len(os.sched_getaffinity(0))
    assert rows[0] == f"{site}: 8 searchable pages, {cores} cores; wall s and peak MB of each run"
    assert [row[:26].strip() for row in rows[1:]] == list(script.LAYOUTS)
    assert all(re.fullmatch(r".{26} wall \d+\.\d\d, \d+\.\d\d +peak \d+, \d+", row) for row in rows[1:]), rows
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # the bundles went elsewhere
    assert (search_plan.SHARD_MIN_PAGES, search_plan.plan, search.PAGES_AT_ONCE) == settings


def test_shard_layouts_reports_a_folder_with_no_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _script("shard_layouts").main([str(tmp_path)]) == 1
    assert "no searchable pages" in capsys.readouterr().err


@pytest.mark.browser
def test_search_ranking_reports_each_way_of_searching(capsys: pytest.CaptureFixture[str]) -> None:
    assert _script("search_ranking").main(["--n", "40", "--shard-min", "10"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[:2]] == ["built 40 articles, 300 people, 24 topics"] * 2  # both builds
    lines = out[2:]
    assert lines[0].startswith("N = 40 articles, ") and lines[1] == "24 topics"
    row = r"  {} +\d+ first, +\d+ listed \(worst (\d+|beyond 20)\); +\d+ list the same pages as one index"
    names = ("one index", "two shards", "two shards, raw merge")
    for name, line in zip(names, lines[2:5], strict=True):
        assert re.fullmatch(row.format(re.escape(name)), line), line
    same = r"  one index +24 first, +24 listed \(worst 1\); +24 list the same pages as one index"
    assert re.fullmatch(same, lines[2]), lines[2]
    assert re.fullmatch(r"\d+ people", lines[5])


def test_repeat_build_times_the_dev_servers_start_with_and_without_the_disk_cache(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", os.environ["XDG_CACHE_HOME"])  # the script sets its own: put it back
    assert _script("repeat_build").main(["--n", "40", "--repeat", "1", "--start"]) == 0
    lines = capsys.readouterr().out.splitlines()
    number = r"\d+\.\d+"
    assert lines[0] == "N = 40 articles, site-builder serve; the median of 1 starts of each kind"
    kinds = ("with the disk cache", "without            ", "after a build      ")
    for kind, line in zip(kinds, lines[1:4], strict=True):
        assert re.fullmatch(rf"start to serving, {kind}: median {number} s of {number}; stop {number} s", line), line
    assert re.fullmatch(rf"starting without the disk cache takes {number}x the time of starting with it", lines[4])


@pytest.mark.parametrize("serve", [False, True])
def test_repeat_build_times_each_kind_with_and_without_the_record(
        serve: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", os.environ["XDG_CACHE_HOME"])  # the script sets its own: put it back
    from site_builder import search_reuse

    kept = search_reuse.Reuse.kept
    assert _script("repeat_build").main(["--n", "40", "--repeat", "1", *(["--serve"] if serve else [])]) == 0
    assert search_reuse.Reuse.kept is kept  # the server's comparison leaves the record honoured again
    lines = capsys.readouterr().out.splitlines()
    number = r"\d+\.\d+"
    if serve:
        assert lines[0] == "N = 40 articles, dev server; the median of 1 saves of each kind"
        assert re.fullmatch(rf"rebuild \(pages written\): median {number} s", lines[1]), lines[1]
        for kind, line in zip(("kept  ", "again "), lines[2:4], strict=True):
            assert re.fullmatch(rf"search caught up, {kind}: median {number} s of {number}", line), line
        assert re.fullmatch(rf"indexing again takes {number}x the time of keeping the record", lines[4])
    else:
        assert re.fullmatch(rf"N = 40 articles; first build {number} s; the median of 1 builds of each kind",
                            lines[0]), lines[0]
        kinds = [f"{what}, {way}" for what in ("no change", "one edit") for way in ("kept", "pages", "again")]
        for kind, line in zip(kinds, lines[2:8], strict=True):
            assert re.fullmatch(rf"{kind} +{number} +{number}", line), line
        for what, line in zip(("no change", "one edit"), lines[8:10], strict=True):
            assert re.fullmatch(rf"{what}: rendering every page takes {number}x the time of keeping both records, "
                                rf"indexing again as well {number}x", line), line
        assert len(lines) == 10


@pytest.mark.parametrize("mode", ["", "--again", "--edit"])
def test_build_stages_times_every_stage_and_puts_the_functions_back(
        mode: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", os.environ["XDG_CACHE_HOME"])  # the script sets its own: put it back
    from site_builder import build, search, write

    originals = (build.render_site, search.index_site, write.Staging.add)
    stages = _script("build_stages")
    assert stages.main(["--n", "40", *([mode] if mode else [])]) == 0
    assert (build.render_site, search.index_site, write.Staging.add) == originals
    lines = capsys.readouterr().out.splitlines()
    said = {"": "", "--again": ", built again", "--edit": ", one article edited"}[mode]
    assert re.fullmatch(r".*/stages-n40: 40 articles, \d+ files" + said, lines[0])
    rows = {line[:28].strip(): line[28:] for line in lines[2:2 + len(stages.STAGES)]}
    assert list(rows) == [label for _, _, label in stages.STAGES]
    seconds = {label: float(row.split()[0]) for label, row in rows.items()}
    assert all(seconds[label] > 0 for label in ("render", "Pagefind")), rows
    # Run again over an unchanged site that has its page record, every page is kept: none is written.
    assert (seconds["write (within render)"] == 0) == (mode == "--again") or mode == "--edit", rows
    if mode == "--edit":  # the timed build published the edited article (its few pages take no measurable time)
        edited = [page for page in (stages.build_bench.OUT / "stages-n40" / "public" / "articles").glob("*/index.html")
                  if "One more sentence, edited." in page.read_text(encoding="utf-8")]
        assert len(edited) == 1, edited
