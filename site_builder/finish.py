"""finish: the last step of a command-line build, in a process that holds nothing else.

When every page is written into the staging directory, two things are left:
the search index (Pagefind over the staged pages) and the swap that
publishes the new site.  Pagefind's peak memory is the largest of the build
(about 730 MB for 5,000 articles), and the build process still holds the
whole site's data, hundreds of megabytes that it no longer needs but cannot
hand back to the system.  So the command line hands the staged site over:
:func:`hand_over` replaces the build process by a fresh, small Python
(``exec``, same process id, same standard streams), which runs :func:`main`:
Pagefind, then the swap, then the build's summary line.  Errors are reported
as the build reports them, and a failed index publishes nothing: the
previous output is left as it was, and the staged files are removed.

Only :func:`site_builder.cli.run`, the ``site-builder`` program itself,
hands over; a ``main()`` called from Python (the tests) finishes in its own
process with :func:`finish`, the same steps.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .errors import BuildFailed, Diagnostics, SiteError
from .search import indexer_for
from .write import Staging

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
"""Put first on the new process's path: it runs this very copy of site_builder, whatever the directory."""


def finish(staging: Staging, summary: str) -> int:
    """Index the staged site for search, publish it and print ``summary``; the exit status.

    If the index cannot be built, nothing is published: the error is
    printed as the build prints its errors, and the status is 1.
    """
    try:
        staging.publish(finish=indexer_for(staging.out_dir))
    except SiteError as err:
        diags = Diagnostics()
        diags.error(err)
        print(BuildFailed(diags).report(), file=sys.stderr)
        return 1
    finally:
        staging.discard()  # nothing left to discard once published
    print(summary)
    return 0


def hand_over(staging: Staging, summary: str) -> NoReturn:
    """Replace this process by one that runs :func:`finish` and exits with its status."""
    sys.stdout.flush()
    sys.stderr.flush()
    code = f"import sys; sys.path.insert(0, {PACKAGE_PARENT!r}); from site_builder.finish import main; main()"
    if sys.executable and os.name == "posix":
        with contextlib.suppress(OSError):  # if there is no new process, this one finishes
            os.execv(sys.executable, [sys.executable, "-c", code, str(staging.out_dir), str(staging.dir), summary])
    sys.exit(finish(staging, summary))


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """``OUT_DIR STAGING_DIR SUMMARY``: finish a build handed over by :func:`hand_over`."""
    out_dir, staged, summary = sys.argv[1:] if argv is None else argv
    staging = Staging.written(Path(out_dir), Path(staged))
    try:
        sys.exit(finish(staging, summary))
    except KeyboardInterrupt:
        sys.exit(130)
