"""Extract the running prose of Python's tutorial and HOWTOs as Markdown paragraphs.

The clean-prose benchmark needs professionally edited English under an open
licence.  Debian's ``python3.11-doc`` package (PSF licence) ships the Python
documentation as HTML; this script keeps its ``<p>`` paragraphs, writes inline
code as Markdown code spans and drops everything else (code blocks, tables,
navigation).  A paragraph that starts in lower case is dropped too: in the
HTML it continues a sentence interrupted by a code block (or is a list item
such as "financial applications"), so out of context it is not a paragraph.  It was run once and its output committed::

    apt-get download python3.11-doc && dpkg-deb -x python3.11-doc_*.deb x
    python bench/cleaner_extract_prose.py x/usr/share/doc/python3.11/html \\
        > bench/data/cleaner/python-docs-prose.md
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

PAGES = ("tutorial", "howto")
SKIP = ("clinic.html", "instrumentation.html", "index.html")
MIN_WORDS = 8


class _Paragraphs(HTMLParser):
    """Collects the text of every <p> in the page body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._text: list[str] | None = None
        self._code = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "p" and "admonition-title" not in classes:
            self._text = []
        elif tag == "code" and self._text is not None:
            self._code += 1
            if self._code == 1:
                self._text.append("`")
        elif tag in ("a",) and "headerlink" in classes:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._text is not None:
            text = " ".join("".join(self._text).split())
            if len(text.split()) >= MIN_WORDS and _starts_paragraph(text):
                self.paragraphs.append(text)
            self._text = None
        elif tag == "code" and self._text is not None and self._code:
            self._code -= 1
            if self._code == 0:
                self._text.append("`")
        elif tag == "a" and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._text is not None and not self._skip:
            self._text.append(data.replace("`", "'") if self._code else data)


def _starts_paragraph(text: str) -> bool:
    """A <p> that starts in lower case continues a sentence around a removed code block."""
    first = text.lstrip("(\"“‘'[")[:1]
    return not first.islower()


def extract(root: Path) -> list[str]:
    out: list[str] = []
    for section in PAGES:
        for page in sorted((root / section).glob("*.html")):
            if page.name in SKIP:
                continue
            parser = _Paragraphs()
            parser.feed(page.read_text(encoding="utf-8"))
            out.extend(parser.paragraphs)
    return out


def main() -> None:
    paragraphs = extract(Path(sys.argv[1]))
    sys.stdout.write("\n\n".join(paragraphs) + "\n")


if __name__ == "__main__":
    main()
