"""Bad paths and settings fail with one clear line, exit 1, and lose nothing.

Every case starts from a site built once, good, and checks through the real
command line that the error names the file (and line), that there is no
traceback, and that the previous ``public/`` and the editors' ``content/``
are byte for byte as they were.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sitetools import ROOT, SEEDS, Run

from site_builder import cli
from site_builder.cli import main

BASE_SITE = ROOT / "tests" / "safety" / "base_site"
INVALID_SITES = ROOT / "tests" / "sites_invalid"
BUILD = ["build", "--content", "content", "--out", "public", "--templates", "templates"]
FRONT = "---\ntitle: Made Up\ndate: 2025-09-13\n---\nBody.\n"


def run(root: Path, *argv: str) -> Run:
    """``site-builder ARGV`` in this process, in ``root``."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        os.chdir(old)
    return Run(code, out.getvalue(), err.getvalue())


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: the SHA-256 of a file, the target of a link, the mode of the rest."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[rel] = f"mode:{path.lstat().st_mode:o}"
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(BASE_SITE / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    first = run(root, *BUILD)
    assert first.code == 0, first.err
    return root


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    """A copy of the good site with its ``public/``, fresh for each test."""
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    return root


def fails(root: Path, argv: list[str], expected: list[str], change: Callable[[], object] | None = None) -> Run:
    """Run ``argv`` after ``change``; it must exit 1 printing ``expected`` and touch nothing."""
    if change is not None:
        change()
    before = {"public": tree(root / "public"), "content": tree(root / "content")}
    result = run(root, *argv)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err + result.out
    assert result.errors == expected
    assert {"public": tree(root / "public"), "content": tree(root / "content")} == before
    return result


# 1. content/articles must be a readable folder ---------------------------------------------------------

def _articles_file(root: Path) -> None:
    shutil.rmtree(root / "content/articles")
    (root / "content/articles").write_text("not a folder\n")


def _articles_dangling(root: Path) -> None:
    shutil.rmtree(root / "content/articles")
    (root / "content/articles").symlink_to("nowhere")


def _articles_loop(root: Path) -> None:
    shutil.rmtree(root / "content/articles")
    (root / "content/articles").symlink_to("articles")


def _articles_missing(root: Path) -> None:
    shutil.rmtree(root / "content/articles")


ARTICLES = {
    _articles_file: "content/articles: folder: is a file, not a folder "
                    "(move the file away and make articles a folder of .md files)",
    _articles_dangling: "content/articles: folder: is a link to nowhere, which does not exist "
                        "(replace the link with the folder itself)",
    _articles_loop: "content/articles: folder: is a link that loops back on itself "
                    "(replace the link with the folder itself)",
    _articles_missing: "content/articles: folder: not found (create it, even empty, or check --content)",
}


@pytest.mark.parametrize("make", ARTICLES, ids=lambda f: f.__name__.strip("_"))
def test_articles_folder_that_is_not_one_fails(site: Path, make: Callable[[Path], None]) -> None:
    result = fails(site, BUILD, [ARTICLES[make]], lambda: make(site))
    assert result.err.rstrip().endswith("1 error; nothing was written")


def test_fix_refuses_a_missing_articles_folder(site: Path) -> None:
    fails(site, ["fix", "--content", "content"], [ARTICLES[_articles_missing]], lambda: _articles_missing(site))


def test_check_reports_a_missing_articles_folder(site: Path) -> None:
    _articles_missing(site)
    result = run(site, "check", "--content", "content")
    assert result.code == 1, result.err
    assert ARTICLES[_articles_missing] in result.out.splitlines()
    assert result.err == "1 errors\n"


def test_an_empty_articles_folder_still_builds(site: Path) -> None:
    """Zero articles on purpose (DECISIONS.md): the folder is there, and empty."""
    for path in (site / "content/articles").iterdir():
        path.unlink()
    result = run(site, *BUILD)
    assert result.code == 0, result.err
    assert "built 0 articles" in result.out


def test_people_folder_loop_is_named(site: Path) -> None:
    (site / "content/people").rename(site / "content/people-away")
    (site / "content/people").symlink_to("people")
    result = fails(site, BUILD, [
        "content/articles/first-article.md:6: front matter: unknown person 'ales-bialiatski' "
        "(add content/people/ales-bialiatski.md or fix the slug)",
        "content/people: folder: is a link that loops back on itself (replace the link with the folder itself)",
    ])
    assert "2 errors; nothing was written" in result.err


# 2. files that cannot be read ---------------------------------------------------------------------------

def test_folder_named_like_an_article(site: Path) -> None:
    fails(site, BUILD, ["content/articles/x.md: file: is a folder, not a file"],
          lambda: (site / "content/articles/x.md").mkdir())


def test_style_file_that_is_a_folder(site: Path) -> None:
    """Not the defaults in silence: the editor's cleaner settings would be dropped without a word."""
    fails(site, BUILD, ["content/style.yaml: file: is a folder, not a file"],
          lambda: (site / "content/style.yaml").mkdir())


def test_style_file_that_is_a_dangling_link(site: Path) -> None:
    fails(site, BUILD, ["content/style.yaml: file: is a link to moved-away.yaml, which does not exist "
                        "(replace the link with the file it should point to)"],
          lambda: (site / "content/style.yaml").symlink_to("moved-away.yaml"))


def test_article_that_is_a_dangling_link(site: Path) -> None:
    fails(site, BUILD, ["content/articles/x.md: file: is a link to ../gone.md, which does not exist "
                        "(replace the link with the file it should point to)"],
          lambda: (site / "content/articles/x.md").symlink_to("../gone.md"))


def test_article_that_is_a_link_to_a_dangling_link(site: Path) -> None:
    def make() -> None:
        (site / "content/articles/mid.lnk").symlink_to("../gone.md")
        (site / "content/articles/x.md").symlink_to("mid.lnk")
    fails(site, BUILD, ["content/articles/x.md: file: is a link to mid.lnk, which is itself a link to nothing "
                        "(replace the link with the file it should point to)"], make)


def test_article_link_to_itself(site: Path) -> None:
    fails(site, BUILD, ["content/articles/x.md: file: is a link that loops back on itself "
                        "(replace the link with the file it should point to)"],
          lambda: (site / "content/articles/x.md").symlink_to("x.md"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_pipe_named_like_an_article_does_not_block(site: Path) -> None:
    """In a child process: reading a pipe would wait for ever, and the test with it."""
    os.mkfifo(site / "content/articles/x.md")
    before = tree(site / "public")
    proc = run_child(site, BUILD)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines()[0] == "content/articles/x.md: file: is not a regular file"
    assert tree(site / "public") == before


def run_child(root: Path, argv: list[str], prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m site_builder ARGV`` in a child process in ``root``, after ``prefix`` (e.g. setpriv)."""
    return subprocess.run([*(prefix or []), sys.executable, "-m", "site_builder", *argv], cwd=root,
                          capture_output=True, text=True, timeout=60, check=False)


def _without_permissions() -> list[str] | None:
    """A command prefix under which mode bits are obeyed; None when there is none.

    root reads a file of mode 000 regardless, unless it gives up its
    capabilities (``setpriv``): then it is held to the owner's bits like
    anyone else, and can still run this interpreter, which lives in its home.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run([setpriv, "--bounding-set=-all", "--inh-caps=-all", "test", "-r", "/root"],
                           capture_output=True, check=False)
    return [setpriv, "--bounding-set=-all", "--inh-caps=-all"] if probe.returncode == 0 else None


NO_PERMISSIONS = _without_permissions()


@pytest.mark.skipif(NO_PERMISSIONS is None, reason="running as root and cannot drop its capabilities")
@pytest.mark.parametrize(("locked", "expected"), [
    ("content/articles/first-article.md",
     "content/articles/first-article.md: file: cannot read: Permission denied (let the build read it: chmod a+r)"),
    ("content/people",
     "content/people: folder: cannot read: Permission denied (let the build read it: chmod a+rx)"),
    ("content/articles",
     "content/articles: folder: cannot read: Permission denied (let the build read it: chmod a+rx)"),
    ("content/site.yaml",
     "content/site.yaml: config: cannot read site.yaml: Permission denied (let the build read it: chmod a+r)"),
    ("content/style.yaml",
     "content/style.yaml: file: cannot read: Permission denied (let the build read it: chmod a+r)"),
])
def test_unreadable_source_is_named(site: Path, locked: str, expected: str) -> None:
    assert NO_PERMISSIONS is not None
    if locked == "content/style.yaml":
        (site / locked).write_text("protected: [Minsk]\n")
    before = {"public": tree(site / "public"), "content": tree(site / "content")}
    (site / locked).chmod(0)
    try:
        proc = run_child(site, BUILD, NO_PERMISSIONS)
    finally:
        (site / locked).chmod(0o755 if (site / locked).is_dir() else 0o644)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert expected in proc.stderr.splitlines()
    assert {"public": tree(site / "public"), "content": tree(site / "content")} == before


# --out that cannot be the output -----------------------------------------------------------------------

def test_out_is_a_file(site: Path) -> None:
    fails(site, [*BUILD, "--out", "outfile"], ["outfile: output: is a file, not a folder (choose another --out)"],
          lambda: (site / "outfile").write_text("keep me\n"))
    assert (site / "outfile").read_text() == "keep me\n"


def test_out_below_a_file(site: Path) -> None:
    fails(site, [*BUILD, "--out", "pf/public"],
          ["pf/public: output: cannot be made: pf is a file, not a folder (choose another --out)"],
          lambda: (site / "pf").write_text("keep me\n"))
    assert (site / "pf").read_text() == "keep me\n"


@pytest.mark.parametrize(("out", "inside"), [
    ("content/public", "content"), ("content/articles/site", "content"),
    ("templates/assets/x", "templates"), ("templates/out", "templates"),
])
def test_out_inside_content_or_templates(site: Path, out: str, inside: str) -> None:
    templates_before = tree(site / "templates")
    fails(site, [*BUILD, "--out", out],
          [f"{out}: output: the output directory is inside {inside} "
           "(choose an --out outside the content and templates folders)"])
    assert tree(site / "templates") == templates_before
    assert not (site / out).exists()


# import and new ----------------------------------------------------------------------------------------

def test_import_of_a_folder(site: Path) -> None:
    fails(site, ["import", "adir.txt", "--content", "content"], ["adir.txt: file: is a folder, not a file"],
          lambda: (site / "adir.txt").mkdir())


def test_import_beside_a_folder_named_like_an_article(site: Path) -> None:
    fails(site, ["import", str(SEEDS[0]), "--content", "content"],
          ["content/articles/zz.md: file: is a folder, not a file"], lambda: (site / "content/articles/zz.md").mkdir())


def test_import_into_an_articles_file(site: Path) -> None:
    fails(site, ["import", str(SEEDS[0]), "--content", "content"], [ARTICLES[_articles_file]],
          lambda: _articles_file(site))


def test_new_in_an_articles_file(site: Path) -> None:
    fails(site, ["new", "Hello world", "--content", "content"],
          ["content/articles: folder: is a file, not a folder "
           "(move the file away and make articles a folder of .md files)"],
          lambda: _articles_file(site))


@pytest.mark.parametrize("verb", [["new", "Hello world"], ["import", str(SEEDS[0]), "--date", "2025-09-12"]])
def test_new_and_import_still_make_the_articles_folder(site: Path, verb: list[str]) -> None:
    """A fresh site has no articles folder yet: the commands that add articles create it."""
    _articles_missing(site)
    result = run(site, *verb, "--content", "content")
    assert result.code == 0, result.err
    assert len(list((site / "content/articles").glob("*.md"))) == 1


# site.yaml numbers and SOURCE_DATE_EPOCH ----------------------------------------------------------------

def _site_yaml(root: Path, extra: str) -> None:
    path = root / "content/site.yaml"
    path.write_text(path.read_text() + extra)


@pytest.mark.parametrize(("setting", "expected"), [
    ("feed_items: -1", "content/site.yaml:5: config: feed_items must be at least 1"),
    ("feed_items: 0", "content/site.yaml:5: config: feed_items must be at least 1"),
    ("feed_items: 99999999999999999999999", "content/site.yaml:5: config: feed_items must be at most 1,000,000"),
    ("topic_body_hits: 0", "content/site.yaml:5: config: topic_body_hits must be at least 1"),
    ("topic_title_hits: -3", "content/site.yaml:5: config: topic_title_hits must be at least 1"),
    ("per_page: 99999999999999999999999", "content/site.yaml:5: config: per_page must be at most 1,000,000"),
])
def test_numbers_out_of_range(site: Path, setting: str, expected: str) -> None:
    fails(site, BUILD, [expected], lambda: _site_yaml(site, setting + "\n"))


@pytest.mark.parametrize("epoch", ["99999999999999", "-99999999999999"])
def test_source_date_epoch_out_of_range(site: Path, epoch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    fails(site, BUILD, [f"environment: SOURCE_DATE_EPOCH is not a date between the years 1 and 9999, got '{epoch}' "
                        "(it counts seconds since 1970-01-01)"])


# base_url ------------------------------------------------------------------------------------------------

EXAMPLE = "(e.g. https://example.org or https://example.org/site)"


@pytest.mark.parametrize(("url", "problem"), [
    ("https://e.org/?x=1#f", f"must not have a query ('?...'), got 'https://e.org/?x=1#f' {EXAMPLE}"),
    ("https://e.org/#top", f"must not have a fragment ('#...'), got 'https://e.org/#top' {EXAMPLE}"),
    ("https://ex ample.org/a b", "must not contain spaces, quotes or brackets, got 'https://ex ample.org/a b' "
                                 "(write %20 for a space in a path)"),
    ("https://e.org/a<b>", "must not contain spaces, quotes or brackets, got 'https://e.org/a<b>' "
                           "(write %20 for a space in a path)"),
    ("https://-e.org", f"has no valid host name or port, got 'https://-e.org' {EXAMPLE}"),
    ("https://e.org:99999", f"has no valid host name or port, got 'https://e.org:99999' {EXAMPLE}"),
    ("https://[zz]/", f"has no valid host name or port, got 'https://[zz]/' {EXAMPLE}"),
    ("https://me:secret@e.org", f"must not hold a user name or password, got 'https://me:secret@e.org' {EXAMPLE}"),
])
def test_bad_base_url_names_its_line(site: Path, url: str, problem: str) -> None:
    def change() -> None:
        path = site / "content/site.yaml"
        path.write_text(path.read_text().replace("base_url: https://example.org", f'base_url: "{url}"'))

    fails(site, BUILD, [f"content/site.yaml:4: config: base URL {problem}"], change)


def test_bad_base_url_from_the_command_line(site: Path) -> None:
    fails(site, [*BUILD, "--base-url", "https://e.org/?preview=1"],
          [f"config: base URL must not have a query ('?...'), got 'https://e.org/?preview=1' {EXAMPLE}"])


@pytest.mark.parametrize("url", ["https://example.org/site/", "http://127.0.0.1:8000", "https://[::1]:8080/x",
                                 "https://пример.рф", "https://e.org/a%20b"])
def test_good_base_urls_still_build(site: Path, url: str) -> None:
    result = run(site, *BUILD, "--base-url", url)
    assert result.code == 0, result.err


# slug length ---------------------------------------------------------------------------------------------

def test_slug_too_long_for_a_file_name(site: Path) -> None:
    """The fixture in sites_invalid: named by the article and the slug's line, not by public/."""
    folder = INVALID_SITES / "slug-too-long"
    shutil.copytree(folder / "content", site / "content", dirs_exist_ok=True)
    fails(site, BUILD, (folder / "expected.txt").read_text().splitlines())


def test_slug_at_the_limit_builds(site: Path) -> None:
    slug = "-".join(["abcdefghi"] * 10)[:100]
    (site / "content/articles/long.md").write_text(FRONT.replace("date:", f"slug: {slug}\ndate:"))
    result = run(site, *BUILD)
    assert result.code == 0, result.err
    assert (site / "public/articles" / slug / "index.html").is_file()


def test_file_name_too_long_for_a_slug(site: Path) -> None:
    name = "a" * 101 + ".md"
    fails(site, BUILD, [f"content/people/{name}: file name: the name is too long (101 characters; the limit is 100) "
                        "(shorten it to a few words)"],
          lambda: (site / "content/people" / name).write_text("---\nname: Long Name\n---\nBio.\n"))


# the last line of defence ---------------------------------------------------------------------------------

def test_unforeseen_os_error_is_one_line(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError no stage foresaw still names its file, exits 1 and prints no traceback."""
    def broken(*_: object, **__: object) -> None:
        raise OSError(errno.EIO, "Input/output error", "content/articles/first-article.md")

    monkeypatch.setattr(cli.build_mod, "build", broken)
    fails(site, BUILD, ["content/articles/first-article.md: error: Input/output error"])
