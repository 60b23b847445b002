"""The speed-ups change nothing: parallel equals serial, cache hits equal fresh work.

No timing here (that is bench/build_bench.py); only that the fast paths give
the same bytes, diagnostics and changes as the plain ones.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder import build as build_module
from site_builder import diskcache, parallel
from site_builder.build import BuildResult, build
from site_builder.cache import BuildCache
from site_builder.config import load_config
from site_builder.errors import BuildFailed
from site_builder.render import Renderer
from site_builder.write import write_site


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(root: Path, out: str, cache: BuildCache | None = None) -> BuildResult:
    """Build into ``root/out``; without ``cache``, the disk cache beside that folder is used."""
    config = load_config(root / "content", out_dir=root / out, templates_dir=root / "templates",
                         env={"SOURCE_DATE_EPOCH": "1765584000"})
    return build(config, cache=cache)


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 1)


def _parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    monkeypatch.setattr(parallel, "PROBE", 1)


def _add_problem_articles(root: Path) -> None:
    """One article without a date (a warning) and one changed by the cleaner."""
    articles = root / "content" / "articles"
    (articles / "undated.md").write_text("---\ntitle: Undated\nsummary: S.\n---\nText without a date.\n")
    (articles / "messy.md").write_text("---\ntitle: Messy\ndate: 2025-01-02\n---\nteh court,said no .\n")


def test_parallel_build_equals_serial(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_problem_articles(full_site)
    _serial(monkeypatch)
    serial = _build(full_site, "serial/public")
    _parallel(monkeypatch)
    par = _build(full_site, "parallel/public")
    assert tree(full_site / "serial/public") == tree(full_site / "parallel/public")
    assert serial.changes == par.changes and serial.changes
    assert serial.diagnostics.items == par.diagnostics.items and serial.diagnostics.warnings
    assert list(serial.site.articles) == list(par.site.articles)


def test_parallel_build_reports_the_same_errors(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (full_site / "content/articles/bad.md").write_text("---\ntitle: Bad\npeople: [nobody-known]\n---\nText.\n")
    # Refused while loading (read on every core in a parallel build), in file order:
    (full_site / "content/articles/a-unclosed.md").write_text("---\ntitle: A\n")
    (full_site / "content/articles/Not_A_Slug.md").write_text("---\ntitle: N\n---\nText.\n")
    (full_site / "content/articles/z-bad-yaml.md").write_text("---\ntitle: [x\n---\nText.\n")
    failures = []
    for mode in (_serial, _parallel):
        mode(monkeypatch)
        with pytest.raises(BuildFailed) as failed:
            _build(full_site, "public")
        failures.append([d.format() for d in failed.value.diagnostics.items])
    assert failures[0] == failures[1] and any("nobody-known" in f for f in failures[0])
    named = [name for f in failures[0] for name in ("Not_A_Slug", "a-unclosed", "z-bad-yaml") if name in f]
    assert named == ["Not_A_Slug", "a-unclosed", "z-bad-yaml"]


def test_parallel_build_fills_the_cache(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parallel(monkeypatch)
    cache = BuildCache()
    _build(full_site, "first", cache)
    assert cache.stats()["cleaned"] == (0, 5) and cache.stats()["enriched"] == (0, 5)
    _build(full_site, "second", cache)  # a warm cache: every article is a hit
    assert cache.stats()["cleaned"] == (5, 0) and cache.stats()["enriched"] == (5, 0)
    assert tree(full_site / "first") == tree(full_site / "second")


def test_registry_change_invalidates_enriched_articles(full_site: Path) -> None:
    cache = BuildCache()
    _build(full_site, "public", cache)
    person = sorted((full_site / "content/people").glob("*.md"))[0]
    person.write_text(person.read_text().replace("aliases: [", "aliases: [Someone Else, ", 1))
    _build(full_site, "public", cache)
    assert cache.stats()["enriched"][0] == 0  # every article looked at the registry again
    _build(full_site, "fresh/public")
    assert tree(full_site / "public") == tree(full_site / "fresh/public")


def test_an_unchanged_registry_is_the_same_objects_in_the_next_build(full_site: Path) -> None:
    """A rebuild reloads the people and topics; equal ones are the last build's objects, so
    their matcher and every render job's inputs are found again by identity."""
    cache = BuildCache()
    people = _build(full_site, "public", cache).site.people
    again = _build(full_site, "public", cache).site.people
    assert all(again[slug] is person for slug, person in people.items())
    path = sorted((full_site / "content/people").glob("*.md"))[0]
    path.write_text(path.read_text().replace("aliases: [", "aliases: [Someone Else, ", 1))
    edited = _build(full_site, "public", cache).site.people
    changed = [slug for slug, person in edited.items() if person is not again[slug]]
    assert changed and all("Someone Else" in edited[slug].aliases for slug in changed)


def test_same_as_before_keeps_equal_items_and_compares_each_once() -> None:
    compared: list[int] = []

    class Item:
        def __init__(self, value: int) -> None:
            self.value = value

        def __eq__(self, other: object) -> bool:
            compared.append(self.value)
            return isinstance(other, Item) and other.value == self.value

        __hash__ = None  # type: ignore[assignment]

    cache = BuildCache()
    first = cache.same_as_before("x", (Item(1), Item(2), Item(3)))
    same = cache.same_as_before("x", (Item(1), Item(2), Item(3)))
    assert same is first
    compared.clear()
    changed = cache.same_as_before("x", (Item(1), Item(9), Item(3), Item(4)))
    assert len(compared) == 3  # the three pairs, once each, though one differs
    assert changed[0] is first[0] and changed[2] is first[2] and [i.value for i in changed] == [1, 9, 3, 4]
    shorter = cache.same_as_before("x", (Item(1), Item(9)))
    assert [i.value for i in shorter] == [1, 9] and shorter[1] is changed[1]
    assert cache.same_as_before("x", (Item(1), Item(9))) is shorter


def test_disk_cache_reuses_articles_and_gives_the_same_site(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _build(full_site, "public")
    cache_file = diskcache.cache_dir(full_site / "public") / diskcache.FILENAME
    assert cache_file.is_file()
    assert full_site not in cache_file.parents  # never inside the project a contributor controls
    before = tree(full_site / "public")
    loaded = diskcache.load(full_site / "public")
    assert len(loaded.enriched.entries) == 5 and len(loaded.cleaned.entries) == 5
    calls: list[str] = []
    real = build_module.clean_markdown
    monkeypatch.setattr(build_module, "clean_markdown", lambda *a, **k: calls.append("clean") or real(*a, **k))
    second = _build(full_site, "public")
    assert calls == []  # nothing cleaned again
    assert tree(full_site / "public") == before
    assert first.changes == second.changes and first.diagnostics.items == second.diagnostics.items
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    article.write_text(article.read_text() + "\nteh end.\n")
    _build(full_site, "public")
    assert calls == ["clean"]  # only the edited article
    _build(full_site, "fresh/public")  # beside another folder: its own, empty cache
    assert tree(full_site / "public") == tree(full_site / "fresh/public")


def test_disk_cache_of_other_code_is_ignored(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(full_site, "public")
    monkeypatch.setattr(diskcache, "code_version", lambda: "another version")
    assert not diskcache.load(full_site / "public").cleaned.entries
    (diskcache.cache_dir(full_site / "public") / diskcache.FILENAME).write_bytes(b"not a pickle")
    assert not diskcache.load(full_site / "public").enriched.entries


def test_a_disk_cache_changed_after_it_was_written_is_not_trusted(full_site: Path) -> None:
    """A byte changed inside a stored text still unpickles: without the hash written with it,
    the damage would reach the pages of every later build."""
    fresh = _build(full_site, "fresh/public")
    _build(full_site, "public")
    cache_file = diskcache.cache_dir(full_site / "public") / diskcache.FILENAME
    data = cache_file.read_bytes()
    stored = next(w for w in (b"sentence", b"prisoners", b"Belarus") if w in data.split(b"\n", 2)[2])
    damaged = data.replace(stored, stored[:-1] + b"X")
    assert damaged != data
    cache_file.write_bytes(damaged)
    assert not diskcache.load(full_site / "public").cleaned.entries
    second = _build(full_site, "public")
    assert tree(full_site / "public") == tree(full_site / "fresh/public")
    assert second.changes == fresh.changes
    assert diskcache.load(full_site / "public").cleaned.entries  # saved whole again


def test_parallel_path_really_forks(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _parallel(monkeypatch)
    pids = full_site / "pids"
    real = build_module.prepare

    def prepare(*args: Any) -> Any:
        with pids.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(build_module, "prepare", prepare)
    _build(full_site, "public")
    seen = set(pids.read_text().split())
    # One article probed here (a cold cache), the other four in the workers.
    assert len(pids.read_text().split()) == 5 and len(seen - {str(os.getpid())}) >= 1


def _frozen(_: int) -> int:
    return gc.get_freeze_count()


def test_workers_leave_the_inherited_objects_out_of_their_garbage_collection() -> None:
    """The objects a worker inherits are frozen (gc.freeze) in it; the parent gets them back after the pool."""
    before = gc.get_freeze_count()
    counts = parallel.map_ordered(_frozen, parallel.MIN_PARALLEL, processes=2)
    assert min(counts) > before
    assert gc.get_freeze_count() == before


def test_parallel_render_renders_each_page_once_in_the_workers(full_site: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _parallel(monkeypatch)
    log = full_site / "rendered"
    real = Renderer.article_page

    def article_page(self: Renderer, slug: str) -> Any:
        with log.open("a") as f:
            f.write(f"{os.getpid()} {slug}\n")
        return real(self, slug)

    monkeypatch.setattr(Renderer, "article_page", article_page)
    published = _build(full_site, "public").site.articles
    lines = [line.split() for line in log.read_text().splitlines()]
    slugs = [slug for _, slug in lines]
    assert sorted(slugs) == sorted(published)  # once each: the parent does not render them again to collect them
    assert {pid for pid, _ in lines} - {str(os.getpid())}


def _count_macro_calls(monkeypatch: pytest.MonkeyPatch, name: str, key: Callable[..., object]) -> list[object]:
    """Record ``key(*args)`` for each call of the macro that ``Renderer.<name>`` (a cached property) gives."""
    rendered: list[object] = []
    real = getattr(Renderer, name).func

    def counting(self: Renderer) -> Any:
        macro = real(self)

        def recorded(*args: Any) -> str:
            rendered.append(key(*args))
            return macro(*args)  # type: ignore[no-any-return]
        return recorded

    memo = functools.cached_property(counting)
    memo.__set_name__(Renderer, name)
    monkeypatch.setattr(Renderer, name, memo)
    return rendered


@pytest.mark.parametrize(("macro", "key", "marker", "files"), [
    ("_card_macro", lambda a, level=2: (a.url, level), '<article class="card">', "*.html"),  # per heading level
    ("_rss_item_macro", lambda item: item.link, "<item>", "feed.xml"),  # the site's, people's and topics' feeds
], ids=["card", "rss-item"])
def test_each_card_and_rss_item_is_rendered_once(full_site: Path, monkeypatch: pytest.MonkeyPatch, macro: str,
                                                  key: Callable[..., object], marker: str, files: str) -> None:
    """An article's card is on about ten pages, its RSS item in several feeds: each is rendered once."""
    _serial(monkeypatch)
    rendered = _count_macro_calls(monkeypatch, macro, key)
    _build(full_site, "public")
    shown = sum(p.read_text().count(marker) for p in (full_site / "public").rglob(files))
    assert len(rendered) == len(set(rendered)) > 0
    assert shown > 2 * len(rendered)  # each appears several times


def test_a_list_of_cards_renders_as_the_loop_of_its_cards(full_site: Path, tmp_path_factory: pytest.TempPathFactory,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """``cards(articles, 3)`` in person.html and topic.html writes what a loop of ``card(a, 3)`` wrote."""
    _serial(monkeypatch)
    looped = tmp_path_factory.mktemp("looped")
    shutil.copytree(full_site / "content", looped / "content")
    shutil.copytree(full_site / "templates", looped / "templates")
    for name in ("person.html", "topic.html"):
        template = looped / "templates" / name
        text = template.read_text(encoding="utf-8")
        one_call = "{% if articles %}{{ cards(articles, 3) }}{% else %}<p>No articles yet.</p>{% endif %}"
        assert one_call in text
        template.write_text(text.replace(
            one_call, "{% for a in articles %}{{ card(a, 3) }}{% else %}<p>No articles yet.</p>{% endfor %}"))
    _build(full_site, "public")
    _build(looped, "public")
    assert tree(full_site / "public") == tree(looped / "public")


def test_rss_items_render_as_the_loop_of_the_feed_template(full_site: Path, tmp_path_factory: pytest.TempPathFactory,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """``rss_items(feed["items"])`` in feed.xml writes what the template's own loop over the items wrote,
    with no items as with many."""
    _serial(monkeypatch)
    (full_site / "content" / "people" / "nobody-yet.md").write_text(  # a feed without items
        "---\nname: Nobody Yet\nstatus: unknown\n---\nNot named in any article.\n", encoding="utf-8")
    looped = tmp_path_factory.mktemp("looped-feed")
    shutil.copytree(full_site / "content", looped / "content")
    shutil.copytree(full_site / "templates", looped / "templates")
    template = looped / "templates" / "feed.xml"
    text = template.read_text(encoding="utf-8")
    one_call = '{{ rss_items(feed["items"]) -}}\n'
    assert one_call in text
    macro = (looped / "templates" / "feed_macros.xml").read_text(encoding="utf-8")
    body = macro.split("%}\n", 1)[1].rsplit("{% endmacro %}", 1)[0]
    template.write_text(text.replace(one_call, '{% for item in feed["items"] %}\n' + body + "{% endfor %}\n"))
    _build(full_site, "public")
    _build(looped, "public")
    empty = (looped / "public" / "people" / "nobody-yet" / "feed.xml").read_text(encoding="utf-8")
    assert "<item>" not in empty and "<atom:link" in empty
    assert tree(full_site / "public") == tree(looped / "public")


def test_parallel_build_keeps_every_documents_cache_keys(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The dev server's first build runs in workers; its first save must not hash every document again.
    _parallel(monkeypatch)
    cache = BuildCache()
    _build(full_site, "public", cache)
    sources = sorted((full_site / "content/articles").glob("*.md"))
    assert len(cache.keys) == len(sources)
    assert all(doc.path == path and options for path, (doc, options, _, _) in cache.keys.items())


def test_unchanged_pages_are_linked_not_rewritten(full_site: Path) -> None:
    _build(full_site, "public")
    public = full_site / "public"
    before = {p: p.stat().st_ino for p in public.rglob("*.html")}
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    article.write_text(article.read_text() + "\nOne more line.\n")
    _build(full_site, "public")
    after = {p: p.stat().st_ino for p in public.rglob("*.html")}
    kept = [p for p in before if after.get(p) == before[p]]
    assert 0 < len(kept) < len(before)  # most pages kept, the edited article's page rewritten
    _build(full_site, "fresh/public")
    assert tree(public) == tree(full_site / "fresh/public")


def test_template_error_in_parallel_render_is_reported_like_serial(full_site: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    page = full_site / "templates/article.html"
    page.write_text(page.read_text().replace("{{ article.title }}", "{{ article.no_such_field }}", 1))
    failures = []
    for mode in (_serial, _parallel):
        mode(monkeypatch)
        with pytest.raises(BuildFailed) as failed:
            _build(full_site, "public")
        failures.append([d.format() for d in failed.value.diagnostics.items])
    assert failures[0] == failures[1] and any("no_such_field" in f for f in failures[0])


def test_cache_keys_do_not_depend_on_the_hash_seed(full_site: Path) -> None:
    """The disk cache is read by another process: its keys must not vary with PYTHONHASHSEED."""
    code = (
        "import sys; from pathlib import Path; from site_builder import build as b, load; "
        "from site_builder.errors import Diagnostics; from site_builder.style import load_style, with_corpus; "
        "from site_builder.clean.gazetteer import corpus_proper_nouns; from site_builder.clean.rules import "
        "CleanOptions; c = Path(sys.argv[1]); d = Diagnostics(); people = load.load_people(c, d); "
        "docs = load.load_articles(c, d); o = with_corpus(load_style(c) or CleanOptions(), b._all_names(people), "
        "corpus_proper_nouns(x.body for x in docs)); print(b.options_digest(o))"
    )
    keys = {subprocess.run([sys.executable, "-c", code, str(full_site / "content")], check=True, text=True,
                           capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(keys) == 1


def test_every_cache_key_is_the_same_in_another_process(full_site: Path, tmp_path: Path) -> None:
    """Page, HTML, cleaned and enriched keys (data_digest) name the same data in every process."""
    code = (
        "import sys, hashlib; from pathlib import Path; from site_builder.build import build; "
        "from site_builder.cache import BuildCache; from site_builder.config import load_config; "
        "r = Path(sys.argv[1]); c = BuildCache(); "
        "build(load_config(r / 'content', out_dir=Path(sys.argv[2]), templates_dir=r / 'templates', "
        "env={'SOURCE_DATE_EPOCH': '1765584000'}), cache=c); "
        "print(*(sorted(m.entries) for m in (c.cleaned, c.enriched, c.html, c.pages)))"
    )
    keys = {subprocess.run([sys.executable, "-c", code, str(full_site), str(tmp_path / seed)], check=True,
                           text=True, capture_output=True,
                           env={**os.environ, "PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(tmp_path / f"x{seed}")}
                           ).stdout
            for seed in ("1", "2")}
    assert len(keys) == 1
    assert len(next(iter(keys))) > 1000  # dozens of keys of each kind


def test_data_digest_hashes_values_not_objects() -> None:
    from site_builder.cache import data_digest
    from site_builder.render import Card

    word = "".join(["Kales", "nikava"])  # equal to the literal, another object
    assert word is not "Kalesnikava"  # noqa: F632
    assert data_digest(["Kalesnikava", "Kalesnikava"]) == data_digest(["Kalesnikava", word])
    card = Card("T", "/a/", "2024-01-01", "1 January 2024", "S", 2)
    assert data_digest({"a": [card, card]}) == data_digest({"a": [card, Card(**card.fields())]})
    different = [1, 1.0, True, "1", b"1", (1,), [1], {"1": 1}, None, Card("T", "/b/", "2024-01-01", "", "", 2)]
    assert len({data_digest(v) for v in different}) == len(different)
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        data_digest(loop)


def test_cache_statistics_are_the_same_in_parallel(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stats = []
    for mode in (_serial, _parallel):
        mode(monkeypatch)
        cache = BuildCache()
        _build(full_site, "public", cache)
        cold = cache.stats()
        _build(full_site, "public", cache)
        stats.append((cold, cache.stats()))
    assert stats[0] == stats[1]


# -- the dev server's incremental path ----------------------------------------


def test_scan_tree_signatures_are_file_signatures(tmp_path: Path) -> None:
    from site_builder.cache import file_signature, scan_tree

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/a.md").write_text("a")
    (tmp_path / "b.md").write_text("b")
    (tmp_path / "link.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing.md")
    found = scan_tree(tmp_path)
    assert set(found) == {str(tmp_path / n) for n in ("sub/a.md", "b.md", "link.md", "dangling.md")}
    assert all(found[path] == file_signature(path) for path in found)
    assert found[str(tmp_path / "link.md")] != found[str(tmp_path / "b.md")]  # the link's own entry counts too


def test_files_state_reads_only_recently_modified_files(tmp_path: Path) -> None:
    """What the dev server compares to decide whether to rebuild at all."""
    from site_builder.cache import RACY_NS, tree_signature

    path = tmp_path / "a.md"
    path.write_text("one")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(path, ns=(old, old))
    before = tree_signature(tmp_path)
    assert before[1] == {}  # an old file is known by its signature alone
    assert tree_signature(tmp_path) == before  # nothing changed: no rebuild
    path.write_text("two")  # same size, just now
    after = tree_signature(tmp_path)
    assert after != before
    # Modified within the timestamp tick: a second save of the same size could
    # keep its signature, so its bytes are part of the state.
    assert after[1] == {str(path): b"two"}


def test_a_file_whose_bytes_leave_the_state_unchanged_is_no_change(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Two seconds after a save its bytes leave the state; that alone is no edit, and no rebuild."""
    from site_builder import cache
    from site_builder.cache import same_files, tree_signature

    path = tmp_path / "a.md"
    path.write_text("one")
    racy = tree_signature(tmp_path)
    assert racy[1] == {str(path): b"one"}
    monkeypatch.setattr(cache, "RACY_NS", 0)  # later: the save is old enough to trust its signature
    settled = tree_signature(tmp_path)
    assert settled[1] == {} and settled != racy
    assert same_files(racy, settled)
    # Rewritten within the same timestamp tick, keeping its signature: the bytes read now tell.
    path.write_text("two")
    assert not same_files(racy, (racy[0], {}))
    assert not same_files(racy, tree_signature(tmp_path))  # a new signature anyway
    assert not same_files(None, settled)
    path.unlink()
    assert not same_files(racy, (racy[0], {}))  # gone: not the same


def test_the_dev_server_does_not_rebuild_when_a_save_settles(full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder import cache
    from site_builder.serve import DevState

    config = load_config(full_site / "content", out_dir=full_site / "public", templates_dir=full_site / "templates")
    state = DevState(config, {})
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    article.write_text(article.read_text() + "\nOne more line.\n")  # just saved: racy
    try:
        assert state.rebuild() and state.builds == 1
        assert state.fingerprint is not None and str(article) in state.fingerprint[1]
        monkeypatch.setattr(cache, "RACY_NS", 0)  # two seconds on, the next watcher event
        assert state.rebuild() and state.builds == 1
        article.write_text(article.read_text() + "A second edit.\n")
        assert state.rebuild() and state.builds == 2
    finally:
        state.close()
        gc.unfreeze()  # the dev server froze its first build's objects


def _served(root: Path, out: str, starting: bool, base_url: str = "http://127.0.0.1:8000") -> Any:
    """A dev server's state over ``root``, into ``root/out``, as ``serve`` makes it (``starting``:
    with the disk cache) or with an empty cache."""
    from site_builder.serve import DevState

    env = {"SOURCE_DATE_EPOCH": "1765584000"}
    config = load_config(root / "content", out_dir=root / out, templates_dir=root / "templates",
                         base_url=base_url, env=env)
    return DevState.starting(config, env) if starting else DevState(config, env)


def test_the_dev_server_starts_from_the_disk_cache_and_leaves_its_own(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting ``serve`` after a build (or another server) cleans only what changed since, and
    stopping it leaves its cache for the next build: the same pages as from nothing."""
    _serial(monkeypatch)  # every clean in this process, where it is counted
    calls: list[str] = []
    real = build_module.clean_markdown
    monkeypatch.setattr(build_module, "clean_markdown", lambda *a, **k: calls.append("clean") or real(*a, **k))
    _build(full_site, "public")
    assert len(calls) == 5
    calls.clear()
    fresh, warm = _served(full_site, "fresh/public", False), _served(full_site, "public", True)
    try:
        assert fresh.rebuild() and len(calls) == 5  # an empty cache cleans every article
        calls.clear()
        assert warm.rebuild() and calls == []  # the build's cache: nothing cleaned again
        fresh.wait()
        warm.wait()  # the search index of the first build follows in the background
        assert tree(full_site / "public") == tree(full_site / "fresh/public")
        article = sorted((full_site / "content/articles").glob("*.md"))[0]
        article.write_text(article.read_text() + "\nteh end.\n")
        time.sleep(0.01)
        assert warm.rebuild() and calls == ["clean"]
        warm.wait()
        warm.close()
        warm.save_cache()  # as the server does when it stops
        assert _build(full_site, "public").changes and calls == ["clean"]  # the edit was in the saved cache
        again = _served(full_site, "public", True)
        try:
            assert again.rebuild() and calls == ["clean"]
        finally:
            again.close()
    finally:
        fresh.close()
        warm.close()
        gc.unfreeze()  # the dev servers froze their first build's objects


@pytest.mark.parametrize("ending", ["failed", "interrupted"])
def test_a_dev_server_whose_last_build_did_not_end_well_leaves_the_cache_as_it_was(
        full_site: Path, monkeypatch: pytest.MonkeyPatch, ending: str) -> None:
    """Only a good build that ran to its end sweeps the cache down to what the site uses: after
    a failed one it would hold every broken save's entries, and a rebuild stopped by Ctrl+C
    never swept; so nothing is saved."""
    from site_builder import serve

    _build(full_site, "public")
    cache_file = diskcache.cache_dir(full_site / "public") / diskcache.FILENAME
    saved = cache_file.read_bytes()
    state = _served(full_site, "public", True)
    try:
        assert state.rebuild()
        state.wait()
        article = sorted((full_site / "content/articles").glob("*.md"))[0]
        if ending == "failed":
            article.write_text(article.read_text().replace("date: ", "date: 2025-13-45\nold_date: ", 1))
            time.sleep(0.01)
            assert not state.rebuild() and state.errors
        else:
            article.write_text(article.read_text() + "\nOne more line.\n")
            time.sleep(0.01)

            def interrupted(*args: Any, **kwargs: Any) -> None:
                raise KeyboardInterrupt

            monkeypatch.setattr(serve, "build", interrupted)
            with pytest.raises(KeyboardInterrupt):
                state.rebuild()
        state.close()
        state.save_cache()
        assert cache_file.read_bytes() == saved
    finally:
        state.close()
        gc.unfreeze()


def test_a_sigterm_to_the_servers_process_group_during_a_pool_ends_it(full_site: Path, tmp_path: Path) -> None:
    """``kill -- -PGID`` (a process manager's stop) while a rebuild's workers run: the workers die
    of it, and unwinding through their pool could wait forever for a lock a dead worker held.
    The server must die of the signal instead of hanging."""
    busy = tmp_path / "busy"
    script = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from pathlib import Path
from site_builder import parallel, serve
from site_builder.config import load_config
config = load_config(Path({str(full_site / "content")!r}), out_dir=Path({str(tmp_path / "out")!r}))
serve.stop_on_sigterm(serve.DevState(config, {{}}))
parallel.MIN_PARALLEL = 1

def task(i):
    Path({str(busy)!r}).touch()
    time.sleep(60)  # one worker busy, the other idle on the task queue's lock

parallel.map_ordered(task, 1, processes=2)
"""
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        for _ in range(600):
            if busy.exists():
                break
            time.sleep(0.05)
        assert busy.exists()
        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_serve_program_leaves_its_cache_when_stopped(full_site: Path, tmp_path: Path,
                                                         stop: signal.Signals) -> None:
    """``site-builder serve`` stopped by Ctrl+C or by ``kill`` saves the cache it built, made
    with its own address as the base URL (nothing was built into this folder before), and
    ends the search index it was making in the background (here held, never done)."""
    import socket
    import urllib.request

    pid_file = tmp_path / "pagefind.pid"
    held = tmp_path / "held-pagefind"
    held.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nwhile true; do sleep 0.1; done\n")
    held.chmod(0o755)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    out = full_site / "public"
    proc = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--port", str(port), "--content",
         str(full_site / "content"), "--templates", str(full_site / "templates"), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=dict(os.environ, SOURCE_DATE_EPOCH="1765584000", PAGEFIND_BINARY_PATH=str(held)),
        # Ctrl+C as a terminal delivers it, even where this suite runs with SIGINT ignored (in the background)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "the server did not answer"
                time.sleep(0.2)
        assert not diskcache.load(out).cleaned.entries  # nothing saved while it runs
        for _ in range(600):
            if pid_file.exists() and pid_file.read_text().strip():
                break
            time.sleep(0.05)
        indexer = int(pid_file.read_text())
        proc.send_signal(stop)
        said = proc.communicate(timeout=60)[0].decode()
    finally:
        proc.kill()
        proc.wait()
    assert "Traceback" not in said and "search index not updated" not in said, said
    with pytest.raises(ProcessLookupError):  # the held index ended with the server
        os.kill(indexer, 0)
    loaded = diskcache.load(out)
    assert len(loaded.cleaned.entries) == len(loaded.enriched.entries) == 5
    state = _served(full_site, "served", False, f"http://127.0.0.1:{port}")  # what it built, from nothing
    try:
        assert state.rebuild()
        for memo in ("cleaned", "enriched", "html"):
            assert getattr(loaded, memo).entries.keys() == getattr(state.cache, memo).entries.keys(), memo
    finally:
        state.close()
        gc.unfreeze()


def test_file_memo_rereads_changed_and_recent_files(tmp_path: Path) -> None:
    from site_builder.cache import RACY_NS, FileMemo

    path = tmp_path / "a.md"
    path.write_text("one")
    old = time.time_ns() - 10 * RACY_NS
    os.utime(path, ns=(old, old))
    memo: FileMemo[str] = FileMemo()
    reads: list[str] = []

    def read() -> str:
        """What load_all does: read only what the memo does not hold unchanged."""
        signature, value = memo.lookup(path)
        if value is None:
            reads.append(path.read_text())
            value = reads[-1]
        memo.store(path, signature, value)
        return value

    assert read() == "one"
    memo.sweep()
    assert read() == "one" and len(reads) == 1  # untouched: not read again
    memo.sweep()
    path.write_text("two")  # same size; new mtime and ctime
    assert read() == "two" and len(reads) == 2
    memo.sweep()
    # Modified just now: a second save within the same timestamp tick would keep
    # the signature, so a recent file is always read again.
    assert read() == "two" and len(reads) == 3
    memo.sweep()
    path.unlink()
    memo.sweep()
    assert not memo.entries  # a deleted file is forgotten


def test_only_the_dev_server_looks_sources_up_in_the_file_memo(full_site: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures mean nothing to another process: a command-line build does not stat for them."""
    from site_builder.cache import FileMemo

    looked: list[Path] = []
    lookup = FileMemo.lookup
    monkeypatch.setattr(FileMemo, "lookup", lambda self, path: looked.append(path) or lookup(self, path))
    first = _build(full_site, "public")
    assert looked == []
    cache = BuildCache()
    second = _build(full_site, "served", cache)
    sources = sorted((full_site / "content").rglob("*.md"))
    assert sorted(looked) == [p for p in sources if p.parent.name in ("articles", "people", "topics")]
    assert tree(full_site / "public") == tree(full_site / "served")
    assert first.site.articles.keys() == second.site.articles.keys()


def test_a_command_line_build_into_a_new_folder_makes_no_job_inputs(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command-line build into a new folder has no previous pages to keep (page_reuse), so it
    makes no job's inputs; the dev server makes them, and both write the same site."""
    made: list[str] = []
    person_inputs, topic_inputs = Renderer.person_inputs, Renderer.topic_inputs
    monkeypatch.setattr(Renderer, "person_inputs", lambda self, s: made.append(s) or person_inputs(self, s))
    monkeypatch.setattr(Renderer, "topic_inputs", lambda self, s: made.append(s) or topic_inputs(self, s))
    _build(full_site, "public")
    assert made == []
    cache = BuildCache()
    _build(full_site, "served", cache)
    assert made
    assert all(known[0] for known in cache.jobs.values())  # every job's inputs, to compare next time
    assert tree(full_site / "public") == tree(full_site / "served")


@given(st.lists(st.tuples(st.integers(0, 4), st.text(alphabet="ab Ab Minsk minsk.\n#|", max_size=40)),
                max_size=12))
def test_proper_noun_tally_equals_counting_from_scratch(steps: list[tuple[int, str]]) -> None:
    from site_builder.clean.gazetteer import ProperNounTally, corpus_proper_nouns

    tally: ProperNounTally[int] = ProperNounTally()
    texts: dict[int, str] = {}
    for key, text in steps:
        if text.startswith("#"):
            texts.pop(key, None)  # a deleted article
        else:
            texts[key] = text
        assert tally.update(dict(texts)) == corpus_proper_nouns(texts.values())


def test_proper_noun_tally_on_every_core_equals_the_serial_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.clean.gazetteer import ProperNounTally

    _parallel(monkeypatch)
    pids: list[int] = []
    real = parallel.map_recorded

    def spy(*args: Any, **kwargs: Any) -> Any:
        pids.append(os.getpid())
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "map_recorded", spy)
    texts = {n: f"In Minsk and {'Hrodna' if n % 3 else 'hrodna'} the Court of case {n} sat. word{n} here."
             for n in range(40)}
    serial: ProperNounTally[int] = ProperNounTally()
    together: ProperNounTally[int] = ProperNounTally()
    assert together.update(texts, parallel.map_ordered) == serial.update(texts) == {"court", "minsk"}
    assert together.texts == serial.texts and together.lower == serial.lower and pids
    texts[1] = "Hrodna only."
    assert together.update(texts, parallel.map_ordered) == serial.update(texts)


def test_live_output_writes_only_changes_and_swaps_search_in(tmp_path: Path) -> None:
    from site_builder.live import LiveOutput

    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "style.css").write_text("body{}")
    out = tmp_path / "public"
    indexed: list[set[str]] = []

    def index(site: Path, bundle: Path, running: object = None) -> None:  # stands in for Pagefind
        indexed.append({str(p.relative_to(site)) for p in site.rglob("*.html")})
        bundle.mkdir()
        (bundle / "pagefind.js").write_text(str(len(indexed)))

    live = LiveOutput(out, assets, index=index)
    live.written = {}
    write_site([("a/index.html", b"A"), ("b/c/index.html", b"C")], out, assets,
               finish=lambda site: index(site, site / "pagefind"))
    live.written = {"a/index.html": b"A", "b/c/index.html": b"C"}
    live.marker = live._marker()  # the folder as this server wrote it
    live.assets_signature = "stale"
    inode = (out / "a/index.html").stat().st_ino
    live.publish([("a/index.html", b"A"), ("d/index.html", b"D")])
    live.wait()
    assert (out / "a/index.html").stat().st_ino == inode  # unchanged: not written again
    assert (out / "d/index.html").read_bytes() == b"D"
    assert not (out / "b").exists()  # the removed page and its emptied folders are gone
    assert (out / "assets/style.css").read_text() == "body{}"
    assert indexed[-1] == {"a/index.html", "d/index.html"}
    assert (out / "pagefind/pagefind.js").read_text() == "2"  # the new index, swapped in
    assert not list(tmp_path.glob(".public.search*"))


def _state(pid: int) -> str:
    """The state letter of a process in /proc (T: stopped)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_the_background_indexer_is_stopped_while_the_dev_server_rebuilds(tmp_path: Path) -> None:

    from site_builder.live import LiveOutput

    started: list[int] = []

    def index(site: Path, bundle: Path, running: Callable[[int | None], None]) -> None:  # a slow stand-in
        script = f"import time, pathlib\ntime.sleep(1.5)\npathlib.Path({str(bundle)!r}).mkdir()"
        with subprocess.Popen([sys.executable, "-c", script], start_new_session=True) as proc:
            started.append(proc.pid)
            running(proc.pid)
            proc.wait()
            running(None)

    out = tmp_path / "public"
    assets = tmp_path / "assets"
    assets.mkdir()
    live = LiveOutput(out, assets, index=index)
    write_site([("a/index.html", b"A")], out, assets)
    live.written = {"a/index.html": b"A"}
    live.marker = live._marker()
    live.assets_signature = "x"
    live.publish([("a/index.html", b"B")])  # starts the indexer in the background
    deadline = time.monotonic() + 10
    while not started and time.monotonic() < deadline:
        time.sleep(0.01)
    with live.paused():
        time.sleep(0.1)
        assert _state(started[0]) == "T"  # stopped while the rebuild runs
    time.sleep(0.1)
    assert _state(started[0]) != "T"
    with live.paused():
        live.publish([("a/index.html", b"C")])  # a save during the rebuild: indexed afterwards
        live.wait()  # waiting lets a stopped indexer go on instead of hanging
    live.wait()
    assert len(started) == 2 and (out / "pagefind").is_dir()
    # Shutting the server down ends an indexer, stopped or not.
    live.publish([("a/index.html", b"D")])
    while len(started) < 3 and time.monotonic() < deadline + 10:
        time.sleep(0.01)
    with live.paused():
        live.close()
    live.wait()
    assert not Path(f"/proc/{started[2]}").exists() or _state(started[2]) == "Z"


def test_a_command_line_build_lets_go_of_its_pages_before_the_search_index(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's peak memory adds to the build's: the written pages are not held while it runs."""
    caches: list[BuildCache] = []
    real_load, real_indexer = diskcache.load, build_module.indexer_for
    monkeypatch.setattr(diskcache, "load", lambda out: caches.append(real_load(out)) or caches[-1])
    held: list[tuple[int, int, int]] = []

    def indexer_for(out_dir: Path) -> Callable[[Path], None]:
        def index_site(site_dir: Path) -> None:
            cache = caches[-1]
            held.append((len(cache.pages.entries), len(cache.jobs), len(cache.html.entries)))
            real_indexer(out_dir)(site_dir)
        return index_site

    monkeypatch.setattr(build_module, "indexer_for", indexer_for)
    result = _build(full_site, "public")
    assert held == [(0, 0, len(caches[-1].html.entries))] and held[0][2] > 0  # what the disk cache keeps stays
    assert result.files == len([p for p in (full_site / "public").rglob("*") if p.is_file()
                                and p.relative_to(full_site / "public").parts[0] not in ("assets", "pagefind")
                                and p.name != ".site-builder-output"])
    assert len(diskcache.load(full_site / "public").html.entries) == held[0][2]


def test_a_command_line_build_renders_without_what_only_a_next_build_would_use(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every worker forked for the render starts as large as the build: by then a command-line
    build holds no source document, no article's proper-noun evidence and no document's cache
    keys; the dev server, whose next build reuses them, holds all three.  Both write the same site."""
    from site_builder.clean.gazetteer import ProperNounTally
    from site_builder.model import SourceDocument

    caches: list[BuildCache] = []
    real_load, real_render = diskcache.load, build_module.render_site
    monkeypatch.setattr(diskcache, "load", lambda out: caches.append(real_load(out)) or caches[-1])
    held: list[tuple[int, int, int]] = []

    def render_site(site: Any, config: Any, cache: BuildCache, *args: Any, **kwargs: Any) -> Any:
        gc.collect()
        alive = gc.get_objects()
        held.append((sum(isinstance(o, SourceDocument) and "articles" in Path(o.path).parts for o in alive),
                     sum(len(o.texts) for o in alive if isinstance(o, ProperNounTally)), len(cache.keys)))
        return real_render(site, config, cache, *args, **kwargs)

    monkeypatch.setattr(build_module, "render_site", render_site)
    articles = len(list((full_site / "content" / "articles").glob("*.md")))
    _build(full_site, "public")
    assert held == [(0, 0, 0)]
    assert len(caches) == 1 and not caches[0].nouns.texts
    held.clear()
    cache = BuildCache()
    _build(full_site, "served", cache)
    assert held == [(articles, articles, articles)]
    assert len(cache.nouns.texts) == len(cache.keys) == articles
    assert tree(full_site / "public") == tree(full_site / "served")


def test_a_command_line_build_tallies_the_same_proper_nouns_as_the_dev_server(full_site: Path) -> None:
    from site_builder.build import corpus_nouns
    from site_builder.errors import Diagnostics
    from site_builder.load import load_articles

    docs = load_articles(full_site / "content", Diagnostics())
    kept, dropped = BuildCache(), BuildCache(next_build=False)
    nouns = corpus_nouns(docs, kept)
    assert nouns and corpus_nouns(docs, dropped) == nouns
    assert len(kept.nouns.texts) == len(docs) and not dropped.nouns.texts and not dropped.nouns.capitalised


def test_a_command_line_build_tallies_the_nouns_again_only_when_a_body_changed(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.clean.gazetteer import corpus_proper_nouns
    from site_builder.errors import Diagnostics
    from site_builder.load import load_articles

    _build(full_site, "public")
    tallied: list[int] = []
    given: list[frozenset[str]] = []
    monkeypatch.setattr(build_module, "corpus_proper_nouns",
                        lambda *a, **k: tallied.append(1) or corpus_proper_nouns(*a, **k))
    real_with_corpus = build_module.with_corpus
    monkeypatch.setattr(build_module, "with_corpus", lambda o, names, nouns: given.append(nouns)
                        or real_with_corpus(o, names, nouns))

    def now() -> frozenset[str]:
        return corpus_proper_nouns(d.body for d in load_articles(full_site / "content", Diagnostics()))

    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    text = article.read_text()
    article.write_text(text.replace("title: ", "title: Retitled ", 1))  # front matter only
    _build(full_site, "public")
    assert tallied == [] and given == [now()]
    # A proper noun of the corpus, written in lower case in a body: no longer one.
    noun = sorted(given[0])[0]
    article.write_text(article.read_text() + f"\nThey spoke of {noun} in passing.\n")
    _build(full_site, "public")
    assert tallied == [1] and noun not in given[1] and given[1] == now()
    assert len(diskcache.load(full_site / "public").corpus.entries) == 1  # the last corpus's only
    _build(full_site, "fresh/public")
    assert tree(full_site / "public") == tree(full_site / "fresh/public")


def test_the_disk_cache_is_written_only_when_its_entries_changed(full_site: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache_file = diskcache.cache_dir(full_site / "public") / diskcache.FILENAME
    _build(full_site, "public")
    written: list[int] = []
    real_dumps = diskcache.pickle.dumps
    monkeypatch.setattr(diskcache.pickle, "dumps", lambda *a, **k: written.append(1) or real_dumps(*a, **k))

    def file_state() -> tuple[int, int, bytes]:
        st = cache_file.stat()
        return st.st_ino, st.st_mtime_ns, cache_file.read_bytes()

    before = file_state()
    _build(full_site, "public")  # nothing changed
    (full_site / "templates" / "base.html").write_text(
        (full_site / "templates" / "base.html").read_text().replace("</body>", "<!-- edited --></body>"))
    _build(full_site, "public")  # a template edited: the pages change, no cached entry does
    assert written == [] and file_state() == before
    article = sorted((full_site / "content/articles").glob("*.md"))[0]
    article.write_text(article.read_text() + "\nteh end.\n")
    _build(full_site, "public")  # an article edited: its entries are new
    assert written == [1] and file_state() != before
    assert len(diskcache.load(full_site / "public").cleaned.entries) == 5
    # Another process's save in between: this cache's entries are written again, though they are
    # the ones it loaded.
    cache = diskcache.load(full_site / "public")
    other = diskcache.load(full_site / "public")
    other.cleaned.entries = {}
    diskcache.save(full_site / "public", other)
    diskcache.save(full_site / "public", cache)
    assert written == [1, 1, 1] and len(diskcache.load(full_site / "public").cleaned.entries) == 5
    # A file damaged after it was written: the next build cannot load it, so it writes it whole again.
    cache_file.write_bytes(cache_file.read_bytes()[:-10])
    _build(full_site, "public")
    assert written == [1, 1, 1, 1] and len(diskcache.load(full_site / "public").cleaned.entries) == 5


def test_a_command_line_build_ranks_related_articles_again_only_when_what_ranks_them_changed(
        full_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder import index

    _build(full_site, "public")
    ranked: list[str] = []
    real_ranked = index._ranked
    monkeypatch.setattr(index, "_ranked", lambda slug, *a: ranked.append(slug) or real_ranked(slug, *a))
    articles = full_site / "content/articles"
    article = articles / "belarus-releases-political-prisoners-signaling-shift-in.md"  # published at that date
    article.write_text(article.read_text() + "\nOne more sentence about the release.\n")  # the body only
    _build(full_site, "public")
    assert ranked == []
    # Its people are what related articles are ranked by: every article is ranked again.
    article.write_text(article.read_text().replace(
        "people: [ales-bialiatski, andrei-sannikov, maria-kalesnikava]", "people: [andrei-sannikov]"))
    second = _build(full_site, "public")
    assert sorted(ranked) == sorted(second.site.articles) and len(ranked) > 1
    assert len(diskcache.load(full_site / "public").rankings.entries) == 1
    fresh = _build(full_site, "fresh/public")
    assert second.site.related == fresh.site.related
    assert tree(full_site / "public") == tree(full_site / "fresh/public")


def test_related_articles_follow_an_old_articles_people_beyond_every_candidate_list(
        full_site: Path) -> None:
    """Giving an old article a person changes no person's candidates (their newest 50) but does change
    that article's related articles: the stored ranking must not be taken for it."""
    from site_builder.index import CANDIDATES

    articles = full_site / "content/articles"
    for old in articles.glob("*.md"):
        old.unlink()

    def article(slug: str, day: int, people: str) -> Path:
        path = articles / f"{slug}.md"
        date = f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}"
        path.write_text(f"---\ntitle: Article {slug}\nslug: {slug}\ndate: {date}\npeople: [{people}]\n---\n"
                        f"Text of {slug}.\n")
        return path

    for n in range(CANDIDATES + 2):  # more than a person's candidates
        article(f"with-{n:02d}", 10 + n, "ales-bialiatski")
    for n in range(4):  # the newest, with nobody: the related articles of an article with nobody
        article(f"newest-{n}", 200 + n, "")
    oldest = article("oldest", 0, "")
    before = _build(full_site, "public").site.related["oldest"]
    oldest.write_text(oldest.read_text().replace("people: []", "people: [ales-bialiatski]"))
    after = _build(full_site, "public").site.related["oldest"]
    assert before != after and all(slug.startswith("with-") for slug in after)
    _build(full_site, "fresh/public")
    assert tree(full_site / "public") == tree(full_site / "fresh/public")
