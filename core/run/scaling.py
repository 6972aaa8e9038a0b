"""How many workers a run should have right now.

Two rules from the product: `--workers auto` follows the seed policy (one worker per 50 pending POs, at most the
machine's maximum, re-checked every interval), and above 85% system memory one worker is stopped, to come back once
memory falls again. The supervisor asks `WorkerBudget` and applies the answer; the rules live here, free of processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.events import MemoryPressure, ScalingDecision
from core.worker_count import POS_PER_WORKER, scaling_target


@dataclass
class MemoryRule:
    high: float = 85.0  # percent of system memory: above it, one worker stops
    low: float = 75.0  # below it, a stopped worker may come back (the gap avoids flapping)
    cooldown: float = 15.0  # seconds between two changes: a stopping browser frees its memory only gradually


class WorkerBudget:
    def __init__(
        self,
        workers: int | None,
        max_workers: int,
        pending: int,
        *,
        interval: float = 60.0,
        memory: MemoryRule | None = None,
        now: float = 0.0,
    ) -> None:
        self.auto = workers is None
        self.max_workers = max_workers if workers is None else workers
        self.interval = interval
        self.memory = memory or MemoryRule()
        self.target = self._rule(pending) if self.auto else self.max_workers
        self.memory_cap = self.max_workers
        self._next_check = now + interval
        self._next_memory_change = now

    def _rule(self, pending: int) -> int:
        return max(1 if pending > 0 else 0, scaling_target(pending, self.max_workers))

    @property
    def desired(self) -> int:
        return min(self.target, self.memory_cap)

    def recheck(self, now: float, pending: int) -> ScalingDecision | None:
        """The autoscaling rule, once per interval (auto mode only)."""
        if not self.auto or now < self._next_check:
            return None
        self._next_check = now + self.interval
        new = self._rule(pending)
        action = "scale-up" if new > self.target else "scale-down" if new < self.target else "steady"
        reason = f"{pending} POs pending: ceil({pending}/{POS_PER_WORKER}) capped at {self.max_workers} -> {new}"
        self.target = new
        return ScalingDecision(action, new, reason)

    def observe_memory(self, now: float, percent: float, active: int) -> MemoryPressure | None:
        """Lower the cap by one above the high mark, raise it by one below the low mark (with a cooldown)."""
        if now < self._next_memory_change:
            return None
        if percent >= self.memory.high and active > 1:
            self.memory_cap = active - 1
        elif percent < self.memory.low and self.memory_cap < self.max_workers:
            self.memory_cap += 1
        else:
            return None
        self._next_memory_change = now + self.memory.cooldown
        return MemoryPressure(percent, self.memory_cap)
