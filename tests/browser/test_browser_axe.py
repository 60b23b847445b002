"""axe-core (npm) in headless Chromium: no violations on the key pages, light and dark.

Every axe rule runs (WCAG 2.0-2.2 A/AA and best practices). The search page is
checked with results on screen, since they are built by script.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser

from .support import ServedSite, node_tool

pytestmark = pytest.mark.browser

PAGES = ("index", "article", "person", "topic", "search")


def _summary(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(browser: Browser, served_site: ServedSite, key_pages: dict[str, str],
                                 name: str, scheme: str) -> None:
    axe = node_tool("axe-core/axe.min.js", "axe-core")
    # bypass_csp: our own CSP would (rightly) refuse the injected axe script.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(served_site.url(key_pages[name]))
    if name == "search":
        page.locator("#search-results li").first.wait_for(timeout=10_000)
    page.add_script_tag(path=str(axe))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
    context.close()
    violations = json.loads(result)["violations"]
    assert violations == [], _summary(violations)
