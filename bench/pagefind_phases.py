"""Where Pagefind's time goes on a built site: wall and CPU time per phase.

Runs the build's own Pagefind command (``search.pagefind_command``, verbose
instead of silent) on the site in DIR, writing the index into a temporary
folder beside it, so that DIR is left as it was.  Pagefind prints a line as
it starts each phase; the script notes when each arrives, samples the CPU
time of Pagefind's process tree from ``/proc`` every 50 ms (interpolated at
the phase marks, so a phase's CPU is good to about 50 ms), and prints per
phase the wall time, the CPU time and the cores used (CPU over wall).  The
phases are Pagefind's own: walk, parse, languages, index; then write, from
"Total:" to "Finished in", which writes the bundle; and exit, Pagefind
shutting down.

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
sys.path.insert(0, str(ROOT / "bench"))

import proctree  # noqa: E402

from site_builder.search import pagefind_command  # noqa: E402

PHASES = ("[Walking source directory]", "[Parsing files]", "[Reading languages]", "[Building search indexes]",
          "Total:", "Finished in")
"""Lines Pagefind prints in verbose mode as a phase starts; "Total:" ends the indexing and starts the writing."""
NAMES = {"[Walking source directory]": "walk", "[Parsing files]": "parse", "[Reading languages]": "languages",
         "[Building search indexes]": "index", "Total:": "write", "Finished in": "exit"}
SHORTEST = 0.2
"""Phases shorter than this (four samples) get no cores figure."""


@dataclass(frozen=True)
class Phase:
    name: str
    wall: float
    cpu: float

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall > 0 else 0.0


def phases(marks: Iterable[tuple[str, float]], samples: list[tuple[float, float]]) -> list[Phase]:
    """Phases between consecutive ``marks`` (label, seconds).

    Their CPU is read off ``samples`` (seconds, CPU so far, in time order),
    interpolated linearly between the two samples around each mark.
    """
    def cpu_at(t: float) -> float:
        after = next((i for i, (s, _) in enumerate(samples) if s >= t), len(samples))
        if after == 0:
            return samples[0][1]
        if after == len(samples):
            return samples[-1][1]
        (s0, c0), (s1, c1) = samples[after - 1], samples[after]
        return c1 if s1 == s0 else c0 + (c1 - c0) * (t - s0) / (s1 - s0)

    return [Phase(NAMES.get(label, label), end - start, cpu_at(end) - cpu_at(start))
            for (label, start), (_, end) in itertools.pairwise(marks)]


def run(site: Path, interval: float = 0.05, timeout: float = 600.0) -> tuple[list[Phase], float, float]:
    """Pagefind over ``site``: its phases, wall time and CPU time.

    The bundle goes to a temporary folder beside ``site`` (on its file
    system, as a build's does), removed at the end.  Raises RuntimeError if
    Pagefind fails or takes longer than ``timeout`` seconds.
    """
    with tempfile.TemporaryDirectory(dir=site.parent, prefix=".pagefind-phases-") as bundle:
        command = [part for part in pagefind_command(site, Path(bundle)) if part != "--silent"] + ["--verbose"]
        start = time.perf_counter()
        marks: list[tuple[str, float]] = [("start", 0.0)]  # Python starting Pagefind's binary
        output: list[str] = []
        samples: list[tuple[float, float]] = [(0.0, 0.0)]
        # As a context, Popen closes the pipe at the end, and reaps Pagefind if the loop below has not.
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:

            def read() -> None:
                assert proc.stdout is not None
                for line in proc.stdout:
                    output.append(line)
                    label = next((p for p in PHASES if line.strip().startswith(p)), None)
                    if label and label not in dict(marks):
                        marks.append((label, time.perf_counter() - start))

            reader = threading.Thread(target=read)
            reader.start()
            while True:
                # Reaped here rather than by Popen: the exact end, and the exact CPU from the kernel.
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                now = time.perf_counter() - start
                if pid:
                    proc.returncode = os.waitstatus_to_exitcode(status)
                    wall, cpu = now, usage.ru_utime + usage.ru_stime
                    break
                if now > timeout:
                    proc.kill()
                    reader.join()
                    raise RuntimeError(f"pagefind took more than {timeout:.0f} s")
                samples.append((now, proctree.cpu_seconds(proc.pid)))
                time.sleep(interval)
            reader.join()
            if proc.returncode != 0:
                raise RuntimeError("pagefind failed:\n" + "".join(output[-10:]))
    missing = [NAMES.get(p, p) for p in PHASES if p not in dict(marks)]
    if missing:
        print(f"warning: Pagefind announced no {', '.join(missing)} phase; its neighbours include it",
              file=sys.stderr)
    samples.append((wall, cpu))
    marks.append(("end", wall))
    return phases(marks, samples), wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site (the output folder, with its article pages)")
    args = parser.parse_args(argv)
    try:
        found, wall, cpu = run(args.site.resolve())
    except RuntimeError as err:
        print(f"{args.site}: {err}", file=sys.stderr)
        return 1
    print(f"Pagefind over {args.site}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"{'phase':<12}{'wall':>8}{'CPU':>8}{'cores':>7}")
    for phase in found:
        # CPU is sampled every 50 ms: over a shorter phase than 0.2 s, cores mean little.
        cores = f"{phase.cores:>7.2f}" if phase.wall >= SHORTEST else f"{'-':>7}"
        print(f"{phase.name:<12}{phase.wall:>6.2f} s{phase.cpu:>6.2f} s{cores}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
