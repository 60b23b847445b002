"""The CLI as a user runs it: verbs, output, exit codes, nothing lost on failure."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sitetools import ROOT, SEEDS

from site_builder import search
from site_builder.cli import main
from site_builder.errors import SiteError, SourceLocation


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_python_dash_m_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "site_builder", "--help"], capture_output=True, text=True, check=True)
    for verb in ("import", "build", "serve", "check", "fix", "new", "clean"):
        assert verb in out.stdout


def test_usage_errors_exit_2() -> None:
    assert main(["frobnicate"]) == 2
    assert main(["clean", "/nonexistent/file.txt"]) == 2


def test_clean_prints_every_block_in_order_with_the_title_in_place(capsys) -> None:  # type: ignore[no-untyped-def]
    seed = ROOT / "seeds" / "003_342fb8e2afa4ee5d.txt"
    assert main(["clean", str(seed), "--content", str(ROOT / "content")]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("---")
    assert "Listen to this article" not in out
    assert "\n## The Significance of the Belarus Prisoner Release\n" in out
    assert "\n### Who is Maria Kolesnikova and why is her release important?\n" in out
    assert out.endswith(".\n") and not out.endswith("\n\n")
    assert all(line == line.rstrip() for line in out.splitlines())
    raw_lines = [ln for ln in seed.read_text().splitlines() if ln.strip() and ln != "Listen to this article"]
    cursor = 0
    for line in raw_lines:  # each block appears, in the raw order
        probe = line.strip().strip("|").split("|")[0].strip()[:25]
        found = out.find(probe, cursor)
        assert found >= cursor, probe
        cursor = found


def test_clean_reads_stdin_and_reports_on_stderr() -> None:
    proc = subprocess.run([sys.executable, "-m", "site_builder", "clean", "-", "--report"],
                          input="In a important step,teh talks began.\n", capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    assert proc.stdout == "In an important step, the talks began.\n"
    assert '<stdin>:1:4: articles: "a" -> "an"' in proc.stderr


def test_failed_build_exits_1_names_file_and_line_and_keeps_public(full_site: Path) -> None:
    common = ["--content", str(full_site / "content"), "--templates", str(full_site / "templates"),
              "--out", str(full_site / "public")]
    assert main(["build", *common]) == 0
    before = tree_hash(full_site / "public")
    bad = full_site / "content" / "articles" / "bad.md"
    bad.write_text("---\ntitle: Bad\ndate: 2025-02-30\n---\nText.\n")
    proc = subprocess.run([sys.executable, "-m", "site_builder", "build", *common], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "bad.md:3: front matter: 'date' is not a valid date" in proc.stderr
    assert tree_hash(full_site / "public") == before


def test_build_output_is_byte_identical_across_runs(full_site: Path, tmp_path: Path) -> None:
    common = ["--content", str(full_site / "content"), "--templates", str(full_site / "templates")]
    assert main(["build", *common, "--out", str(tmp_path / "one")]) == 0
    assert main(["build", *common, "--out", str(tmp_path / "two")]) == 0
    assert tree_hash(tmp_path / "one") == tree_hash(tmp_path / "two")


def test_seeds_are_the_shared_seeds_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():  # pragma: no cover - CI always has ../shared
        return
    assert [p.name for p in SEEDS] == sorted(p.name for p in shared.glob("*.txt"))
    for seed in SEEDS:
        assert seed.read_bytes() == (shared / seed.name).read_bytes()


FAKE_PAGEFIND = '''\
"""Stands in for Pagefind's binary: notes who started it, then fails or runs the real one."""
import json, os, sys
parent = os.getppid()
with open(f"/proc/{parent}/maps") as maps, open(f"/proc/{parent}/cmdline", "rb") as cmdline:
    seen = {"parent": parent, "maps": maps.read(), "cmdline": cmdline.read().decode().split("\\0"),
            "argv": sys.argv, "nice": os.nice(0)}
with open(os.environ["FAKE_PAGEFIND_LOG"], "w") as log:
    json.dump(seen, log)
if os.environ.get("FAKE_PAGEFIND_FAIL"):
    sys.stderr.write("Error: the index could not be written\\n")
    sys.exit(1)
real = os.environ["FAKE_PAGEFIND_REAL"]
os.execv(real, [real, *sys.argv[1:]])
'''


def _program_with_fake_pagefind(tmp_path: Path, fail: bool) -> tuple[dict[str, str], Path]:
    """An environment in which the build's Pagefind binary is :data:`FAKE_PAGEFIND`.

    It is named the way ``python -m pagefind`` and the build both honour, ``PAGEFIND_BINARY_PATH``.
    """
    fake = tmp_path / "fake-pagefind"
    fake.write_text(f"#!{sys.executable}\n{FAKE_PAGEFIND}")
    fake.chmod(0o755)
    log = tmp_path / "pagefind.json"
    real = search.pagefind_program()
    assert len(real) == 1, real  # the binary package is installed with the project
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(fake), "FAKE_PAGEFIND_REAL": real[0],
           "FAKE_PAGEFIND_LOG": str(log), "SOURCE_DATE_EPOCH": "1765584000"}
    if fail:
        env["FAKE_PAGEFIND_FAIL"] = "1"
    return env, log


DAMAGING_PAGEFIND = '''\
"""Runs the real Pagefind, then leaves its bundle as a full disk does, and exits 0 as Pagefind then does."""
import glob, os, subprocess, sys
status = subprocess.run([os.environ["FAKE_PAGEFIND_REAL"], *sys.argv[1:]]).returncode
bundle = sys.argv[sys.argv.index("--output-path") + 1] if "--output-path" in sys.argv else None
damage = os.environ["FAKE_PAGEFIND_DAMAGE"]
for path in sorted(glob.glob(os.path.join(bundle, damage)))[:1] if bundle else ():
    if damage.endswith("pf_meta"):
        os.remove(path)
    else:
        open(path, "w").close()  # what ENOSPC leaves: the file made, nothing written in it
sys.exit(status)
'''


@pytest.mark.parametrize(("damage", "said"), [
    ("fragment/*", r"fragment/[^ ]+\.pf_fragment is empty"),
    ("pagefind-entry.json", r"pagefind-entry.json cannot be read \(JSONDecodeError\)"),
    ("pagefind.*.pf_meta", r"pagefind\.en_[0-9a-f]+\.pf_meta is missing"),
])
def test_a_search_index_left_incomplete_by_a_full_disk_publishes_nothing(
        full_site: Path, tmp_path: Path, damage: str, said: str) -> None:
    """Pagefind exits 0 on a full disk with its files left empty: the build must not publish them."""
    common = ["--content", "content", "--templates", "templates", "--out", "public"]
    env, _ = _program_with_fake_pagefind(tmp_path, fail=False)
    assert subprocess.run([sys.executable, "-m", "site_builder", "build", *common], cwd=full_site,
                          env=env, capture_output=True).returncode == 0
    before = tree_hash(full_site / "public")
    damaging = tmp_path / "damaging-pagefind"
    damaging.write_text(f"#!{sys.executable}\n{DAMAGING_PAGEFIND}")
    damaging.chmod(0o755)
    (full_site / "content" / "articles" / "new.md").write_text("---\ntitle: New\ndate: 2025-02-03\n---\nText.\n")
    failed = subprocess.run([sys.executable, "-m", "site_builder", "build", *common], cwd=full_site,
                            env={**env, "PAGEFIND_BINARY_PATH": str(damaging), "FAKE_PAGEFIND_DAMAGE": damage},
                            capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert re.search(r"(^|\n)public: search: pagefind wrote an incomplete index: " + said
                        + r" \(is the disk full\? Free some space and build again\)\n"
                     r"1 error; nothing was written\n\Z", failed.stderr), failed.stderr
    assert tree_hash(full_site / "public") == before
    assert sorted(p.name for p in full_site.iterdir() if p.name.startswith(".public")) == []


def test_the_program_runs_the_search_index_in_a_process_that_holds_none_of_the_build(
        full_site: Path, tmp_path: Path) -> None:
    """Pagefind's peak memory is not added to the build's: the build process is replaced first."""
    env, log = _program_with_fake_pagefind(tmp_path, fail=False)
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--content", "content",
                             "--templates", "templates", "--out", "public"], cwd=full_site, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert stdout == "built 3 articles, 9 people, 7 topics: 43 files in public (1 cleaner changes)\n"
    seen = json.loads(log.read_text())
    # The same process (its id, its streams), now a small Python that loaded neither YAML nor Jinja.
    assert seen["parent"] == proc.pid
    assert "from site_builder.finish import main" in seen["cmdline"][2]
    assert seen["argv"][0] == str(tmp_path / "fake-pagefind")
    assert "_yaml" not in seen["maps"] and "markupsafe" not in seen["maps"]
    assert (full_site / "public" / "pagefind" / "pagefind.js").is_file()
    assert sorted(p.name for p in full_site.iterdir() if p.name.startswith(".public")) == []


def test_pagefind_is_started_as_its_binary_unless_in_the_background(
        full_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wrapper costs 60 ms a build; the dev server's background runs keep it, so that the
    lower priority is set before the binary starts its threads."""
    binary = search.pagefind_program()
    assert binary != search.WRAPPER and Path(binary[0]).name.startswith("pagefind")
    assert search.pagefind_command(tmp_path)[0] == binary[0]
    env, log = _program_with_fake_pagefind(tmp_path, fail=True)
    for key in ("PAGEFIND_BINARY_PATH", "FAKE_PAGEFIND_LOG", "FAKE_PAGEFIND_FAIL"):
        monkeypatch.setenv(key, env[key])
    assert search.pagefind_program() == [env["PAGEFIND_BINARY_PATH"]]
    started: list[list[str]] = []
    popen = subprocess.Popen

    def spy(args: list[str], **kwargs: Any) -> subprocess.Popen[str]:
        started.append(args)
        return popen(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    for background, nice in ((False, os.nice(0)), (True, os.nice(0) + search.BACKGROUND_NICENESS)):
        with pytest.raises(SiteError, match="the index could not be written"):
            search.index_site(full_site / "content", background=background)
        assert started.pop()[:3] == (search.WRAPPER if background else [env["PAGEFIND_BINARY_PATH"], "--site",
                                                                         str(full_site / "content")])
        assert json.loads(log.read_text())["nice"] == min(nice, 19)  # the wrapper honours PAGEFIND_BINARY_PATH


def test_a_search_index_that_fails_publishes_nothing_and_says_so(full_site: Path, tmp_path: Path) -> None:
    common = ["--content", "content", "--templates", "templates", "--out", "public"]
    env, _ = _program_with_fake_pagefind(tmp_path, fail=True)
    good = subprocess.run([sys.executable, "-m", "site_builder", "build", *common], cwd=full_site,
                          env={**env, "FAKE_PAGEFIND_FAIL": ""}, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    before = tree_hash(full_site / "public")
    (full_site / "content" / "articles" / "new.md").write_text("---\ntitle: New\ndate: 2025-02-03\n---\nText.\n")
    failed = subprocess.run([sys.executable, "-m", "site_builder", "build", *common], cwd=full_site,
                            env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert failed.stderr.endswith("public: search: pagefind failed: Error: the index could not be written\n"
                                  "1 error; nothing was written\n")
    assert tree_hash(full_site / "public") == before
    assert sorted(p.name for p in full_site.iterdir() if p.name.startswith(".public")) == []
    # The same failure in a build run from Python, which finishes in its own process.
    code = ("import sys; from site_builder.cli import main; "
            f"sys.exit(main({['build', *common]!r}))")
    inproc = subprocess.run([sys.executable, "-c", code], cwd=full_site, env=env, capture_output=True, text=True)
    assert (inproc.returncode, inproc.stdout, inproc.stderr) == (1, "", failed.stderr)
    assert tree_hash(full_site / "public") == before


def test_serve_offers_no_base_url_since_its_pages_link_to_the_server(capsys: pytest.CaptureFixture[str]) -> None:
    """The dev server builds with its own address as the base URL; a --base-url it took and ignored
    would leave an editor thinking the preview used it."""
    assert main(["serve", "--base-url", "https://example.org/", "--port", "1"]) == 2
    assert "unrecognized arguments: --base-url https://example.org/" in capsys.readouterr().err


@pytest.mark.parametrize("to", ["empty", "nothing"])
def test_a_bundle_file_that_is_a_link_is_not_a_whole_index(full_site: Path, tmp_path: Path, to: str) -> None:
    """Pagefind writes files: a link among them (to an empty file, to nothing) was put there by another."""
    assert main(["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates"),
                 "--out", str(full_site / "public")]) == 0
    bundle = tmp_path / "bundle"
    shutil.copytree(full_site / "public" / "pagefind", bundle)
    fragment = sorted((bundle / "fragment").iterdir())[0]
    fragment.unlink()
    if to == "empty":
        (tmp_path / "empty").write_bytes(b"")
    fragment.symlink_to(tmp_path / "empty")
    with pytest.raises(SiteError, match=rf"incomplete index: fragment/{fragment.name} is a link, not a file"):
        search.check_bundle(bundle, SourceLocation("public"))


def test_a_build_clears_what_killed_builds_left_beside_the_output(full_site: Path) -> None:
    """A build stopped by SIGKILL leaves its staging copy, a whole site, under a name tied to its
    process id: the next build removes it, and those of builds still running stay."""
    common = ["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates"),
              "--out", str(full_site / "public")]
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead, alive = gone.pid, os.getpid()
    for name in (f".public.staging-{dead}", f".public.old-{dead}", f".public.search-{dead}"):
        (full_site / name / "articles").mkdir(parents=True)
        (full_site / name / "articles" / "index.html").write_text("left behind")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (full_site / f".public.staging-{sleeper.pid}").mkdir()
        assert main(common) == 0
        left = sorted(p.name for p in full_site.iterdir() if p.name.startswith(".public"))
        assert left == [f".public.staging-{sleeper.pid}"]
    finally:
        sleeper.kill()
        sleeper.wait()
    assert alive == os.getpid()


def test_a_site_left_aside_by_a_build_killed_mid_swap_is_put_back(full_site: Path, tmp_path: Path) -> None:
    """Killed between the swap's two renames, a build leaves no public/ and the last site under
    .public.old-PID: the next build puts it back first, so that a failure still leaves it."""
    common = ["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates"),
              "--out", str(full_site / "public")]
    assert main(common) == 0
    before = tree_hash(full_site / "public")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (full_site / "public").rename(full_site / f".public.old-{gone.pid}")
    env, _ = _program_with_fake_pagefind(tmp_path, fail=True)  # the index fails: nothing is published
    failed = subprocess.run([sys.executable, "-m", "site_builder", *common], env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stderr
    assert tree_hash(full_site / "public") == before
    assert not [p for p in full_site.iterdir() if p.name.startswith(".public")]


def test_an_output_that_is_a_link_is_published_where_it_points(full_site: Path, tmp_path: Path) -> None:
    """public -> /var/www/site: the link stays, and the folder it points to holds the new site."""
    target = tmp_path / "www" / "site"
    target.parent.mkdir()
    common = ["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates")]
    assert main([*common, "--out", str(target)]) == 0
    (full_site / "public").symlink_to(target, target_is_directory=True)
    (full_site / "content" / "articles" / "new.md").write_text("---\ntitle: New\ndate: 2025-02-03\n---\nText.\n")
    assert main([*common, "--out", str(full_site / "public")]) == 0
    assert (full_site / "public").is_symlink() and (full_site / "public").resolve() == target
    assert (target / "articles" / "new" / "index.html").is_file()
    assert not [p for p in (*full_site.iterdir(), *target.parent.iterdir()) if p.name.startswith((".public", ".site"))]


def test_a_linked_output_has_its_killed_builds_leftovers_cleared_and_its_site_put_back(
        full_site: Path, tmp_path: Path) -> None:
    """public -> www/site: a build stages beside where the link points (.site.staging-PID), so
    that is where a killed build's leftovers are, and where its last site was set aside."""
    target = tmp_path / "www" / "site"
    target.parent.mkdir()
    common = ["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates")]
    assert main([*common, "--out", str(target)]) == 0
    before = tree_hash(target)
    (full_site / "public").symlink_to(target, target_is_directory=True)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (target.parent / f".site.staging-{gone.pid}").mkdir()
    target.rename(target.parent / f".site.old-{gone.pid}")  # killed mid-swap: the link points to nothing
    env, _ = _program_with_fake_pagefind(tmp_path, fail=True)  # the index fails: nothing is published
    failed = subprocess.run([sys.executable, "-m", "site_builder", *common, "--out", str(full_site / "public")],
                            env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stderr
    assert tree_hash(target) == before
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".site")]


def test_files_that_look_like_articles_but_are_not_read_are_named(
        full_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """x.MD, x.markdown or x.md.txt were silently left out of the site."""
    monkeypatch.chdir(full_site)
    articles = full_site / "content" / "articles"
    for name in ("Court-Hearing.MD", "court-notes.markdown", "draft.md.txt", "photo.jpg", ".draft.md.swp"):
        (articles / name).write_text("---\ntitle: Looks like one\n---\nText.\n")
    assert main(["build", "--content", str(full_site / "content"), "--templates", str(full_site / "templates"),
                 "--out", str(full_site / "public")]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "not read" in line]
    assert warned == [
        f"warning: content/articles/{name}: file: not read: only files ending in .md are (rename it to {stem}.md"
        " if it is one)"
        for name, stem in (("Court-Hearing.MD", "Court-Hearing"), ("court-notes.markdown", "court-notes"),
                           ("draft.md.txt", "draft"))]


@pytest.mark.parametrize(("words", "code", "said"), [
    (["@@@"], 2, "site-builder: '@@@' has no letter or digit to make a file name of: give a title or name\n"),
    (["person", "!!"], 2, "site-builder: '!!' has no letter or digit to make a file name of: give a title or name\n"),
    (["<b>Hi</b> there"], 2, "site-builder: 'title' contains HTML: '<b>': front matter is plain text; leave out the "
                             "angle brackets\n"),
])
def test_new_refuses_a_title_the_build_would_refuse_or_that_makes_no_name(
        full_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        words: list[str], code: int, said: str) -> None:
    monkeypatch.chdir(full_site)
    before = tree_hash(full_site / "content")
    assert main(["new", *words]) == code
    assert capsys.readouterr().err == said
    assert tree_hash(full_site / "content") == before


def test_new_refuses_a_slug_another_article_uses_and_a_mistyped_content_folder(
        full_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(full_site)
    (full_site / "content/articles/old-name.md").write_text("---\ntitle: Hearing Postponed\nslug: hearing-postponed\n"
                                                            "date: 2025-02-03\n---\nText.\n")
    before = tree_hash(full_site)
    assert main(["new", "Hearing postponed"]) == 1
    assert capsys.readouterr().err == ("content/articles/hearing-postponed.md: new: the slug 'hearing-postponed' is "
                                       "used by content/articles/old-name.md (choose another title, or edit that "
                                       "article)\n")
    assert main(["new", "--content", "contnet", "A new story"]) == 1
    assert capsys.readouterr().err == "contnet: folder: not found (create it, even empty, or check --content)\n"
    assert tree_hash(full_site) == before


def test_check_explain_of_an_article_that_does_not_exist_says_so(
        full_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(full_site)
    assert main(["check", "--explain", "nosuch"]) == 1
    assert capsys.readouterr().err == ("nosuch: explain: no such article (give an article's file, or its name in "
                                       "content/articles)\n")
