"""Steps in a forked child: the result of the snapshot at the fork, errors carried back,
and no child left behind when the parent is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from forking import forks_here

from metrokg.errors import InputError, MetrokgError
from metrokg.forked import Forked, parallel


def test_child_sees_the_process_as_it_was_at_the_fork(request: pytest.FixtureRequest) -> None:
    if not forks_here(request):
        return
    state = [1, 2]
    step = Forked(lambda: (os.getpid(), list(state)), name="test step")
    state.append(3)  # after the fork: the child does not see it
    pid, seen = step.result()
    assert pid != os.getpid()
    assert seen == [1, 2]


def test_an_error_comes_back_with_its_fields(request: pytest.FixtureRequest) -> None:
    if not forks_here(request):
        return
    def bad() -> None:
        raise InputError("graph/data/x.yaml", "bad level", record="element/L1", field="level")

    step = Forked(bad, name="test step")
    with pytest.raises(InputError) as caught:
        step.result()
    assert str(caught.value) == "graph/data/x.yaml: record element/L1, field level: bad level"


def test_a_child_that_dies_is_reported(request: pytest.FixtureRequest) -> None:
    if not forks_here(request):
        return
    step = Forked(lambda: os.kill(os.getpid(), signal.SIGKILL), name="test step")
    with pytest.raises(MetrokgError, match="test step process ended with signal 9"):
        step.result()


def test_one_job_runs_in_the_process(monkeypatch: pytest.MonkeyPatch,
                                     request: pytest.FixtureRequest) -> None:
    if not forks_here(request):
        return
    monkeypatch.setenv("METROKG_JOBS", "1")
    assert not parallel()
    state = [1]
    step = Forked(lambda: (os.getpid(), list(state)), name="test step")
    state.append(2)
    assert step.result() == (os.getpid(), [1])


def _alive(pid: int) -> bool:
    """Running (a zombie that no one has reaped yet is dead)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


_PARENT = """
import sys, time
from metrokg.forked import Forked
step = Forked(lambda: time.sleep(120), name="sleeper")
print(step._pid, flush=True)
time.sleep(120)
"""


def test_the_child_dies_with_its_killed_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not _alive(child):
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the forked child outlived its killed parent")
