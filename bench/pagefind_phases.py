"""Where Pagefind's time goes on a built site: wall and CPU time per phase.

Runs the build's own Pagefind command (``search.pagefind_command``, verbose
instead of silent) on the site in DIR, writing the index into a temporary
folder so that DIR is left as it was.  Pagefind prints a line as it starts
each phase; the script notes when each arrives, samples the CPU time of
Pagefind's process tree from ``/proc`` every 50 ms, and prints per phase the
wall time, the CPU time and the cores used (CPU over wall).  The last phase,
from "Building search indexes" to "Finished", is writing the bundle.

    .venv/bin/python bench/pagefind_phases.py bench/out/n5000/ours/public

A phase whose cores-used figure is near 1 runs on one core: on this 2-core
machine the other core idles through it, and nothing of ours runs then.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.search import pagefind_command  # noqa: E402

PHASES = ("[Walking source directory]", "[Parsing files]", "[Reading languages]", "[Building search indexes]",
          "Total:", "Finished in")
"""Lines Pagefind prints in verbose mode as a phase starts; "Total:" ends the indexing and starts the writing."""
NAMES = {"[Walking source directory]": "walk", "[Parsing files]": "parse", "[Reading languages]": "languages",
         "[Building search indexes]": "index", "Total:": "write", "Finished in": "exit"}
TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Phase:
    name: str
    wall: float
    cpu: float

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall > 0 else 0.0


def tree_cpu(root: int) -> float:
    """User + system CPU seconds of process ``root`` and its descendants that are still running."""
    parents: dict[int, int] = {}
    spent: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        spent[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    total = 0.0
    for pid, seconds in spent.items():
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += seconds
    return total


def phases(marks: Iterable[tuple[str, float]], samples: list[tuple[float, float]]) -> list[Phase]:
    """Phases between consecutive ``marks`` (label, seconds), their CPU read off the ``samples`` (seconds, CPU)."""
    def cpu_at(t: float) -> float:
        before = [c for s, c in samples if s <= t]
        return before[-1] if before else 0.0

    return [Phase(NAMES.get(label, label), end - start, max(0.0, cpu_at(end) - cpu_at(start)))
            for (label, start), (_, end) in itertools.pairwise(marks)]


def run(site: Path, interval: float = 0.05) -> tuple[list[Phase], float, float]:
    """Pagefind over ``site`` into a temporary folder: its phases, wall time and CPU time."""
    with tempfile.TemporaryDirectory() as bundle:
        command = [part for part in pagefind_command(site, Path(bundle)) if part != "--silent"] + ["--verbose"]
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        marks: list[tuple[str, float]] = [("start", 0.0)]  # Python starting Pagefind's binary
        output: list[str] = []

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                output.append(line)
                label = next((p for p in PHASES if line.strip().startswith(p)), None)
                if label and label not in dict(marks):
                    marks.append((label, time.perf_counter() - start))

        reader = threading.Thread(target=read)
        reader.start()
        samples: list[tuple[float, float]] = [(0.0, 0.0)]
        while proc.poll() is None:
            samples.append((time.perf_counter() - start, tree_cpu(proc.pid)))
            time.sleep(interval)
        wall = time.perf_counter() - start
        reader.join()
        if proc.returncode != 0:
            sys.exit("pagefind failed:\n" + "".join(output[-10:]))
    cpu = samples[-1][1]
    samples.append((wall, cpu))
    marks.append(("end", wall))
    return phases(marks, samples), wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site (the output folder, with its article pages)")
    args = parser.parse_args()
    found, wall, cpu = run(args.site.resolve())
    print(f"Pagefind over {args.site}: {wall:.2f} s wall, {cpu:.2f} s CPU (sampled every 50 ms)")
    print(f"{'phase':<12}{'wall':>8}{'CPU':>8}{'cores':>7}")
    for phase in found:
        print(f"{phase.name:<12}{phase.wall:>6.2f} s{phase.cpu:>6.2f} s{phase.cores:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
