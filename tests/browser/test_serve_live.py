"""`site-builder serve` in a real browser: a save reloads the open page.

Runs the real CLI in a subprocess on a free port on 127.0.0.1, opens a page
in headless Chromium, edits the article on disk and waits for the page to
show the new text without any action from the reader; then breaks the file,
sees the error page, fixes it and sees the page come back.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from sitetools import ROOT

from .support import CHROMIUM_ARGS, chromium

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--port", str(port),
         "--content", str(tmp_path / "content"), "--templates", str(tmp_path / "templates"),
         "--out", str(tmp_path / "public")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("site-builder serve did not answer within 60 s")
    yield base, tmp_path
    proc.terminate()
    proc.wait(timeout=10)


def test_a_save_reloads_the_page_and_errors_show_in_the_browser(dev_server: tuple[str, Path]) -> None:
    base, root = dev_server
    article = root / "content/articles/belarus-releases-political-prisoners-signaling-shift-in.md"
    original = article.read_text()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "/articles/belarus-releases-political-prisoners-signaling-shift-in/")
        expect(page.locator("h1").first).to_have_text(
            "Belarus Releases Political Prisoners Signaling Shift in Domestic Policy")
        page.wait_for_timeout(1500)  # let livereload.js connect
        article.write_text(original.replace(
            "title: Belarus Releases Political Prisoners Signaling Shift in Domestic Policy",
            "title: Belarus Frees 123 Prisoners, Edited Live"))
        expect(page.locator("h1").first).to_have_text("Belarus Frees 123 Prisoners, Edited Live", timeout=20000)
        page.wait_for_timeout(1500)  # the reloaded page's livereload.js reconnects
        article.write_text(original.replace("date: 2025-12-13", "date: 2025-13-13"))
        expect(page.locator("h1").first).to_have_text("Build failed", timeout=20000)
        expect(page.locator("body")).to_contain_text(f"{article.name}:")
        page.wait_for_timeout(1500)
        article.write_text(original)
        expect(page.locator("h1").first).to_have_text(
            "Belarus Releases Political Prisoners Signaling Shift in Domestic Policy", timeout=20000)
        assert not [e for e in errors if "Content Security Policy" in e], errors
        browser.close()
