"""A clean state for a timed build, without deleting anything just before it.

On this machine's ext4 file system, an inode freed less than a minute ago is
skipped when a new file is made (``recently_deleted`` in the kernel's
``fs/ext4/ialloc.c``, for file systems without a journal), and each skip
costs a lookup.  ``bench/file_creation.py --files 11000`` printed 0.143 ms
a folder and file in a new folder, 0.413 ms right after deleting 11,000
files, and 0.180 ms 65 seconds after that deletion.  A benchmark
that deletes the last build's output (10,000 files or more) right before
timing the next build charges that to the build, and to the search indexer
most of all, since it writes thousands of files into one directory.

So the benchmarks move the last output aside, within the same file system,
and delete everything they moved aside only when they have finished.  Every
generator is measured the same way; a build in a fresh clone (CI, Netlify)
starts in that state too.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

_counter = itertools.count()


class Trash:
    """A folder on the same file system that collects what a benchmark sets aside."""

    def __init__(self, where: Path) -> None:
        self.dir = where
        self.dir.mkdir(parents=True, exist_ok=True)

    def set_aside(self, *paths: Path) -> None:
        """Move each existing path into the trash (a rename: no file is deleted)."""
        for path in paths:
            if path.exists():
                self.dir.mkdir(parents=True, exist_ok=True)  # again, if emptied since
                target = self.dir / f"{next(_counter)}-{path.name}"
                while target.exists():  # left by an earlier run that did not empty it
                    target = self.dir / f"{next(_counter)}-{path.name}"
                path.rename(target)

    def empty(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
