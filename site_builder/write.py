"""write: put the rendered files into ``public/`` whole, or not at all.

Everything is written into a staging directory beside the output directory;
only when every file is written is the old output swapped out and the new
one renamed into place.  A failed build therefore leaves the previous
``public/`` byte for byte as it was, and no stale file from an earlier build
survives a successful one.  Files that would land outside the output
directory, or two outputs claiming one path, are refused before writing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import SiteError, SourceLocation, display_path

MARKER = ".site-builder-output"
"""Marks a directory as ours, so that we never replace anyone else's."""


def check_paths(outputs: Iterable[tuple[str, bytes]]) -> None:
    """Refuse duplicate or escaping output paths (before anything is written)."""
    seen: set[str] = set()
    for path, _ in outputs:
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if path.startswith("/") or ".." in parts or not parts:
            raise SiteError(None, "output", f"refusing to write outside the output directory: {path!r}")
        if path in seen:
            raise SiteError(None, "output", f"two pages claim the same path: {path}")
        seen.add(path)


def check_out_dir(out_dir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output directory that holds sources or is not ours."""
    target = out_dir.resolve()
    for path in protected:
        p = path.resolve()
        if target == p or target in p.parents:
            raise SiteError(SourceLocation(display_path(out_dir)), "output",
                            f"the output directory would replace {display_path(path)}",
                            "choose another --out")
    if target.exists() and any(target.iterdir()) and not (target / MARKER).exists():
        raise SiteError(SourceLocation(display_path(out_dir)), "output",
                        "directory exists and was not made by site-builder; refusing to replace it",
                        "remove it or choose another --out")


def write_site(outputs: list[tuple[str, bytes]], out_dir: Path, assets: Path | None,
               finish: Callable[[Path], None] | None = None) -> int:
    """Write ``outputs`` (and a copy of ``assets``) as the new ``out_dir``.

    ``finish``, if given, runs on the complete staging directory before the
    swap (the search indexer); if it raises, nothing is published.

    Returns the number of files written.
    """
    check_paths(outputs)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{out_dir.name}.staging-{os.getpid()}"
    old = parent / f".{out_dir.name}.old-{os.getpid()}"
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    try:
        staging.mkdir()
        if assets is not None and assets.is_dir():
            shutil.copytree(assets, staging / "assets", dirs_exist_ok=True)
        previous = out_dir if (out_dir / MARKER).is_file() else None
        made: set[Path] = set()
        for path, data in outputs:
            target = staging / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if previous is None or not _link_unchanged(previous / path, target, data):
                target.write_bytes(data)
        if finish is not None:
            finish(staging)
        (staging / MARKER).write_bytes(b"")
        # Swap: the old tree steps aside, the new one takes its name.
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            os.replace(old, out_dir)
        if isinstance(exc, OSError):
            # A full disk or a permission problem: say so like any other error.
            raise SiteError(SourceLocation(display_path(out_dir)), "output",
                            f"cannot write the site: {exc.strerror or exc}",
                            "the previous site was left as it was") from exc
        raise
    shutil.rmtree(old, ignore_errors=True)
    return len(outputs)


def _link_unchanged(old: Path, target: Path, data: bytes) -> bool:
    """Hard-link ``old`` (from the previous build) as ``target`` if it holds exactly ``data``.

    An unchanged page is then not written again: it keeps its inode and
    modification time, which deploy tools and browsers' caches can rely on.
    """
    try:
        if old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:
        return False
    return True
