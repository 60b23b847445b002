"""The committed site, built, compared file by file with tests/golden/.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 make test`` (or
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py``) and review the
diff like any other change.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from sitetools import ROOT

from site_builder.build import build
from site_builder.config import load_config

GOLDEN = ROOT / "tests" / "golden"
ENV = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01: fixed "today"


def built_tree(out: Path) -> dict[str, bytes]:
    config = load_config(ROOT / "content", out_dir=out, templates_dir=ROOT / "templates",
                         base_url="https://golden.example", env=ENV)
    build(config)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and not {"pagefind", "assets"} & set(p.parts)}
    # assets/ is a verbatim copy of templates/assets/, and pagefind/ is the
    # search tool's own output: neither is ours to pin here.


def test_site_matches_golden_tree(tmp_path: Path) -> None:
    tree = built_tree(tmp_path / "public")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in tree.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    expected = {str(p.relative_to(GOLDEN)): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(tree) == sorted(expected), "pages added or missing: UPDATE_GOLDEN=1 to accept"
    for name, data in tree.items():
        if data != expected[name]:
            diff = "\n".join(difflib.unified_diff(
                expected[name].decode(errors="replace").splitlines(), data.decode(errors="replace").splitlines(),
                f"golden/{name}", f"built/{name}", lineterm="", n=2))
            raise AssertionError(f"{name} differs (UPDATE_GOLDEN=1 to accept):\n{diff[:4000]}")
