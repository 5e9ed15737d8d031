"""A step on the second core: a function run in a forked child, on a snapshot of the process.

The build validates its store while it goes on with the network step and the dumps. After
``os.fork()`` the child sees the process exactly as it was at the fork (copy-on-write
pages): the store it validates is the one the parent had then, whatever the parent adds
to it later. The child sends its result (or the exception it raised) back pickled through
a pipe and exits with ``os._exit`` (no cleanup of the parent's state runs twice). It dies
with its parent (``PR_SET_PDEATHSIG``), so a ``kill -9`` of the build leaves no orphan.

Where forking is not safe or useful (:func:`parallel`: not Linux, one core,
``METROKG_JOBS=1``, or a process that already runs other threads), the function runs in
the process itself, at once: the same result, one step after the other.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from .errors import MetrokgError

__all__ = ["Forked", "parallel"]

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


def parallel() -> bool:
    """Whether steps may run in a forked child: Linux, 2+ cores, not ``METROKG_JOBS=1``, and
    this process has one thread.

    A fork copies only the forking thread. A library that started a pool of threads
    earlier in the process (pyrudof after one validation, RocksDB after opening a store)
    would wait forever in the child for threads that are not there: measured, a forked
    validation after an in-process one hangs. So a process with other threads (a
    notebook, a test session, a server) runs the steps one after the other.
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") \
            or os.environ.get("METROKG_JOBS", "").strip() == "1":
        return False
    if len(os.sched_getaffinity(0)) < 2:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class Forked(Generic[T]):
    """``fn()`` computed in a forked child (or at once, without :func:`parallel`).

    :meth:`result` waits for it and returns its value, or raises what it raised;
    :meth:`cancel` kills the child. *name* names the step in the error of a child that
    died (killed, out of memory).
    """

    def __init__(self, fn: Callable[[], T], *, name: str) -> None:
        self._name = name
        self._pid = 0
        self._value: tuple[bool, Any] | None = None
        if not parallel():
            try:
                self._value = (True, fn())
            except Exception as exc:  # raised again by result()
                self._value = (False, exc)
            return
        read, write = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _run_child(fn, write, parent)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        if self._value is None:
            self._value = self._collect()
        ok, value = self._value
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        if self._pid and self._value is None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            os.close(self._read)
            self._value = (False, MetrokgError(f"the {self._name} was cancelled"))

    def _collect(self) -> tuple[bool, Any]:
        chunks = []
        with os.fdopen(self._read, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not chunks:
            code = os.waitstatus_to_exitcode(status)
            how = f"signal {-code}" if code < 0 else f"exit code {code}"
            raise MetrokgError(f"the {self._name} process ended with {how} (out of memory?); "
                               "run again with METROKG_JOBS=1 to run it in the main process")
        ok, payload = pickle.loads(b"".join(chunks))
        return (True, payload) if ok else (False, _rebuilt(payload))


def _run_child(fn: Callable[[], Any], write: int, parent: int) -> None:
    code = 0
    try:
        _die_with(parent)
        gc.freeze()  # the parent's objects stay shared: no collection touches their pages
        try:
            data = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # sent to the parent
            data = pickle.dumps((False, _portable(exc)), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # the parent reports a child that sent nothing
        code = 70
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _portable(exc: Exception) -> tuple[type[Exception], tuple[Any, ...], dict[str, Any]]:
    """An exception as (class, args, attributes), which pickles for dataclass errors too."""
    state = (type(exc), exc.args, dict(vars(exc)))
    try:
        pickle.loads(pickle.dumps(state))
    except Exception:  # an attribute that does not pickle
        return (RuntimeError, (f"{type(exc).__name__}: {exc}",), {})
    return state


def _rebuilt(state: tuple[type[Exception], tuple[Any, ...], dict[str, Any]]) -> Exception:
    cls, args, attributes = state
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(attributes)
    return exc
