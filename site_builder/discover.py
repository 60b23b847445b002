"""Discovery: personal names in articles that the people registry does not know.

Two sources, both aimed at precision rather than recall (a false "person" on
an advocacy site is worse than a name an editor adds by hand):

- cells of a table column headed "Name" (or "Person", "Prisoner"), when the
  cell looks like a name: two to four capitalised words, no digits;
- runs of two or three capitalised words in running text whose first word is
  a known given name (a short gazetteer plus every given name in the
  registry), optionally after a title such as "President".  Headings, table
  headers, places, organisations and months are never names.

Each name found is classified against the registry: a registered spelling is
ignored; one whose transliteration key equals or is close to a registered
name's key is a *probable alias* ("close to maria-kalesnikava"); anything else
is *new*.  ``check`` reports both as warnings and ``import`` writes a stub
person file for each new one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .clean.gazetteer import GAZETTEER
from .detect import Hit, capital_words, fold, keyword_matches, matcher_for, name_key
from .errors import Diagnostics, SourceLocation
from .model import Article, Person, Topic


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


GIVEN_NAMES = _wordset("""
ales alena aleh alexander alexei alexey aliaksandr aliaksei alina alla alyaksandr anastasia anatol
anatoly andrei andrey andrzej andrew ann anna anton artem artsiom barys boris daria darya denis
dmitri dmitry dzianis dzmitry eduard elena emil evgeny fyodor galina hanna ihar igor ilya ivan
iryna irina kanstantsin katsiaryna katerina kiryl kirill konstantin ksenia larisa leonid liudmila
lyudmila marfa maria marina mariya maryia maksim maxim mikalai mikhail mikola mikita natalia
natallia nikita nikolai oleg olga palina paval pavel pyotr raman roman ryhor sergei sergey siarhei
sofia stanislau stepan sviatlana svetlana taciana tatsiana tatiana uladzimir vadim valentin
valery valiantsin vasily veronika viachaslau viktar viktor vitali vitaly vitaliy vladimir
vladislau volha yauhen yahor yulia yuliya yury zmitser
john james robert michael william david richard joseph thomas charles mary patricia jennifer linda
elizabeth barbara susan jessica sarah karen mark paul steven kevin george donald marco antony
""")
"""Given names common in our coverage, in Belarusian, Russian and English spellings."""

NOT_NAMES = GAZETTEER | _wordset("""
the a an this that these those in on at of for and or but as by with from to after before during
embassy union committee court party centre center prize square street republic ministry council
office university institute agency foundation fund bank group movement front house government
department state states nations national international human rights day week month year
""")
"""Words that are never part of a personal name in our texts."""

NAME_HEADERS = frozenset(("name", "names", "full name", "person", "prisoner", "individual"))

_CELL_NAME = re.compile(r"^[^\W\d_][\w’'.-]*(?: [^\W\d_][\w’'.-]*){1,3}$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}")


@dataclass(frozen=True)
class Candidate:
    """A personal name seen in a text."""

    name: str
    line: int
    """1-based line in the text searched."""
    start: int
    end: int
    source: str
    """``table`` or ``text``."""


@dataclass(frozen=True)
class Finding:
    """A name the registry does not list."""

    name: str
    line: int
    close_to: str | None
    """Slug of the registered person this is probably a spelling of, or None for a new person."""
    source: str

    def message(self) -> str:
        close = f" (close to {self.close_to})" if self.close_to else ""
        return f"unregistered person: {self.name}?{close}"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table_names(text: str) -> list[Candidate]:
    """Names in table columns headed "Name" (or a synonym)."""
    out: list[Candidate] = []
    column: int | None = None
    offset = 0
    previous = ""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            column = None
        elif _SEPARATOR.match(stripped) and previous:
            headers = [c.casefold() for c in _cells(previous)]
            column = next((i for i, h in enumerate(headers) if h in NAME_HEADERS), None)
        elif column is not None:
            cells = _cells(stripped)
            if column < len(cells) and _looks_like_name(cells[column]):
                start = line.index(cells[column]) + offset
                out.append(Candidate(cells[column], number, start, start + len(cells[column]), "table"))
        previous = stripped
        offset += len(line) + 1
    return out


def _looks_like_name(cell: str) -> bool:
    if not _CELL_NAME.match(cell):
        return False
    words = cell.split()
    return all(w[0].isupper() for w in words) and not any(fold(w) in NOT_NAMES for w in words)


def text_names(text: str, given: frozenset[str] = frozenset()) -> list[Candidate]:
    """Names in running text: a given name and one or two more capitalised words."""
    given_names = GIVEN_NAMES | given
    out: list[Candidate] = []
    offset = 0
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        # Table body rows count; headings, header rows and separators do not.
        header = stripped.startswith("|") and number < len(lines) and _SEPARATOR.match(lines[number].strip())
        if stripped and not stripped.startswith("#") and not header and not _SEPARATOR.match(stripped):
            out.extend(_line_names(line, number, offset, given_names))
        offset += len(line) + 1
    return out


def _runs(line: str) -> list[list[tuple[int, int, str]]]:
    runs: list[list[tuple[int, int, str]]] = []
    for w in capital_words(line):
        gap = line[runs[-1][-1][1]: w.start] if runs else None
        if gap is not None and gap == " ":
            runs[-1].append((w.start, w.end, w.text))
        else:
            runs.append([(w.start, w.end, w.text)])
    return runs


def _line_names(line: str, number: int, offset: int, given: frozenset[str]) -> list[Candidate]:
    out = []
    for run in _runs(line):
        words = [fold(w[2]) for w in run]
        # A sentence may start with a capitalised word or a title: "Today Maria ...".
        first = next((i for i in (0, 1) if i < len(words) and words[i] in given), None)
        if first is None:
            continue
        name_words = run[first:]
        if not 2 <= len(name_words) <= 3 or any(w in NOT_NAMES for w in words[first:]):
            continue
        if any(not w[2][1:].islower() for w in name_words if len(w[2]) > 1 and "-" not in w[2]):
            continue  # all-caps words are acronyms, not names (this also skips "McFaul": precision first)
        start, end = name_words[0][0], name_words[-1][1]
        out.append(Candidate(line[start:end], number, offset + start, offset + end, "text"))
    return out


def _overlaps(candidate: Candidate, hits: Sequence[Hit]) -> Hit | None:
    for hit in hits:
        if hit.start < candidate.end and candidate.start < hit.end:
            return hit
    return None


def find_unregistered(text: str, people: Sequence[Person]) -> list[Finding]:
    """Names in ``text`` that no registered name or alias covers, first occurrence of each."""
    hits = [h for h in matcher_for(people).scan(text) if h.kind != "surname"]
    given = frozenset(fold(n.split()[0]) for p in people for n in p.names if len(n.split()) > 1)
    candidates = sorted(table_names(text) + text_names(text, given), key=lambda c: (c.start, c.source))
    # A probable alias is a name even when its given name is not in our list ("Maryja").
    candidates += [Candidate(h.text, text.count("\n", 0, h.start) + 1, h.start, h.end, "text")
                   for h in hits if h.kind == "probable"]
    candidates.sort(key=lambda c: (c.start, c.source))
    findings: dict[str, Finding] = {}
    for candidate in candidates:
        hit = _overlaps(candidate, hits)
        if hit is not None and hit.kind == "name":
            continue
        close = hit.slug if hit is not None else closest_person(candidate.name, people)
        findings.setdefault(fold(candidate.name), Finding(candidate.name, candidate.line, close, candidate.source))
    return list(findings.values())


CLOSE_RATIO = 0.85
"""How similar two transliteration keys must be (difflib ratio) to call names close."""


def closest_person(name: str, people: Sequence[Person]) -> str | None:
    """Slug of the registered person whose name's key is equal or close to ``name``'s, if any."""
    key = name_key(name)
    words = key.split()
    if len(words) < 2:
        return None
    best: tuple[float, str] | None = None
    for person in people:
        for registered in person.names:
            other = name_key(registered)
            if not other or other.split()[-1][:1] != words[-1][:1]:
                continue
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            if ratio >= CLOSE_RATIO and (best is None or ratio > best[0]):
                best = (ratio, person.slug)
    return best[1] if best else None




def report(articles: Iterable[Article], people: Sequence[Person], diags: Diagnostics) -> None:
    """Warn about every unregistered name, at its line in the article file, and every stub to review."""
    for person in people:
        if person.review:
            diags.warn(SourceLocation(person.path, 1), "people", f"{person.name} awaits review: no page yet",
                       "check the name, fill in status and role, then remove 'review: true'")
    for article in articles:
        for finding in find_unregistered(article.body, people):
            where = SourceLocation(article.path, article.body_line + finding.line - 1)
            if finding.close_to:
                hint = f"if it is the same person, add it to aliases in content/people/{finding.close_to}.md"
            else:
                hint = "add a file in content/people/ (site-builder import writes a stub), or ignore if not a person"
            diags.warn(where, "people", finding.message(), hint)


def _line_of(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def explain(title: str, body: str, body_line: int, people: Sequence[Person], topics: Sequence[Topic],
            body_hits: int, title_hits: int) -> list[str]:
    """Lines saying which text matched which person and topic, with file line numbers."""
    out: list[str] = []
    hits = matcher_for(people).scan(f"{title}\n{body}")
    shift = len(title) + 1
    for person in people:
        mine = [h for h in hits if h.slug == person.slug]
        if not mine:
            continue
        out.append(f"  person {person.slug}: {len(mine)} mentions")
        for h in mine:
            where = "title" if h.start < shift else f"line {_line_of(body, h.start - shift, body_line)}"
            label = {"name": "name", "surname": "surname only", "probable": "probable alias"}[h.kind]
            out.append(f"    {where}: {h.text!r} ({label})")
    for topic in topics:
        in_title, in_body = keyword_matches(title, topic), keyword_matches(body, topic)
        if not in_title and not in_body:
            continue
        chosen = len(in_title) >= title_hits or len(in_body) >= body_hits
        out.append(f"  topic {topic.slug}: {len(in_title)} in title, {len(in_body)} in body "
                   f"({'assigned' if chosen else f'not assigned: needs {title_hits} in title or {body_hits} in body'})")
        out.extend(f"    title: {title[s:e]!r}" for s, e in in_title)
        out.extend(f"    line {_line_of(body, s, body_line)}: {body[s:e]!r}" for s, e in in_body)
    for finding in find_unregistered(body, people):
        out.append(f"  line {body_line + finding.line - 1}: {finding.message()}")
    return out
