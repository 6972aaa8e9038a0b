"""Real runs from the window on the in-process demo portal with real Chromium workers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.demo_portal import DemoPortal, PortalKnobs
from core.models import PoStatus
from core.paths import journal_path
from core.run.journal import Journal
from core.workbook.report import REPORT_NAME
from gui.models import STATE_CANCELLED, WorkersModel
from tests.gui.conftest import LoopLatency, wait_loaded
from tests.support import browser_processes

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

FINAL = {s.value for s in PoStatus} - {PoStatus.CANCELLED.value, PoStatus.INVALID.value}


@pytest.fixture
def portal(request: pytest.FixtureRequest) -> Iterator[DemoPortal]:
    knobs = getattr(request, "param", None) or PortalKnobs(po_count=12)
    with DemoPortal(knobs).start() as server:
        yield server


def _prepare(qtbot, window, portal: DemoPortal, tmp_path: Path, workers: int) -> Path:  # type: ignore[no-untyped-def]
    sample = portal.write_sample_spreadsheet(tmp_path / "pos.xlsx")
    window.use_demo_portal(portal, sample)
    wait_loaded(qtbot, window)
    assert window.input is not None
    panel = window.settings_panel
    panel.auto_workers.setChecked(False)
    panel.workers.setValue(workers)
    panel.headless.setChecked(True)
    destination = tmp_path / "run"
    panel.set_destination(destination)
    return destination


def test_full_run_with_two_workers(qtbot, window, portal: DemoPortal, tmp_path: Path) -> None:
    destination = _prepare(qtbot, window, portal, tmp_path, workers=2)
    progress_seen: list[int] = []
    window.progress.valueChanged.connect(progress_seen.append)
    latency = LoopLatency()
    window.start_button.click()
    # Measured from the moment the engine runs (the session check before it is a separate, shorter phase).
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    latency.start()
    qtbot.waitUntil(lambda: window.workers_model.rowCount() == 2, timeout=60_000)
    assert not window.settings_panel.isEnabled()  # settings are locked while running
    assert window.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=240_000)
    latency.stop()

    outcome = window._outcome
    assert outcome is not None and outcome.exit_code == 0 and not outcome.cancelled
    ids = [window.workers_model.index(r, WorkersModel.COL_WORKER).data() for r in range(2)]
    assert sorted(ids) == ["1", "2"]
    pos_done = sum(int(window.workers_model.index(r, WorkersModel.COL_POS).data()) for r in range(2))
    assert pos_done == 12
    # Progress moved through intermediate values and ended at 12 of 12.
    assert window.progress.maximum() == 12 and window.progress.value() == 12
    assert len(set(progress_seen)) >= 3

    with Journal(journal_path(destination)) as journal:
        truth = {key: r.status.value for key, r in journal.results().items()}
    assert len(truth) == 12 and set(truth.values()) <= FINAL
    shown = {r.po_key: r.status.value for r in window.results_model.results()}
    assert shown == truth

    report = load_workbook(destination / REPORT_NAME, read_only=True)
    sheet = report[report.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    po_col, status_col = header.index("PO_NUMBER"), header.index("STATUS")
    for row in rows[1:]:
        digits = "".join(ch for ch in str(row[po_col] or "") if ch.isdigit())
        if digits in truth:
            assert row[status_col] == truth[digits]
    assert window.open_report_button.isEnabled() and window.open_folder_button.isEnabled()
    print(f"worst event-loop delay during the 2-worker run: {latency.worst * 1000:.0f} ms")
    assert latency.worst < 0.2


@pytest.mark.parametrize("portal", [PortalKnobs(po_count=40, page_latency=0.6)], indirect=True)
def test_cancel_mid_run_stays_responsive(qtbot, window, portal: DemoPortal, tmp_path: Path) -> None:
    started = time.time()
    destination = _prepare(qtbot, window, portal, tmp_path, workers=4)
    latency = LoopLatency()
    window.start_button.click()
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    latency.start()
    qtbot.waitUntil(lambda: window.stats.finished >= 4, timeout=120_000)

    cancel_clicked = time.monotonic()
    window.cancel_button.click()
    assert not window.cancel_button.isEnabled()  # it says "Stopping…" and never asks anything
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)
    stopped_after = time.monotonic() - cancel_clicked
    latency.stop()

    assert stopped_after < 10
    print(f"worst tick at {latency.worst_at - cancel_clicked:+.2f} s from the cancel click")
    print(
        f"worst event-loop delay during the 4-worker run: {latency.worst * 1000:.0f} ms; "
        f"stopped in {stopped_after:.1f} s"
    )
    assert latency.worst < 0.2
    qtbot.waitUntil(lambda: not browser_processes(started), timeout=10_000)

    outcome = window._outcome
    assert outcome is not None and outcome.cancelled
    states = {window.workers_model.index(r, WorkersModel.COL_STATE).data() for r in range(4)}
    assert states == {STATE_CANCELLED}
    statuses = [r.status for r in window.results_model.results()]
    assert len(statuses) == 40 and PoStatus.CANCELLED in statuses
    qtbot.waitUntil(window.resume_button.isVisible, timeout=5_000)  # the destination holds an unfinished run
    assert "Cancelled" in window.message_label.text()
    assert (destination / REPORT_NAME).exists()


def test_closing_during_a_run_cancels_then_closes(
    qtbot, window, portal: DemoPortal, tmp_path: Path, no_modal_dialogs
) -> None:
    started = time.time()
    _prepare(qtbot, window, portal, tmp_path, workers=1)
    window.start_button.click()
    qtbot.waitUntil(lambda: window.bridge.is_running(), timeout=60_000)
    assert not window.close()  # asks, then waits for the workers instead of closing at once
    assert no_modal_dialogs and "in progress" in no_modal_dialogs[0]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
    assert not window.is_busy()
    qtbot.waitUntil(lambda: not browser_processes(started), timeout=10_000)
