"""The benchmark scripts run and report every part (no timing is checked: that is their job)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from site_builder import parallel

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_registry_parts_reports_each_part_for_both_corpora(capsys: pytest.CaptureFixture[str]) -> None:
    workers = parallel.workers
    assert _script("registry_parts").main(["--articles", "30", "--people", "6", "--repeat", "1"]) == 0
    assert parallel.workers is workers  # measured serially, then given back: later tests keep their pools
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "30 articles; CPU time, serial, fastest of 1"
    rows = {line[:34].strip(): line[34:].split() for line in lines[2:]}
    assert list(rows) == ["related articles (whole site)", "people together (whole site)", "detection (per article)",
                          "article page (per article)", "article body (per article)",
                          "article JSON-LD (per article)", "person pages (per person)"]
    figure = re.compile(r"\d+\.\d")
    for part, cells in rows.items():
        with_people = cells[-2]
        assert figure.fullmatch(with_people), (part, cells)
    assert rows["person pages (per person)"][0] == "—"  # no registry, no person pages
