"""Cancel stops within 10 s and marks the rest CANCELLED; after a cancel or a kill -9 of the main process,
--resume skips finished POs, does not fetch finished files again, cleans up and writes the complete report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.events import Event, PoFinished
from core.paths import journal_path
from core.run.journal import Journal
from core.run.supervisor import RunOutcome, Supervisor
from tests.faults.conftest import FaultRun, RunSpec, assert_no_browsers_left, assert_true_outcome, run_supervised
from tests.support import ROOT, run_app

pytestmark = pytest.mark.integration


def test_supervisor_cancel_stops_within_10_s_and_resume_completes_the_run(tmp_path: Path) -> None:
    since = time.time() - 0.5
    knobs = PortalKnobs(po_count=16, page_latency=0.3, per_connection_bandwidth=400_000, not_found_share=0.1)
    with DemoPortal(knobs).start() as portal:
        finished: list[str] = []
        cancel_at: list[float] = []

        def cancel_after_two(event: Event, supervisor: Supervisor) -> None:
            if isinstance(event, PoFinished):
                finished.append(event.result.po_key)
                if len(finished) == 2:
                    cancel_at.append(time.monotonic())
                    threading.Thread(target=supervisor.cancel).start()

        run = run_supervised(RunSpec(portal, tmp_path, workers=2, on_event=cancel_after_two))
        stop_seconds = time.monotonic() - cancel_at[0]
        print(f"RELIABILITY cancel: stopped {stop_seconds:.1f} s after cancel, {len(run.results)} POs journaled")
        assert run.outcome.exit_code == 130 and run.outcome.cancelled
        assert stop_seconds < 10
        statuses = [r.status.value for r in run.results.values()]
        assert "CANCELLED" in statuses and "FAILED" not in statuses
        assert_no_browsers_left(since)

        resumed = run_supervised(RunSpec(portal, tmp_path, workers=2, overrides={"resume": True}))
        assert resumed.outcome.exit_code == 0
        assert len(resumed.results) == 16
        assert_true_outcome(portal, resumed)
    assert_no_browsers_left(since)


def test_kill_9_of_the_main_process_loses_nothing_and_leaves_no_browser(tmp_path: Path) -> None:
    since = time.time() - 0.5
    # Slow files, so the kill lands while files are in flight.
    knobs = PortalKnobs(po_count=14, per_connection_bandwidth=300_000, min_file_size=100_000, max_file_size=400_000)
    with DemoPortal(knobs).start() as portal:
        sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx")
        output = tmp_path / "run"
        args = ["run", "--input", str(sample), "--output", str(output), "--base-url", portal.base_url, "--json"]
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), *args, "--workers", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        finished = 0
        for line in proc.stdout:
            event = json.loads(line)
            finished += event["event"] == "po_finished"
            if finished >= 3 and event["event"] == "file_done":
                break
        os.kill(proc.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        proc.wait(timeout=10)
        # The workers notice their supervisor is gone and take their browsers with them.
        assert_no_browsers_left(since, within=10)
        print(f"RELIABILITY kill -9 main: no browser left after {time.monotonic() - killed_at:.1f} s")

        with Journal(journal_path(output)) as journal:
            done_before = journal.done_keys()
            results_before = journal.results()
            files_before = {po: journal.done_files(po) for po in (p.po_key for p in portal.dataset.pos)}
        assert len(done_before) >= 3
        unfinished_with_files = {po: f for po, f in files_before.items() if f and po not in results_before}
        requests_before = portal.file_requests()

        resumed = run_app(
            "run", "--input", sample, "--output", output, "--base-url", portal.base_url, "--resume", "--json"
        )
        assert resumed.returncode == 0, resumed.stderr
        started = next(e for e in resumed.events if e["event"] == "run_started")
        assert started["already_done"] == len(done_before)
        redone = [e for e in resumed.events if e["event"] == "file_done"]
        refetched = {e["url"] for e in redone} & {u for f in unfinished_with_files.values() for u in f}
        assert not refetched, "files completed before the crash are not downloaded again"
        assert portal.file_requests() - requests_before == len(redone), "each remaining file fetched exactly once"

        with Journal(journal_path(output)) as journal:
            results = journal.results()
        assert len(results) == 14
        assert_true_outcome(portal, FaultRun(RunOutcome(0, None), [], results, 0.0, output))
        assert (output / "CoupaDownloads_Report.xlsx").exists()
    assert_no_browsers_left(since)
