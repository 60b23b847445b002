"""The front-matter fast path reads what PyYAML reads, and our front matter takes it."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteError, SourceLocation
from site_builder.load import split_front_matter
from site_builder.yaml_fast import simple_mapping
from site_builder.yamlio import full_mapping, load_mapping

ROOT = Path(__file__).resolve().parent.parent

KEYS = ["title", "slug", "date", "people", "topics", "status_date", "aliases", "Title", "_x", "k9", "yes", "on",
        "Null", "y", "n", "a" * 64, "a" * 65, "9a", "a-b", "a b", "<<", "="]
SCALARS = ["Belarus", "Maria Kalesnikava", "maria-kalesnikava", "Aleś Bialacki", "U.S. delegation", "2025-12-13",
           "2025-02-30", "2025-1-1", "2025-01-01 10:00:00", "12:30", "1", "0x1f", "1.5", "1e3", ".inf", ".nan", "~",
           "null", "Null", "yes", "No", "true", "FALSE", "on", "Off", "y", "n", "=", "<<", "http://example.org/a",
           "a:b", "a: b", "a:", "a #b", "a#b", "#c", "-a", "- a", "?a", ":a", "&a", "*a", "!!str a", "!a", "|", ">",
           "%a", "@a", "`a", "a, b", "a [b]", "a {b}", "it's", 'say "hi"', "a  b", "—dash", "“quoted”", "é",
           "tab\there", "cr\rhere", "nel\x85x", "ls\u2028x", "bom\ufeffx", "del\x7fx", "bell\x07x", ""]


def _quoted(value: str, quote: str) -> str:
    return quote + value + quote


SPECIAL_VALUES = ['"a\\"b"', '"a\\nb"', "'it''s'", '"a" # c', "'a' b", '"unclosed', "[]", "[ ]", "[a, ]",
                  "[a] # c", "[a]]", "[[a]]", "[a, [b]]", "{a: b}", "[a: b]", "[a #b]"]
VALUES = st.one_of(
    st.sampled_from(SCALARS),
    st.sampled_from(SCALARS).map(lambda v: _quoted(v, '"')),
    st.sampled_from(SCALARS).map(lambda v: _quoted(v, "'")),
    st.sampled_from(SPECIAL_VALUES),
    st.lists(st.one_of(st.sampled_from(SCALARS), st.sampled_from(SCALARS).map(lambda v: _quoted(v, '"')),
                       st.sampled_from(SCALARS).map(lambda v: _quoted(v, "'"))), max_size=4)
    .map(lambda items: "[" + ", ".join(items) + "]"),
    st.text(max_size=12),
)
SEPARATORS = st.sampled_from([": ", ":", ":  ", ":\t", " : ", ": ", "  :"])
TRAILERS = st.sampled_from(["", " ", "  ", "\t"])
OTHER_LINES = st.sampled_from(["", " ", "# a comment", "  - a", "  a: b", "---", "...", "- a", "%YAML 1.1",
                               "a", "&x a: b", "? a"])
LINE = st.one_of(st.tuples(st.sampled_from(KEYS), SEPARATORS, VALUES, TRAILERS).map("".join), OTHER_LINES)


def _outcome(read: Any, text: str) -> str:
    """What a reader gives, typed: repr tells True from 1 and dates from strings."""
    try:
        data, lines = read(text, "x.md", 2)
    except SiteError as err:
        return f"error: {err}"
    return repr((data, lines))


@settings(max_examples=1500)
@given(st.lists(LINE, min_size=1, max_size=6).map("\n".join))
@example("title: a\ntitle: b")
@example("date: 2025-02-30")
@example("people: [a, b]\nreview: yes")
@example("k:  ")
def test_fast_path_reads_what_pyyaml_reads(text: str) -> None:
    assert _outcome(load_mapping, text) == _outcome(full_mapping, text)


EVERY_VALUE = [*SCALARS, *(_quoted(v, '"') for v in SCALARS), *(_quoted(v, "'") for v in SCALARS),
               *(f"[{v}]" for v in SCALARS), *(f"[a, {v}, b]" for v in SCALARS),
               *(f'["{v}", \'{v}\']' for v in SCALARS), *SPECIAL_VALUES]


def test_every_value_alone_reads_as_pyyaml_reads_it() -> None:
    """Each value of the pools, after each separator and trailer, under a plain key:
    the generated test above seldom draws a one-line text whose line is the odd one."""
    for value in EVERY_VALUE:
        for separator in (": ", ":", ":  ", ":\t", " : "):
            for trailer in ("", " ", "\t"):
                text = f"title{separator}{value}{trailer}"
                assert _outcome(load_mapping, text) == _outcome(full_mapping, text), text
                text = f"slug: a\n{text}\ndate: 2025-01-02\n"
                assert _outcome(load_mapping, text) == _outcome(full_mapping, text), text


def test_every_key_reads_as_pyyaml_reads_it() -> None:
    for key in [*KEYS, *SCALARS]:
        for value in ("a", '"a"', "[a]"):
            text = f"{key}: {value}"
            assert _outcome(load_mapping, text) == _outcome(full_mapping, text), text


def _front_matter(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    front = split_front_matter(text, str(path))[0]
    assert front is not None, path
    return front


def test_the_sites_front_matter_takes_the_fast_path() -> None:
    """The fast path is worth its code only if our files use it."""
    paths = sorted((ROOT / "content").glob("*/*.md"))
    assert len(paths) > 20
    for path in paths:
        front = _front_matter(path)
        simple = simple_mapping(front, 2)
        assert simple is not None, path
        assert simple == full_mapping(front, str(path), 2), path


def test_the_bench_corpus_front_matter_takes_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))  # its own modules, as when run as a script
    spec = importlib.util.spec_from_file_location("build_bench", ROOT / "bench" / "build_bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_bench", bench)
    spec.loader.exec_module(bench)
    bench.write_ours(tmp_path, *bench.corpus(40))
    paths = sorted(tmp_path.glob("*/*.md"))
    assert {p.parent.name for p in paths} == {"articles", "people", "topics"}
    for path in paths:
        front = _front_matter(path)
        assert simple_mapping(front, 2) == full_mapping(front, str(path), 2), path
        assert simple_mapping(front, 2) is not None, path


@pytest.mark.parametrize(("text", "expected"), [
    ('title: "A: b"\ndate: 2025-01-02\nreview: true\npeople: [a-b, "C, d", \'e\']\n',
     ({"title": "A: b", "date": dt.date(2025, 1, 2), "review": True, "people": ["a-b", "C, d", "e"]},
      {"title": 2, "date": 3, "review": 4, "people": 5})),
    ("\nname: Aleś\n\nkeywords: []", ({"name": "Aleś", "keywords": []}, {"name": 3, "keywords": 5})),
])
def test_fast_path_values_and_lines(text: str, expected: Any) -> None:
    assert simple_mapping(text, 2) == expected
    assert full_mapping(text, "x.md", 2) == expected


@pytest.mark.parametrize("text", ["title: |\n  a", "title: a\n  b", "date: 2025-02-30", "n: 1", "a: ~",
                                  "a: [1]", "a: x # c", "a:", "yes: a", "title: a\ttab", "a: &x b"])
def test_fast_path_declines_what_it_does_not_read(text: str) -> None:
    assert simple_mapping(text, 1) is None


def test_fuzz_corpus_is_random_but_repeatable() -> None:
    """The differential test above draws from fixed pools; a seeded sample of real-looking
    front matter is compared too, so that plain prose values are covered."""
    rng = random.Random(7)
    words = ["Belarus", "court", "released", "U.S.", "Minsk,", "2025", "prisoners", "Aleś", "“quoted”", "it's", "-"]
    for _ in range(300):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        text = f"title: {title}\nsummary: \"{title}\"\npeople: [{', '.join(rng.sample(words, 2))}]\n"
        assert _outcome(load_mapping, text) == _outcome(full_mapping, text), text


@pytest.mark.parametrize(("text", "read"), [
    ("slug: x   # never change it\n", {"slug": "x"}),
    ("slug: x   # see #12 before changing\n", {"slug": "x"}),  # a hashtag inside a comment is the comment's
    ("title: C# and F#\n", {"title": "C# and F#"}),  # no space before '#': not a comment
    ("link: https://example.org/#top\n", {"link": "https://example.org/#top"}),
    ('title: "Campaign #FreeBelarus"\n', {"title": "Campaign #FreeBelarus"}),
    ("summary: >\n  a #tag in a folded block\n", {"summary": "a #tag in a folded block\n"}),
])
def test_comments_and_hashes_that_are_not_hashtags_read_as_yaml_reads_them(text: str, read: dict[str, str]) -> None:
    assert load_mapping(text, "x.md")[0] == read


@pytest.mark.parametrize(("text", "line", "tag"), [
    ("title: x\nsummary: Support the campaign #FreeBelarus and write\n", 2, "#FreeBelarus"),
    ("title: #FreeBelarus\n", 1, "#FreeBelarus"),
])
def test_a_hashtag_that_would_shorten_a_value_is_refused_on_its_line(text: str, line: int, tag: str) -> None:
    with pytest.raises(SiteError) as raised:
        load_mapping(text, "x.md")
    assert raised.value.location == SourceLocation("x.md", line)
    assert raised.value.message.startswith(f"'{tag}' would start a comment")
