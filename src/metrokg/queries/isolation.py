"""Cutting a query process off the network, and capping its memory.

A process that runs a stranger's SPARQL (the endpoint's workers) or a local query
without ``--allow-service`` calls :func:`isolate` before it loads any data. Two
independent layers, each enough on its own to stop ``SERVICE`` reaching anything:

* **seccomp** (through ``pyseccomp``, a binding of libseccomp): ``socket()`` for any
  family but ``AF_UNIX`` fails with ``EACCES``, and ``io_uring_setup`` with ``ENOSYS``
  (io_uring could open sockets without the ``socket`` system call). Works unprivileged
  on any Linux kernel with seccomp filters (every distribution kernel since 3.5).
* **a network namespace** (``unshare(CLONE_NEWNET)``, with ``CLONE_NEWUSER`` when not
  root): the process sees only a loopback interface that is down. Needs root or
  unprivileged user namespaces (on by default in Debian, Ubuntu, Fedora; off where
  ``kernel.unprivileged_userns_clone=0`` or in some containers).

Neither exists outside Linux: there :func:`isolate` returns ``"none"`` and the caller
decides (``metrokg serve`` refuses to listen beyond loopback without isolation).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import resource
import socket
import sys

__all__ = ["isolate", "limit_memory", "probe"]

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def _unshare_network() -> bool:
    """Move this (single-threaded) process into a fresh network namespace."""
    if not sys.platform.startswith("linux"):
        return False
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    unshare = getattr(os, "unshare", None)  # Python >= 3.12
    if unshare is not None:
        try:
            unshare(flags)
        except OSError:
            return False
        return True
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load
        return False
    return bool(libc.unshare(flags) == 0)


def _seccomp_no_sockets() -> bool:
    """Install a seccomp filter: no socket but AF_UNIX, no io_uring."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import pyseccomp as sc

        rules = sc.SyscallFilter(defaction=sc.ALLOW)
        rules.add_rule(sc.ERRNO(errno.EACCES), "socket", sc.Arg(0, sc.NE, socket.AF_UNIX))
        with contextlib.suppress(Exception):  # unknown to an old libseccomp: nothing to block
            rules.add_rule(sc.ERRNO(errno.ENOSYS), "io_uring_setup")
        rules.load()
    except Exception:  # no libseccomp, or the kernel refuses filters
        return False
    return True


def isolate() -> str:
    """Cut this process off the network; return the layers applied.

    Call it first thing in a fresh process (before any thread starts). Returns
    ``"seccomp+netns"``, ``"seccomp"``, ``"netns"`` or ``"none"``.
    """
    layers = []
    if _unshare_network():
        layers.append("netns")
    if _seccomp_no_sockets():
        layers.insert(0, "seccomp")
    return "+".join(layers) or "none"


def limit_memory(max_bytes: int) -> bool:
    """Cap this process's address space (``RLIMIT_AS``); ``False`` where unsupported."""
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            max_bytes = min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))
    except (ValueError, OSError):
        return False
    return True


def _probe_child(conn: object) -> None:  # pragma: no cover - child process
    conn.send(isolate())  # type: ignore[attr-defined]


def probe() -> str:
    """The layers :func:`isolate` would apply here, learnt in a throwaway child process."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_probe_child, args=(child,), daemon=True)
    process.start()
    child.close()
    try:
        return str(parent.recv()) if parent.poll(60) else "none"
    except (EOFError, OSError):
        return "none"
    finally:
        process.join(5)
        if process.is_alive():
            process.kill()
