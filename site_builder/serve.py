"""serve: build, serve the last good build on 127.0.0.1, rebuild on change.

livereload watches ``content/``, ``templates/`` and the config and calls
:func:`rebuild`; the browser reloads when it finishes.  A failed rebuild
keeps the last good build on disk and makes every page show the errors
(file, line, message) instead, until the next good save.

The server starts from the disk cache of the output folder (:mod:`diskcache`,
the one ``site-builder build`` keeps), so its first build cleans only the
articles changed since the last build or server, and it leaves its own cache
there when it stops.
"""

from __future__ import annotations

import gc
import html
import mimetypes
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import diskcache, parallel
from .build import build
from .cache import BuildCache, FilesState, same_files, tree_signature
from .config import SiteConfig, load_config
from .errors import BuildFailed, SiteError
from .live import LiveOutput

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class DevState:
    """What the dev server shows: the last good build, or the last errors."""

    config: SiteConfig
    env: Mapping[str, str]
    errors: list[str] = field(default_factory=list)
    cache: BuildCache = field(default_factory=BuildCache)
    """Kept across rebuilds: only what a save touched is cleaned and rendered again."""
    output: LiveOutput | None = None
    """The output directory as last written; made on the first rebuild."""
    fingerprint: FilesState | None = None
    """The watched sources at the last rebuild; unchanged means no work."""
    builds: int = 0
    settled: bool = False
    """Whether the last rebuild ran to its end and succeeded: its sweep has cut the cache down
    to what the site uses (:meth:`save_cache`)."""
    frozen: bool = False
    """Whether the first good build's objects were moved out of the garbage collector's sight."""

    def rebuild(self) -> bool:
        """Rebuild if the sources changed since the last time (coalescing bursts of saves)."""
        fingerprint = tree_signature(self.config.content_dir, self.config.templates_dir)
        if same_files(self.fingerprint, fingerprint):
            return not self.errors
        self.fingerprint = fingerprint
        self.cache.sources.prime(fingerprint[0])  # the build need not stat every file again
        self.builds += 1
        self.settled = False
        try:
            config = load_config(self.config.content_dir, self.config.out_dir,
                                 self.config.templates_dir, self.config.base_url,
                                 self.config.drafts, self.env)
            if self.output is None:
                self.output = LiveOutput(config.out_dir, config.templates_dir / "assets")
            with self.output.paused():
                build(config, cache=self.cache, publish=self.output.publish)
        except BuildFailed as failed:
            self._failed([d.format() for d in failed.diagnostics.errors])
            return False
        except SiteError as err:
            self._failed([err.format()])
            return False
        if self.errors:
            print("fixed: the site builds again", file=sys.stderr, flush=True)
        self.errors = []
        self.settled = True
        if not self.frozen:
            # Everything the first build made and keeps (documents, caches, pages) is
            # long-lived: leave it out of the garbage collector's full passes, which
            # otherwise walk it during later rebuilds (0.53 s -> 0.34 s at N = 5,000).
            gc.collect()
            gc.freeze()
            self.frozen = True
        return True

    def _failed(self, errors: list[str]) -> None:
        """Show ``errors`` on every page and in the terminal the server runs in, once each time
        they change: an editor watching the terminal sees what is wrong without a browser."""
        if errors != self.errors:
            count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
            print("\n".join([*errors, f"{count}; the last good site is still served"]), file=sys.stderr, flush=True)
        self.errors = errors

    @classmethod
    def starting(cls, config: SiteConfig, env: Mapping[str, str]) -> DevState:
        """The state of a server that starts now: with the cache the last build or server of
        the same output folder left on disk, so that its first build redoes only what changed."""
        return cls(config, env, cache=diskcache.load(config.out_dir))

    def save_cache(self) -> None:
        """Leave the cache on disk for the next build or server (when the server stops).

        Only after a good build that ran to its end: its sweep has dropped what the site no
        longer uses, where a failed or interrupted one may have left entries of every broken
        save since."""
        if self.settled:
            diskcache.save(self.config.out_dir, self.cache)

    def wait(self) -> None:
        """Return once the search index is up to date with the last rebuild."""
        if self.output is not None:
            self.output.wait()

    def close(self) -> None:
        """Stop the background search indexer, if one is running."""
        if self.output is not None:
            self.output.close()


def error_page(errors: list[str]) -> bytes:
    items = "".join(f"<li><code>{html.escape(e)}</code></li>" for e in errors)
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Build failed</title>"
            f"<style>body{{font:16px/1.5 system-ui;margin:2rem;max-width:60rem}}"
            f"code{{white-space:pre-wrap}}</style></head><body><h1>Build failed</h1>"
            f"<p>Fix the problem and save; this page reloads by itself.</p><ul>{items}</ul>"
            f"</body></html>").encode()


def make_app(state: DevState) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI app serving ``out_dir``, or the error page while the build is broken."""
    root = state.config.out_dir.resolve()

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if state.errors:
            start_response("500 Build Failed", [("Content-Type", "text/html; charset=utf-8")])
            return [error_page(state.errors)]
        path = environ.get("PATH_INFO", "/")
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            page = root / "404.html"
            start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8")])
            return [page.read_bytes() if page.is_file() else b"not found"]
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("xml", "javascript", "json")):
            kind += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", kind)])
        return [target.read_bytes()]

    return app


def source_watcher(check: Callable[[], None]) -> Any:
    """livereload's watcher, polled every 0.8 s, with ``check`` (:meth:`DevState.rebuild`'s
    comparison of every source's inode, size and times) deciding what changed.

    livereload's own test counts a file it has not seen before as new only if it was modified
    after the server started, so an article moved or copied in with its old time (``mv``,
    ``cp -p``, ``rsync -a``, an unpacked archive) was never built; nor was an edit that kept
    the time.  ``check`` stats the same files livereload walked, so polling costs no more.
    """
    from livereload.watcher import Watcher

    class SourceWatcher(Watcher):  # type: ignore[misc]
        def examine(self) -> tuple[str | None, Any]:
            if self._changes:  # livereload's own start-up message
                return self._changes.pop()  # type: ignore[no-any-return]
            check()
            return None, None  # the reload is ours to send (on_change), once per rebuild

    return SourceWatcher()


def serve(config: SiteConfig, host: str, port: int, env: Mapping[str, str]) -> int:
    base = f"http://{host}:{port}"
    state = DevState.starting(load_config(config.content_dir, config.out_dir, config.templates_dir, base,
                                          config.drafts, env), env)
    try:
        stop_on_sigterm(state)
        state.rebuild()
        _serve(state, config, base, host, port)
    finally:  # Ctrl+C, or a SIGTERM (stop_on_sigterm)
        state.close()
        state.save_cache()
    return 0


def _serve(state: DevState, config: SiteConfig, base: str, host: str, port: int) -> None:
    """Serve ``state``'s site on ``host:port`` until stopped, rebuilding on change."""
    from livereload import Server

    class CspFriendlyServer(Server):  # type: ignore[misc]
        """livereload injects an inline <script>, which our pages' CSP forbids:
        inject the same-origin script file it would load instead."""

        def get_web_handlers(self, script: bytes) -> Any:
            tag = f'<script src="/livereload.js?port={port}"></script>'.encode()
            return super().get_web_handlers(tag)

    from livereload.handlers import LiveReloadHandler

    def on_change() -> None:
        # livereload drops a reload that comes within 3 s of the previous one,
        # which left the browser on a stale page after two quick saves: reload
        # here ourselves, once per rebuild that actually happened.
        builds = state.builds
        state.rebuild()
        if state.builds != builds:
            LiveReloadHandler.reload_waiters()

    server = CspFriendlyServer(make_app(state), watcher=source_watcher(on_change))
    for path in (config.content_dir, config.templates_dir):
        server.watch(str(path), delay="forever")  # for livereload's log only: source_watcher decides
    print(f"serving {base}/ (Ctrl+C to stop)")
    server.serve(host=host, port=port, open_url_delay=None, restart_delay=0, debug=False)


def stop_on_sigterm(state: DevState) -> None:
    """Make SIGTERM (``kill``, a process manager) stop the server as Ctrl+C does: through its
    ``finally``, which stops the indexer and leaves the cache on disk.

    Not while a rebuild has a pool of workers open: a SIGTERM sent to the whole process group
    kills the workers too, and unwinding through the pool could then wait forever for a lock a
    dead worker held.  The server then ends the indexer and dies of the signal, as it did
    before, without saving its cache.  Pool workers inherit the handler; they die of the
    signal as before."""
    server = os.getpid()

    def stop(signum: int, frame: Any) -> None:
        if os.getpid() == server:
            if not parallel.pool_open():
                raise SystemExit(128 + signum)
            if state.output is not None:
                state.output.kill_indexer()
        signal.signal(signum, signal.SIG_DFL)  # a worker, or the server in a pool: die of it
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, stop)
