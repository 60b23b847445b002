"""Helpers for the safety tests: a throw-away site, the real CLI, tree hashes.

Every test builds a copy of ``base_site`` (plus the repository's templates)
in a temporary directory, through :func:`site_builder.cli.main` or a
``python -m site_builder`` subprocess, exactly as an editor or Netlify would.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitetools import Run

from site_builder.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASE_SITE = HERE / "base_site"
TEMPLATES = REPO / "templates"
INVALID_SITES = REPO / "tests" / "sites_invalid"


def make_site(root: Path) -> Path:
    """Copy the base site and the templates into ``root``; return ``root``."""
    shutil.copytree(BASE_SITE / "content", root / "content")
    shutil.copytree(TEMPLATES, root / "templates")
    return root


def overlay(src: Path, dest: Path) -> None:
    """Copy the files under ``src`` over ``dest`` (byte for byte)."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


def build(root: Path, *extra: str) -> Run:
    """``site-builder build`` in-process, with ``root`` as the working directory."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", "--content", "content", "--out", "public", "--templates", "templates", *extra])
    finally:
        os.chdir(old)
    return Run(code, out.getvalue(), err.getvalue())


def build_subprocess(root: Path, env: dict[str, str] | None = None, out: str = "public",
                     timeout: float = 60) -> Run:
    """``python -m site_builder build`` in a child process with its own environment."""
    full_env = {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "random", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "site_builder", "build", "--content", "content", "--out", out,
         "--templates", "templates"],
        cwd=root, env=full_env, capture_output=True, text=True, timeout=timeout, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file (and symlink) under ``folder`` with the SHA-256 of its bytes."""
    result: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            result[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            result[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            result[rel + "/"] = "dir"
    return result


def output_files(public: Path) -> list[Path]:
    """Every page and feed of a built site (HTML and XML)."""
    return sorted(p for p in public.rglob("*") if p.suffix in (".html", ".xml") and p.is_file())
