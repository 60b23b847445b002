"""Every rule against its own fixture file: ``tests/fixtures/clean/<rule>.txt``.

Each text rule runs alone (every other rule switched off) on a one-line
Markdown document, so a case shows exactly what that rule does.  The
document-level rules (whitespace, artifacts, structure, tables) run on raw
text and compare the whole output.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fixtures import Case, read_cases

from site_builder.clean import RULES, CleanOptions, clean_markdown, clean_raw
from site_builder.clean.protect import names_pattern
from site_builder.style import load_style

CONTENT = Path(__file__).resolve().parents[2] / "content"
TEXT_RULES = ("phrases", "spelling", "spacing", "articles", "casing")
RAW_RULES = ("artifacts", "structure", "tables")
NAMES = ("Maria Kalesnikava", "Ales Bialiatski", "Viktar Babaryka", "Lukashenko")


def options(*enabled: str) -> CleanOptions:
    base = load_style(CONTENT)
    return replace(base, disabled=frozenset(RULES) - set(enabled), names=names_pattern(NAMES))


def _cases(*rules: str) -> list[tuple[str, Case]]:
    return [(rule, case) for rule in rules for case in read_cases(f"{rule}.txt")]


def _ids(items: list[tuple[str, Case]]) -> list[str]:
    return [case.id for _, case in items]


TEXT_CASES = _cases(*TEXT_RULES)
RAW_CASES = _cases(*RAW_RULES)
WHITESPACE_CASES = _cases("whitespace")


@pytest.mark.parametrize(("rule", "case"), TEXT_CASES, ids=_ids(TEXT_CASES))
def test_text_rule(rule: str, case: Case) -> None:
    result = clean_markdown(case.given + "\n", "case.md", options(rule))
    assert result.markdown == case.expected + "\n"
    assert all(change.rule == rule for change in result.changes)


@pytest.mark.parametrize(("rule", "case"), RAW_CASES, ids=_ids(RAW_CASES))
def test_raw_rule(rule: str, case: Case) -> None:
    enabled = (rule, "structure") if rule == "tables" else (rule,)
    result = clean_raw(case.given + "\n", "case.txt", options(*enabled))
    assert result.markdown == case.expected + "\n"


@pytest.mark.parametrize(("rule", "case"), WHITESPACE_CASES, ids=_ids(WHITESPACE_CASES))
def test_whitespace(rule: str, case: Case) -> None:
    result = clean_markdown(case.given, "case.md", options(rule))
    assert result.markdown == case.expected


@pytest.mark.parametrize(("rule", "case"), TEXT_CASES, ids=_ids(TEXT_CASES))
def test_text_rule_is_idempotent(rule: str, case: Case) -> None:
    result = clean_markdown(case.expected + "\n", "case.md", options(rule))
    assert result.markdown == case.expected + "\n"
    assert not [c for c in result.changes if not c.warn_only]


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_has_a_fixture_file(rule: str) -> None:
    assert read_cases(f"{rule}.txt"), f"tests/fixtures/clean/{rule}.txt has no cases"


@pytest.mark.parametrize(("rule", "case"), TEXT_CASES, ids=_ids(TEXT_CASES))
def test_switched_off_rule_changes_nothing(rule: str, case: Case) -> None:
    result = clean_markdown(case.given + "\n", "case.md", options())
    assert result.markdown == case.given + "\n"
    assert not result.changes
