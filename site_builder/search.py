"""search: a static full-text index of the built site, made by Pagefind.

Pagefind reads the HTML files that were just written and adds its index and
its small JavaScript/WebAssembly bundle under ``pagefind/`` in the same tree,
so search needs no server and makes no request to another origin.  It runs
on the staging directory, before :mod:`write` swaps it into place: a site
whose search index failed to build is never published.  The ``site-builder``
program runs it from the small process of :mod:`finish`, so that Pagefind's
memory is not added to the build's.

What gets indexed is decided in the templates: only pages with a
``data-pagefind-body`` element (articles, and the first page of each person
and topic) enter the index, and elements marked ``data-pagefind-ignore``
(breadcrumbs, lists of other pages) are left out of it.  Pagefind reads only
the files that can hold such a page (:data:`urls.SEARCHABLE`): parsing the
list pages only to skip them took a quarter of its time.  The binary comes
from the ``pagefind[extended]`` package on PyPI and is run directly, found as
``python -m pagefind`` finds it: that wrapper takes 60 ms to start before it
replaces itself with the binary.  The dev server's background runs still go
through it, so that their lower priority is set before the binary starts its
threads; and so does any run where no binary package is installed, which
then says what is missing.  Every run is given settings for the allocator
linked into the binary (:data:`ALLOCATOR_SETTINGS`): the same bundle, in
less time and memory.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from . import search_plan, search_reuse, urls
from .errors import SiteError, SourceLocation, display_path
from .search_plan import BUNDLE_DIR
from .search_reuse import Reuse

__all__ = ["BUNDLE_DIR", "index_site", "indexer_for", "pagefind_command", "pagefind_program"]

TIMEOUT_SECONDS = 300
BACKGROUND_NICENESS = 10
PAGES_AT_ONCE = 6_000
"""The most searchable pages that Pagefind runs side by side may index between them.

Pagefind holds about 125 KB a page until it has written its bundle.  The two shards of the
10,000-article site side by side peaked at 1,221 and 1,254 MB (as much as Hugo alone takes to
build that site, without a search index) in 8.18 and 8.24 s; one after the other, at 669 and
671 MB in 10.96 and 11.30 s (``bench/shard_layouts.py``; docs/PERFORMANCE.md, "Twenty-seventh
session").  The 5,000-article site's two shards (5,324 pages) still run side by side: the
second core is worth more there."""
POLL_SECONDS = 0.02
"""How often the indexer looks for a run that has ended, to start the next shard in its place."""

ENTRY_FILE = "pagefind-entry.json"
"""What the search page reads first from each bundle: its version, languages and page counts."""

PLACEHOLDER = Path("/")
"""The site and bundle of a run's command as :mod:`search_reuse` records it (they change every build)."""

WRAPPER = [sys.executable, "-m", "pagefind"]
"""Pagefind's Python entry point, which finds the binary and replaces itself with it."""


def pagefind_program() -> list[str]:
    """How to start Pagefind: its binary, looked up as :data:`WRAPPER` looks it up
    (``PAGEFIND_BINARY_PATH``, then the extended binary package, then the standard one),
    or the wrapper itself when neither package is there."""
    given = os.environ.get("PAGEFIND_BINARY_PATH")
    if given:
        return [given]
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return [str(importlib.import_module(package).get_executable())]
        except (ImportError, FileNotFoundError):
            continue
    return WRAPPER


def pagefind_command(site_dir: Path, bundle: Path | None = None, program: list[str] | None = None,
                     glob: str = urls.SEARCHABLE) -> list[str]:
    """The command line that indexes ``site_dir`` quietly, into ``bundle`` or its ``pagefind/``."""
    where = ["--output-path", str(bundle.resolve())] if bundle else ["--output-subdir", BUNDLE_DIR]
    return [*(program or pagefind_program()), "--site", str(site_dir), "--glob", glob, *where, "--silent"]


def index_site(site_dir: Path, bundle: Path | None = None, background: bool = False,
               running: Callable[[int | None], None] | None = None, reuse: Reuse | None = None) -> None:
    """Build the search index of the site in ``site_dir``; raise :class:`SiteError` on failure.

    The index goes to ``site_dir/pagefind/``, or to ``bundle`` when given (the
    dev server builds it beside the live site and swaps it in); a large site's
    second shard goes into its ``shard-2/`` (:mod:`search_plan`), built by a
    Pagefind of its own, beside the first or after it (:func:`runs_at_once`).
    A failed run fails the index, and no other is started.  A ``background``
    run has a lower CPU priority, so that the editor's next rebuild is not
    slowed down by it, and a process group of its own, whose id ``running``
    is told when runs start and None when all have ended (the dev server
    stops the group while it rebuilds).  With ``reuse``, a run over the same
    pages as last time takes its previous bundle instead (:mod:`search_reuse`).
    """
    where = SourceLocation(display_path(site_dir))
    bundle_dir = bundle or site_dir / BUNDLE_DIR
    pages = search_plan.pages_in(site_dir)
    plan = search_plan.plan(name for _, name, _ in pages)
    runs = plan.runs()  # (glob, folder in the bundle)
    # In the background, the wrapper: its priority is set before the binary starts its threads.
    program = WRAPPER if background else pagefind_program()
    records = _records(pages, plan) if reuse else []
    kept = reuse.kept(records) if reuse and records else [False] * len(runs)
    todo = [(run, count) for run, count, keep in zip(runs, plan.pages, kept, strict=True)
            if not (keep and reuse and search_reuse.link_bundle(reuse.previous / run[1], bundle_dir / run[1]))]
    try:
        if todo:
            _run_all(site_dir, bundle_dir, todo, program, background, running)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SiteError(where, "search", f"could not run pagefind: {exc}") from exc
    except _Failed as failed:
        hint = ("install it with: pip install 'pagefind[extended]'"
                if "No module named pagefind" in failed.said else None)
        raise SiteError(where, "search", f"pagefind failed: {failed.said.splitlines()[-1]}", hint) from None
    for _, folder in runs:
        check_bundle(bundle_dir / folder, where)
    if reuse and records:
        reuse.save(records, bundle_dir)


def _records(pages: Sequence[tuple[str, str, os.stat_result]], plan: search_plan.SearchPlan
             ) -> list[search_reuse.Run]:
    """Each run of ``plan`` over ``pages`` as :mod:`search_reuse` records it; none when what
    decides its bundle cannot all be known."""
    binary = search_reuse.program_identity(pagefind_program())
    if binary is None:
        return []
    keys = search_reuse.pages_keys(pages, plan)
    return [search_reuse.Run(folder, (*binary, *pagefind_command(PLACEHOLDER, PLACEHOLDER, ["pagefind"], glob)), key)
            for (glob, folder), key in zip(plan.runs(), keys, strict=True)]


def indexer_for(out_dir: Path, background: bool = False) -> Callable[..., None]:
    """:func:`index_site` for a site that is to replace ``out_dir`` (staged, or the dev server's
    live pages): a run over the same pages as the one that indexed ``out_dir`` takes its bundle
    (:mod:`search_reuse`)."""
    return functools.partial(index_site, background=background, reuse=Reuse.of(out_dir, BUNDLE_DIR))


class _Failed(Exception):
    """A Pagefind run failed; ``said`` is what it printed, or how it ended."""

    def __init__(self, said: str) -> None:
        super().__init__(said)
        self.said = said


def _run_all(site_dir: Path, bundle_dir: Path, runs: Sequence[tuple[tuple[str, str], int]], program: list[str],
             background: bool, running: Callable[[int | None], None] | None) -> None:
    """Make the Pagefind ``runs`` ((glob, folder), pages read), side by side as many as
    :func:`runs_at_once` allows; raise :class:`_Failed` for the first that fails."""
    at_once = runs_at_once([pages for _, pages in runs], _cores())
    env = pagefind_env(at_once)
    procs: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
    ended: list[subprocess.Popen[bytes]] = []  # by us, once another had failed: not a failure to report
    with contextlib.ExitStack() as stack:
        try:
            deadline = time.monotonic() + TIMEOUT_SECONDS
            waiting = [run for run, _ in runs]
            leader = 0  # the first run of those running, whose process group the others join
            while True:
                live = [proc for proc, _ in procs if proc.poll() is None]  # the ended are reaped
                if any(proc.returncode for proc, _ in procs) or not (waiting or live):
                    break  # done, or a run failed: start no other
                if waiting and len(live) < at_once:
                    if not live:
                        leader = 0  # a group whose runs have all ended is gone: a new one
                    while waiting and len(live) < at_once:
                        glob, folder = waiting.pop(0)
                        command = pagefind_command(site_dir, bundle_dir / folder, program, glob)
                        output = stack.enter_context(tempfile.TemporaryFile())  # no pipe to fill
                        live.append(_start(procs, command, output, env, background, leader))
                        leader = leader or live[-1].pid
                    if running is not None:
                        running(leader)
                elif time.monotonic() > deadline:
                    raise subprocess.TimeoutExpired(program, TIMEOUT_SECONDS)
                else:
                    time.sleep(POLL_SECONDS)
        finally:  # a run that could not start, a failure, a timeout, an interrupt: none is left running
            for proc, _ in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                    ended.append(proc)
            if running is not None:
                running(None)
        failures = [_said(output) or _status(proc.returncode) for proc, output in procs
                    if proc.returncode != 0 and proc not in ended]
    if failures:
        raise _Failed(failures[0])


def check_bundle(folder: Path, where: SourceLocation) -> None:
    """Raise :class:`SiteError` unless ``folder`` holds a whole Pagefind bundle.

    Pagefind can exit 0 having written nothing whole: on a full disk its files are
    left empty, and a site published with them has a search page that cannot load.
    So its script and entry file must be there, the entry must read, each language
    it names must have its metadata, and no file of the bundle may be empty.
    """
    def incomplete(what: str) -> SiteError:
        return SiteError(where, "search", f"pagefind wrote an incomplete index: {what}",
                         "is the disk full? Free some space and build again")

    script = folder / "pagefind.js"
    if not script.is_file():
        raise SiteError(where, "search", "pagefind ran but wrote no pagefind.js")
    try:
        entry = json.loads((folder / ENTRY_FILE).read_bytes())
        languages = entry["languages"]
        metas = [folder / f"pagefind.{language['hash']}.pf_meta" for language in languages.values()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise incomplete(f"{ENTRY_FILE} cannot be read ({exc.__class__.__name__})") from exc
    if not metas:
        raise incomplete(f"{ENTRY_FILE} names no language")
    for meta in metas:
        if not meta.is_file():
            raise incomplete(f"{meta.name} is missing")
    try:
        for name, st in search_reuse.bundle_files(folder):  # a later shard inside it is checked as its own
            if stat.S_ISLNK(st.st_mode):  # Pagefind writes files; a link was put there by something else
                raise incomplete(f"{name} is a link, not a file")
            if st.st_size == 0:
                raise incomplete(f"{name} is empty")
    except OSError as exc:
        raise incomplete(f"it cannot be read ({exc.strerror or exc})") from exc


def runs_at_once(pages: Sequence[int], cores: int) -> int:
    """How many Pagefind runs, over these numbers of pages each, to run side by side: one a core,
    as long as the largest of them together hold at most :data:`PAGES_AT_ONCE` pages."""
    at_once = max(1, min(len(pages), cores))
    largest = sorted(pages, reverse=True)
    while at_once > 1 and sum(largest[:at_once]) > PAGES_AT_ONCE:
        at_once -= 1
    return at_once


def _start(procs: list[tuple[subprocess.Popen[bytes], IO[bytes]]], command: list[str], output: IO[bytes],
           env: dict[str, str], background: bool, group: int) -> subprocess.Popen[bytes]:
    """Start one Pagefind run, which prints to ``output``, and add it to ``procs``.

    In the ``background``, at a lower priority and in process ``group`` (0: a new one, led by
    this run), which the terminal's Ctrl+C does not reach and the dev server can stop as one."""
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                            process_group=group if background else None, env=env)
    procs.append((proc, output))
    if background:
        # Before Python has started Pagefind's binary, which inherits it.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, proc.pid, BACKGROUND_NICENESS)
    return proc


def _cores() -> int:
    """The cores this process may run on.

    :func:`parallel.workers` says the same; importing it would bring multiprocessing and the
    build's modules into the small process that runs Pagefind (:mod:`finish`)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


ALLOCATOR_VARIABLE = "_RJEM_MALLOC_CONF"
"""Where Pagefind's allocator (jemalloc, linked in under the ``_rjem_`` prefix) reads its settings."""

ALLOCATOR_SETTINGS = "narenas:1,dirty_decay_ms:250,muzzy_decay_ms:0,tcache_max:262144"
"""jemalloc's settings for each Pagefind run: one arena, freed pages handed back to the system
within a quarter of a second (not ten) and straight away rather than lazily, and a thread cache
that keeps freed blocks of up to 256 KB (not 32 KB) for reuse; the last alone took the time
down, which allocations gain was not traced.

The bundle is byte-identical.  Over the 5,000-article site one index peaked at 655 MB instead
of 739 and took about 8% less time; the two shards of the 10,000-article site peaked 1,010 to
1,190 MB together instead of 1,440 to 1,465 (docs/PERFORMANCE.md, twenty-fifth session)."""


def pagefind_env(runs: int) -> dict[str, str]:
    """The environment of each of ``runs`` Pagefind processes run at once.

    Its allocator gets :data:`ALLOCATOR_SETTINGS`, and several runs share the cores between
    their parsing threads (``RAYON_NUM_THREADS``, the thread pool that parses the pages: each
    would otherwise size it to every core); either is left as the caller set it, if set.

    The index is the same whatever the threads.  Two shards of the 10,000-article site peaked
    30 MB lower together with one parsing thread each on two cores than with two each
    (1,434 and 1,438 against 1,469 MB), in about the same time.
    """
    env = {ALLOCATOR_VARIABLE: ALLOCATOR_SETTINGS, **os.environ}
    if runs >= 2 and "RAYON_NUM_THREADS" not in env:
        env["RAYON_NUM_THREADS"] = str(max(1, _cores() // runs))
    return env


def _status(code: int) -> str:
    """How a run that printed nothing ended: its exit status, or the signal that stopped it."""
    if code >= 0:
        return f"exit status {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        return f"stopped by signal {-code}"
    why = {"SIGXFSZ": ": a file it wrote reached the size limit (ulimit -f)",
           "SIGKILL": ": killed, perhaps for want of memory", "SIGSEGV": ": it crashed"}.get(name, "")
    return f"stopped by {name}{why}"


def _said(output: IO[bytes]) -> str:
    """What a finished run printed, stripped."""
    output.seek(0)
    return output.read().decode("utf-8", "replace").strip()
