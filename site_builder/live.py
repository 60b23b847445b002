"""live: the dev server's output directory, updated in place after each save.

A command-line build writes a whole new tree and swaps it in (:mod:`write`),
which costs a walk over every file.  The dev server knows exactly what it
wrote last time, so after a save it writes only the files whose bytes
changed (each one atomically: a temporary file renamed over the old one),
deletes the files that are no longer produced, and leaves every other file
untouched.  Problems are caught before anything is written, as for a full
build, so a failed rebuild still leaves the last good site as it was.

The search index is the slowest step and only the search page needs it, so
it is rebuilt in a background thread after each save, beside the live site,
and swapped in when ready; until then the previous index keeps answering.
The first build of a session writes a whole new tree, as ``site-builder
build`` does, with the search index the output folder already had (by hard
links): the editor's first page is served without waiting for Pagefind, and
the index of the new pages follows in the background, as after a save.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .cache import FilesState, same_files, tree_signature
from .errors import SiteError, SourceLocation, display_path
from .search import BUNDLE_DIR, indexer_for
from .search_reuse import link_bundle
from .write import MARKER, beside, same_mode, write_site

Output = tuple[str, bytes]

CLOSE_SECONDS = 10.0
"""How long :meth:`LiveOutput.close` waits for the indexer's thread to end."""


def _with_search_of(out_dir: Path) -> Callable[[Path], None]:
    """What finishes the first write of a session: the search index ``out_dir`` holds now (the
    last build's or server's, if it is ours), hard-linked into the staged site, so that search
    answers from it until the background index of the new pages is swapped in.  If it cannot
    be linked whole, the new site has none until then."""
    def finish(staged: Path) -> None:
        previous, target = out_dir / BUNDLE_DIR, staged / BUNDLE_DIR
        if not (out_dir / MARKER).is_file() or not previous.is_dir() or previous.is_symlink():
            return
        try:
            shards = sorted(entry.name for entry in os.scandir(previous)
                            if entry.name.startswith("shard-") and entry.is_dir(follow_symlinks=False))
        except OSError:
            return
        # Each bundle as a command-line build keeps it (another file system, too many links:
        # none), the first one and each later shard inside it; if any fails, no index until the new one.
        if not all(link_bundle(previous / shard, target / shard) for shard in ["", *shards]):
            shutil.rmtree(target, ignore_errors=True)
    return finish


def _beside(target: Path) -> Path:
    """The temporary file beside ``target`` that its new bytes are written to first (its folder made)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


@dataclass
class LiveOutput:
    """What the dev server last wrote to ``out_dir``, and the indexer working on it."""

    out_dir: Path
    assets: Path
    index: Callable[..., None] | None = None
    """Builds the search index of a site (first argument) into a folder (second); tells
    ``running=`` the process group it runs in.  By default :func:`search.index_site` in the
    background, which takes the live bundle of each shard whose pages no save has changed
    since it was made (:mod:`search_reuse`)."""
    written: dict[str, bytes] = field(default_factory=dict)
    assets_signature: FilesState | None = None
    marker: tuple[int, int, int] | None = None
    """The output folder's marker file as this server last left it (see :meth:`_marker`)."""
    search_error: str = ""
    """The last background indexing failure, if any (shown by the dev server)."""
    _pending: bool = False
    _worker: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _indexer: int | None = None
    """Process group of the indexer while it runs."""
    _paused: bool = False
    _closing: bool = False
    """Set by :meth:`close`: an indexer ended by it has not failed."""

    def publish(self, outputs: Sequence[Output]) -> None:
        """Make ``out_dir`` hold exactly ``outputs`` (plus assets and the search index)."""
        self._closing = False  # building again after close(), as tests do
        if not self.written or self._marker() != self.marker:
            # First build, or the folder is no longer the one written last (a command-line
            # build swapped its own tree in, made with the production base URL): all again.
            self.wait()
            write_site(list(outputs), self.out_dir, self.assets, finish=_with_search_of(self.out_dir))
            self.written = dict(outputs)
            self.assets_signature = tree_signature(self.assets)
            self.marker = self._marker()
            self._schedule_search()
            return
        try:
            changed = self._update(outputs)
        except OSError as exc:
            self.written = {}  # the next save writes everything again
            raise SiteError(SourceLocation(display_path(self.out_dir)), "output",
                            f"cannot write the site: {exc.strerror or exc}") from exc
        if changed:
            self._schedule_search()

    def _marker(self) -> tuple[int, int, int] | None:
        """Which output folder this is: the marker file the full write put in it, by inode and time."""
        try:
            st = (self.out_dir / MARKER).stat()
        except OSError:
            return None
        return st.st_dev, st.st_ino, st.st_mtime_ns

    def _update(self, outputs: Sequence[Output]) -> bool:
        """Write what changed; whether anything did.

        Every changed file is written to a temporary file beside it first, and only then
        are they all renamed into place: a write that fails (a full disk) leaves the
        last good site whole, not a new index page linking to an article never written.
        """
        fresh = dict(outputs)
        staged: list[tuple[Path, Path]] = []
        try:
            for path, data in fresh.items():
                old = self.written.get(path)
                if old is data or old == data:
                    continue
                target = self.out_dir / path
                temporary = _beside(target)
                staged.append((temporary, target))  # before the write: a failed one is removed too
                temporary.write_bytes(data)
        except BaseException:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
            raise
        for temporary, target in staged:
            os.replace(temporary, target)
        gone = self.written.keys() - fresh.keys()
        for path in gone:
            self._remove(self.out_dir / path)
        self.written = fresh
        signature = tree_signature(self.assets)
        assets_changed = not same_files(self.assets_signature, signature)
        if assets_changed:
            self._sync_assets()
            self.assets_signature = signature
        return bool(staged or gone or assets_changed)

    def _remove(self, target: Path) -> None:
        """Delete ``target`` and the folders it leaves empty, up to ``out_dir``."""
        target.unlink(missing_ok=True)
        for folder in target.parents:
            if folder == self.out_dir or not folder.is_relative_to(self.out_dir):
                break
            try:
                folder.rmdir()
            except OSError:
                break

    def _sync_assets(self) -> None:
        """Make ``out_dir/assets`` a copy of the assets folder: changed files replaced atomically,
        and files no longer there (deleted or renamed) removed, as a full build would leave it."""
        copy = self.out_dir / "assets"
        wanted = {p.relative_to(self.assets) for p in self.assets.rglob("*") if p.is_file()}
        present = {p.relative_to(copy) for p in copy.rglob("*") if p.is_file()} if copy.is_dir() else set()
        for relative in sorted(wanted):
            source, target = self.assets / relative, copy / relative
            data = source.read_bytes()
            if relative in present and target.read_bytes() == data and same_mode(source, target):
                continue
            temporary = _beside(target)
            temporary.write_bytes(data)
            shutil.copymode(source, temporary)
            os.replace(temporary, target)
        for relative in present - wanted:
            self._remove(copy / relative)

    # -- search in the background --------------------------------------------

    def _schedule_search(self) -> None:
        with self._lock:
            self._pending = True
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._index_loop, name="search-index", daemon=True)
                self._worker.start()

    def _index_loop(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._worker = None
                    return
                self._pending = False
            self._index_once()

    def _index_once(self) -> None:
        fresh, stale = beside(self.out_dir, "search"), beside(self.out_dir, "search-old")
        for leftover in (fresh, stale):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            index = self.index or indexer_for(self.out_dir, background=True)
            index(self.out_dir, fresh, running=self._running)
        except SiteError as err:
            shutil.rmtree(fresh, ignore_errors=True)
            if self._closing:
                return  # ended by close(): the server is stopping, nothing failed
            self.search_error = err.format()
            print(f"search index not updated: {self.search_error}", file=sys.stderr, flush=True)
            return
        if not fresh.is_dir():
            return  # ended without an index (the server is shutting down)
        self.search_error = ""
        live = self.out_dir / BUNDLE_DIR
        with contextlib.suppress(FileNotFoundError):
            os.replace(live, stale)
        os.replace(fresh, live)
        shutil.rmtree(stale, ignore_errors=True)

    def _running(self, group: int | None) -> None:
        with self._lock:
            self._indexer = group
            if group is not None and self._closing:
                self._signal(signal.SIGTERM)  # started as the server stopped: it would outlive it
            elif group is not None and self._paused:
                self._signal(signal.SIGSTOP)

    def _signal(self, sig: signal.Signals) -> None:
        if self._indexer is not None:
            with contextlib.suppress(OSError):  # it has just ended
                os.killpg(self._indexer, sig)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the background indexer while the caller rebuilds, and let it go on afterwards.

        The editor's rebuild then has both cores to itself: an index of 5,000
        pages takes about ten seconds, so the next save usually lands while it
        runs.  Stopped, not cancelled, so that a run of quick saves still ends
        with an index.
        """
        with self._lock:
            self._paused = True
            self._signal(signal.SIGSTOP)
        try:
            yield
        finally:
            with self._lock:
                self._paused = False
                self._signal(signal.SIGCONT)

    def close(self) -> None:
        """End a running indexer: it runs in a process group of its own, which the
        terminal's Ctrl+C does not reach (dev server shutdown).  Returns once its thread
        has ended (a few seconds at most), not between two renames of its swap."""
        with self._lock:
            self._pending = False
            self._paused = False
            self.kill_indexer()
            worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout=CLOSE_SECONDS)

    def kill_indexer(self) -> None:
        """End a running indexer without taking the lock (:meth:`close` holds it; a signal
        handler may run while this thread does, and the process then ends at once)."""
        self._closing = True
        self._signal(signal.SIGCONT)
        self._signal(signal.SIGTERM)

    def wait(self) -> None:
        """Return once no search indexing is running or pending (tests, shutdown)."""
        with self._lock:
            self._paused = False  # a stopped indexer would never end
            self._signal(signal.SIGCONT)
        while True:
            with self._lock:
                worker = self._worker
            if worker is None:
                return
            worker.join()
            with self._lock:
                if self._worker is worker:  # it ended without clearing itself: an exception
                    self._worker = None
