"""Paths and readers shared by the tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from site_builder import search

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def indexed_urls(bundle: Path) -> list[str]:
    """The page of every fragment in a Pagefind bundle (each a gzipped ``pagefind_dcd`` + JSON)."""
    found = []
    for fragment in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd"):])["url"])
    return found


def logging_pagefind(tmp_path: Path, log: Path, before: str = "") -> Path:
    """A Pagefind that appends ``start PID PGID`` and ``end PID`` to ``log`` around the real one;
    ``before``: shell ``case`` branches on its arguments, taken first."""
    fake = tmp_path / "logging-pagefind"
    real = search.pagefind_program()[0]
    fake.write_text("#!/bin/sh\n"
                    f'echo "start $$ $(cut -d" " -f5 /proc/$$/stat)" >> {log}\n'
                    f'case "$*" in {before} esac\n'
                    f'{real} "$@"; status=$?\n'
                    f'echo "end $$" >> {log}\n'
                    'exit $status\n')
    fake.chmod(0o755)
    return fake


def bundle_files(bundle: Path) -> dict[str, bytes]:
    """Every file of a search bundle (later shards inside it included) by its path, with its bytes."""
    return {str(f.relative_to(bundle)): f.read_bytes() for f in sorted(bundle.rglob("*")) if f.is_file()}


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` by its path, with a hash of its bytes: equal trees, equal files."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class Run:
    """What a command printed and returned."""

    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        """stderr lines that are errors (not warnings, not the summary line)."""
        return [line for line in self.err.splitlines()
                if line and not line.startswith("warning:") and "nothing was written" not in line]


def make_site_dir(root: Path) -> Path:
    """A fresh copy of content/ (people, topics, config; no articles) and templates/ in ``root``."""
    content = root / "content"
    for sub in ("people", "topics"):
        shutil.copytree(ROOT / "content" / sub, content / sub)
    (content / "articles").mkdir()
    for name in ("site.yaml", "style.yaml"):
        shutil.copy(ROOT / "content" / name, content / name)
    shutil.copytree(ROOT / "templates", root / "templates")
    return root
