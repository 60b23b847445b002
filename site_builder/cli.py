"""The command line: verbs, options, error printing and exit codes.

Exit codes: 0 success, 1 content errors (each printed as
``file:line: topic: message``), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, finish, load
from . import build as build_mod
from .clean import clean_raw
from .config import SiteConfig, load_config
from .errors import BuildFailed, Diagnostics, SiteError, UsageError, display_path, printable
from .importer import import_seed
from .style import load_style, with_corpus

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _common(parser: argparse.ArgumentParser, base_url: bool = True) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="content directory (default: content)")
    parser.add_argument("--out", type=Path, default=Path("public"), metavar="DIR",
                        help="output directory (default: public)")
    parser.add_argument("--templates", type=Path, default=None, metavar="DIR",
                        help="templates directory (default: templates/ beside the content)")
    if base_url:  # the dev server's pages link to the server itself: its own address is their base
        parser.add_argument("--base-url", default=None, metavar="URL",
                            help="absolute base URL for every link, feed and sitemap entry")
    parser.add_argument("--drafts", action="store_true", help="include draft articles")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Static site generator for reporting on political prisoners in Belarus.")
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    p = verbs.add_parser("import", help="raw text seeds -> content/articles/*.md")
    p.add_argument("seeds", nargs="+", type=Path, metavar="SEED")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="publication date to give the imported articles (default: today)")
    _common(p)

    p = verbs.add_parser("build", help="content/ -> public/")
    _common(p)

    p = verbs.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload on change")
    _common(p, base_url=False)
    p.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to serve on, and the base URL of every link (default: 127.0.0.1)")

    p = verbs.add_parser("check", help="validate content and print what clean would change")
    _common(p)
    p.add_argument("--format", choices=("text", "github"), default="text")
    p.add_argument("--explain", metavar="ARTICLE", default=None,
                   help="show which text matched which person and topic in one article")

    p = verbs.add_parser("fix", help="write the cleaner's changes and missing metadata back")
    _common(p)

    p = verbs.add_parser("new", help='create an article (or: new person "Name", new topic "Name")')
    p.add_argument("words", nargs="+", metavar="TITLE")
    _common(p)

    p = verbs.add_parser("clean", help="print the cleaned Markdown of one raw text (- for stdin)")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("--report", action="store_true", help="print every change on stderr")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="content directory whose style.yaml and people to use")
    return parser


def config_from(args: argparse.Namespace) -> SiteConfig:
    return load_config(args.content, out_dir=args.out, templates_dir=args.templates,
                       base_url=getattr(args, "base_url", None), drafts=args.drafts, env=os.environ)


def cmd_build(args: argparse.Namespace) -> int:
    result = build_mod.build(config_from(args), publish_later=True)
    for warning in result.diagnostics.warnings:
        print(f"warning: {warning.format()}", file=sys.stderr)
    site = result.site
    summary = (f"built {len(site.articles)} articles, {len(site.people)} people, {len(site.topics)} topics: "
               f"{result.files} files in {display_path(args.out)} ({len(result.changes)} cleaner changes)")
    # Left: the search index and the swap.  The program hands them to a small
    # process of their own, so that the build's memory is not added to Pagefind's.
    assert result.staged is not None, "a build that writes and is published later is staged"
    if args.hand_over:
        finish.hand_over(result.staged, summary)
    return finish.finish(result.staged, summary)


def cmd_import(args: argparse.Namespace) -> int:
    config = config_from(args)
    diags = Diagnostics()
    people = load.load_people(config.content_dir, diags)
    topics = load.load_topics(config.content_dir, diags)
    if diags.failed:
        raise BuildFailed(diags)
    options = with_corpus(load_style(config.content_dir), [n for p in people for n in p.names], frozenset())
    date = _parse_date(args.date) if args.date else build_mod.today_for(config)
    failed = False
    for seed in args.seeds:
        try:
            result = import_seed(seed, config.content_dir, options, people, topics, date,
                                 config.topic_body_hits, config.topic_title_hits)
            print(result.message)
        except SiteError as err:
            print(err.format(), file=sys.stderr)
            failed = True
    return EXIT_CONTENT if failed else EXIT_OK


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--date must be YYYY-MM-DD, got {text!r}") from exc


def cmd_clean(args: argparse.Namespace) -> int:
    if args.file == "-":
        text, shown = sys.stdin.read(), "<stdin>"
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UsageError(f"no such file: {args.file}")
        shown = display_path(path)
        text = load.read_text(path, shown)
    options = load_style(args.content)  # the defaults when there is no style.yaml
    diags = Diagnostics()
    people = load.load_people(args.content, diags) if args.content.is_dir() else []
    options = with_corpus(options, [n for p in people for n in p.names], frozenset())
    result = clean_raw(text, shown, options)
    sys.stdout.write(result.markdown)
    if args.report:
        for change in result.changes:
            print(change.format(), file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None, hand_over: bool = False) -> int:
    """Run the command in ``argv``; its exit status.

    ``hand_over``: the program itself, which ``build`` may replace by a
    smaller process for its last step (:mod:`finish`); never from Python.
    """
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    args.hand_over = hand_over
    from .commands import COMMANDS

    handlers = {"build": cmd_build, "import": cmd_import, "clean": cmd_clean, **COMMANDS}
    try:
        return handlers[args.verb](args)
    except BuildFailed as failed:
        print(failed.report(), file=sys.stderr)
        return EXIT_CONTENT
    except SiteError as err:
        print(err.format(), file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as err:
        print(f"site-builder: {err}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:
        # The last line of defence: each stage names the file of a problem it
        # foresees; one it did not still gets a line an editor can act on.
        print(os_error_message(err), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130


def os_error_message(err: OSError) -> str:
    """``file: error: reason`` for an operating-system error, without a traceback."""
    where = f"{display_path(err.filename)}: " if err.filename is not None else ""
    return printable(f"{where}error: {err.strerror or err}")


def run() -> None:
    sys.exit(main(hand_over=True))
