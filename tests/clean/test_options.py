"""style.yaml switches, corpus proper nouns, and where raw-text changes point."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.clean import RULES, clean_markdown, clean_raw
from site_builder.clean.gazetteer import corpus_proper_nouns
from site_builder.errors import SiteError
from site_builder.style import load_style, with_corpus

ROOT = Path(__file__).resolve().parents[2]


def test_content_style_yaml_loads_with_the_seed_phrases() -> None:
    options = load_style(ROOT / "content")
    finds = {p.find for p in options.phrases}
    assert {"frequently enough leading", "legal portrayal", "it is indeed imperative"} <= finds
    assert "listen to this article" in {a.lower() for a in options.artifacts}


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_can_be_switched_off_in_style_yaml(tmp_path: Path, rule: str) -> None:
    (tmp_path / "style.yaml").write_text(f"disabled: [{rule}]\n", encoding="utf-8")
    assert load_style(tmp_path).disabled == frozenset({rule})


def test_a_switched_off_rule_leaves_its_defect(tmp_path: Path) -> None:
    (tmp_path / "style.yaml").write_text("disabled: [spelling]\n", encoding="utf-8")
    text = "The goverment acted.\n"
    assert clean_markdown(text, "a.md", load_style(tmp_path)).markdown == text
    assert "government" in clean_markdown(text, "a.md", load_style(ROOT / "content")).markdown


def test_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "style.yaml").write_text("disabled: [speling]\n", encoding="utf-8")
    with pytest.raises(SiteError, match="unknown rule 'speling'"):
        load_style(tmp_path)


def test_a_warn_only_phrase_is_reported_not_applied(tmp_path: Path) -> None:
    (tmp_path / "style.yaml").write_text(
        'phrases:\n  - {find: "in order to", replace: "to", warn: true}\n', encoding="utf-8")
    result = clean_markdown("We met in order to talk.\n", "a.md", load_style(tmp_path))
    assert result.markdown == "We met in order to talk.\n"
    assert [(c.rule, c.warn_only) for c in result.changes] == [("phrases", True)]


def test_corpus_proper_nouns_are_words_only_ever_capitalised_mid_sentence() -> None:
    texts = ["Protests spread to Hrodna and Brest.", "She was moved to Hrodna prison.",
             "The brest of the hill.", "Then Brest followed and Brest again."]
    nouns = corpus_proper_nouns(texts)
    assert "hrodna" in nouns
    assert "brest" not in nouns  # also seen in lower case
    options = with_corpus(load_style(ROOT / "content"), [], nouns)
    assert clean_markdown("They went to hrodna.\n", "a.md", options).markdown == "They went to Hrodna.\n"


def test_raw_changes_point_into_the_source() -> None:
    text = "  Intro line,teh end of a important day.\n- trade Agreements: joint work\n"
    source = text.split("\n")
    for change in clean_raw(text, "a.txt", load_style(ROOT / "content")).changes:
        at = source[change.line - 1][change.column - 1:]
        expected = {"spelling": "teh", "articles": "a ", "casing": ("trade", "joint")}.get(change.rule)
        if change.rule == "spacing":
            assert source[change.line - 1][change.column - 2] == ","
        elif expected:
            assert at.startswith(expected), change
