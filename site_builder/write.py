"""write: put the rendered files into ``public/`` whole, or not at all.

Everything is written into a staging directory beside the output directory;
only when every file is written is the old output swapped out and the new
one renamed into place.  A failed build therefore leaves the previous
``public/`` byte for byte as it was, and no stale file from an earlier build
survives a successful one.  Files that would land outside the output
directory, or two outputs claiming one path, are refused before writing.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from .cachedir import identity_of
from .errors import SiteError, SourceLocation, display_path

MARKER = ".site-builder-output"
"""Marks a directory as ours, so that we never replace anyone else's."""


def check_paths(outputs: Iterable[tuple[str, bytes]], seen: set[str] | None = None) -> None:
    """Refuse duplicate or escaping output paths (before anything is written).

    ``seen`` holds the paths of earlier batches of the same site, and is updated.
    """
    seen = set() if seen is None else seen
    for path, _ in outputs:
        file = _file(path)
        if path.startswith("/") or not file or ".." in file.split("/"):
            raise SiteError(None, "output", f"refusing to write outside the output directory: {path!r}")
        if file in seen:
            raise SiteError(None, "output", f"two pages claim the same path: {path}")
        seen.add(file)


def _file(path: str) -> str:
    """The file an output path names: ``a//b`` and ``a/./b`` are both ``a/b``, which is what
    :func:`check_paths` keeps in ``seen``."""
    return "/".join(part for part in path.split("/") if part not in ("", "."))


def check_out_dir(out_dir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output directory that holds sources, lies among them, cannot be one, or is not ours."""
    where = SourceLocation(display_path(out_dir))
    try:
        target = out_dir.resolve()
    except (OSError, RuntimeError) as exc:  # Python 3.11 reports a link loop as RuntimeError
        raise SiteError(where, "output", "cannot use this output directory: it is a link that loops back on itself",
                        "choose another --out") from exc
    for path in protected:
        p = path.resolve()
        if p.is_relative_to(target):
            raise SiteError(where, "output", f"the output directory would replace {display_path(path)}",
                            "choose another --out")
        if target.is_relative_to(p):
            # The site would be written among the editors' files, or the assets copied into themselves.
            raise SiteError(where, "output", f"the output directory is inside {display_path(path)}",
                            "choose an --out outside the content and templates folders")
    _check_out_location(target, where)
    try:
        foreign = target.exists() and any(target.iterdir()) and not (target / MARKER).exists()
    except OSError as exc:
        raise SiteError(where, "output", f"cannot use this output directory: {exc.strerror or exc}",
                        "choose another --out") from exc
    if foreign:
        raise SiteError(where, "output", "directory exists and was not made by site-builder; refusing to replace it",
                        "remove it or choose another --out")


def _check_out_location(target: Path, where: SourceLocation) -> None:
    """Refuse an output that is a file, or lies below one: no directory can be made there."""
    for path in (target, *target.parents):
        try:
            is_dir = path.is_dir()
        except OSError as exc:  # a name too long, a loop: say so rather than guess
            raise SiteError(where, "output", f"cannot use this output directory: {exc.strerror or exc}",
                            "choose another --out") from exc
        if is_dir:
            return
        if path.exists() or path.is_symlink():
            what = "is a file" if path == target else f"cannot be made: {display_path(path)} is a file"
            raise SiteError(where, "output", f"{what}, not a folder", "choose another --out")


class Staging:
    """A new output directory, written beside ``out_dir`` and published whole, or not at all.

    Files can be added while the rest of the site is still being rendered; the
    old output stays in place until :meth:`publish` swaps the new one in.
    Every path is checked as in :func:`check_paths` before anything is written.
    """

    def __init__(self, out_dir: Path, assets: Path | None) -> None:
        self._start(out_dir, out_dir if (out_dir / MARKER).is_file() else None)
        try:
            with self._as_site_error():
                self.dir.parent.mkdir(parents=True, exist_ok=True)
                for leftover in (self.dir, self.old):
                    if leftover.exists():
                        shutil.rmtree(leftover)
                clear_leftovers(self.out_dir)
                self.dir.mkdir()
                if assets is not None and assets.is_dir():
                    shutil.copytree(assets, self.dir / "assets", dirs_exist_ok=True,
                                    copy_function=self._copy_asset)
        except BaseException:
            self.discard()
            raise

    @classmethod
    def written(cls, out_dir: Path, directory: Path) -> Staging:
        """The staging directory ``directory`` of ``out_dir``, already written, to publish or discard.

        The process that wrote it has handed it over by replacing itself
        (see :mod:`finish`), so it has the same process id, and the same names.
        """
        staging = cls.__new__(cls)
        staging._start(out_dir, None)  # nothing more is added: no previous output to link from
        if directory != staging.dir:
            raise ValueError(f"{directory} is not this process's staging directory of {out_dir}")
        return staging

    def _start(self, out_dir: Path, previous: Path | None) -> None:
        """The state of a staging of ``out_dir`` with nothing added yet, whoever made its directory.

        An ``out_dir`` that is a symbolic link (``public -> /var/www/site``) is published
        where it points: the link stays, and shows the new site."""
        if out_dir.is_symlink():
            out_dir = out_dir.resolve()
            previous = previous and out_dir
        self.out_dir = out_dir
        self.dir, self.old = _beside(out_dir)
        self.count = 0
        self.published = False
        self._seen: set[str] = set()
        self._made: set[str] = set()
        self.previous = previous

    def _copy_asset(self, source: str, target: str) -> None:
        """Copy an asset into the staging directory, or link the previous build's if it is the same,
        permissions included (a file the web server may not read is not the same asset)."""
        if self.previous is not None:
            old = self.previous / os.path.relpath(target, self.dir)
            with contextlib.suppress(OSError):
                if same_mode(Path(source), old) and _link_unchanged(old, Path(target), Path(source).read_bytes()):
                    return
        shutil.copy2(source, target)

    def add(self, outputs: Iterable[tuple[str, bytes]]) -> None:
        """Write ``outputs`` into the staging directory (unchanged files are hard-linked)."""
        outputs = list(outputs)
        check_paths(outputs, self._seen)
        root = str(self.dir)
        with self._as_site_error():
            for path, data in outputs:
                target = self._target(root, path)
                if self.previous is None or not _link_unchanged(self.previous / path, Path(target), data):
                    _write_new(target, data)
        self.count += len(outputs)

    def keep(self, pages: Sequence[tuple[str, str]]) -> bool:
        """Hard-link the previous output's files into the staging directory: pages whose inputs
        did not change (:mod:`page_reuse`), each given as its path and the identity of the file
        that the previous build wrote there.  Whether all could be, and each link is that file
        (one written over since it was checked is not); if not, none is left, and no path is
        taken.  The paths are checked as :meth:`add` checks its own."""
        if self.previous is None:
            return False
        paths = [path for path, _ in pages]
        check_paths([(path, b"") for path in paths], self._seen)
        made: list[str] = []
        root = str(self.dir)
        try:
            for path, identity in pages:
                target = self._target(root, path)
                os.link(self.previous / path, target, follow_symlinks=False)
                made.append(target)
                if identity_of(Path(target)) != identity:
                    raise FileNotFoundError(target)  # replaced between the check and the link
        except OSError:  # gone or replaced since it was checked, another file system: rendered instead
            for target in made:
                with contextlib.suppress(OSError):
                    os.unlink(target)
            self._seen.difference_update(_file(path) for path in paths)
            return False
        self.count += len(pages)
        return True

    def _target(self, root: str, path: str) -> str:
        """Where ``path`` goes under ``root`` (the staging directory), its folder made once."""
        target = os.path.join(root, path)
        folder = os.path.dirname(target)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        return target

    def links(self) -> bool:
        """Whether a file of the previous output can be hard-linked into the staging directory
        (not across file systems, nor on one without hard links)."""
        if self.previous is None:
            return False
        probe = self.dir / f".link-{os.getpid()}"
        try:
            os.link(self.previous / MARKER, probe, follow_symlinks=False)
        except OSError:
            return False
        with contextlib.suppress(OSError):
            probe.unlink()
        return True

    def publish(self, finish: Callable[[Path], None] | None = None) -> None:
        """Run ``finish`` (the search indexer) on the staged site, then swap it in as ``out_dir``."""
        with self._as_site_error():
            if finish is not None:
                try:
                    finish(self.dir)
                except SiteError as err:
                    if err.location is None or err.location.path != display_path(self.dir):
                        raise
                    # Name the directory the user knows, not its staging copy, which is removed.
                    raise SiteError(SourceLocation(display_path(self.out_dir)), err.topic, err.message,
                                    err.hint) from err
            (self.dir / MARKER).write_bytes(b"")
            # Swap: the old tree steps aside, the new one takes its name.
            if self.out_dir.exists():
                os.replace(self.out_dir, self.old)
            os.replace(self.dir, self.out_dir)
        self.published = True
        shutil.rmtree(self.old, ignore_errors=True)

    def discard(self) -> None:
        """Forget the staged files, unless published; the previous output is left as it was."""
        if self.published:
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.old.exists() and not self.out_dir.exists():
            os.replace(self.old, self.out_dir)

    @contextlib.contextmanager
    def _as_site_error(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            # A full disk or a permission problem: say so like any other error.
            raise SiteError(SourceLocation(display_path(self.out_dir)), "output",
                            f"cannot write the site: {exc.strerror or exc}",
                            "the previous site was left as it was") from exc


def write_site(outputs: list[tuple[str, bytes]], out_dir: Path, assets: Path | None,
               finish: Callable[[Path], None] | None = None) -> int:
    """Write ``outputs`` (and a copy of ``assets``) as the new ``out_dir``.

    ``finish``, if given, runs on the complete staging directory before the
    swap (the search indexer); if it raises, nothing is published.

    Returns the number of files written.
    """
    staging = Staging(out_dir, assets)
    try:
        staging.add(outputs)
        staging.publish(finish)
    except BaseException:
        staging.discard()
        raise
    return staging.count


def clear_leftovers(out_dir: Path) -> None:
    """Remove what builds that were killed left beside ``out_dir``, and restore its old tree if
    one was killed between the two renames of its swap.

    A build stopped by SIGKILL or SIGTERM runs no cleanup: its staging copy, a whole site,
    stayed beside the output for good, under a name tied to its process id.  Only the
    leftovers of processes that no longer run are touched; a build running beside this
    one keeps its own.
    """
    resolved = out_dir.resolve()
    parent = resolved.parent
    pattern = re.compile(re.escape(f".{resolved.name}.") + f"({'|'.join(BESIDE)})" + r"-(\d+)")
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or _running(int(found.group(2))):
            continue
        leftover = Path(entry.path)
        if found.group(1) == "old" and not os.path.lexists(resolved):
            with contextlib.suppress(OSError):
                os.replace(leftover, resolved)  # the only copy of the last site published
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                leftover.unlink()


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (this one included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


BESIDE = ("staging", "old", "search", "search-old")
"""What a build or the dev server puts beside the output folder, each named ``.NAME.KIND-PID``:
the staged site, the old one stepping aside, and the dev server's new search bundle and old one."""


def beside(out_dir: Path, kind: str) -> Path:
    """This process's folder of ``kind`` (one of :data:`BESIDE`) beside ``out_dir``."""
    assert kind in BESIDE, kind
    resolved = out_dir.resolve()  # a linked output folder is published where it points
    return resolved.parent / f".{resolved.name}.{kind}-{os.getpid()}"


def _beside(out_dir: Path) -> tuple[Path, Path]:
    """This process's staging directory for ``out_dir``, and where the old output steps aside."""
    return beside(out_dir, "staging"), beside(out_dir, "old")


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
"""A new file, never one already there: a staged page that is a hard link to the published
site's file (kept, or unchanged) must never be written through."""


def _write_new(path: str, data: bytes) -> None:
    """``Path(path).write_bytes(data)`` without the file object: three system calls, not five,
    and none of the buffering a single write does not need (15 µs a page less).  The file
    must not exist (:data:`_NEW_FILE`)."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def same_mode(source: Path, copy: Path) -> bool:
    """Whether ``copy`` has ``source``'s permissions: a copy the web server may not read is not
    the same file, whatever its bytes."""
    return stat.S_IMODE(source.stat().st_mode) == stat.S_IMODE(copy.stat().st_mode)


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
