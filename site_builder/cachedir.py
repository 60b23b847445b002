"""cachedir: where a build keeps what helps the next one, and the hash that names what it keeps.

Kept apart from :mod:`cache` so that the small process that finishes a command-line build
(:mod:`finish`) can find the search index's record (:mod:`search_reuse`) without importing
the build's modules.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path


def digest(*parts: str | bytes) -> str:
    """A short stable hash of ``parts``."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def cache_dir(out_dir: Path) -> Path:
    """Per output directory, outside every project tree a contributor controls."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "site-builder" / digest(str(out_dir.resolve()))


def file_identity(st: os.stat_result) -> str:
    """Which file this is, as far as a hard link keeps it: device, inode, size and modification time."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def identity_of(path: Path) -> str:
    """The identity of the regular file at ``path`` (a link is not followed); empty if there is none."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):  # ValueError: a name no file system takes
        return ""
    return file_identity(st) if stat.S_ISREG(st.st_mode) else ""
