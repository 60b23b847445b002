"""Lighthouse (npm) with Debian's Chromium: accessibility, best practices and SEO all 100.

Lighthouse's default mobile emulation is used, as most readers arrive on a
phone. A failing score lists the audits that cost points.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .support import CHROMIUM_ARGS, ServedSite, chromium, node_tool

pytestmark = pytest.mark.browser

CATEGORIES = ("accessibility", "best-practices", "seo")


def _failed_audits(report: dict[str, Any], category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    failed = []
    for ref in refs:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            failed.append(f"{ref['id']}: {audit['title']} (score {audit['score']})")
    return failed


@pytest.mark.parametrize("name", ["index", "article", "person", "topic", "search"])
def test_lighthouse_scores_100(served_site: ServedSite, key_pages: dict[str, str], tmp_path: Path,
                               name: str) -> None:
    lighthouse = node_tool(".bin/lighthouse", "lighthouse")
    out = tmp_path / f"{name}.json"
    proc = subprocess.run(
        [str(lighthouse), served_site.url(key_pages[name]), "--quiet", "--output=json",
         f"--output-path={out}", "--only-categories=" + ",".join(CATEGORIES),
         "--chrome-flags=" + " ".join(CHROMIUM_ARGS)],
        env={**os.environ, "CHROME_PATH": chromium()}, capture_output=True, text=True, timeout=240, check=False,
    )
    assert proc.returncode == 0 and out.is_file(), f"lighthouse failed:\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not report.get("runtimeError"), report["runtimeError"]
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    problems = {c: _failed_audits(report, c) for c in CATEGORIES if scores[c] != 1}
    assert all(s == 1 for s in scores.values()), f"scores {scores}; failing audits: {problems}"
