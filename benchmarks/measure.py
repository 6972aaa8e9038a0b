"""Resource sampling for benchmark runs: PSS per worker (its browser included) and CPU, with psutil.

A "worker" is one direct child process of the runner (our engine's worker process, or a baseline worker process)
together with every process below it (chromedriver, Chromium and its renderers). Every `interval` seconds the
sampler sums the PSS of each such tree (PSS splits shared pages fairly, so trees can be added up) and keeps each
tree's peak; CPU is the sum of the last-seen user+system time of every process it saw (processes that live less than
one interval are missed, so CPU is a slight underestimate for the baseline's short-lived browsers).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field

import psutil

log = logging.getLogger(__name__)

MiB = 1024 * 1024


@dataclass
class Usage:
    peak_pss_per_worker: dict[int, int] = field(default_factory=dict)  # worker pid -> peak tree PSS (bytes)
    peak_total_pss: int = 0
    cpu_seconds: float = 0.0  # user+system of the worker trees
    system_cpu_percent: float = 0.0  # the whole machine's average during the run
    samples: int = 0

    @property
    def max_worker_pss_mib(self) -> float:
        return max(self.peak_pss_per_worker.values(), default=0) / MiB


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _is_helper(process: psutil.Process) -> bool:
    """multiprocessing's resource tracker is a child of ours but not a worker."""
    try:
        return any("resource_tracker" in part or "semaphore_tracker" in part for part in process.cmdline())
    except psutil.Error:
        return True


class Sampler:
    """Samples the runner's child process trees on a thread while a run is going."""

    def __init__(self, interval: float = 0.5, root_pid: int | None = None) -> None:
        self.interval = interval
        self._root = psutil.Process(root_pid or os.getpid())
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._cpu: dict[tuple[int, float], float] = {}  # (pid, create_time) -> last user+system seconds
        self.usage = Usage()
        self._started = 0.0
        self._system_start: psutil._common.scputimes | None = None  # type: ignore[name-defined]

    def __enter__(self) -> Sampler:
        self._system_start = psutil.cpu_times()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name="bench-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.usage.cpu_seconds = round(sum(self._cpu.values()), 2)
        if self._system_start is not None:
            end = psutil.cpu_times()
            busy = sum(getattr(end, f) - getattr(self._system_start, f) for f in ("user", "system", "nice"))
            total = sum(end) - sum(self._system_start)
            self.usage.system_cpu_percent = round(100 * busy / total, 1) if total > 0 else 0.0

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        try:
            children = self._root.children(recursive=False)
        except psutil.Error:
            return
        total = 0
        for child in children:
            if _is_helper(child):
                continue
            pss = 0
            for process in _tree(child):
                with contextlib.suppress(psutil.Error), process.oneshot():
                    pss += process.memory_full_info().pss
                    times = process.cpu_times()
                    self._cpu[(process.pid, process.create_time())] = times.user + times.system
            total += pss
            peaks = self.usage.peak_pss_per_worker
            peaks[child.pid] = max(peaks.get(child.pid, 0), pss)
        self.usage.peak_total_pss = max(self.usage.peak_total_pss, total)
        self.usage.samples += 1
