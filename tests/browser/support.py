"""A real build of the seed site, served over real HTTP on 127.0.0.1.

The site is built once per session by the real command line
(``python -m site_builder build``) with the server's own address as the base
URL, exactly as a deploy preview links to itself. The tools the quality bars
drive (Chromium, Java, node's axe-core and Lighthouse) are installed by
``make test`` through ``scripts/system-deps.sh``; when one is missing the test
fails and says how to install it, it is never skipped.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NODE_MODULES = REPO / "node_modules"
INSTALL_HINT = "run `make system-deps` (scripts/system-deps.sh) to install it"


def require_file(path: Path | str, what: str) -> Path:
    """``path`` if it exists, else fail the test naming the missing tool."""
    p = Path(path)
    if not p.exists():
        pytest.fail(f"{what} not found at {p}: {INSTALL_HINT}", pytrace=False)
    return p


def require_command(name: str, what: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{what} ({name}) not found on PATH: {INSTALL_HINT}", pytrace=False)
    return found


def chromium() -> str:
    return str(require_file(CHROMIUM, "Chromium (Debian package 'chromium')"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright, one per test module."""
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def node_tool(relative: str, package: str) -> Path:
    require_command("node", "Node.js (Debian package 'nodejs')")
    return require_file(NODE_MODULES / relative, f"npm package {package} (package.json at the repo root)")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class ServedSite:
    root: Path
    """The built site on disk."""
    origin: str
    """``http://127.0.0.1:PORT``: the base URL the site was built with."""

    def url(self, path: str) -> str:
        return self.origin + path

    def html_pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


def build_seed_site(out: Path, base_url: str) -> None:
    """Build ``content/`` into ``out`` with the real command line."""
    proc = subprocess.run(
        [sys.executable, "-m", "site_builder", "build", "--content", str(REPO / "content"),
         "--out", str(out), "--base-url", base_url],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, f"build failed:\n{proc.stdout}\n{proc.stderr}"


@contextlib.contextmanager
def serving(root: Path, build: Callable[[str], object] | None = None,
            handler_class: type[SimpleHTTPRequestHandler] | None = None) -> Iterator[ServedSite]:
    """``root`` served over HTTP on 127.0.0.1 (by ``handler_class``, a quiet static handler unless
    given); ``build``, if given, makes it first, told the origin."""
    handler = functools.partial(handler_class or QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    if build is not None:
        build(origin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(root, origin)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    root = tmp_path_factory.mktemp("site") / "public"
    with serving(root, lambda origin: build_seed_site(root, origin)) as site:
        yield site


def first_page(site: ServedSite, section: str) -> str:
    """The URL path of the first page under ``/section/`` (an article, a person, a topic)."""
    pages = sorted(p for p in (site.root / section).glob("*/index.html") if p.parent.name != "page")
    assert pages, f"the seed site has no page under /{section}/"
    return f"/{section}/{pages[0].parent.name}/"


SEARCH_QUERY = "Kolesnikova"
"""A Russian spelling of a person in the seed site: found through the person's aliases."""


@pytest.fixture(scope="session")
def key_pages(served_site: ServedSite) -> dict[str, str]:
    """The pages the quality bars look at: index, an article, a person, a topic, search."""
    return {
        "index": "/",
        "article": first_page(served_site, "articles"),
        "person": "/people/maria-kalesnikava/",
        "topic": first_page(served_site, "topics"),
        "search": f"/search/?q={SEARCH_QUERY}",
    }
