"""The worker-count rules: the seed autoscaling table and the memory-pressure cap."""

from __future__ import annotations

import pytest

from core.run.scaling import MemoryRule, WorkerBudget
from core.worker_count import scaling_target


@pytest.mark.parametrize(
    ("pending", "workers"),
    [(0, 0), (1, 1), (50, 1), (51, 2), (100, 2), (101, 3), (322, 7), (500, 10), (1000, 10)],
)
def test_seed_table(pending: int, workers: int) -> None:
    assert scaling_target(pending, cap=10) == workers


def test_auto_budget_rechecks_each_interval_and_logs_every_decision() -> None:
    budget = WorkerBudget(None, max_workers=4, pending=120, interval=60, now=0)
    assert budget.desired == 3
    assert budget.recheck(30, 500) is None  # not yet
    up = budget.recheck(60, 500)
    assert up is not None and (up.action, up.workers) == ("scale-up", 4)
    steady = budget.recheck(120, 160)
    assert steady is not None and steady.action == "steady" and "160 POs pending" in steady.reason
    down = budget.recheck(180, 40)
    assert down is not None and (down.action, down.workers) == ("scale-down", 1)
    assert budget.desired == 1


def test_fixed_budget_never_autoscales() -> None:
    budget = WorkerBudget(3, max_workers=3, pending=1000, interval=1, now=0)
    assert budget.desired == 3 and budget.recheck(10, 1) is None


def test_memory_pressure_removes_one_worker_then_brings_it_back_with_a_cooldown() -> None:
    budget = WorkerBudget(4, max_workers=4, pending=100, memory=MemoryRule(cooldown=10), now=0)
    first = budget.observe_memory(0, 90.0, active=4)
    assert first is not None and first.workers == 3 and budget.desired == 3
    assert budget.observe_memory(5, 95.0, active=3) is None  # cooling down: memory frees gradually
    assert budget.observe_memory(10, 92.0, active=3) is not None and budget.desired == 2
    assert budget.observe_memory(20, 80.0, active=2) is None  # between the marks: hold
    assert budget.observe_memory(30, 60.0, active=2) is not None and budget.desired == 3
    assert budget.observe_memory(40, 60.0, active=3) is not None and budget.desired == 4
    assert budget.observe_memory(50, 60.0, active=4) is None  # back at the user's count


def test_memory_pressure_never_stops_the_last_worker() -> None:
    budget = WorkerBudget(1, max_workers=1, pending=10, now=0)
    assert budget.observe_memory(0, 99.0, active=1) is None and budget.desired == 1
