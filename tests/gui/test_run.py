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
from gui.results_area import ResultsModel
from tests.gui.conftest import LoopLatency, wait_loaded
from tests.support import browser_processes

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

FINAL = {s.value for s in PoStatus} - {PoStatus.CANCELLED.value, PoStatus.INVALID.value}
# A window that does not answer for this long is frozen. Tests catch that with a margin a loaded 2-core machine keeps;
# the 200 ms responsiveness target is measured by the benchmarks (benchmarks/RESULTS.md), not asserted here.
STALL = 2.0


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
    window.settings_panel.pages_per_worker.setValue(2)
    progress_seen: list[int] = []
    window.overall.progress.valueChanged.connect(progress_seen.append)
    in_flight: list[int] = []  # the most POs a worker row listed, after each refresh
    rows = window.workers_pane.model.rows
    window.bridge.batch.connect(lambda _batch: in_flight.append(max((len(r.shown) for r in rows()), default=0)))
    latency = LoopLatency()
    window.buttons.start_button.click()
    # Measured from the moment the engine runs (the session check before it is a separate, shorter phase).
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    latency.start()
    qtbot.waitUntil(lambda: window.workers_pane.model.rowCount() == 2, timeout=60_000)
    assert not window.settings_panel.isEnabled()  # settings are locked while running
    assert window.buttons.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=240_000)
    latency.stop()

    outcome = window.outcome
    assert outcome is not None and outcome.exit_code == 0 and not outcome.cancelled
    ids = [window.workers_pane.model.index(r, WorkersModel.COL_WORKER).data() for r in range(2)]
    assert sorted(ids) == ["1", "2"]
    pos_done = sum(int(window.workers_pane.model.index(r, WorkersModel.COL_POS).data()) for r in range(2))
    assert pos_done == 12
    # Progress moved through intermediate values and ended at 12 of 12.
    assert window.overall.progress.maximum() == 12 and window.overall.progress.value() == 12
    assert len(set(progress_seen)) >= 3
    assert max(in_flight) >= 2  # a row listed several POs in flight (2 pages open, more with files downloading)

    with Journal(journal_path(destination)) as journal:
        truth = {key: r.status.value for key, r in journal.results().items()}
    assert len(truth) == 12 and set(truth.values()) <= FINAL
    shown = {r.po_key: r.status.value for r in window.results_pane.model.results()}
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
    assert window.buttons.open_report_button.isEnabled() and window.buttons.open_folder_button.isEnabled()
    print(f"worst event-loop delay during the 2-worker run: {latency.worst * 1000:.0f} ms")
    assert latency.worst < STALL  # a frozen window; the 200 ms target is measured by the benchmarks


@pytest.mark.parametrize("portal", [PortalKnobs(po_count=40, page_latency=0.6)], indirect=True)
def test_cancel_mid_run_stays_responsive(qtbot, window, portal: DemoPortal, tmp_path: Path) -> None:
    started = time.time()
    destination = _prepare(qtbot, window, portal, tmp_path, workers=4)
    latency = LoopLatency()
    window.buttons.start_button.click()
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    latency.start()
    qtbot.waitUntil(lambda: window.stats.finished >= 4, timeout=120_000)

    cancel_clicked = time.monotonic()
    window.buttons.cancel_button.click()
    assert not window.buttons.cancel_button.isEnabled()  # it says "Stopping…" and never asks anything
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)
    stopped_after = time.monotonic() - cancel_clicked
    latency.stop()

    assert stopped_after < 10
    print(f"worst tick at {latency.worst_at - cancel_clicked:+.2f} s from the cancel click")
    print(
        f"worst event-loop delay during the 4-worker run: {latency.worst * 1000:.0f} ms; "
        f"stopped in {stopped_after:.1f} s"
    )
    assert latency.worst < STALL
    qtbot.waitUntil(lambda: not browser_processes(started), timeout=10_000)

    outcome = window.outcome
    assert outcome is not None and outcome.cancelled
    workers = window.workers_pane.model
    assert {workers.index(r, WorkersModel.COL_STATE).data() for r in range(4)} == {STATE_CANCELLED}
    assert not any("cancelled" in workers.index(r, WorkersModel.COL_ERROR).data() for r in range(4))
    results = window.results_pane.model.results()
    statuses = [r.status for r in results]
    assert len(statuses) == 40 and PoStatus.CANCELLED in statuses
    # Cancel is not failure, and every figure agrees: bar, chips, the message line and the results.
    done = sum(1 for status in statuses if status is not PoStatus.CANCELLED)
    cancelled = len(statuses) - done
    bar = window.overall.progress
    assert bar.value() == done and bar.maximum() == 40
    assert bar.text() == f"{done} of 40 done, {cancelled} cancelled"
    assert sum(chip.count for chip in window.overall.chips.values()) == done
    line = window.message_line
    assert not line.is_error and f"{done} of 40 done, {cancelled} cancelled" in line.text() and "Resume" in line.text()
    assert "--resume" not in window.log_section.text()  # no command-line hint in the window
    qtbot.waitUntil(window.buttons.resume_button.isVisible, timeout=5_000)  # the destination holds an unfinished run
    assert (destination / REPORT_NAME).exists()

    window.buttons.resume_button.click()
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=240_000)
    assert window.outcome is not None and not window.outcome.cancelled
    assert bar.text() == "40 of 40 done" and bar.value() == 40
    assert window.message_line.text().startswith("Finished: 40 POs")
    assert len(window.results_pane.model.results()) == 40


def test_closing_during_a_run_cancels_then_closes(
    qtbot, window, portal: DemoPortal, tmp_path: Path, no_modal_dialogs
) -> None:
    started = time.time()
    _prepare(qtbot, window, portal, tmp_path, workers=1)
    window.buttons.start_button.click()
    qtbot.waitUntil(lambda: window.bridge.is_running(), timeout=60_000)
    assert not window.close()  # asks, then waits for the workers instead of closing at once
    assert no_modal_dialogs and "in progress" in no_modal_dialogs[0]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
    assert not window.is_busy()
    qtbot.waitUntil(lambda: not browser_processes(started), timeout=10_000)


def test_demo_data_twice_in_a_row_each_run_fresh_and_closing_asks_nothing(
    qtbot, window, portal: DemoPortal, tmp_path: Path, no_modal_dialogs
) -> None:
    sample = portal.write_sample_spreadsheet(tmp_path / "pos.xlsx")
    folders = []
    for _ in range(2):
        window.use_demo_portal(portal, sample)  # "Try with demo data", with the default destination
        wait_loaded(qtbot, window)
        window.settings_panel.auto_workers.setChecked(False)
        window.settings_panel.workers.setValue(2)
        window.buttons.start_button.click()
        # The previous run's figures are gone at once, before the engine even starts.
        assert window.results_pane.model.rowCount() == 0 and window.workers_pane.model.rowCount() == 0
        assert window.overall.progress.text() == "" and not any(c.count for c in window.overall.chips.values())
        assert not window.message_line.text()
        qtbot.waitUntil(lambda: not window.is_busy(), timeout=240_000)
        assert window.outcome is not None and window.outcome.exit_code == 0, window.message_line.text()
        folders.append(window.settings_panel.destination_path())
        assert window.overall.progress.text() == "12 of 12 done"
        assert window.message_line.text().startswith("Finished: 12 POs")
        results = window.results_pane.model
        folder_texts = {results.index(r, ResultsModel.COL_FOLDER).data() for r in range(results.rowCount())}
        assert all(not text or not Path(text).is_absolute() for text in folder_texts)  # the path inside the run
    assert folders[0] != folders[1]
    assert window.close() and not no_modal_dialogs  # a finished run: closing asks nothing


@pytest.mark.parametrize("portal", [PortalKnobs(po_count=12, page_latency=0.5)], indirect=True)
def test_cancel_while_the_workers_start_stops_within_two_seconds(
    qtbot, window, portal: DemoPortal, tmp_path: Path
) -> None:
    started = time.time()
    _prepare(qtbot, window, portal, tmp_path, workers=3)
    window.buttons.start_button.click()
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)  # the browsers are starting
    clicked = time.monotonic()
    window.buttons.cancel_button.click()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)
    stopped_after = time.monotonic() - clicked
    print(f"cancel during start-up stopped in {stopped_after:.2f} s")
    assert stopped_after < 2
    assert not window.message_line.is_error
    qtbot.waitUntil(lambda: not browser_processes(started), timeout=10_000)
