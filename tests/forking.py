"""Tests of steps that fork: run here if this process may fork, else in a fresh one.

:func:`metrokg.forked.parallel` refuses to fork a process that runs other threads (an
earlier test's validation or on-disk store starts library thread pools), so a test of the
forked path re-runs itself in a fresh interpreter, where nothing has started them yet.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from metrokg.forked import parallel

_FRESH = "METROKG_FRESH_TEST"


def forks_here(request: pytest.FixtureRequest) -> bool:
    """True: run the test's body here (this process forks). False: the body ran and passed
    in a fresh interpreter (pytest on this one test); fails with its output if it did not."""
    if parallel():
        return True
    if os.environ.get(_FRESH) == "1" or not sys.platform.startswith("linux") \
            or len(os.sched_getaffinity(0)) < 2 or os.environ.get("METROKG_JOBS") == "1":
        pytest.skip("needs a Linux process that may fork, with two cores")
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                          request.node.nodeid], cwd=request.config.rootpath,
                         env={**os.environ, _FRESH: "1", "OPENBLAS_NUM_THREADS": "1"},
                         capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert " passed" in out.stdout and " skipped" not in out.stdout, out.stdout[-2000:]
    return False
