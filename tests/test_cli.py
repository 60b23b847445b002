"""The CLI as a user runs it: verbs, output, exit codes, nothing lost on failure."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from sitetools import ROOT, SEEDS

from site_builder.cli import main


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
