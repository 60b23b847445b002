"""Real builds into temporary directories: person and topic pages, feeds, JSON-LD, linking."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import Builder, article_file, person_file, write

SEED_KALESNIKAVA = {"belarus-releases-political-prisoners-signaling-shift-in",
                    "belarus-takes-historic-step-as-political-prisoners-released",
                    "the-significance-of-the-belarus-prisoner-release"}


def _drop_front_matter_key(path: Path, key: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf"(?m)^{key}: .*\n", "", text, count=1), encoding="utf-8")


def test_seed_has_one_page_for_kalesnikava_under_both_spellings(site: Path, build_site: Builder) -> None:
    result = build_site(site)
    assert set(result.site.by_person["maria-kalesnikava"]) == SEED_KALESNIKAVA
    page = (site / "public/people/maria-kalesnikava/index.html").read_text()
    for slug in SEED_KALESNIKAVA:
        assert f"/articles/{slug}/" in page
    assert not (site / "public/people/maria-kolesnikova").exists()


def test_seed_detection_without_front_matter_finds_both_spellings(site: Path, build_site: Builder) -> None:
    for path in (site / "content/articles").glob("*.md"):
        _drop_front_matter_key(path, "people")
    result = build_site(site)
    # One article names her only in a table as "Kalesnikava", two as "Kolesnikova".
    assert set(result.site.by_person["maria-kalesnikava"]) == SEED_KALESNIKAVA


def test_front_matter_people_overrides_detection(empty_site: Path, build_site: Builder) -> None:
    person_file(empty_site, "maria-kalesnikava", "Maria Kalesnikava")
    person_file(empty_site, "viktor-babaryka", "Viktor Babaryka")
    article_file(empty_site, "a", "Maria Kalesnikava spoke.", meta="people: [viktor-babaryka]\n")
    assert build_site(empty_site).site.articles["a"].people == ("viktor-babaryka",)


def test_topic_needs_two_body_hits_or_one_title_hit(empty_site: Path, build_site: Builder) -> None:
    write(empty_site / "content/topics/sanctions.md", "---\nname: Sanctions\nkeywords: [sanctions]\n---\nAbout.\n")
    article_file(empty_site, "one-hit", "New sanctions were announced.")
    article_file(empty_site, "two-hits", "Sanctions were announced. The sanctions bite.")
    article_file(empty_site, "sanctions-in-title", "Nothing here.")
    article_file(empty_site, "override", "Sanctions and sanctions.", meta="topics: []\n")
    site = build_site(empty_site).site
    assert set(site.by_topic["sanctions"]) == {"sanctions-in-title", "two-hits"}


def test_topic_thresholds_come_from_site_yaml(empty_site: Path, build_site: Builder) -> None:
    with (empty_site / "content/site.yaml").open("a") as f:
        f.write("topic_body_hits: 1\n")
    write(empty_site / "content/topics/sanctions.md", "---\nname: Sanctions\nkeywords: [sanctions]\n---\nAbout.\n")
    article_file(empty_site, "one-hit", "New sanctions were announced.")
    assert build_site(empty_site).site.by_topic["sanctions"] == ("one-hit",)


def test_person_page_feed_and_json_ld(site: Path, build_site: Builder) -> None:
    build_site(site)
    page = (site / "public/people/maria-kalesnikava/index.html").read_text()
    for text in ("Maria Kolesnikova", "Released", "2025-12-13", "Opposition leader and musician", "Belarusian",
                 "/people/maria-kalesnikava/feed.xml", "Often mentioned with", "symbol of the 2020 protests"):
        assert text in page
    # Newest first.
    assert page.index("the-significance-of-the-belarus") < page.index("belarus-takes-historic-step")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["@type"] == "Person" and "Maria Kolesnikova" in ld["alternateName"]
    feed = ET.parse(site / "public/people/maria-kalesnikava/feed.xml").getroot()
    assert feed.tag == "rss" and feed.get("version") == "2.0"
    channel = feed.find("channel")
    assert channel is not None and channel.findtext("title") and channel.findtext("link")
    links = {i.findtext("link") for i in channel.findall("item")}
    assert len(links) == 3 and all(link.startswith("https://belarus-prisoners.example.org/articles/") for link in links)
    topic_feed = ET.parse(site / "public/topics/sanctions/feed.xml").getroot()
    assert topic_feed.get("version") == "2.0" and topic_feed.find("channel/item") is not None


def test_people_index_grouped_by_status_with_counts(site: Path, build_site: Builder) -> None:
    build_site(site)
    page = (site / "public/people/index.html").read_text()
    assert page.index("Released") < page.index("Others")  # status groups; people with no status last
    assert page.index("Ales Bialiatski") < page.index("Maria Kalesnikava")  # by name within a group
    assert re.search(r"Maria Kalesnikava</a>.*?3 articles", page, re.S)


def test_article_links_first_mention_and_lists_people(site: Path, build_site: Builder) -> None:
    build_site(site)
    page = (site / "public/articles/the-significance-of-the-belarus-prisoner-release/index.html").read_text()
    assert page.count('href="/people/maria-kalesnikava/" class="person-link"') + \
        page.count('class="person-link" href="/people/maria-kalesnikava/"') == 1
    assert "People in this article" in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["@type"] == "NewsArticle"
    assert "Maria Kalesnikava" in {m["name"] for m in ld["mentions"]} and ld["about"]
    assert page.count('class="related"') == 1


def test_a_longer_registered_name_is_not_linked_to_a_shorter_one(empty_site: Path, build_site: Builder) -> None:
    # Links read the text as detection does: "Ales Bialiatski Junior" is another person.
    person_file(empty_site, "ales-bialiatski", "Ales Bialiatski")
    person_file(empty_site, "ales-bialiatski-junior", "Ales Bialiatski Junior")
    article_file(empty_site, "a", "Ales Bialiatski Junior spoke first.\n\nThen Ales Bialiatski spoke.",
                 meta="people: [ales-bialiatski]\n")
    build_site(empty_site)
    page = (empty_site / "public/articles/a/index.html").read_text()
    prose = page[page.index('<div class="prose">'):page.index('<footer class="article-footer">')]
    assert "<p>Ales Bialiatski Junior spoke first.</p>" in prose
    assert re.search(r'Then <a [^>]*href="/people/ales-bialiatski/"[^>]*>Ales Bialiatski</a> spoke', prose)


def test_related_articles_prefer_shared_people(empty_site: Path, build_site: Builder) -> None:
    person_file(empty_site, "maria-kalesnikava", "Maria Kalesnikava")
    article_file(empty_site, "a", "Maria Kalesnikava.", date="2025-01-01")
    article_file(empty_site, "b", "Maria Kalesnikava again.", date="2024-01-01")
    for n in range(5):
        article_file(empty_site, f"other-{n}", "Nothing.", date=f"2025-02-0{n + 1}")
    related = build_site(empty_site).site.related
    assert related["a"][0] == "b" and len(related["a"]) == 3
    assert related["a"][1:] == ("other-4", "other-3")


def test_people_and_person_pages_paginate_past_50(empty_site: Path, build_site: Builder) -> None:
    for n in range(51):
        person_file(empty_site, f"person-{n:02d}", f"Ihar Person{n:02d}x")
    for n in range(51):
        article_file(empty_site, f"a-{n:02d}", "Ihar Person00x was there.", date=f"2025-01-{1 + n % 28:02d}")
    write(empty_site / "content/topics/trials.md", "---\nname: Trials\nkeywords: [trial]\n---\nCourts.\n")
    for n in range(51):
        article_file(empty_site, f"t-{n:02d}", "A trial.", date=f"2025-02-{1 + n % 28:02d}", meta="topics: [trials]\n")
    build_site(empty_site)
    assert (empty_site / "public/people/page/2/index.html").is_file()
    assert (empty_site / "public/people/person-00/page/2/index.html").is_file()
    assert not (empty_site / "public/people/person-01/page/2").exists()
    assert (empty_site / "public/topics/trials/page/2/index.html").is_file()
    # One search result per person and topic: only the first page of each list is indexed.
    indexed = _indexed_urls(empty_site / "public")
    assert {u for u in indexed if u.startswith(("/people/person-00/", "/topics/trials/"))} == {
        "/people/person-00/", "/topics/trials/"}
    assert {f"/articles/a-{n:02d}/" for n in range(51)} <= set(indexed)


def _indexed_urls(public: Path) -> list[str]:
    """The URL of every page in the Pagefind index (each fragment is gzipped 'pagefind_dcd' + JSON)."""
    urls = []
    for fragment in (public / "pagefind/fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        urls.append(json.loads(data[len(b"pagefind_dcd"):])["url"])
    return urls


def test_review_stubs_get_no_page(empty_site: Path, build_site: Builder) -> None:
    person_file(empty_site, "ihar-losik", "Ihar Losik", extra="review: true\n")
    article_file(empty_site, "a", "Ihar Losik was freed.")
    result = build_site(empty_site)
    assert "ihar-losik" not in result.site.people
    assert not (empty_site / "public/people/ihar-losik").exists()
    assert "ihar-losik" in result.site.articles["a"].people  # kept, shown once reviewed


def test_person_links_are_escaped_like_the_text_around_them() -> None:
    from site_builder.detect import matcher_for
    from site_builder.linking import person_links
    from site_builder.markdown import render_markdown
    from site_builder.model import Person

    people = (Person(slug="maria-kalesnikava", name="Maria Kalesnikava", aliases=("Maria Kolesnikova",),
                     path="content/people/maria-kalesnikava.md"),)
    links = person_links(matcher_for(people), {"maria-kalesnikava": "/people/maria-kalesnikava/?a=1&b=2"})
    text = 'Tom & "Maria Kolesnikova" <said> *Maria Kalesnikava* [x](/y) Maria Kalesnikava.'
    html = render_markdown(text, "https://example.org", env={"person_links": links})
    assert html == ('<p>Tom &amp; &quot;<a href="/people/maria-kalesnikava/?a=1&amp;b=2" class="person-link">'
                    'Maria Kolesnikova</a>&quot; &lt;said&gt; <em>Maria Kalesnikava</em> '
                    '<a href="/y">x</a> Maria Kalesnikava.</p>\n')


def test_a_person_linked_in_a_table_header_names_the_table_in_plain_text() -> None:
    """The table's accessible name reads the header text, never the link's markup."""
    from site_builder.detect import matcher_for
    from site_builder.linking import person_links
    from site_builder.markdown import render_reference
    from site_builder.model import Person

    people = (Person(slug="maria-kalesnikava", name="Maria Kalesnikava", aliases=(),
                     path="content/people/maria-kalesnikava.md"),)
    text = "| Sentenced: Maria Kalesnikava | Years |\n|---|---|\n| 2021 | 11 |\n"
    html = render_reference(text, "", env={"person_links": person_links(
        matcher_for(people), {"maria-kalesnikava": "/people/maria-kalesnikava/"})})
    assert 'aria-label="Table 1: Sentenced: Maria Kalesnikava, Years"' in html
    assert '<th>Sentenced: <a href="/people/maria-kalesnikava/" class="person-link">Maria Kalesnikava</a></th>' in html


def test_a_person_and_a_topic_of_one_slug_are_listed_with_their_own_links(empty_site: Path,
                                                                          build_site: Builder) -> None:
    # Person and topic links are rendered once each and reused: the two must not share one.
    person_file(empty_site, "sanctions", "Ivan Sanctions")
    write(empty_site / "content/topics/sanctions.md", "---\nname: Sanctions\nkeywords: [sanctions]\n---\nAbout.\n")
    article_file(empty_site, "a", "Ivan Sanctions spoke of sanctions. The sanctions bite.")
    article_file(empty_site, "b", "Ivan Sanctions again, on sanctions and sanctions.")
    build_site(empty_site)
    for slug in ("a", "b"):
        page = (empty_site / f"public/articles/{slug}/index.html").read_text()
        assert '<li><a href="/people/sanctions/">Ivan Sanctions</a></li>' in page
        assert '<li><a href="/topics/sanctions/">Sanctions</a></li>' in page


def test_templates_without_the_tag_macro_still_build(empty_site: Path, build_site: Builder) -> None:
    # A site's own templates made before ``tags()`` existed list people with a loop of their own.
    macros = empty_site / "templates/macros.html"
    macros.write_text(re.sub(r"\{% macro tag\(t\) %\}.*?\{% endmacro %\}\n", "", macros.read_text()))
    article = empty_site / "templates/article.html"
    article.write_text(article.read_text().replace(
        "{{ tags(article.people) }}", '{% for p in article.people %}<li class="own">{{ p.name }}</li>{% endfor %}'))
    person_file(empty_site, "maria-kalesnikava", "Maria Kalesnikava")
    article_file(empty_site, "a", "Maria Kalesnikava spoke.")
    build_site(empty_site)
    assert "{% macro tag" not in macros.read_text()
    assert '<li class="own">Maria Kalesnikava</li>' in (empty_site / "public/articles/a/index.html").read_text()
