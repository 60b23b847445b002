"""Memoisation of the expensive steps, keyed by content hashes.

The dev server keeps one :class:`BuildCache` across rebuilds, so a save
re-reads, re-cleans and re-renders only what it touched; everything else is
reused.  Keys are hashes of the inputs themselves (file bytes, cleaner
options, view-model data, template sources), never timestamps alone, so a
cached result is by construction what a full build would produce: the
partial rebuild gives the same files as a fresh one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from .cachedir import digest
from .clean.gazetteer import ProperNounTally

V = TypeVar("V")
T = TypeVar("T")



def data_digest(value: Any) -> str:
    """Hash of the data in ``value``: equal data built the same way gives the same hash.

    The data is pickled without pickle's memo (``fast`` mode), so the bytes
    depend on the values alone, never on which of them happen to be the same
    object; unpickling gives the value back, so two different values never
    share their bytes.  That is 2.4 times faster than the canonical JSON it
    replaced, whose ``default=str`` ran a dataclass ``repr`` for every card in
    a page's context.  Dictionaries are hashed in their order: every key
    comes from our own code, which builds them in one order.  (A set's order
    changes with the hash seed, so a set in a key would only cost cache misses
    in another process; none of our keys holds one, which a test checks.)  A
    value pickle cannot take (a cyclic one, a lambda) is hashed from JSON as
    before.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, 5)
    pickler.fast = True
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return digest(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def tree_digest(root: Path) -> str:
    """Hash of every file under ``root`` (names and bytes), e.g. the templates.

    Folders linked into ``root`` are followed, as Jinja follows them to a template
    (``partials -> ../shared``), each real folder once (a link to an ancestor is no loop)."""
    files: list[Path] = []
    seen: set[str] = set()
    for folder, subfolders, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders.clear()
            continue
        seen.add(real)
        files.extend(path for name in names if (path := Path(folder, name)).is_file())
    parts: list[str | bytes] = []
    for path in sorted(files):
        parts.extend((str(path.relative_to(root)), path.read_bytes()))
    return digest(*parts)


@dataclass
class Memo(Generic[V]):
    """A dictionary that forgets entries not used in the latest generation."""

    entries: dict[str, V] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0
    journal: list[str] | None = None
    """While a list, every key put is also appended to it: a worker process reports what it added."""

    def get(self, key: str) -> V | None:
        value = self.entries.get(key)
        if value is not None:
            self.hits += 1
            self.used.add(key)
        else:
            self.misses += 1
        return value

    def put(self, key: str, value: V) -> V:
        self.entries[key] = value
        self.used.add(key)
        if self.journal is not None:
            self.journal.append(key)
        return value

    def sweep(self) -> None:
        """Drop what the last build did not use, so memory stays bounded."""
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.used = set()
        self.hits = self.misses = 0


Signature = tuple[int, ...]


def file_signature(path: Path | str) -> Signature | None:
    """What changes when a file is edited, replaced, renamed over or re-linked; None if unreadable.

    Device, inode, size, modification and change times of the file and of its
    directory entry (which may be a symlink), as git's index keeps them.
    """
    try:
        st, lst = os.stat(path), os.lstat(path)
    except OSError:
        return None
    return _signature(st, lst)


def _signature(st: os.stat_result, lst: os.stat_result) -> Signature:
    """The signature of a file (``st``) reached through a directory entry (``lst``)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
            lst.st_ino, lst.st_mtime_ns, lst.st_ctime_ns)


def scan_tree(root: Path) -> dict[str, Signature | None]:
    """Path (``root`` joined with the relative path) -> :func:`file_signature` of every file under ``root``."""
    found: dict[str, Signature | None] = {}
    folders = [str(root)]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_symlink():
                found[entry.path] = file_signature(entry.path)
            else:
                # Not a link: stat and lstat agree, so one system call gives the whole signature.
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    found[entry.path] = None
                    continue
                found[entry.path] = _signature(st, st)
    return found


FilesState = tuple[dict[str, Signature | None], dict[str, bytes]]
"""Each file's :func:`file_signature`, and the bytes of those modified too recently to trust it."""


def tree_signature(*roots: Path) -> FilesState:
    """The :func:`files_state` of every file under ``roots``, taken without reading them.

    What the dev server compares to tell whether anything changed since the
    last rebuild: a stat per file instead of reading every file.
    """
    return files_state({path: sig for root in roots for path, sig in scan_tree(root).items()})


def files_state(signatures: dict[str, Signature | None]) -> FilesState:
    """``signatures``, and the bytes of every file modified so recently that its signature cannot
    be trusted (see :func:`_racy`): two states are equal when no file changed in between.

    Compared as they are, with ``==``: at 5,000 articles, taking the state and
    comparing it costs 2.25 ms, where hashing the signatures took 18 ms.
    """
    racy: dict[str, bytes] = {}
    now = time.time_ns()  # once, not once a file: the dev server takes this state on every check
    for path, signature in signatures.items():
        if signature is not None and _racy(signature, now):
            with contextlib.suppress(OSError):
                racy[path] = Path(path).read_bytes()
    return signatures, racy


def same_files(old: FilesState | None, new: FilesState) -> bool:
    """Whether no file changed between the states ``old`` and ``new`` (both from :func:`files_state`).

    A file whose bytes ``old`` holds (it was racy then) and ``new`` no longer
    does (its signature has since become old enough to trust) is unchanged
    when its signature is and its bytes, read again now, are those of
    ``old``.  Compared as they are, the two states would differ once the
    bytes left the state, and a check with nothing changed would rebuild.
    """
    if old is None or old[0] != new[0]:
        return False
    for path, data in old[1].items():
        now = new[1].get(path)
        if now is None:
            try:
                now = Path(path).read_bytes()
            except OSError:
                return False
        if now != data:
            return False
    return new[1].keys() <= old[1].keys()


RACY_NS = 2_000_000_000
"""A file modified this recently may change again within the same timestamp tick."""


def _racy(signature: Signature, now: int | None = None) -> bool:
    """True if the file was modified so recently that its signature cannot be trusted.

    Timestamps have a coarse tick on many file systems: a second save of the
    same size within one tick leaves the signature as it was.  Recently
    modified files are therefore read again (git's "racy clean" rule).
    """
    return (time.time_ns() if now is None else now) - max(signature[3], signature[6]) < RACY_NS


@dataclass
class FileMemo(Generic[V]):
    """What was read from each file, reused while the file is untouched.

    Only for the dev server, which keeps one across saves so that a rebuild
    reads and parses only the files that changed.  Only successful reads are
    kept: a bad file is read again on every build and its error reported
    every time.  Never saved to disk: signatures mean nothing to another
    process.
    """

    entries: dict[Path, tuple[Signature, V]] = field(default_factory=dict)
    used: dict[Path, tuple[Signature, V]] = field(default_factory=dict)
    signatures: dict[str, Signature | None] = field(default_factory=dict)

    def prime(self, signatures: dict[str, Signature | None]) -> None:
        """Signatures just taken by the caller (the dev server's change check): not taken again."""
        self.signatures = signatures

    def lookup(self, path: Path) -> tuple[Signature | None, V | None]:
        """The file's signature now, and what was read from it if it is untouched since."""
        key = str(path)
        signature = self.signatures[key] if key in self.signatures else file_signature(path)
        known = self.entries.get(path)
        if signature is not None and known is not None and known[0] == signature:
            return signature, known[1]
        return signature, None

    def store(self, path: Path, signature: Signature | None, value: V) -> None:
        """Keep ``value``, read from ``path`` when it had ``signature``, for the next build."""
        if signature is not None and not _racy(signature):
            self.used[path] = (signature, value)

    def sweep(self) -> None:
        """End of a build: keep what it read, forget deleted files."""
        self.entries, self.used, self.signatures = self.used, {}, {}


@dataclass
class BuildCache:
    """Everything a rebuild may reuse from the previous one."""

    cleaned: Memo[Any] = field(default_factory=Memo)
    """(body, cleaner options) -> (cleaned body, changes)."""
    enriched: Memo[Any] = field(default_factory=Memo)
    """(source document, cleaned body, registries, date) -> Article."""
    html: Memo[str] = field(default_factory=Memo)
    """(markdown, render settings) -> HTML."""
    corpus: Memo[frozenset[str]] = field(default_factory=Memo)
    """Every article body of the site -> its proper nouns (a command-line build's; see :func:`build.corpus_nouns`)."""
    rankings: Memo[dict[str, tuple[str, ...]]] = field(default_factory=Memo)
    """What related articles are ranked by -> every article's related articles (a command-line
    build's; see :func:`index.build_site`)."""
    pages: Memo[bytes] = field(default_factory=Memo)
    """(template sources, template name, view model) -> page bytes."""
    next_build: bool = True
    """Whether a next build in this process will reuse what this one keeps in memory only:
    rendered pages (:attr:`pages`, :attr:`jobs`), each article's proper-noun evidence
    (:attr:`nouns`) and each document's cache keys (:attr:`keys`).

    The dev server keeps them.  A command-line build has no next build: it
    neither hashes nor holds them, so that its memory, and that of every
    worker it forks (which starts as large as the build), stays that of the
    site's data.
    """

    sources: FileMemo[Any] = field(default_factory=FileMemo)
    """Content files by path and signature -> SourceDocument (in memory only)."""
    keys: dict[str, tuple[Any, str, str, str]] = field(default_factory=dict)
    """Article path -> (document, options key, cleaned key, enriched key) (in memory only)."""
    related: dict[str, Any] = field(default_factory=dict)
    """Each article's related-article candidates and ranking (in memory only)."""
    nouns: ProperNounTally[str] = field(default_factory=ProperNounTally)
    """The corpus's proper nouns, tallied per article path (in memory only)."""

    jobs: dict[str, tuple[tuple[Any, ...], list[tuple[str, bytes]]]] = field(default_factory=dict)
    """Render job name -> (its inputs, its outputs) of the last build (in memory only)."""
    jobs_done: tuple[int, int] = (0, 0)
    """(reused, rendered) render jobs in the current build."""
    jobs_setting: Any = None
    """The templates, config and date those jobs were rendered with."""
    environments: dict[tuple[Path, str], Any] = field(default_factory=dict)
    """The Jinja environment (compiled templates) per templates folder and content hash."""

    saved: tuple[str, dict[str, frozenset[str]]] | None = None
    """The hash written in the disk cache file this cache was loaded from (or last saved to), and
    the keys of each memo it held: :func:`diskcache.save` does not write the same entries again."""

    last: dict[str, tuple[int, int]] = field(default_factory=dict)
    """(hits, misses) of each memo in the last completed build."""
    previous: dict[str, Any] = field(default_factory=dict)
    """Values of the last build kept by name (in memory only): see :meth:`same_as_before`."""

    def sweep(self) -> None:
        """End of a build: remember the statistics, forget unused entries."""
        self.last = {name: (memo.hits, memo.misses)
                     for name, memo in (("cleaned", self.cleaned), ("enriched", self.enriched),
                                        ("html", self.html), ("pages", self.pages))}
        self.last["jobs"] = self.jobs_done
        for memo in (self.cleaned, self.enriched, self.html, self.corpus, self.rankings, self.pages):
            memo.sweep()
        self.sources.sweep()
        self.keys = {path: known for path, known in self.keys.items() if known[3] in self.enriched.entries}

    def same_as_before(self, name: str, items: tuple[T, ...]) -> tuple[T, ...]:
        """``items``, with each one equal to the last build's at its place replaced by that one.

        The dev server reloads the people and topics on every save, as new
        objects.  Given the same objects back, everything made from them is
        found again by identity: the compiled name matcher (when none changed),
        and the render jobs' inputs, which compare equal items by identity
        before their fields.
        """
        old: tuple[T, ...] = self.previous.get(name, ())
        kept = tuple(o if o == n else n for o, n in zip(old, items, strict=False)) + items[len(old):]
        if len(kept) == len(old) and all(k is o for k, o in zip(kept, old, strict=True)):
            return old  # each compared once, changed or not
        self.previous[name] = kept
        return kept

    def environment(self, templates: Path, key: str, make: Callable[[Path], V]) -> V:
        """The Jinja environment for ``templates`` as they are now (``key``), made once."""
        found: V | None = self.environments.get((templates, key))
        if found is None:
            found = make(templates)
            self.environments = {(templates, key): found}
        return found

    def stats(self) -> dict[str, tuple[int, int]]:
        """(hits, misses) per memo for the last completed build."""
        return dict(self.last)
