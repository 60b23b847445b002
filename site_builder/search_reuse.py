"""search_reuse: a command-line build keeps the search index of pages it did not change.

Pagefind has no incremental mode: each run reads every page it is given and
writes its whole bundle, several seconds for a site of thousands of articles,
even when nothing changed since the last build.  But a build does not write
its unchanged pages again: it hard-links them from the previous output
(:class:`write.Staging`), so a page that is the same file as last time (same
inode, size and modification time) is a page Pagefind has already read.

After each indexing, a record in the build's cache directory
(:func:`cachedir.cache_dir`, never in the project) keeps, for each Pagefind
run (one, or a shard of a large site, :mod:`search_plan`): the command that
ran it, the identity of every page it read, and the identity of every file
of the bundle it wrote.  A run is not made again when its command (the same
Pagefind binary, the same glob) would read the same files, and the previous
output still holds its bundle as written; that bundle's files are then
hard-linked into the new output, which is byte for byte what the run would
have written (``tests/test_search_reuse.py``).  In a large site an edit to one
article re-indexes only the shard that holds it.  Anything else (a record
that is missing or cannot be read, a page written again, a bundle touched
since, another Pagefind) means the run is made as always.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cachedir import cache_dir, digest, file_identity
from .search_plan import SearchPlan

RECORD = "search.json"
"""The record's file name in the cache directory of the output."""

FORMAT = 1
"""The record's format; a record of another is ignored."""


@dataclass(frozen=True)
class Run:
    """One Pagefind run, as the record knows it."""

    folder: str
    """Where it writes, within the bundle folder (``""``, ``shard-2``)."""
    command: tuple[str, ...]
    """What runs (the binary, and its size and time), and with which options."""
    pages: str
    """The key of the pages it reads (:func:`pages_keys`)."""


@dataclass(frozen=True)
class Reuse:
    """Where the previous search index of an output directory is, and the record of how it was made."""

    previous: Path
    """The bundle folder of the output as last published (``public/pagefind``)."""
    record: Path

    @classmethod
    def of(cls, out_dir: Path, bundle_dir: str) -> Reuse:
        return cls(out_dir / bundle_dir, cache_dir(out_dir) / RECORD)

    def kept(self, runs: Sequence[Run]) -> list[bool]:
        """For each run, whether the previous output's bundle can stand for it.

        A bundle that cannot be read whole (the dev server swapping in a new one as it is
        listed) stands for nothing."""
        record = self._read()
        known = record.get("runs") if isinstance(record, dict) and record.get("format") == FORMAT else None
        if not isinstance(known, dict):
            return [False] * len(runs)
        kept = []
        for run in runs:
            try:
                entry = self._entry(run, self.previous)
            except OSError:
                entry = {"bundle": ""}
            kept.append(bool(entry["bundle"]) and known.get(run.folder) == entry)
        return kept

    def save(self, runs: Sequence[Run], bundle: Path) -> None:
        """Record that ``runs`` made ``bundle``."""
        tmp = self.record.with_name(f".{RECORD}.{os.getpid()}")
        try:
            data = json.dumps({"format": FORMAT, "runs": {run.folder: self._entry(run, bundle) for run in runs}},
                              sort_keys=True).encode("utf-8")
            self.record.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp.write_bytes(data)
            os.replace(tmp, self.record)
        except OSError:
            pass  # an optimisation only: the next build indexes everything again
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    @staticmethod
    def _entry(run: Run, bundle: Path) -> dict[str, object]:
        return {"command": list(run.command), "pages": run.pages, "bundle": bundle_key(bundle / run.folder)}

    def _read(self) -> object:
        try:
            return json.loads(self.record.read_bytes())
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
            return None


CONFIG_FILES = ("pagefind.json", "pagefind.toml", "pagefind.yaml", "pagefind.yml")
"""Where Pagefind looks for settings, in the folder it runs in, besides ``PAGEFIND_*`` variables."""


def program_identity(program: Sequence[str]) -> tuple[str, ...] | None:
    """What decides a run's bundle besides its options and pages: the Pagefind binary ``program``
    runs, as a file (path, size, time), and the settings it reads from its environment and from
    a configuration file in the current folder.  None for the wrapper, which finds its binary
    only when it runs, and when a configuration file cannot be read."""
    if len(program) != 1:
        return None
    settings = sorted(f"{name}={value}" for name, value in os.environ.items() if name.startswith("PAGEFIND_"))
    try:
        files = [f"{name}:{digest(Path(name).read_bytes())}" for name in CONFIG_FILES if os.path.lexists(name)]
        return (*program, file_identity(os.stat(program[0])), *settings, *files)
    except OSError:
        return None


def pages_keys(pages: Sequence[tuple[str, str, os.stat_result]], plan: SearchPlan) -> list[str]:
    """For each run of ``plan``, a key of the ``pages`` it reads (:func:`search_plan.pages_in`):
    their paths and which files they are (inode, size, modification time)."""
    found: list[list[str]] = [[] for _ in plan.globs]
    for section, name, st in pages:
        found[plan.run_of(name)].append(f"{section}/{name} {file_identity(st)}")
    return [digest(*sorted(keys)) for keys in found]


def bundle_key(folder: Path) -> str:
    """A key of the files of the bundle in ``folder`` (its later shards are not part of it);
    empty when there is none, OSError when it cannot be read."""
    try:
        files = sorted(f"{rel} {file_identity(st)}" for rel, st in bundle_files(folder))
    except FileNotFoundError:
        return ""
    return digest(*files) if files else ""


def link_bundle(previous: Path, target: Path) -> bool:
    """Hard-link every file of the bundle in ``previous`` into ``target``; whether all could be
    (if not, none is left)."""
    made: list[Path] = []
    try:
        for rel, _ in bundle_files(previous):
            destination = target / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.link(previous / rel, destination, follow_symlinks=False)  # a link stays a link, never its target
            made.append(destination)
    except OSError:  # another file system, too many links: Pagefind runs instead
        for path in made:
            with contextlib.suppress(OSError):
                path.unlink()
        return False
    return True


def bundle_files(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(path relative to ``folder``, stat) of each file of its bundle, leaving out ``shard-N/``;
    OSError if ``folder`` cannot be listed."""
    folders = [("", str(folder))]
    while folders:
        prefix, path = folders.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if not entry.is_dir(follow_symlinks=False):
                    yield prefix + entry.name, entry.stat(follow_symlinks=False)
                elif prefix or not entry.name.startswith("shard-"):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
