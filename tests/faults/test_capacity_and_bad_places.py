"""Memory pressure and autoscaling change the worker count without losing a PO; bad inputs and bad places give a
clear message and exit code, and nothing half-written is reported as done."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.events import MemoryPressure, RunStarted, ScalingDecision, WorkerStarted, WorkerStopped
from core.paths import journal_path
from core.run.journal import Journal
from tests.faults.conftest import RunSpec, assert_no_browsers_left, assert_true_outcome, run_supervised
from tests.support import portal_files, run_app, sha256_of

pytestmark = pytest.mark.integration


def test_memory_pressure_stops_a_worker_and_brings_it_back(tmp_path: Path) -> None:
    since = time.time() - 0.5
    readings = iter([50.0] * 6 + [91.0] * 10)

    def memory() -> float:
        return next(readings, 40.0)  # high for a while, then plenty again

    overrides = {"memory_interval": 0.3, "memory_cooldown": 1.0}
    # Enough POs that some still wait for a worker when memory is plenty again (each worker holds a few in flight).
    with DemoPortal(PortalKnobs(po_count=40, page_latency=0.3, not_found_share=0.5)).start() as portal:
        run = run_supervised(RunSpec(portal, tmp_path, workers=2, overrides=overrides, memory_percent=memory))
        pressure = [e for e in run.events if isinstance(e, MemoryPressure)]
        assert pressure[0].workers == 1 and pressure[0].percent > 85
        assert any(e.workers == 2 for e in pressure[1:]), "the worker comes back when memory falls"
        assert len(run.of(WorkerStarted)) >= 3, "a stopped worker was started again"
        assert len(run.of(WorkerStopped)) == len(run.of(WorkerStarted))
        assert len(run.results) == 40
        assert_true_outcome(portal, run)
    assert_no_browsers_left(since)


def test_auto_workers_follow_the_pending_work(tmp_path: Path) -> None:
    since = time.time() - 0.5
    # 60 pending POs want 2 workers; once 10 are done, 50 want 1. Mostly not-found POs, so the queue drains fast.
    with DemoPortal(PortalKnobs(po_count=60, not_found_share=0.8)).start() as portal:
        run = run_supervised(RunSpec(portal, tmp_path, workers=None, overrides={"autoscale_interval": 1.0}))
        decisions = [e for e in run.events if isinstance(e, ScalingDecision)]
        assert decisions, "the rule is re-checked every interval"
        assert {d.action for d in decisions} <= {"scale-up", "scale-down", "steady"}
        assert any(d.action == "scale-down" for d in decisions), [d.reason for d in decisions]
        first = next(e for e in run.events if isinstance(e, RunStarted))
        assert first.workers == 2, "60 pending POs: ceil(60/50) = 2 workers"
        assert any(d.action == "scale-down" and d.workers == 1 for d in decisions)
        assert len(run.results) == 60
        assert_true_outcome(portal, run)
    assert_no_browsers_left(since)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a spreadsheet", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "xls"),
    ],
)
def test_unusable_spreadsheets_exit_2_with_a_message(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "input.xlsx"
    bad.write_bytes(content)
    result = run_app("run", "--input", bad, "--output", tmp_path / "o", "--base-url", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert message.lower() in result.stderr.lower() and "Traceback" not in result.stderr
    assert bad.read_bytes() == content
    assert not (tmp_path / "o" / "CoupaDownloads_Report.xlsx").exists()


def test_an_output_folder_that_cannot_be_created_exits_2(tmp_path: Path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("PO_NUMBER\nPO16928000\n", encoding="utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run_app("run", "--input", sheet, "--output", blocker / "run", "--base-url", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert "a-file" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, tiny file system (tmpfs, 3 MB) to fill up."""
    mount_point = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_never_counts_half_written_files_as_done(tmp_path: Path, small_disk: Path) -> None:
    since = time.time() - 0.5
    knobs = PortalKnobs(po_count=10, min_file_size=300_000, max_file_size=900_000, not_found_share=0)
    with DemoPortal(knobs).start() as portal:
        sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx")
        output = small_disk / "run"
        result = run_app("run", "--input", sample, "--output", output, "--base-url", portal.base_url)
        assert result.returncode in (0, 2), result.stderr
        assert "Traceback" not in result.stderr
        with Journal(journal_path(output)) as journal:
            results = journal.results()
        # The disk filled: some PO could not save all its files, or the run stopped because its output could not be
        # written (exit 2, before any PO was cut short).
        cut_short = any(r.status.value in ("PARTIAL", "FAILED") for r in results.values())
        assert cut_short or result.returncode == 2, ("the disk did fill up", result.returncode, result.stderr[-2000:])
        for key, res in results.items():
            expected = {f.sha256 for f in portal.dataset.expected_files(key)}
            if not res.folder:
                continue
            on_disk = portal_files(Path(res.folder))
            assert len(on_disk) == res.attachments_downloaded, key
            assert {sha256_of(p) for p in on_disk} <= expected, "every file counted as saved is complete"
            if res.status.value in ("PARTIAL", "FAILED"):
                assert "space" in res.error_message.lower() or "disk" in res.error_message.lower(), res.error_message
        assert not list(output.rglob("*.part"))
        if result.returncode == 0:
            rows = list(
                openpyxl.load_workbook(output / "CoupaDownloads_Report.xlsx").active.iter_rows(values_only=True)
            )
            assert "STATUS" in rows[0]
    assert_no_browsers_left(since)
