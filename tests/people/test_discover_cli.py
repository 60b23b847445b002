"""Discovery, check warnings, --explain, import stubs and the person schema, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.discover import find_unregistered
from site_builder.model import Person

from .conftest import article_file, person_file, write

PEOPLE = [Person("maria-kalesnikava", "Maria Kalesnikava", ("Maria Kolesnikova",), "p.md")]


def names(text: str) -> list[tuple[str, str | None]]:
    return [(f.name, f.close_to) for f in find_unregistered(text, PEOPLE)]


def test_table_name_column_and_text_names() -> None:
    text = ("Yesterday Sviatlana Tsikhanouskaya met Maria Kolesnikova.\n\n"
            "| Name | Sentence |\n| --- | --- |\n| Ihar Losik | 15 years |\n| 123 prisoners | total |\n")
    assert names(text) == [("Sviatlana Tsikhanouskaya", None), ("Ihar Losik", None)]


def test_close_spelling_is_a_probable_alias() -> None:
    assert names("Mariya Kalesnikova was freed. Maria Kalesnikowa too.") == [
        ("Mariya Kalesnikova", "maria-kalesnikava"), ("Maria Kalesnikowa", "maria-kalesnikava")]


@pytest.mark.parametrize("text", [
    "## Maria Street Protests\n", "The United States and Western Nations agreed.", "Human Rights Watch said so.",
    "| Name | Role |\n| --- | --- |\n| Human Rights Defender | x |\n", "Belarus Free Theatre performed.",
    "In Minsk, Viasna and the European Union spoke.", "Maria Kolesnikova Foundation", "MARIA LOSIK",
])
def test_no_false_positives(text: str) -> None:
    assert names(text) == []


def test_check_warns_about_unregistered_people(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article_file(site, "new", "Ihar Losik and Maryja Kalesnikava were freed.", date="2025-01-02")
    code = main(["check", "--content", str(site / "content"), "--templates", str(site / "templates")])
    out = capsys.readouterr().out
    assert code == 0
    assert "people: unregistered person: Ihar Losik?" in out
    assert "unregistered person: Maryja Kalesnikava? (close to maria-kalesnikava)" in out
    assert "new.md:6:" in out  # the body line in the file


def test_explain_shows_matches_with_lines(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--content", str(site / "content"), "--explain",
          "the-significance-of-the-belarus-prisoner-release"])
    out = capsys.readouterr().out
    assert "front matter 'people' overrides detection" in out
    assert "person maria-kalesnikava:" in out
    assert "line 10: 'Maria Kolesnikova' (name)" in out
    assert "'Kolesnikova' (surname only)" in out
    assert "topic sanctions:" in out and "assigned" in out


def test_import_writes_review_stubs_for_new_names(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = write(site / "seed.txt", "Activists Welcome Release of Ihar Losik\n"
                 "Ihar Losik, a journalist, was freed. Mariya Kalesnikava was freed too.\n")
    assert main(["import", str(seed), "--content", str(site / "content")]) == 0
    stub = (site / "content/people/ihar-losik.md").read_text()
    assert "name: Ihar Losik" in stub and "review: true" in stub
    assert not (site / "content/people/mariya-kalesnikava.md").exists()
    article = (site / "content/articles/activists-welcome-release-of-ihar-losik.md").read_text()
    assert "people: [maria-kalesnikava, ihar-losik]" in article


@pytest.mark.parametrize(("line", "message"), [
    ("statuz: detained", "unknown key 'statuz' (did you mean 'status'?)"),
    ("status: jailed", "'status' must be one of detained, released, exiled, deceased, unknown"),
])
def test_person_schema_errors_name_file_and_line(
    empty_site: Path, line: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    person_file(empty_site, "x", "Ihar Losik", extra=f"role: Journalist\n{line}\n")
    assert main(["check", "--content", str(empty_site / "content")]) == 1
    out = capsys.readouterr().out
    assert f"people/x.md:5: front matter: {message}" in out
