"""The editors' verbs: check, fix, new and serve."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from . import build as build_mod
from . import discover, frontmatter, load, schema
from .clean import clean_markdown
from .clean.gazetteer import corpus_proper_nouns
from .enrich import enrich, make_slug
from .errors import BuildFailed, Diagnostic, Diagnostics, SiteError, SourceLocation, UsageError, display_path
from .importer import write_new
from .model import Change
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
        article = candidate if candidate.is_file() else article
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
    from .cli import config_from

    config = config_from(args)
    diags = Diagnostics()
    people = load.load_people(config.content_dir, diags)
    topics = load.load_topics(config.content_dir, diags)
    docs = load.load_articles(config.content_dir, diags)
    if diags.failed:
        raise BuildFailed(diags)
    options = with_corpus(load_style(config.content_dir), [n for p in people for n in p.names],
                          corpus_proper_nouns(d.body for d in docs))
    today = build_mod.today_for(config)
    fixed = 0
    for doc in docs:
        body = doc.body
        changes: tuple[Change, ...] = ()
        if doc.meta.get("clean", True):
            result = clean_markdown(body, doc.path, options, doc.body_line)
            body, changes = result.markdown, result.changes
        article = enrich(doc, body, changes, people, topics, today,
                         config.topic_body_hits, config.topic_title_hits)
        meta: dict[str, Any] = dict(doc.meta)
        for key in ("title", "slug", "date", "summary", "people", "topics"):
            meta.setdefault(key, getattr(article, key))
        new_text = frontmatter.dump(meta) + article.body
        path = Path(doc.path)
        if path.read_text(encoding="utf-8") != new_text:
            replace_file(path, new_text)
            fixed += 1
            for change in changes:
                print(change.format())
            print(f"fixed {doc.path}")
    print(f"{fixed} files changed", file=sys.stderr)
    return 0


def replace_file(path: Path, text: str) -> None:
    """Replace ``path`` atomically: a crash leaves the old or the new text, never half."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cmd_new(args: argparse.Namespace) -> int:
    words = list(args.words)
    kind = "article"
    if len(words) >= 2 and words[0] in ("person", "topic", "article"):
        kind = words.pop(0)
    title = " ".join(words).strip()
    if not title:
        raise UsageError("give a title or name")
    slug = make_slug(title)
    content = args.content
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
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, text)
    print(display_path(path))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .cli import config_from
    from .serve import serve

    return serve(config_from(args), args.host, args.port, os.environ)


COMMANDS = {"check": cmd_check, "fix": cmd_fix, "new": cmd_new, "serve": cmd_serve}
