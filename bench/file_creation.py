"""What creating a site's files costs on this disk, with and without a deletion just before.

Makes N folders with one 12 KB file each (the shape of a site's article
pages), three times: in a new folder, then right after deleting those N
files, then after waiting out the kernel's one-minute window for recently
deleted inodes (see clean_state.py).  Prints milliseconds per file.

    .venv/bin/python bench/file_creation.py --files 11000
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

DATA = b"x" * 12_000


def make(base: Path, files: int) -> tuple[float, float]:
    """Milliseconds per folder-and-file, wall and system CPU."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    start = time.perf_counter()
    for i in range(files):
        folder = base / "articles" / f"a{i}"
        folder.mkdir(parents=True)
        (folder / "index.html").write_bytes(DATA)
    wall = time.perf_counter() - start
    return 1000 * wall / files, 1000 * (resource.getrusage(resource.RUSAGE_SELF).ru_stime - before) / files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=11_000)
    parser.add_argument("--wait", type=float, default=65.0, help="seconds to wait out the window (default 65)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="file-creation-", dir=Path(__file__).parent) as tmp:
        root = Path(tmp)
        rows = [("in a new folder", make(root / "a", args.files))]
        shutil.rmtree(root / "a")
        os.sync()
        rows.append((f"right after deleting {args.files} files", make(root / "b", args.files)))
        os.sync()
        time.sleep(args.wait)
        rows.append((f"{args.wait:.0f} s after that deletion", make(root / "c", args.files)))
    for label, (wall, system) in rows:
        print(f"{label:<40} {wall:.3f} ms a file ({system:.3f} ms system CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
