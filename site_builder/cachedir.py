"""cachedir: where a build keeps what helps the next one, and the hash that names what it keeps.

Kept apart from :mod:`cache` so that the small process that finishes a command-line build
(:mod:`finish`) can find the search index's record (:mod:`search_reuse`) without importing
the build's modules.
"""

from __future__ import annotations

import hashlib
import os
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
