"""How much a people registry adds to a build.

Generates a deterministic corpus in a temporary directory (N articles that
name people from a registry of P, in full, by surname and in a second
spelling, plus topics), then times a full build with an empty registry and
with the P people, and prints the ratio.  The issue asks for under 10% with
500 people and 10,000 articles:

    .venv/bin/python bench/people_overhead.py --articles 10000 --people 500

Articles are as long as the publication's: the mean length of the raw
articles in ``seeds/`` (about 1,300 words, in blocks of their mean length).
Each names five people, more than the seeds do (2.8 on average), so the
registry's share is not flattered.  ``--words 0`` builds the corpus the
sessions before the nineteenth measured: the five named paragraphs alone,
about 325 words, a quarter of a real article, where the registry's fixed
cost (500 person pages and feeds) weighs four times as much.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clean_state import Trash

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ["Maria", "Ales", "Viktor", "Pavel", "Andrei", "Ihar", "Volha", "Siarhei", "Natallia", "Mikalai",
         "Iryna", "Dzmitry", "Katsiaryna", "Raman", "Yauhen", "Sviatlana", "Aliaksandr", "Palina"]
STEMS = ["Kales", "Bial", "Babar", "Seviar", "Sannik", "Losik", "Tsikhan", "Statkev", "Lasko", "Khalezin",
         "Mazheik", "Znak", "Puzhel", "Hrabav", "Kazlou", "Navumch", "Rudnits", "Sharapav", "Yurkevich",
         "Dubavets", "Maroz", "Tarash", "Vinnik", "Zhuk", "Sakalou"]
ENDS = [("ava", "ova"), ("iatski", "yatski"), ("yka", "iko"), ("ets", "etz"), ("au", "ov"), ("ich", "ych")]
_TEXT = ("the release of prisoners was welcomed by families and rights groups while officials said little about "
         "the terms of the deal and observers asked what would follow for those still held in the colonies")
WORDS = _TEXT.split()
EPOCH = "1767225600"
"""SOURCE_DATE_EPOCH of every build of these corpora (2026-01-01): the same dates, whichever script builds them."""
TOPICS = {"political-prisoners": ["political prisoners", "political prisoner"], "sanctions": ["sanctions"],
          "human-rights": ["human rights"], "protests-2020": ["2020 protests"]}


def person(n: int) -> tuple[str, str, str]:
    """(slug, name, alias) of the n-th generated person: unique, with a second spelling."""
    first = GIVEN[n % len(GIVEN)]
    stem = STEMS[(n // len(GIVEN)) % len(STEMS)]
    end, other = ENDS[(n // (len(GIVEN) * len(STEMS))) % len(ENDS)]
    name, alias = f"{first} {stem}{end}", f"{first} {stem}{other}"
    return name.lower().replace(" ", "-"), name, alias


def paragraph(rng: random.Random, people: list[tuple[str, str, str]]) -> str:
    words = [rng.choice(WORDS) for _ in range(60)]
    if people:
        _slug, name, alias = rng.choice(people)
        words.insert(rng.randrange(len(words)), rng.choice([name, alias]) + ",")
        words.insert(len(words) - 5, name.split()[-1] + "’s")
    words.insert(rng.randrange(len(words)), rng.choice(list(TOPICS.values()))[0])
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def seed_shape() -> tuple[int, int]:
    """(words per article, words per block) of the raw articles in ``seeds/``, on average.

    A raw article has one block (paragraph, heading, list item, table row) per
    line, so this is the length and the grain of the articles the publication
    actually runs: about 1,300 words in some 47 blocks of 28 words.
    """
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    words = sum(len(text.split()) for text in texts)
    blocks = sum(1 for text in texts for line in text.splitlines() if line.strip())
    return round(words / len(texts)), round(words / blocks)


def filler(rng: random.Random, words: int, block: int) -> list[str]:
    """Paragraphs of ``block`` words that name nobody and no topic, ``words`` words in all."""
    out = []
    while words > 0:
        text = " ".join(rng.choice(WORDS) for _ in range(min(block, words)))
        out.append(text[0].upper() + text[1:] + ".")
        words -= block
    return out


def generate(root: Path, articles: int, people: int, seed: int = 7, words: int | None = None) -> int:
    """The corpus in ``root``: ``articles`` articles and a registry of ``people``; returns the words
    of an article body, on average.

    Each article has five paragraphs that name a person (in full or in a
    second spelling, then by surname) and a topic keyword.  With ``words``,
    paragraphs that name nobody are spread between them until the article
    is about that long, in blocks as long as the seeds' (``seed_shape``); the
    default is the seeds' mean length, and ``words=0`` gives the five
    paragraphs alone (about 325 words: the corpus of the sessions before the
    nineteenth, which the named paragraphs still reproduce byte for byte).
    """
    rng = random.Random(seed)
    mean, block = seed_shape()
    words = mean if words is None else words
    padding = random.Random(seed + 1)  # its own stream: the named paragraphs are the same at every length
    content = root / "content"
    for sub in ("articles", "people", "topics"):
        (content / sub).mkdir(parents=True)
    shutil.copytree(ROOT / "templates", root / "templates")
    (content / "site.yaml").write_text("title: Bench\nbase_url: https://bench.example.org\n", encoding="utf-8")
    registry = [person(n) for n in range(people)]
    for slug, name, alias in registry:
        (content / "people" / f"{slug}.md").write_text(
            f"---\nname: {name}\naliases: [{alias}]\nstatus: detained\n---\nBiography of {name}.\n", encoding="utf-8")
    for slug, keywords in TOPICS.items():
        (content / "topics" / f"{slug}.md").write_text(
            f"---\nname: {slug.replace('-', ' ').title()}\nkeywords: [{', '.join(keywords)}]\n---\nAbout it.\n",
            encoding="utf-8")
    # The same text whatever the registry size: names come from a fixed pool of 500.
    pool = [person(n) for n in range(500)]
    written = 0
    for n in range(articles):
        named = [paragraph(rng, pool) for _ in range(5)]
        rest = filler(padding, words - sum(len(p.split()) for p in named), block)
        # Named paragraphs first, then an even share of the others after each.
        blocks = [b for i, p in enumerate(named) for b in [p, *rest[i * len(rest) // 5: (i + 1) * len(rest) // 5]]]
        body = "\n\n".join(blocks)
        written += len(body.split())
        date = f"20{20 + n % 6:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        (content / "articles" / f"article-{n:05d}.md").write_text(
            f"---\ntitle: Article number {n}\nslug: article-{n:05d}\ndate: {date}\nsummary: Article {n}.\n---\n"
            f"{body}\n", encoding="utf-8")
    return round(written / articles) if articles else 0


def timed_build(root: Path, trash: Trash) -> tuple[float, float, float, int]:
    """Wall, user CPU and system CPU seconds (Pagefind's included) of ``site-builder build`` in a fresh
    process, from a clean state; and the number of article-person links."""
    trash.set_aside(root / "public", root / ".xdg-cache")  # see clean_state.py: no deletion before a build
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, XDG_CACHE_HOME=str(root / ".xdg-cache"))
    os.sync()  # what the last build wrote goes to disk now, not during this one
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "site_builder", "build", "--content", str(root / "content"),
                           "--out", str(root / "public"), "--templates", str(root / "templates")],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    if done.returncode != 0 or done.stderr:
        sys.exit(f"the build of {root} printed:\n{done.stderr}")  # a benchmark of a broken build means nothing
    links = sum(page.read_text(encoding="utf-8").count('class="person-link"')
                for page in (root / "public" / "articles").glob("*/index.html"))
    return seconds, user, system, links


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="builds per registry, interleaved; the fastest counts")
    parser.add_argument("--words", type=int, default=None,
                        help="words per article (default: the seeds' mean, about 1,300; 0: the five named "
                             "paragraphs alone, about 325, as measured before the nineteenth session)")
    args = parser.parse_args(argv)
    times: dict[int, list[float]] = {}
    cpu: dict[int, list[float]] = {}
    user: dict[int, list[float]] = {}
    links: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="people-bench-") as tmp:
        roots = {people: Path(tmp) / f"site-{people}" for people in (0, args.people)}
        for people, root in roots.items():
            length = generate(root, args.articles, people, words=args.words)
        trash = Trash(Path(tmp) / "trash")  # emptied with the temporary directory, after the last build
        # Interleaved, so that a machine getting busier or quieter slows both alike.
        for _ in range(args.repeat):
            for people, root in roots.items():
                seconds, user_seconds, system_seconds, links[people] = timed_build(root, trash)
                user.setdefault(people, []).append(user_seconds)
                cpu_seconds = user_seconds + system_seconds
                times.setdefault(people, []).append(seconds)
                cpu.setdefault(people, []).append(cpu_seconds)
    source = "the mean of seeds/" if args.words is None else "--words"
    print(f"articles of {length} words on average ({source})")
    for people, runs in times.items():
        print(f"{args.articles} articles, {people} people: {min(runs):.2f} s, fastest of "
              f"{', '.join(f'{t:.2f}' for t in runs)}; CPU {', '.join(f'{t:.1f}' for t in cpu[people])} s, "
              f"of which user {', '.join(f'{t:.1f}' for t in user[people])} s "
              f"({links[people]} article-person links)", flush=True)
    best = {people: min(runs) for people, runs in times.items()}
    ratio = best[args.people] / best[0]
    # This disk makes single builds vary by 10-20%: the ratio of each interleaved pair, and CPU time, say how
    # far the fastest-of figure can be trusted.
    pairs = sorted(b / a for a, b in zip(times[0], times[args.people], strict=True))
    cpu_ratio = min(cpu[args.people]) / min(cpu[0])
    user_ratio = min(user[args.people]) / min(user[0])
    print(f"overhead: {100 * (ratio - 1):+.1f}% (ratio {ratio:.3f}); per interleaved pair "
          f"{', '.join(f'{100 * (r - 1):+.1f}%' for r in pairs)}, median {100 * (statistics.median(pairs) - 1):+.1f}%; "
          f"CPU {100 * (cpu_ratio - 1):+.1f}%, user CPU alone {100 * (user_ratio - 1):+.1f}%")
    return 0 if ratio < 1.10 else 1


if __name__ == "__main__":
    sys.exit(main())
