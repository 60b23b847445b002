"""Writing the editors' files: whole or not at all, through links, keeping the mode.

``fix`` rewrites files the editors own, and ``new`` and ``import`` add files
beside them, so every write here goes through a temporary file in the same
folder, written in full before it takes the file's name:

- a crash or a full disk leaves the old text or the new, never half, and the
  temporary file is removed whenever the write fails;
- a replaced file keeps its permissions (and, where the system allows, its
  owner), and a symlink keeps pointing at the file it named, whose text is
  replaced (the temporary file is written beside that target, so the final
  rename stays on one file system);
- a new file never replaces one that appeared in the meantime.

Temporary names start with a dot, so :func:`site_builder.load.find_sources`
never takes one for an article.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileChanged", "Replacement", "WriteFailed", "replace_all", "replace_file", "stage_replacement",
           "write_new"]


class FileChanged(Exception):
    """The file no longer holds the text it held when it was read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} changed while it was being fixed")


class WriteFailed(Exception):
    """:func:`replace_all` could not write ``path`` (``cause`` says why); no file was replaced."""

    def __init__(self, path: Path, cause: Exception) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}")


def _create_beside(target: Path, mode: int) -> tuple[int, Path]:
    """A new, empty temporary file in ``target``'s folder, opened for writing.

    ``O_EXCL`` makes it ours alone: an existing file or a planted symlink of
    the same name makes ``open`` fail rather than be written through.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(64):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def _write_all(fd: int, data: bytes, sync: bool) -> None:
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        if sync:
            os.fsync(out.fileno())


@dataclass(frozen=True)
class Replacement:
    """New text staged beside ``target`` (the real file), ready to take its place."""

    target: Path
    tmp: Path

    def commit(self) -> None:
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def stage_replacement(path: Path, data: bytes, expected: bytes | None = None) -> Replacement:
    """Write ``data`` to a temporary file beside the file ``path`` names, with its mode.

    A symlink is followed to its target: the target is what gets replaced,
    and the link stays a link.  With ``expected``, the file must still hold
    exactly those bytes (:class:`FileChanged` otherwise): an editor's save
    made since it was read is never overwritten.
    """
    target = Path(os.path.realpath(path, strict=True))
    info = target.stat()
    if not stat.S_ISREG(info.st_mode):
        raise IsADirectoryError(f"{target} is not a regular file")
    if expected is not None and target.read_bytes() != expected:
        raise FileChanged(target)
    fd, tmp = _create_beside(target, 0o600)
    try:
        if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
            try:  # root keeps the owner; anyone keeps a group they belong to
                os.fchown(fd, info.st_uid, info.st_gid)
            except OSError:
                with contextlib.suppress(OSError):
                    os.fchown(fd, -1, info.st_gid)
        os.fchmod(fd, stat.S_IMODE(info.st_mode))  # after chown, which may clear set-id bits
        _write_all(fd, data, sync=True)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Replacement(target, tmp)


def replace_all(items: Sequence[tuple[Path, bytes, bytes | None]]) -> list[Path]:
    """Replace each (path, data, expected) file; the real files replaced, in order.

    Every new text is written in full before any file is replaced, so a
    failure while writing (a full disk, a read-only folder, a file changed
    meanwhile) changes no file at all and leaves no temporary file: it is
    raised as :class:`WriteFailed`.  What remains is a rename per file, which
    does not fail on a healthy file system; should one fail, the files
    renamed before it stay replaced.
    """
    staged: list[Replacement] = []
    done: list[Path] = []
    try:
        for path, data, expected in items:
            try:
                staged.append(stage_replacement(path, data, expected))
            except (OSError, FileChanged) as exc:
                raise WriteFailed(path, exc) from exc
        for replacement in staged:
            replacement.commit()
            done.append(replacement.target)
    finally:
        for replacement in staged:
            replacement.discard()  # nothing left once committed
    for folder in dict.fromkeys(p.parent for p in done):
        _sync_folder(folder)
    return done


def replace_file(path: Path, data: bytes, expected: bytes | None = None) -> Path:
    """Replace one file as :func:`replace_all` does; the real file replaced."""
    return replace_all([(path, data, expected)])[0]


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``; never replace an existing file (or link).

    The new file gets the mode a plain ``open`` would give it (0666 less the
    umask).  ``FileExistsError`` if ``path`` exists, even when it appeared
    while the text was being written.
    """
    fd, tmp = _create_beside(path, 0o666)
    try:
        _write_all(fd, data, sync=False)
        os.link(tmp, path)  # fails if ``path`` exists: no overwrite, even in a race
    finally:
        tmp.unlink(missing_ok=True)
