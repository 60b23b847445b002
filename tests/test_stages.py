"""Unit tests per stage: config, load, enrich, index, urls, render, write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import index as index_module
from site_builder import urls
from site_builder.config import load_config
from site_builder.enrich import make_slug, make_summary, reading_minutes, split_title
from site_builder.errors import Diagnostics, SiteError
from site_builder.index import build_site, paginate
from site_builder.load import load_document, split_front_matter
from site_builder.markdown import render_markdown
from site_builder.model import Article, Person
from site_builder.schema import ARTICLE
from site_builder.write import write_site


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- config -------------------------------------------------------------------

def test_config_reads_site_yaml_and_cli_overrides(tmp_path: Path) -> None:
    write(tmp_path / "site.yaml", "title: T\nbase_url: https://example.org/\nper_page: 3\n")
    config = load_config(tmp_path)
    assert (config.title, config.base_url, config.per_page) == ("T", "https://example.org", 3)
    assert load_config(tmp_path, base_url="https://x.test/").base_url == "https://x.test"


def test_config_deploy_preview_uses_prime_url_and_drafts(tmp_path: Path) -> None:
    write(tmp_path / "site.yaml", "title: T\nbase_url: https://example.org\n")
    env = {"CONTEXT": "deploy-preview", "DEPLOY_PRIME_URL": "https://deploy-preview-7--x.netlify.app",
           "REVIEW_ID": "7", "URL": "https://example.org"}
    config = load_config(tmp_path, env=env)
    assert config.base_url == "https://deploy-preview-7--x.netlify.app"
    assert config.drafts and config.is_preview and config.preview_id == "7"


@pytest.mark.parametrize(("yaml", "message"), [
    ("title: T\nbase_url: https://e.org\nautor: x\n", "site.yaml:3: config: unknown key 'autor'"),
    ("title: T\nbase_url: ftp://e.org\n", "site.yaml:2: config: base URL must be an absolute http(s) URL"),
    ("title: T\nbase_url: https://e.org\nper_page: many\n", "site.yaml:3: config: 'per_page' must be a whole number"),
    ("base_url: https://e.org\n", "site.yaml: config: missing required key 'title'"),
])
def test_config_errors_name_file_and_line(tmp_path: Path, yaml: str, message: str) -> None:
    write(tmp_path / "site.yaml", yaml)
    with pytest.raises(SiteError) as err:
        load_config(tmp_path)
    assert message in err.value.format()


# -- load -----------------------------------------------------------------------

def test_split_front_matter() -> None:
    assert split_front_matter("---\na: 1\n---\nbody\n", "x.md") == ("a: 1", "body\n", 4)
    assert split_front_matter("no front matter\n", "x.md") == (None, "no front matter\n", 1)
    with pytest.raises(SiteError, match=r"x\.md:1: front matter: no closing '---'"):
        split_front_matter("---\na: 1\nbody\n", "x.md")


def test_load_document_validates_schema_with_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "articles" / "a.md", "---\ntitle: A\nautor: me\n---\nBody\n")
    with pytest.raises(SiteError) as err:
        load_document(path, tmp_path, ARTICLE)
    assert "a.md:3: front matter: unknown key 'autor' (did you mean 'source'?)" in err.value.format() or \
        "a.md:3: front matter: unknown key 'autor'" in err.value.format()


def test_find_sources_lists_markdown_by_name_and_gives_the_same_paths_again(tmp_path: Path) -> None:
    from site_builder.load import find_sources
    folder = tmp_path / "articles"
    for name in ("b.md", "a.md", ".hidden.md", "notes.txt", "c.md.bak", "a.b.md"):
        write(folder / name, "x")
    first = find_sources(folder)
    assert [p.name for p in first] == ["a.b.md", "a.md", "b.md"]
    assert all(p == folder / p.name for p in first)
    (folder / "b.md").unlink()
    write(folder / "0.md", "x")
    again = find_sources(folder)
    assert [p.name for p in again] == ["0.md", "a.b.md", "a.md"]
    # The dev server looks every file up on every rebuild: a path it has seen keeps
    # its object, whose text and hash are worked out already.
    assert again[1] is first[0] and again[2] is first[1]
    assert find_sources(tmp_path / "missing") == []
    assert find_sources(folder / "a.md") == []  # a file, not a folder
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert find_sources(tmp_path / "loop") == []  # as is_dir() has it: not a folder


def test_internal_links_name_each_links_line() -> None:
    from site_builder.build import internal_links
    body = ("[a](/articles/a/) and [b](/people/b/)\n\nno link, [out](https://x.org/)\n"
            "\n\n- [c](/topics/c/#part)\n[not a link] (/x/)\n[d](/articles/d/?q=1)")
    assert internal_links(body, 7) == [(7, "/articles/a/"), (7, "/people/b/"), (12, "/topics/c/#part"),
                                       (14, "/articles/d/?q=1")]
    assert internal_links("no links at all\n", 3) == []


@pytest.mark.parametrize(("front", "message"), [
    ("title: no\n", ":2: front matter: 'title' must be text"),
    ("date: 2025-13-45\n", ":2: front matter: 'date' is not a valid date"),
    ("date: yesterday\n", ":2: front matter: 'date' is not a valid date"),
    ("people: ales-bialiatski\ntopics: {a: 1}\n", ":3: front matter: 'topics' must be a list of slugs"),
    ("slug: ../etc\n", ":2: front matter: 'slug' must be a slug"),
])
def test_front_matter_type_errors(tmp_path: Path, front: str, message: str) -> None:
    path = write(tmp_path / "articles" / "a.md", f"---\n{front}---\nBody\n")
    with pytest.raises(SiteError) as err:
        load_document(path, tmp_path, ARTICLE)
    assert message in err.value.format()


def test_dates_accept_iso_timestamps_with_zone(tmp_path: Path) -> None:
    path = write(tmp_path / "articles" / "a.md", "---\ndate: 2025-09-13T23:30:00+03:00\n---\nBody\n")
    assert load_document(path, tmp_path, ARTICLE).meta["date"] == dt.date(2025, 9, 13)


def test_a_folder_that_links_outside_the_content_directory_is_refused(tmp_path: Path) -> None:
    from site_builder.load import load_articles
    write(tmp_path / "elsewhere/secret.md", "---\ntitle: Secret\n---\nNot for publication.\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "content/articles").symlink_to(tmp_path / "elsewhere")
    diags = Diagnostics()
    assert load_articles(tmp_path / "content", diags) == []
    assert [d.format() for d in diags.errors] == [
        f"{tmp_path}/content/articles/secret.md: file: links to a file outside the content directory "
        f"(points to {(tmp_path / 'elsewhere/secret.md').resolve()})"]
    # A content directory that is itself reached through a link is fine.
    (tmp_path / "real/articles").mkdir(parents=True)
    write(tmp_path / "real/articles/ok.md", "---\ntitle: Fine\n---\nText.\n")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    assert [d.meta["title"] for d in load_articles(tmp_path / "linked", Diagnostics())] == ["Fine"]


# -- enrich -----------------------------------------------------------------------

def test_title_comes_from_the_first_heading_and_leaves_the_body() -> None:
    title, body = split_title("Intro line.\n\n## The Title\n\nText.\n")
    assert title == "The Title"
    assert "The Title" not in body and "Intro line." in body


def test_slug_summary_and_reading_time() -> None:
    slug = make_slug("Belarus Releases 52 Political Prisoners: What’s Next?")
    assert slug == "belarus-releases-52-political-prisoners-whats-next"
    assert len(make_slug("word " * 40)) <= 60
    body = "First sentence here. Second one, the U.S. says. Third.\n\n## Heading\n"
    assert make_summary(body).startswith("First sentence here. Second one, the U.S. says.")
    assert reading_minutes("word " * 460) == 2


@given(st.text(alphabet="ab! \n[]()*_`<>/7é", max_size=40))
def test_plain_text_skips_the_markup_pass_only_when_it_would_change_nothing(text: str) -> None:
    from site_builder.enrich import _INLINE_MARKUP, plain_text
    assert plain_text(text) == " ".join(_INLINE_MARKUP.sub(lambda m: m.group(1) or "", text).split())


# -- index ---------------------------------------------------------------------

def article(slug: str, day: int, people: tuple[str, ...] = (), topics: tuple[str, ...] = (),
            draft: bool = False) -> Article:
    return Article(slug=slug, title=slug, date=dt.date(2025, 1, day), summary="", body="", people=people,
                   topics=topics, path=f"{slug}.md", draft=draft)


def test_pagination() -> None:
    pages = paginate([str(i) for i in range(23)], 10)
    assert [len(p.items) for p in pages] == [10, 10, 3]
    assert pages[-1].count == 3 and pages[-1].number == 3
    assert paginate([], 10)[0].items == ()


def test_index_orders_newest_first_and_hides_drafts_and_future(tmp_path: Path) -> None:
    write(tmp_path / "site.yaml", "title: T\nbase_url: https://e.org\n")
    config = load_config(tmp_path)
    items = [article("a", 1), article("b", 3), article("c", 2), article("d", 4, draft=True), article("e", 20)]
    site = build_site(items, [], [], config, dt.date(2025, 1, 10), Diagnostics())
    assert list(site.articles) == ["b", "c", "a"]


def test_duplicate_slugs_are_errors(tmp_path: Path) -> None:
    write(tmp_path / "site.yaml", "title: T\nbase_url: https://e.org\n")
    diags = Diagnostics()
    one, two = article("a", 1), article("a", 2)
    two = Article(**{**two.__dict__, "path": "z.md"})
    build_site([one, two], [], [], load_config(tmp_path), dt.date(2025, 2, 1), diags)
    assert [d.format() for d in diags.errors] == [
        "z.md:1: slug: 'a' is already used by a.md (every article needs its own slug)"]


def test_related_prefers_shared_people_then_recency(tmp_path: Path) -> None:
    write(tmp_path / "site.yaml", "title: T\nbase_url: https://e.org\n")
    items = [article("a", 1, ("p",)), article("b", 2), article("c", 3, ("p",)), article("d", 4), article("e", 5)]
    person = Person(slug="p", name="P Person", aliases=(), path="p.md")
    site = build_site(items, [person], [], load_config(tmp_path), dt.date(2025, 2, 1), Diagnostics())
    assert site.related["a"] == ("c", "e", "d")


def _together_by_definition(taxonomy: dict[str, tuple[str, ...]],
                            articles: dict[str, Article]) -> dict[str, tuple[str, ...]]:
    """People mentioned with each person: count every other registered person in their articles, rank."""
    out = {}
    for term, slugs in taxonomy.items():
        counts: dict[str, int] = {}
        for slug in slugs:
            for other in articles[slug].people:
                if other != term and other in taxonomy:
                    counts[other] = counts.get(other, 0) + 1
        out[term] = tuple(sorted(counts, key=lambda t: (-counts[t], t))[:5])
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefghij"), max_size=6, unique=True), min_size=1, max_size=30),
       st.sets(st.sampled_from("abcdefghij"), min_size=1))
def test_people_mentioned_together_are_the_most_shared_then_by_slug(mentions: list[list[str]],
                                                                    registered: set[str]) -> None:
    articles = {f"a{n}": article(f"a{n}", 1, tuple(people)) for n, people in enumerate(mentions)}
    taxonomy = {p: tuple(s for s, a in articles.items() if p in a.people) for p in sorted(registered)}
    assert index_module._together(taxonomy, articles, lambda a: a.people) == \
        _together_by_definition(taxonomy, articles)


# -- urls ----------------------------------------------------------------------------

def test_urls_and_output_paths() -> None:
    assert urls.article("x-1") == "/articles/x-1/"
    assert urls.output_path("/articles/x-1/") == "articles/x-1/index.html"
    assert urls.output_path("/feed.xml") == "feed.xml"
    assert urls.home(2) == "/page/2/"
    for bad in ("/../x", "/a/../../b", "/.hidden/", "/_headers", "/a%2e%2e/", "relative", "//x", "/a//b", "/a/./b"):
        with pytest.raises(ValueError):
            urls.output_path(bad)
    with pytest.raises(ValueError):
        urls.article("../x")


# -- markdown --------------------------------------------------------------------------

def test_markdown_escapes_html_and_refuses_script_links() -> None:
    html = render_markdown('<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://ok.test)')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert 'href="https://ok.test"' in html


def test_markdown_tables_and_heading_ids() -> None:
    html = render_markdown("## A Heading\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n")
    assert '<h2 id="a-heading">' in html
    assert "<table>" in html and "<td>2</td>" in html


def test_external_images_become_links() -> None:
    html = render_markdown("![pixel](https://tracker.test/p.gif)", origin="https://e.org")
    assert "<img" not in html and 'href="https://tracker.test/p.gif"' in html


# -- render ---------------------------------------------------------------------------

def test_templates_read_view_keys_before_dict_methods(tmp_path: Path) -> None:
    from site_builder.render import make_environment
    env = make_environment(tmp_path)
    view = {"title": "T", "items": [1, 2]}
    assert env.from_string("{{ v.title }} {{ v.items | length }} {{ v['items'] | sum }}").render(v=view) == "T 2 3"
    assert env.from_string("{{ v.keys() | list | length }}").render(v={"a": 1}) == "1"  # no such key: the method
    with pytest.raises(Exception, match="has no attribute 'missing'"):
        env.from_string("{{ v.missing }}").render(v=view)  # StrictUndefined still catches typos


def test_old_templates_that_import_the_card_macro_still_render(tmp_path: Path, run_build: Any) -> None:
    import shutil
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "templates", tmp_path / "templates")
    write(tmp_path / "content/site.yaml", "title: T\nbase_url: https://example.org\n")
    write(tmp_path / "content/articles/a.md", "---\ntitle: First\ndate: 2025-01-02\nsummary: S.\n---\nText.\n")
    index = tmp_path / "templates/index.html"
    index.write_text(index.read_text().replace('import pager as', 'import card, pager as'))
    assert '{% from "macros.html" import card, pager' in index.read_text()
    run_build(tmp_path)
    assert '<a href="/articles/first/">First</a>' in (tmp_path / "public/index.html").read_text()


# -- write ------------------------------------------------------------------------------

def test_write_swaps_in_whole_and_removes_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site([("a/index.html", b"one"), ("old.html", b"x")], out, None)
    write_site([("a/index.html", b"two")], out, None)
    assert (out / "a" / "index.html").read_bytes() == b"two"
    assert not (out / "old.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_write_refuses_escaping_and_duplicate_paths(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site([("index.html", b"keep")], out, None)
    for outputs in ([("../evil", b"")], [("a.html", b""), ("a.html", b"")]):
        with pytest.raises(SiteError):
            write_site(outputs, out, None)
    assert (out / "index.html").read_bytes() == b"keep"


@pytest.mark.parametrize("twin", ["a//index.html", "a/./index.html", "./a/index.html", "a/index.html/"])
def test_write_refuses_one_file_named_two_ways(tmp_path: Path, twin: str) -> None:
    """Two spellings of one file are two pages claiming it: the second would overwrite the first."""
    out = tmp_path / "public"
    write_site([("index.html", b"keep")], out, None)
    with pytest.raises(SiteError, match="two pages claim the same path"):
        write_site([("a/index.html", b"one"), (twin, b"two")], out, None)
    assert (out / "index.html").read_bytes() == b"keep"


def test_a_staged_file_is_never_written_through_a_link_to_the_published_site(tmp_path: Path) -> None:
    """An unchanged page is staged as a hard link to the published file; should anything write
    that path again, it must fail rather than change the published site in place."""
    from site_builder.write import Staging

    out = tmp_path / "public"
    write_site([("a/index.html", b"one")], out, None)
    published = (out / "a/index.html").stat()
    staging = Staging(out, None)
    try:
        staging.add([("a/index.html", b"one")])  # unchanged: linked, not written
        assert (staging.dir / "a/index.html").stat().st_ino == published.st_ino
        staging._seen.clear()  # as if a path check had let the same file through twice
        with pytest.raises(SiteError, match="cannot write the site"):
            staging.add([("a/index.html", b"two")])
    finally:
        staging.discard()
    assert (out / "a/index.html").read_bytes() == b"one"


@pytest.mark.parametrize("lead", ["", "Intro.\n\n", "Intro.\n"])
@pytest.mark.parametrize("depth", range(1, 26))
@pytest.mark.parametrize("style", ["quote", "list", "ordered", "inline-list"])
def test_nesting_prefilter_agrees_with_the_full_parse(lead: str, depth: int, style: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder import markdown

    if style == "quote":
        text = ">" * depth + " deep\n"
    elif style == "list":
        text = "".join("  " * i + "- item\n" for i in range(depth))
    elif style == "ordered":
        text = "".join("   " * i + "1. item\n" for i in range(depth))
    else:
        text = "- " * depth + "deep\n"
    text = lead + text

    def verdict() -> bool:
        try:
            markdown.check_nesting(text, "x.md")
        except SiteError:
            return False
        return True

    fast = verdict()
    monkeypatch.setattr(markdown, "_may_nest_deeply", lambda text: True)  # always the full parse
    assert fast == verdict()
    if depth in (1, 25):
        assert fast == (depth == 1)  # the prefilter must not let the deepest through
