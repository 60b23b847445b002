"""A command-line build does not render again the pages whose inputs did not change (page_reuse):
it keeps them from the previous output, and the site is byte for byte the one a fresh build writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitetools import tree
from test_editors import EDITS, SIGNIFICANCE, _edit

from site_builder import diskcache, page_reuse, render
from site_builder.build import BuildResult, build
from site_builder.cache import tree_digest
from site_builder.cachedir import cache_dir, identity_of
from site_builder.config import load_config
from site_builder.errors import BuildFailed

ARTICLE_PAGE = "articles/the-significance-of-the-belarus-prisoner-release/index.html"


def _build(root: Path, out: str = "public") -> BuildResult:
    return build(load_config(root / "content", out_dir=root / out, templates_dir=root / "templates"))


def _fresh(root: Path, tmp_path: Path) -> dict[str, str]:
    """The site a build into a new folder writes from ``root``'s sources."""
    out = tmp_path / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    build(load_config(root / "content", out_dir=out, templates_dir=root / "templates"))
    return tree(out)


def _record(root: Path) -> Path:
    return cache_dir(root / "public") / page_reuse.RECORD


def _inodes(public: Path) -> dict[str, int]:
    return {str(p.relative_to(public)): p.stat().st_ino for p in public.rglob("*.html")}


def test_a_build_run_again_keeps_every_unchanged_page(full_site: Path, tmp_path: Path) -> None:
    first = _build(full_site)
    jobs = sum(first.jobs)
    assert first.jobs == (0, jobs) and jobs > 0
    assert not _record(full_site).exists()  # a new output folder: no previous pages, no keys
    assert _build(full_site).jobs == (0, jobs)  # the record is made
    assert _record(full_site).is_file()
    before = _inodes(full_site / "public")
    third = _build(full_site)
    assert third.jobs == (jobs, 0)  # nothing rendered
    assert third.files == first.files
    assert _inodes(full_site / "public") == before
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)
    assert _build(full_site).jobs == (jobs, 0)  # what a kept job records keeps it the next time too


def test_command_line_builds_equal_fresh_builds_edit_after_edit(full_site: Path, tmp_path: Path) -> None:
    """Every kind of edit, built into the same public/ with the record of the build before,
    leaves public/ byte for byte as a build into a new folder would."""
    _build(full_site)
    _build(full_site)
    for kind, edit in EDITS:
        edit(full_site)
        result = _build(full_site)
        assert tree(full_site / "public") == _fresh(full_site, tmp_path), kind
        kept, rendered = result.jobs
        if kind == "body far from the summary":
            assert 0 < rendered < kept, kind  # the edited article and the pages listing it, not the rest
        if kind in ("template", "stylesheet"):
            assert kept == 0, kind  # assets live under templates/: any change there re-renders every page


def test_a_change_of_configuration_or_code_renders_every_page(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(full_site)
    _build(full_site)
    _edit(full_site / "content/site.yaml", "base_url: https://belarus-prisoners", "base_url: https://other")
    assert _build(full_site).jobs[0] == 0
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)
    assert _build(full_site).jobs[1] == 0
    monkeypatch.setattr(render, "code_version", lambda: "another version of site-builder")
    assert _build(full_site).jobs[0] == 0


def test_a_page_written_over_or_touched_is_rendered_again(full_site: Path, tmp_path: Path) -> None:
    _build(full_site)
    _build(full_site)
    public = full_site / "public"
    (public / ARTICLE_PAGE).write_text("defaced")
    index = public / "index.html"
    os.utime(index, ns=(index.stat().st_atime_ns, index.stat().st_mtime_ns + 1))  # same bytes, touched
    assert _build(full_site).jobs[1] == 2
    assert tree(public) == _fresh(full_site, tmp_path)


def test_a_page_changed_in_place_as_it_was_written_is_kept(full_site: Path) -> None:
    """What the record cannot see: bytes changed in place, with the size and time put back.
    (Only someone setting out to do it does that; see DECISIONS.md.)  It shows the page is not rendered."""
    _build(full_site)
    _build(full_site)
    page = full_site / "public" / ARTICLE_PAGE
    st = page.stat()
    data = page.read_bytes()
    with page.open("r+b") as f:
        f.write(b"<!-- kept, not rendered -->"[: len(data)])
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    _build(full_site)
    assert page.read_bytes().startswith(b"<!-- kept, not rendered -->")
    _edit(full_site / SIGNIFICANCE, "remain pivotal concerns", "remain open")  # its inputs change
    _build(full_site)
    assert page.read_bytes().startswith(b"<!doctype html>") and b"remain open" in page.read_bytes()


@pytest.mark.parametrize("record", [
    b"", b"not json", b"[]", b'{"format": 99}', b'{"format": 2, "setting": "another", "jobs": {}}',
    b"[" * 100_000 + b"]" * 100_000,  # nested deeper than the parser's recursion
])
def test_a_record_that_cannot_be_used_renders_every_page(full_site: Path, tmp_path: Path, record: bytes) -> None:
    _build(full_site)
    _build(full_site)
    _record(full_site).write_bytes(record)
    result = _build(full_site)
    assert result.jobs[0] == 0
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)
    assert _build(full_site).jobs[1] == 0  # and the record is made again


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user takes root")
def test_someone_elses_record_is_not_read(full_site: Path) -> None:
    _build(full_site)
    _build(full_site)
    os.chown(_record(full_site), 12345, 12345)
    assert _build(full_site).jobs[0] == 0


def test_a_record_naming_what_is_not_a_page_or_a_page_twice_is_not_followed(full_site: Path, tmp_path: Path) -> None:
    _build(full_site)
    _build(full_site)
    outside = full_site / "outside.html"
    outside.write_text("not a page of the site")
    record = json.loads(_record(full_site).read_bytes())
    jobs = record["jobs"]
    public = full_site / "public"
    bundle_file = next(p for p in (public / "pagefind").rglob("*") if p.is_file())
    wrong = {
        "people": [["../outside.html", identity_of(outside)]],
        "topics": jobs["index"][1][:1],  # the home page, claimed by a second job
        "feed": [["articles", identity_of(public / "articles")]],  # a folder
        "site": [["/" + str(outside.relative_to("/")), identity_of(outside)]],
        "person-feed:ales-bialiatski": [[str(bundle_file.relative_to(public)), identity_of(bundle_file)]],
        "topic-feed:sanctions": [["feed\0.xml", identity_of(public / "feed.xml")]],
        "topic-feed:civil-society": [["feed\ud800.xml", identity_of(public / "feed.xml")]],
    }
    for name, pages in wrong.items():
        jobs[name][1] = pages
    _record(full_site).write_text(json.dumps(record))
    result = _build(full_site)
    assert result.jobs[1] == len(wrong)  # the index keeps its home page
    assert tree(public) == _fresh(full_site, tmp_path)
    assert outside.read_text() == "not a page of the site"


def test_a_page_replaced_after_the_record_was_checked_is_rendered(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dev server, or another build, may replace a page of public/ while this build renders:
    the link then is not the recorded file, and the page is rendered."""
    _build(full_site)
    _build(full_site)
    page = full_site / "public" / ARTICLE_PAGE
    checked = page_reuse.PageReuse.of

    def of(out_dir: Path, setting: str) -> page_reuse.PageReuse:
        reuse = checked(out_dir, setting)
        other = page.with_name(".other")
        other.write_bytes(page.read_bytes().replace(b"https://", b"http://127.0.0.1:8000/"))
        os.replace(other, page)
        return reuse

    monkeypatch.setattr(page_reuse.PageReuse, "of", of)
    assert _build(full_site).jobs[1] == 1
    monkeypatch.undo()
    assert b"127.0.0.1" not in page.read_bytes()
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)


def test_a_template_in_a_linked_folder_is_part_of_every_pages_inputs(full_site: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "note.html").write_text("<p>version 1</p>")
    (full_site / "templates" / "partials").symlink_to(shared)
    (full_site / "templates" / "loop").symlink_to(full_site / "templates")  # followed once, not forever
    _edit(full_site / "templates/base.html", "</body>", '{% include "partials/note.html" %}</body>')
    _build(full_site)
    _build(full_site)
    before = tree_digest(full_site / "templates")
    (shared / "note.html").write_text("<p>version 2</p>")
    assert tree_digest(full_site / "templates") != before
    assert _build(full_site).jobs[0] == 0
    assert b"version 2" in (full_site / "public" / ARTICLE_PAGE).read_bytes()
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)


def test_kept_pages_keep_their_markdown_in_the_disk_cache(full_site: Path) -> None:
    """A kept job converts no Markdown, but the disk cache keeps the HTML it used: the day its
    pages are rendered again (another date, a template edit), it is not converted again."""
    _build(full_site)
    html = diskcache.load(full_site / "public").html.entries.keys()
    assert html
    _build(full_site)
    assert _build(full_site).jobs[1] == 0
    assert diskcache.load(full_site / "public").html.entries.keys() == html


def test_an_output_whose_files_cannot_be_linked_gets_no_record(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a file system without hard links every page is rendered, on every core, as before."""
    def link(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", link)
    for _ in range(3):
        assert _build(full_site).jobs[0] == 0
        assert not _record(full_site).exists()
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)


def test_a_page_that_cannot_be_linked_is_rendered(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(full_site)
    _build(full_site)
    real_link = os.link

    def link(source: os.PathLike[str] | str, target: os.PathLike[str] | str, **kwargs: bool) -> None:
        if str(target).endswith("index.html"):
            raise OSError(18, "Invalid cross-device link")
        real_link(source, target, **kwargs)

    monkeypatch.setattr(os, "link", link)
    result = _build(full_site)
    assert result.jobs[0] < sum(result.jobs) // 2  # feeds are linked; every HTML page rendered
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)


def test_a_build_that_was_not_published_leaves_no_page_to_keep(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build whose search index fails records its pages, which never reach public/: the next
    build, after the edit is undone, keeps none of them and writes the site the sources make."""
    _build(full_site)
    _build(full_site)
    article = full_site / SIGNIFICANCE
    original = article.read_text()
    _edit(article, "remain pivotal concerns", "remain open")
    failing = tmp_path / "failing-pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: out of luck' >&2\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    with pytest.raises(BuildFailed):
        _build(full_site)
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert b"remain open" not in (full_site / "public" / ARTICLE_PAGE).read_bytes()
    _build(full_site)
    assert b"remain open" in (full_site / "public" / ARTICLE_PAGE).read_bytes()
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)
    article.write_text(original)
    _build(full_site)
    assert tree(full_site / "public") == _fresh(full_site, tmp_path)


def test_the_program_keeps_unchanged_pages_between_runs(full_site: Path, tmp_path: Path) -> None:
    """Through ``site-builder build``, which publishes in a second, smaller process (finish)."""
    command = [sys.executable, "-m", "site_builder", "build", "--content", str(full_site / "content"),
               "--out", str(full_site / "public"), "--templates", str(full_site / "templates")]
    for _ in range(2):
        subprocess.run(command, check=True, capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1800000000"))
    page = full_site / "public" / ARTICLE_PAGE
    st = page.stat()
    with page.open("r+b") as f:
        f.write(b"<!-- kept -->")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    subprocess.run(command, check=True, capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1800000000"))
    assert page.read_bytes().startswith(b"<!-- kept -->")  # not rendered: kept as the record knew it
    subprocess.run(command, check=True, capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1800000001"))
    assert page.read_bytes().startswith(b"<!doctype html>")  # another build date: every page rendered
