"""The editors' verbs: check, fix, new and serve."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import atomic, discover, fixer, frontmatter, load, schema
from . import build as build_mod
from .clean import clean_markdown
from .clean.gazetteer import corpus_proper_nouns
from .clean.rules import CleanOptions
from .enrich import enrich, make_slug
from .errors import BuildFailed, Diagnostic, Diagnostics, SiteError, SourceLocation, UsageError, display_path
from .importer import make_folder, slugs_in_use, write_new
from .index import build_site
from .model import Article, Change
from .style import load_style, with_corpus


def _github(kind: str, loc: SourceLocation | None, message: str) -> str:
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if loc is None:
        return f"::{kind}::{message}"
    parts = [f"file={loc.path}"]
    if loc.line:
        parts.append(f"line={loc.line}")
    if loc.column:
        parts.append(f"col={loc.column}")
    return f"::{kind} {','.join(parts)}::{message}"


def _print_change(change: Change, fmt: str) -> None:
    if fmt == "github":
        loc = SourceLocation(change.path, change.line, change.column)
        print(_github("warning", loc, f'{change.rule}: "{change.before}" -> "{change.after}"'))
    else:
        print(change.format())


def _print_diag(diag: Diagnostic, fmt: str) -> None:
    if fmt == "github":
        print(_github("error" if diag.severity == "error" else "warning", diag.location,
                      f"{diag.topic}: {diag.message}" + (f" ({diag.hint})" if diag.hint else "")))
    else:
        prefix = "" if diag.severity == "error" else "warning: "
        print(prefix + diag.format())


def cmd_check(args: argparse.Namespace) -> int:
    from .cli import config_from

    config = config_from(args)
    if args.explain:
        return explain(config.content_dir, Path(args.explain), config.topic_body_hits, config.topic_title_hits)
    try:
        result = build_mod.build(config, write=False)
    except BuildFailed as failed:
        for diag in failed.diagnostics.items:
            _print_diag(diag, args.format)
        print(f"{len(failed.diagnostics.errors)} errors", file=sys.stderr)
        return 1
    discover.report(result.site.articles.values(), load.load_people(config.content_dir, Diagnostics()),
                    result.diagnostics)
    for change in result.changes:
        _print_change(change, args.format)
    for diag in result.diagnostics.warnings:
        _print_diag(diag, args.format)
    print(f"checked {len(result.site.articles)} articles: {len(result.changes)} cleaner changes, "
          f"{len(result.diagnostics.warnings)} warnings, 0 errors", file=sys.stderr)
    return 0


def explain(content_dir: Path, article: Path, body_hits: int = 2, title_hits: int = 1) -> int:
    diags = Diagnostics()
    people = load.load_people(content_dir, diags)
    topics = load.load_topics(content_dir, diags)
    if not article.is_file():
        candidate = content_dir / "articles" / f"{article}.md"
        if not candidate.is_file():
            raise SiteError(SourceLocation(display_path(article)), "explain", "no such article",
                            f"give an article's file, or its name in {display_path(content_dir / 'articles')}")
        article = candidate
    doc = load.load_document(article, content_dir, schema.ARTICLE)
    print(f"{doc.path}:")
    for key in ("people", "topics"):
        if key in doc.meta:
            print(f"  front matter '{key}' overrides detection: {', '.join(doc.meta[key]) or '(none)'}")
    for line in discover.explain(doc.meta.get("title", ""), doc.body, doc.body_line, people, topics,
                                 body_hits, title_hits):
        print(line)
    return 0


def cmd_fix(args: argparse.Namespace) -> int:
    """Write the cleaner's changes and the missing metadata into the article files.

    Every article is read, cleaned, enriched and its new text worked out
    before any file is written; a problem in any of them (as the build would
    report it) is reported with all the others, and then no file is changed.
    """
    from .cli import config_from

    config = config_from(args)
    diags = Diagnostics()
    try:
        style = load_style(config.content_dir)
    except SiteError as err:
        diags.error(err)
        style = CleanOptions()
    people = load.load_people(config.content_dir, diags)
    topics = load.load_topics(config.content_dir, diags)
    docs = load.load_articles(config.content_dir, diags)
    options = with_corpus(style, [n for p in people for n in p.names], corpus_proper_nouns(d.body for d in docs))
    today = build_mod.today_for(config)
    paths = {display_path(p): p for p in load.find_sources(config.content_dir / "articles")}
    articles: list[Article] = []
    fixes: list[tuple[fixer.Fix, tuple[Change, ...]]] = []
    for doc in docs:
        try:
            body = doc.body
            changes: tuple[Change, ...] = ()
            if doc.meta.get("clean", True):
                result = clean_markdown(body, doc.path, options, doc.body_line)
                body, changes = result.markdown, result.changes
            article = enrich(doc, body, changes, people, topics, today,
                             config.topic_body_hits, config.topic_title_hits)
            fix = fixer.plan(doc, paths.get(doc.path, Path(doc.path)), article)
        except SiteError as err:
            diags.error(err)
            continue
        articles.append(article)
        if fix.data is not None:
            fixes.append((fix, changes))
    build_site(articles, people, topics, config, today, diags)  # what spans files: duplicate slugs
    if diags.failed:
        raise BuildFailed(diags)
    try:
        atomic.replace_all([(fix.path, fix.data, fix.raw) for fix, _ in fixes if fix.data is not None])
    except atomic.WriteFailed as failed:
        shown = display_path(failed.path)
        if isinstance(failed.cause, atomic.FileChanged):
            raise fixer.changed(shown) from failed
        raise SiteError(SourceLocation(shown), "file", f"cannot write it: {failed.cause}; no file was changed",
                        "check the permissions and the free space of its folder") from failed
    for fix, changes in fixes:
        for change in changes:
            print(change.format())
        print(f"fixed {display_path(fix.path)}")
    print(f"{len(fixes)} files changed", file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    words = list(args.words)
    kind = "article"
    if len(words) >= 2 and words[0] in ("person", "topic", "article"):
        kind = words.pop(0)
    title = " ".join(words).strip()
    if not title:
        raise UsageError("give a title or name")
    if not any(c.isalnum() for c in title):
        raise UsageError(f"'{title}' has no letter or digit to make a file name of: give a title or name")
    content = args.content
    load.check_folder(content, required=True)  # a mistyped --content would start a new site
    try:
        title = schema.check_text(title, "title" if kind == "article" else "name",
                                  SourceLocation(display_path(content)))
    except SiteError as err:  # the build would refuse the file made with it
        raise UsageError(f"{err.message}: {err.hint}" if err.hint else err.message) from err
    slug = make_slug(title)
    if kind == "person":
        path = content / "people" / f"{slug}.md"
        text = frontmatter.dump({"name": title, "aliases": [], "status": "unknown"},
                                frontmatter.PERSON_ORDER) + f"Biography of {title}.\n"
    elif kind == "topic":
        path = content / "topics" / f"{slug}.md"
        text = frontmatter.dump({"name": title, "keywords": [title.lower()]}) + f"What {title} covers.\n"
    else:
        path = content / "articles" / f"{slug}.md"
        text = frontmatter.dump({"title": title, "slug": slug, "date": dt.date.today(), "summary": "",
                                 "draft": True}) + "Write the article here.\n"
    if path.exists():
        raise SiteError(SourceLocation(display_path(path)), "new", "file already exists",
                        "choose another title or edit the existing file")
    used_by = slugs_in_use(content).get(slug) if kind == "article" else None
    if used_by is not None:
        raise SiteError(SourceLocation(display_path(path)), "new",
                        f"the slug '{slug}' is used by {display_path(used_by)}",
                        "choose another title, or edit that article")
    make_folder(path.parent)
    write_new(path, text)
    print(display_path(path))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .cli import config_from
    from .serve import serve

    return serve(config_from(args), args.host, args.port, os.environ)


COMMANDS = {"check": cmd_check, "fix": cmd_fix, "new": cmd_new, "serve": cmd_serve}
