"""Pause / Continue with the real supervisor, worker processes and browsers: while paused no new PO starts, the POs
in flight finish and the browsers stay open and signed in; Continue finishes the run as if nothing happened."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.events import Event, PoFinished, PoStarted, RunContinued, RunPaused, WorkerPaused, WorkerStarted
from core.run.supervisor import Supervisor
from tests.faults.conftest import RunSpec, assert_no_browsers_left, assert_true_outcome, run_supervised

pytestmark = pytest.mark.integration

PAUSE_SECONDS = 3.0


def test_pause_starts_no_new_po_and_continue_finishes_the_run(tmp_path: Path) -> None:
    since = time.time() - 0.5
    knobs = PortalKnobs(po_count=14, page_latency=0.3, per_connection_bandwidth=400_000, not_found_share=0.1)
    with DemoPortal(knobs).start() as portal:
        paused_workers: set[int] = set()
        everyone_paused = threading.Event()
        started: list[str] = []
        seen: dict[str, int] = {}  # snapshots taken by the controller

        def on_event(event: Event, supervisor: Supervisor) -> None:
            if isinstance(event, PoStarted):
                started.append(event.po_key)
            elif isinstance(event, PoFinished) and not seen:
                seen["finished_before_pause"] = 1
                threading.Thread(target=control, args=(supervisor,), daemon=True).start()
            elif isinstance(event, WorkerPaused):
                paused_workers.add(event.worker_id)
                if len(paused_workers) == 2:
                    everyone_paused.set()

        def control(supervisor: Supervisor) -> None:
            supervisor.pause()
            try:
                if everyone_paused.wait(60):
                    seen["started"], seen["sessions"] = len(started), portal.sessions_started()
                    time.sleep(PAUSE_SECONDS)
                    seen["started_after_wait"], seen["sessions_after_wait"] = len(started), portal.sessions_started()
            finally:
                supervisor.resume()  # never leave the run paused, even when the test fails

        run = run_supervised(RunSpec(portal, tmp_path, workers=2, on_event=on_event))

    assert run.outcome.exit_code == 0 and not run.outcome.cancelled
    assert everyone_paused.is_set(), "the workers finish their POs in flight and pause"
    assert seen["started_after_wait"] == seen["started"], "no new PO started while paused"
    assert seen["sessions_after_wait"] == seen["sessions"], "the browsers stayed signed in"
    assert len(started) > seen["started"], "Continue started the remaining POs"
    kinds = [type(e) for e in run.events if isinstance(e, (RunPaused, RunContinued))]
    assert kinds == [RunPaused, RunContinued]
    assert len(run.of(WorkerStarted)) == 2, "the same two browsers carried on"
    assert len(run.results) == 14
    assert_true_outcome(portal, run)
    assert_no_browsers_left(since)


def test_cancel_while_paused_stops_the_run(tmp_path: Path) -> None:
    knobs = PortalKnobs(po_count=10, page_latency=0.3, not_found_share=0.0)
    with DemoPortal(knobs).start() as portal:
        cancel_at: list[float] = []

        def on_event(event: Event, supervisor: Supervisor) -> None:
            if isinstance(event, PoFinished) and not cancel_at:
                supervisor.pause()
            elif isinstance(event, WorkerPaused) and not cancel_at:
                cancel_at.append(time.monotonic())
                supervisor.cancel()

        run = run_supervised(RunSpec(portal, tmp_path, workers=1, on_event=on_event))
        stop_seconds = time.monotonic() - cancel_at[0]
    assert run.outcome.exit_code == 130 and run.outcome.cancelled
    assert stop_seconds < 10
    assert "CANCELLED" in {r.status.value for r in run.results.values()}
