"""enrich: a cleaned article source becomes an :class:`Article`.

Front matter wins; what it leaves out is computed: the title from the first
heading (which then leaves the body), the slug from the title, the summary
from the first paragraph, people and topics by detection, the reading time
from the word count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from slugify import slugify

from .detect import find_topics, first_mentions, matcher_for, name_hits
from .errors import SiteError, SourceLocation
from .model import Article, Change, Person, SourceDocument, Topic
from .schema import SLUG_RE

WORDS_PER_MINUTE = 230
SUMMARY_CHARS = 220

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")
_INLINE_MARKUP = re.compile(
    r"!?\[([^\]]*)\]\([^)]*\)"          # links and images: keep the text
    r"|(?<![\w*_])[*_]+(?=\S)|(?<=\S)[*_]+(?![\w*_])"  # emphasis markers, not 7*7 or snake_case
    r"|`+"                                  # code span ticks
    r"|<[A-Za-z/!][^<>]*>"                  # tags, not a lone "a < b"
)
_SENTENCE = re.compile(r"(?<=[.!?])[”’\"]?\s+(?=[A-Z“\"])")
_ABBREV_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|No)\.$")


def make_slug(title: str) -> str:
    """URL slug of a title: ASCII words joined by hyphens, at most 60 characters."""
    slug = slugify(title, max_length=60, word_boundary=True, save_order=True)
    return slug or "article"


def split_title(body: str) -> tuple[str | None, str]:
    """The first heading of ``body`` and the body without it."""
    lines = body.split("\n")
    in_fence = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        match = _HEADING.match(line)
        if match:
            rest = lines[:index] + lines[index + 1:]
            return match.group(1).strip(), "\n".join(rest).strip("\n") + "\n"
    return None, body


_MARKUP_CHAR = re.compile(r"[\[*_`<]")
"""Every match of :data:`_INLINE_MARKUP` has one of these; plain prose has none."""


def plain_text(markdown: str) -> str:
    """Markdown inline text without markup, for summaries and word counts."""
    if _MARKUP_CHAR.search(markdown):
        markdown = _INLINE_MARKUP.sub(lambda m: m.group(1) or "", markdown)
    return " ".join(markdown.split())


def first_paragraph(body: str) -> str:
    for block in re.split(r"\n\s*\n", body):
        text = block.strip()
        if text and not text.startswith(("#", "|", "-", "*", ">", "```", "<", "1.")):
            return plain_text(text)
    return ""


def make_summary(body: str) -> str:
    """The first sentences of the first paragraph, up to about 220 characters."""
    paragraph = first_paragraph(body)
    if not paragraph:
        return ""
    summary = ""
    for sentence in _split_sentences(paragraph):
        if summary and len(summary) + len(sentence) + 1 > SUMMARY_CHARS:
            break
        summary = f"{summary} {sentence}".strip()
    if len(summary) > SUMMARY_CHARS * 2:
        summary = summary[: SUMMARY_CHARS * 2].rsplit(" ", 1)[0] + "…"
    return summary


def _split_sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _SENTENCE.finditer(text):
        piece = text[start: match.start()].strip()
        if _ABBREV_END.search(piece):
            continue
        parts.append(text[start: match.end()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


_COUNTED_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
"""A word: letters and digits, joined by single apostrophes or hyphens ("don't", "well-known")."""
_WORD_SHAPES = bytes.maketrans(
    bytes(range(128)),
    bytes(ord("a") if chr(c).isalnum() else ord("-") if chr(c) in "'-" else ord(" ") for c in range(128)),
)
"""An ASCII text's shape: ``a`` for a letter or digit, ``-`` for a joiner, a space for the rest."""


def count_words(text: str) -> int:
    """How many :data:`_COUNTED_WORD` matches ``text`` has.

    For ASCII text (nearly every article), the count comes from its shape
    instead of a regex scan, ten times sooner: a word starts at every letter
    or digit that follows neither another one nor a joiner that does.
    """
    if not text.isascii():
        return len(_COUNTED_WORD.findall(text))
    shape = text.encode("ascii").translate(_WORD_SHAPES)
    return (shape.startswith((b"a", b"-a")) + shape.count(b" a") + shape.count(b" -a")
            + shape.count(b"--a"))


def reading_minutes(body: str) -> int:
    """Minutes at 230 words a minute; markup (pipes, dashes, hashes) is not words."""
    return max(1, round(count_words(body) / WORDS_PER_MINUTE))


def enrich(
    doc: SourceDocument,
    body: str,
    changes: Sequence[Change],
    people: Sequence[Person],
    topics: Sequence[Topic],
    fallback_date: dt.date,
    topic_body_hits: int = 2,
    topic_title_hits: int = 1,
) -> Article:
    """The article for ``doc`` whose cleaned body is ``body``."""
    meta = doc.meta
    title = meta.get("title")
    if title is None:
        title, body = split_title(body)
    if not title:
        raise SiteError(SourceLocation(doc.path, 1), "front matter", "no title",
                        "add 'title:' to the front matter or start the text with a '# Heading'")
    title = plain_text(title)
    slug = meta.get("slug") or make_slug(title)
    if not SLUG_RE.match(slug):
        raise SiteError(SourceLocation(doc.path, doc.meta_lines.get("slug")), "front matter",
                        f"invalid slug {slug!r}")
    matcher = matcher_for(people)
    # The people's slugs are the matcher's, made once per registry rather than once per article.
    registered_topics = {topic.slug for topic in topics} if meta.get("topics") else set()
    for key, known in (("people", matcher.order.keys()), ("topics", registered_topics)):
        for item in meta.get(key, ()):
            if item not in known:
                raise SiteError(SourceLocation(doc.path, doc.meta_lines.get(key)), "front matter",
                                f"unknown {'person' if key == 'people' else 'topic'} '{item}'",
                                f"add content/{key}/{item}.md or fix the slug")
    hits = matcher.full_names(f"{title}\n{body}")
    mentions = first_mentions(hits)
    person_slugs = meta.get("people")
    if person_slugs is None:
        person_slugs = tuple(sorted(mentions, key=matcher.order.__getitem__))
    topic_slugs = meta.get("topics")
    if topic_slugs is None:
        topic_slugs = tuple(find_topics(title, body, topics, topic_body_hits, topic_title_hits))
    return Article(
        slug=slug,
        title=title,
        date=meta.get("date") or fallback_date,
        summary=meta.get("summary") or make_summary(body),
        body=body,
        people=tuple(person_slugs),
        topics=tuple(topic_slugs),
        path=doc.path,
        updated=meta.get("updated"),
        draft=meta.get("draft", False),
        source=meta.get("source"),
        reading_minutes=reading_minutes(body),
        changes=tuple(changes),
        body_line=doc.body_line,
        mentions={slug: m.text for slug, m in mentions.items()},
        # The render links the first mentions from these instead of reading the body for names again.
        name_hits=name_hits(matcher, hits, len(title) + 1),
    )
