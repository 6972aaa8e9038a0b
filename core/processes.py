"""Processes we started, and only those: their trees, and stopping them."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import psutil


def process_tree(pid: int) -> list[int]:
    try:
        root = psutil.Process(pid)
        return [pid] + [child.pid for child in root.children(recursive=True)]
    except psutil.Error:
        return []


def kill_pids(pids: Sequence[int], *, timeout: float = 3.0) -> None:
    """Kill exactly these processes (ones we started) and wait for them to go."""
    procs = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            procs.append(psutil.Process(pid))
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(procs, timeout=timeout)
