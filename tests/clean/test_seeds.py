"""Every defect listed in tests/fixtures/clean/seed_defects.txt is fixed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from fixtures import Case, read_cases

from site_builder.clean import clean_raw
from site_builder.style import load_style

ROOT = Path(__file__).resolve().parents[2]
DEFECTS = read_cases("seed_defects.txt")


@cache
def cleaned(number: str) -> str:
    (seed,) = sorted((ROOT / "seeds").glob(f"{number}_*.txt"))
    options = load_style(ROOT / "content")
    return clean_raw(seed.read_text(encoding="utf-8"), str(seed), options).markdown


def split(case: Case) -> tuple[str, str]:
    number, _, before = case.given.partition(" | ")
    return number, before


def test_there_are_more_than_forty() -> None:
    assert len(DEFECTS) > 40


@pytest.mark.parametrize("case", DEFECTS, ids=[c.id for c in DEFECTS])
def test_seed_defect_is_fixed(case: Case) -> None:
    number, before = split(case)
    output = cleaned(number)
    assert before not in output
    assert case.expected in output
