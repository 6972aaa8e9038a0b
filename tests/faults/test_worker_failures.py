"""A crashed browser, a killed worker process and a hanging page: the worker is replaced, its PO retried, the run
finishes with true statuses, and no browser is left behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import psutil
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.events import Event, PoFinished, PoStarted, WorkerReady, WorkerRestarted, WorkerStarted
from core.run.supervisor import Supervisor
from tests.faults.conftest import RunSpec, assert_no_browsers_left, assert_true_outcome, run_supervised

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def portal() -> DemoPortal:
    with DemoPortal(PortalKnobs(po_count=12, comments_delay=0.1)).start() as server:
        yield server  # type: ignore[misc]


class Killer:
    """Kills something of a worker's when it starts its N-th PO (by PID, like a real crash)."""

    def __init__(self, target: str, on_po: int = 2, every_time_for: str = "") -> None:
        self.target = target
        self.on_po = on_po
        self.every_time_for = every_time_for
        self.worker_pids: dict[int, int] = {}
        self.browser_pids: dict[int, tuple[int, ...]] = {}
        self.started: dict[int, int] = {}
        self.kills = 0

    def __call__(self, event: Event, supervisor: Supervisor) -> None:
        if isinstance(event, WorkerStarted):
            self.worker_pids[event.worker_id] = event.pid
        elif isinstance(event, WorkerReady):
            self.browser_pids[event.worker_id] = event.browser_pids
        elif isinstance(event, PoStarted):
            count = self.started[event.worker_id] = self.started.get(event.worker_id, 0) + 1
            if self.every_time_for:
                chosen = event.po_key == self.every_time_for
            else:
                chosen = count == self.on_po and self.kills == 0
            if chosen:
                self.kills += 1
                self._kill(event.worker_id)

    def _kill(self, worker_id: int) -> None:
        if self.target == "worker":
            os.kill(self.worker_pids[worker_id], signal.SIGKILL)
            return
        for pid in self.browser_pids[worker_id]:
            proc = psutil.Process(pid)
            if "chrom" in proc.name() and "driver" not in proc.name():
                proc.kill()


@pytest.mark.parametrize("target", ["browser", "worker"])
def test_killed_browser_or_worker_is_replaced_and_its_po_finishes(
    portal: DemoPortal, tmp_path: Path, target: str
) -> None:
    since = time.time() - 0.5
    killer = Killer(target)
    run = run_supervised(RunSpec(portal, tmp_path, count=8, workers=2, on_event=killer))
    assert killer.kills == 1
    assert run.outcome.exit_code == 0
    assert len(run.of(WorkerRestarted)) == 1
    assert len(run.results) == 8
    assert_true_outcome(portal, run)
    assert_no_browsers_left(since)


def test_a_po_that_kills_its_worker_every_time_fails_after_three_tries(portal: DemoPortal, tmp_path: Path) -> None:
    since = time.time() - 0.5
    victim = portal.dataset.pos[3].po_key
    killer = Killer("worker", every_time_for=victim)
    run = run_supervised(RunSpec(portal, tmp_path, count=6, workers=1, on_event=killer))
    assert killer.kills == 3
    assert run.results[victim].status.value == "FAILED"
    assert "3 tries" in run.results[victim].error_message
    assert_true_outcome(portal, run, except_keys={victim})
    assert_no_browsers_left(since)


def test_a_hanging_page_replaces_the_browser_and_the_po_is_retried(tmp_path: Path) -> None:
    since = time.time() - 0.5
    knobs = PortalKnobs(po_count=8, slow_page_rate=0.3, slow_page_seconds=30, faults_per_file=1, not_found_share=0)
    with DemoPortal(knobs).start() as portal:
        slow = {po.po_key for po in portal.dataset.pos if po.slow_page}
        assert slow, "the scenario needs at least one hanging page"
        run = run_supervised(RunSpec(portal, tmp_path, workers=2, overrides={"page_timeout": 3.0}))
        assert run.outcome.exit_code == 0
        assert len(run.of(WorkerRestarted)) >= len(slow)
        for key in slow:
            assert run.results[key].attempts == 2
        assert_true_outcome(portal, run)
        finished_once = [e for e in run.of(PoFinished) if isinstance(e, PoFinished)]
        assert len(finished_once) == len(run.results)
    assert_no_browsers_left(since)
