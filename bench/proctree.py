"""A process and its descendants, read from ``/proc``: what the bench scripts sample while a build runs."""

from __future__ import annotations

import os

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
TICK = os.sysconf("SC_CLK_TCK")


def stats() -> dict[int, list[str]]:
    """Every process's ``/proc/PID/stat`` fields after the command name: state, ppid, ... (field 3 on)."""
    found: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                found[int(entry)] = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
    return found


def tree(root: int) -> list[list[str]]:
    """The stat fields (as :func:`stats`) of ``root`` and of every process descended from it."""
    table = stats()
    children: dict[int, list[int]] = {}
    for pid, fields in table.items():
        children.setdefault(int(fields[1]), []).append(pid)
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            found.append(table[pid])
        stack.extend(children.get(pid, []))
    return found


def rss_kib(root: int) -> int:
    """Summed resident memory in KiB of ``root`` and its descendants."""
    return sum(int(fields[21]) for fields in tree(root)) * PAGE_KIB


def cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) spent so far by ``root`` and its descendants.

    Each running process counts its own time and that of the children it
    has reaped (``cutime``, ``cstime``), so a descendant that has ended
    stays counted, through its parent.
    """
    return sum(sum(int(f) for f in fields[11:15]) for fields in tree(root)) / TICK
