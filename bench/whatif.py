"""What the three hot spots outside the build pipeline cost: a measured what-if.

The profile of a full build (docs/PERFORMANCE.md) puts most of the time in
three functions that belong to other modules than the build pipeline:

- ``clean.protect.protected_spans``: the registry's names as one
  case-insensitive alternation of every name and alias, searched over every
  line once per text rule;
- ``detect.find_people``: one regex search per registered person per article;
- ``index._related``: every article scored against every other (quadratic).

This script swaps in drop-in versions of the three (monkeypatched here only;
the package is unchanged), builds the corpus in process, and checks that the
output is byte-identical to a reference build made without them.

    python bench/whatif.py CONTENT_DIR REFERENCE_PUBLIC_DIR
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder import detect, enrich, index  # noqa: E402
from site_builder.build import build  # noqa: E402
from site_builder.cache import BuildCache  # noqa: E402
from site_builder.clean import protect, rules  # noqa: E402
from site_builder.config import load_config  # noqa: E402
from site_builder.model import Article, Person  # noqa: E402

# 1. protected spans: the same spans, computed once per distinct line, with the
#    names pattern narrowed to the names whose first word occurs in the line.
_original_spans = protect.protected_spans


@lru_cache(maxsize=1)
def _name_table(names: re.Pattern[str]) -> list[tuple[str, tuple[str, ...]]]:
    # names_pattern is "(?<!\w)(?:A|B|...)(?!\w)" with re.escape'd alternatives, longest first.
    body = names.pattern[len(r"(?<!\w)(?:"): -len(r")(?!\w)")]
    return [(alt, tuple(re.sub(r"\\(.)", r"\1", alt).casefold().split())) for alt in body.split("|")]


@lru_cache(maxsize=4096)
def _narrow(names: re.Pattern[str], alternatives: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", names.flags)


@lru_cache(maxsize=65536)
def fast_protected_spans(text: str, names: re.Pattern[str] | None = None) -> list[protect.Span]:
    if names is None:
        return _original_spans(text, None)
    folded = text.casefold()
    alternatives = tuple(alt for alt, words in _name_table(names) if words[0] in folded)
    spans = _original_spans(text, None)
    if alternatives:
        spans.extend(m.span() for m in _narrow(names, alternatives).finditer(text))
        spans.sort()
    return spans


def _cached_spans(text: str, names: re.Pattern[str] | None = None) -> list[protect.Span]:
    return list(fast_protected_spans(text, names))


# 2. person detection: skip a person's regex when no word of any name is in the text.
@lru_cache(maxsize=4096)
def _words(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple({w.casefold() for n in names for w in n.split()[-1:]})


def fast_find_people(text: str, people: Iterable[Person]) -> dict[str, detect.Mention]:
    folded = text.casefold()
    found: dict[str, detect.Mention] = {}
    for person in people:
        if not any(w in folded for w in _words(person.names)):
            continue
        full, _ = detect._person_patterns(person.names)
        match = full.search(text) if full else None
        if match is not None:
            found[person.slug] = detect.Mention(person.slug, match.group(), match.start())
    return found


# 3. related articles: only articles sharing a person or topic can score above 0;
#    the rest of the top three are the newest others, in the same order as before.
_state: dict[int, tuple[dict[str, list[Article]], list[Article]]] = {}


def fast_related(article: Article, published: Sequence[Article]) -> tuple[str, ...]:
    key = id(published)
    if key not in _state:
        _state.clear()
        by_term: dict[str, list[Article]] = {}
        for a in published:
            for term in {f"p:{p}" for p in a.people} | {f"t:{t}" for t in a.topics}:
                by_term.setdefault(term, []).append(a)
        newest = sorted(published, key=lambda o: (-o.date.toordinal(), 0, o.slug))
        _state[key] = (by_term, newest)
    by_term, newest = _state[key]
    people, topics = set(article.people), set(article.topics)
    candidates = {o.slug: o for term in {f"p:{p}" for p in people} | {f"t:{t}" for t in topics}
                  for o in by_term.get(term, ()) if o.slug != article.slug}

    def score(other: Article) -> tuple[int, int, int, str]:
        shared = 2 * len(people & set(other.people)) + len(topics & set(other.topics))
        return (-shared, -other.date.toordinal(), 0, other.slug)

    ranked = sorted(candidates.values(), key=score)[: index.RELATED_COUNT]
    for other in newest:
        if len(ranked) >= index.RELATED_COUNT:
            break
        if other.slug != article.slug and other.slug not in candidates:
            ranked.append(other)
    return tuple(o.slug for o in ranked)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and p.name != ".site-builder-output"}


def main() -> int:
    content, reference = Path(sys.argv[1]), Path(sys.argv[2])
    setattr(rules, "protected_spans", _cached_spans)  # noqa: B010 - monkeypatching on purpose
    setattr(enrich, "find_people", fast_find_people)  # noqa: B010
    setattr(index, "_related", fast_related)  # noqa: B010
    out = Path("/tmp/whatif-public")
    config = load_config(content, out, ROOT / "templates", None, False, {"SOURCE_DATE_EPOCH": "1765584000"})
    start = time.perf_counter()
    cpu = time.process_time()
    build(config, cache=BuildCache())
    print(f"what-if build: wall {time.perf_counter() - start:.2f} s "
          f"(parent CPU {time.process_time() - cpu:.2f} s)")
    same = tree(out) == tree(reference)
    print("output identical to the reference build" if same else "OUTPUT DIFFERS from the reference build")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
