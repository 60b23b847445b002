"""The editors' cleaner settings: ``content/style.yaml``.

```yaml
disabled: [articles]          # rules switched off by name
protected: [Viasna, dialog]   # words never changed
phrases:                      # substitutions; warn: true only reports
  - {find: "legal portrayal", replace: "legal representation"}
artifacts: ["Listen to this article"]   # page chrome lines to drop
```
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .clean import RULES, CleanOptions
from .clean.artifacts import DEFAULT_ARTIFACTS
from .clean.gazetteer import GAZETTEER
from .clean.phrases import DEFAULT_PHRASES
from .clean.protect import names_pattern
from .clean.rules import Phrase
from .errors import SiteError, SourceLocation, display_path
from .load import read_text
from .yamlio import load_mapping

_KEYS = ("disabled", "protected", "phrases", "artifacts")


def load_style(content_dir: Path) -> CleanOptions:
    """Read style.yaml if there is one; the defaults otherwise.

    Anything of that name that cannot be read as a file (a folder, a link to nothing) is an
    error, as for an article: the editor meant settings that would otherwise be dropped in silence."""
    path = content_dir / "style.yaml"
    if not path.exists() and not path.is_symlink():
        return CleanOptions(phrases=DEFAULT_PHRASES, artifacts=DEFAULT_ARTIFACTS,
                            proper_nouns=GAZETTEER)
    shown = display_path(path)
    data, lines = load_mapping(read_text(path, shown), shown, topic="style")
    for key in data:
        if key not in _KEYS:
            raise SiteError(SourceLocation(shown, lines[key]), "style", f"unknown key '{key}'",
                            "known keys: " + ", ".join(_KEYS))
    disabled = _strings(data.get("disabled", []), "disabled", shown, lines)
    for name in disabled:
        if name not in RULES:
            raise SiteError(SourceLocation(shown, lines["disabled"]), "style",
                            f"unknown rule '{name}'", "rules: " + ", ".join(RULES))
    return CleanOptions(
        disabled=frozenset(disabled),
        protected_words=frozenset(w.lower() for w in _strings(data.get("protected", []), "protected", shown, lines)),
        phrases=_phrases(data.get("phrases", []), shown, lines.get("phrases")),
        artifacts=tuple(_strings(data.get("artifacts", list(DEFAULT_ARTIFACTS)), "artifacts", shown, lines)),
        proper_nouns=GAZETTEER,
    )


def with_corpus(options: CleanOptions, names: Iterable[str], proper_nouns: frozenset[str]) -> CleanOptions:
    """Add the registry's names and the corpus's proper nouns to ``options``."""
    return replace(options, names=names_pattern(names),
                   proper_nouns=options.proper_nouns | proper_nouns)


def _strings(value: Any, key: str, shown: str, lines: dict[str, int]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SiteError(SourceLocation(shown, lines.get(key)), "style", f"'{key}' must be a list of text")
    return value


def _phrases(value: Any, shown: str, line: int | None) -> tuple[Phrase, ...]:
    where = SourceLocation(shown, line)
    if not isinstance(value, list):
        raise SiteError(where, "style", "'phrases' must be a list of {find, replace} entries")
    out = []
    for index, entry in enumerate(value, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("find"), str) or not entry["find"].strip():
            raise SiteError(where, "style", f"phrase {index} needs 'find' text")
        unknown = set(entry) - {"find", "replace", "warn"}
        if unknown:
            raise SiteError(where, "style", f"phrase {index}: unknown key '{sorted(unknown)[0]}'")
        replacement = entry.get("replace", "")
        warn = entry.get("warn", False)
        if not isinstance(replacement, str) or not isinstance(warn, bool):
            raise SiteError(where, "style", f"phrase {index}: 'replace' must be text and 'warn' true or false")
        out.append(Phrase(entry["find"], replacement, warn or not replacement))
    return tuple(out)
