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
then says what is missing.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from . import urls
from .errors import SiteError, SourceLocation, display_path

BUNDLE_DIR = "pagefind"
"""Where the index and its scripts go, relative to the site root (``/pagefind/``)."""

TIMEOUT_SECONDS = 300
BACKGROUND_NICENESS = 10

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


def pagefind_command(site_dir: Path, bundle: Path | None = None, program: list[str] | None = None) -> list[str]:
    """The command line that indexes ``site_dir`` quietly, into ``bundle`` or its ``pagefind/``."""
    where = ["--output-path", str(bundle.resolve())] if bundle else ["--output-subdir", BUNDLE_DIR]
    return [*(program or pagefind_program()), "--site", str(site_dir), "--glob", urls.SEARCHABLE, *where,
            "--silent"]


def index_site(site_dir: Path, bundle: Path | None = None, background: bool = False,
               running: Callable[[int | None], None] | None = None) -> None:
    """Build the search index of the site in ``site_dir``; raise :class:`SiteError` on failure.

    The index goes to ``site_dir/pagefind/``, or to ``bundle`` when given (the
    dev server builds it beside the live site and swaps it in).  A
    ``background`` run has a lower CPU priority, so that the editor's next
    rebuild is not slowed down by it, and its own process group, whose id
    ``running`` is told when it starts and None when it has ended (the dev
    server stops the group while it rebuilds).
    """
    where = SourceLocation(display_path(site_dir))
    bundle_dir = bundle or site_dir / BUNDLE_DIR
    try:
        # In the background, the wrapper: its priority is set before the binary starts its threads.
        command = pagefind_command(site_dir, bundle, WRAPPER if background else None)
        with subprocess.Popen(command, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=background) as proc:
            if background:
                # Before Python has started Pagefind's binary, which inherits it.
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, proc.pid, BACKGROUND_NICENESS)
            if running is not None:
                running(proc.pid)
            try:
                stdout, stderr = proc.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
            finally:
                if running is not None:
                    running(None)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SiteError(where, "search", f"could not run pagefind: {exc}") from exc
    if proc.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        message = detail[-1] if detail else f"exit status {proc.returncode}"
        hint = ("install it with: pip install 'pagefind[extended]'"
                if "No module named pagefind" in stderr else None)
        raise SiteError(where, "search", f"pagefind failed: {message}", hint)
    if not (bundle_dir / "pagefind.js").is_file():
        raise SiteError(where, "search", "pagefind ran but wrote no pagefind.js")
