"""Writing front matter back: YAML in a stable key order, readable by editors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

ARTICLE_ORDER = ("title", "slug", "date", "updated", "summary", "people", "topics",
                 "draft", "clean", "source")
PERSON_ORDER = ("name", "aliases", "status", "status_date", "role", "nationality",
                "detained", "sentenced", "released", "review")


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tuple(dumper: yaml.SafeDumper, data: tuple[Any, ...]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(tuple, _represent_tuple)
_Dumper.add_representer(list, _represent_list)


def dump(meta: dict[str, Any], order: tuple[str, ...] = ARTICLE_ORDER) -> str:
    """``---``-fenced YAML for ``meta``, keys in ``order`` then the rest."""
    keys = [k for k in order if k in meta] + sorted(k for k in meta if k not in order)
    ordered = {k: meta[k] for k in keys if meta[k] is not None}
    for key, value in ordered.items():
        if isinstance(value, dt.datetime):
            ordered[key] = value.isoformat()
    text = yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)
    return f"---\n{text}---\n"
