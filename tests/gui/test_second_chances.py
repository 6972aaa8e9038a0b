"""Second chances in the window, with real Chromium workers on the in-process demo portal: Pause / Continue during
a run, "Retry N" after a run with failed and partial POs, and the History dialog listing the runs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.events import RunStarted
from core.paths import journal_path
from core.run.journal import RETRY_STATUSES, Journal
from gui.bridge import RunStats
from gui.models import STATE_PAUSED, WorkersModel
from gui.run_area import CONTINUE_TEXT, PAUSE_TEXT, retry_text
from tests.gui.test_run import _prepare

pytestmark = [pytest.mark.integration, pytest.mark.timeout(400)]

RUN_MS = 240_000


@pytest.fixture
def faulty_portal() -> Iterator[DemoPortal]:
    # Each faulted file answers 503 three times: the first run gives up on it, a retry gets it.
    knobs = PortalKnobs(po_count=10, error_5xx_rate=0.3, faults_per_file=3, not_found_share=0.1)
    with DemoPortal(knobs).start() as server:
        yield server


def test_retry_n_runs_the_failed_and_partial_pos_again_and_history_lists_both_runs(
    qtbot, faulty_portal: DemoPortal, window, tmp_path: Path
) -> None:
    destination = _prepare(qtbot, window, faulty_portal, tmp_path, workers=2)
    assert not window.buttons.retry_button.isEnabled(), "nothing to retry before a run"
    window.buttons.description.setText("faulty portal")
    window.buttons.start_button.click()
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=RUN_MS)
    with Journal(journal_path(destination)) as journal:
        again = {k for k, r in journal.results().items() if r.status.value in RETRY_STATUSES}
        failed = {k for k, r in journal.results().items() if r.status.value in ("FAILED", "PARTIAL")}
    assert failed, "the faulted files made some POs fail or stay partial"
    assert window.buttons.retry_button.isEnabled() and window.buttons.retry_button.text() == retry_text(len(again))

    window.buttons.retry_button.click()
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=RUN_MS)
    outcome = window.outcome
    assert outcome is not None and outcome.exit_code == 0
    with Journal(journal_path(destination)) as journal:
        results = journal.results()
    assert all(results[k].status.value == "COMPLETED" for k in failed)
    left = len(again - failed)  # no access stays no access: the user may ask again once access is granted
    retry = window.buttons.retry_button
    assert retry.isEnabled() == bool(left) and retry.text() == retry_text(left)
    shown = {r.po_key: r.status.value for r in window.results_pane.model.results()}
    assert shown == {k: r.status.value for k, r in results.items()}

    dialog = window.chances.show_history()
    model = dialog.model
    qtbot.waitUntil(lambda: model.rowCount() >= 2, timeout=5_000)  # read off the GUI thread
    runs = [model.run_at(row) for row in range(model.rowCount())]
    ours = [run for run in runs if run is not None and run.folder == str(destination.resolve())]
    assert [run.kind for run in ours] == ["retry", "run"], "newest first"
    assert all(run.description == "faulty portal" for run in ours)
    assert ours[0].processed == len(again) and ours[0].counts.get("COMPLETED", 0) >= len(failed)
    assert model.index(0, 1).data() == "faulty portal"
    assert dialog.open_folder_button.isEnabled() and dialog.open_report_button.isEnabled()
    assert dialog.retry_button.isEnabled() == bool(left) and dialog.retry_button.text() == retry_text(left)
    dialog.close()


@pytest.fixture
def slow_portal() -> Iterator[DemoPortal]:
    with DemoPortal(PortalKnobs(po_count=10, page_latency=0.3, not_found_share=0.0)).start() as server:
        yield server


def test_pause_holds_new_pos_and_continue_finishes_the_run(
    qtbot, slow_portal: DemoPortal, window, tmp_path: Path
) -> None:
    _prepare(qtbot, window, slow_portal, tmp_path, workers=1)
    assert not window.buttons.pause_button.isEnabled() and window.buttons.pause_button.toolTip()
    window.buttons.start_button.click()
    qtbot.waitUntil(window.bridge.is_running, timeout=60_000)
    qtbot.waitUntil(lambda: window.results_pane.model.rowCount() >= 1, timeout=RUN_MS)
    place = window.buttons.pause_button.geometry()
    window.buttons.pause_button.click()
    assert window.buttons.pause_button.text() == CONTINUE_TEXT and window.buttons.pause_button.toolTip()
    state = window.workers_pane.model.index(0, WorkersModel.COL_STATE)
    qtbot.waitUntil(lambda: state.data() == STATE_PAUSED, timeout=60_000)
    held = window.results_pane.model.rowCount()
    time.sleep(2.0)
    qtbot.wait(500)  # let the window take in whatever the engine said meanwhile
    assert window.results_pane.model.rowCount() == held, "no PO started while paused"
    assert held < 10
    assert "Paused" in window.log_section.text()
    assert window.buttons.pause_button.geometry() == place, "the button kept its place"
    window.buttons.pause_button.click()
    assert window.buttons.pause_button.text() == PAUSE_TEXT
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=RUN_MS)
    outcome = window.outcome
    assert outcome is not None and outcome.exit_code == 0 and not outcome.cancelled
    assert window.results_pane.model.rowCount() == 10
    assert not window.buttons.pause_button.isEnabled()


def test_eta_starts_from_the_history_rate_until_the_run_has_its_own() -> None:
    stats = RunStats(history_rate=5.0)  # POs per minute per worker in recent runs
    stats.apply([RunStarted(total=100, pending=100, already_done=0, workers=2, output="/run")])
    assert stats.per_minute() is None
    assert stats.eta_seconds() == pytest.approx(100 / (5.0 * 2) * 60)
    assert RunStats().eta_seconds() is None, "no history, no rate: no ETA yet"


def test_the_history_is_read_off_the_gui_thread(qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At Start (the ETA's first rate) and when the History dialog opens: the window never waits on the file."""
    from core.config import RunConfig
    from core.run.history import History, RunRecord

    monkeypatch.setenv("COUPA_DATA_DIR", str(tmp_path / "data"))  # a history of one run (not the session's runs)
    History().record(
        RunRecord(
            "r1", "2026-12-06T10:00:00", "run", str(tmp_path), state="finished", processed=60, workers=2, seconds=60
        )
    )
    stats = RunStats()
    window.chances.run_started(RunConfig(tmp_path / "in.xlsx", tmp_path, "https://acme.coupahost.com"), stats)
    qtbot.waitUntil(lambda: stats.history_rate == pytest.approx(30.0), timeout=5_000)  # 60 POs/min over 2 workers
    dialog = window.chances.show_history()
    assert not dialog.empty_label.isVisible()  # no "No runs yet" before the runs are read
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5_000)
    assert dialog.model.run_at(0).run_id == "r1" and not dialog.empty_label.isVisible()
    dialog.close()
