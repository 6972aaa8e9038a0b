"""How many browsers a run may have: the product's ceiling, "Auto" from memory and CPUs, and the seed policy.

The one home of the worker-count policy: the local supervisor's budget (`core.run.scaling`) and the many-machines
autoscaler both ask here.
"""

from __future__ import annotations

import math
import os

import psutil

MAX_WORKERS = 16
MEMORY_PER_BROWSER = 450 * 1024 * 1024
POS_PER_WORKER = 50  # the seed policy: one worker per 50 pending POs


def scaling_target(pending: int, cap: int, per_worker: int = POS_PER_WORKER) -> int:
    """The seed policy: ceil(pending / 50) workers, at most `cap` (0 pending -> 0)."""
    return min(math.ceil(max(pending, 0) / per_worker), cap)


def auto_workers(pending: int, *, available_memory: int | None = None, cpus: int | None = None) -> int:
    """'Auto': as many browsers as free memory (~450 MB each) and the CPUs allow, never more than the work."""
    available = psutil.virtual_memory().available if available_memory is None else available_memory
    cpu_count = (os.cpu_count() or 1) if cpus is None else cpus
    by_memory = max(1, available // MEMORY_PER_BROWSER)
    # Browsers mostly wait on the network, so two per core keeps the CPUs busy without thrashing.
    by_cpu = max(1, cpu_count * 2)
    return max(1, min(MAX_WORKERS, by_memory, by_cpu, max(pending, 1)))
