"""Several POs in flight per worker (pages_per_worker): the workers table folds their interleaved events, and the
setting lives in Advanced, remembered and translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from core.config import MAX_PAGES_PER_WORKER, saved_settings
from core.events import (
    AttachmentsFound,
    FileDone,
    FileProgress,
    PoFinished,
    PoRequeued,
    PoStarted,
    RunContinued,
    RunFinished,
    RunStarted,
    WorkerPaused,
    WorkerReady,
    WorkerRestarted,
    WorkerSigningIn,
    WorkerStarted,
    WorkerStopped,
)
from core.models import PoResult, PoStatus
from gui.models import PROGRESS_ROLE, WorkersModel

pytestmark = pytest.mark.timeout(60)

MB = 1024 * 1024
TIP = Qt.ItemDataRole.ToolTipRole


def _finished(worker: int, key: str, status: PoStatus = PoStatus.COMPLETED, error: str = "") -> PoFinished:
    result = PoResult(key, status, supplier="S", attachments_found=2, attachments_downloaded=2, error_message=error)
    return PoFinished(worker, result)


def _cell(model: WorkersModel, worker_row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return model.index(worker_row, column).data(role)


def _three_in_flight() -> list[object]:
    """Worker 1 reads POs A, B and C in three tabs while worker 2 reads D: their events come mixed."""
    return [
        WorkerStarted(1, 100),
        WorkerStarted(2, 101),
        WorkerReady(1, ()),
        WorkerReady(2, ()),
        PoStarted(1, "A", "PO_A"),
        PoStarted(1, "B", "PO_B"),
        PoStarted(2, "D", "PO_D"),
        PoStarted(1, "C", "PO_C"),
        AttachmentsFound(1, "B", "Beta", 2),
        AttachmentsFound(1, "A", "Alpha", 3),
        FileProgress(1, "B", "b1.pdf", MB, 4 * MB),
        AttachmentsFound(2, "D", "Delta", 1),
        FileProgress(1, "A", "a1.pdf", MB, 2 * MB),
        FileDone(1, "B", "b0.pdf", 2 * MB),
        FileProgress(1, "B", "b1.pdf", 2 * MB, 4 * MB),
    ]


def test_a_worker_row_shows_every_po_in_flight_with_their_files(qtmodeltester) -> None:
    model = WorkersModel()
    model.apply(_three_in_flight())
    assert _cell(model, 0, WorkersModel.COL_STATE) == "working"
    assert _cell(model, 0, WorkersModel.COL_PO) == "3 POs: PO_A, PO_B, PO_C"
    assert _cell(model, 0, WorkersModel.COL_SUPPLIER) == "Alpha, Beta"  # C's page is still read
    assert _cell(model, 0, WorkersModel.COL_FILES) == "1 / 5"  # A's 0 of 3 and B's 1 of 2
    assert _cell(model, 0, WorkersModel.COL_FILES, PROGRESS_ROLE) == (1, 5)
    assert _cell(model, 0, WorkersModel.COL_MB) == "5.0"  # b0 done (2 MB), b1 at 2 MB, a1 at 1 MB
    tip = _cell(model, 0, WorkersModel.COL_PO, TIP)
    assert tip.splitlines() == [
        "PO_A (Alpha): 0 / 3 files",
        "PO_B (Beta): 1 / 2 files",
        "PO_C: reading the PO's page",
        "Downloading 2 file(s): 3.0 of 6.0 MB",  # the files in flight, summed: a1 1 of 2 MB, b1 2 of 4 MB
    ]
    assert _cell(model, 0, WorkersModel.COL_FILES, TIP) == tip
    # Worker 2's single PO reads as before: its name alone.
    assert _cell(model, 1, WorkersModel.COL_PO) == "PO_D" and _cell(model, 1, WorkersModel.COL_FILES) == "0 / 1"

    model.apply([FileDone(1, "B", "b1.pdf", 4 * MB), _finished(1, "B")])
    assert _cell(model, 0, WorkersModel.COL_PO) == "2 POs: PO_A, PO_C"
    assert _cell(model, 0, WorkersModel.COL_FILES) == "0 / 3"
    assert _cell(model, 0, WorkersModel.COL_POS) == "1"
    assert _cell(model, 0, WorkersModel.COL_MB) == "7.0"

    # A goes back to the queue (its tab's session expired): it leaves the row, its half-downloaded file too.
    model.apply([PoRequeued(1, "A", "session expired")])
    assert _cell(model, 0, WorkersModel.COL_PO) == "PO_C"
    assert _cell(model, 0, WorkersModel.COL_FILES) == "…"  # C's files are not known yet
    assert _cell(model, 0, WorkersModel.COL_FILES, PROGRESS_ROLE) is None
    assert _cell(model, 0, WorkersModel.COL_MB) == "6.0"
    assert _cell(model, 0, WorkersModel.COL_ERROR) == "A retried: session expired"
    assert _cell(model, 0, WorkersModel.COL_STATE) == "working"

    model.apply([AttachmentsFound(1, "C", "Gamma", 0), _finished(1, "C", PoStatus.NO_ATTACHMENTS)])
    assert _cell(model, 0, WorkersModel.COL_STATE) == "idle"
    assert [_cell(model, 0, c) for c in (WorkersModel.COL_PO, WorkersModel.COL_SUPPLIER, WorkersModel.COL_FILES)] == [
        "",
        "",
        "",
    ]
    assert _cell(model, 0, WorkersModel.COL_PO, TIP) is None
    assert _cell(model, 0, WorkersModel.COL_POS) == "2"
    assert _cell(model, 1, WorkersModel.COL_STATE) == "working"  # worker 2 was never touched
    qtmodeltester.check(model, force_py=True)


def test_a_late_progress_report_of_a_finished_po_is_not_counted() -> None:
    model = WorkersModel()
    model.apply([*_three_in_flight(), _finished(1, "A"), FileProgress(1, "A", "a1.pdf", 2 * MB, 2 * MB)])
    row = model.rows()[0]
    assert {key for key, _name in row.partial} == {"B"}
    assert row.downloading == (1, 2 * MB, 4 * MB)


def test_a_restarted_worker_drops_every_po_in_flight_and_starts_again() -> None:
    model = WorkersModel()
    model.apply(
        [*_three_in_flight(), WorkerRestarted(1, "browser crashed"), *(PoRequeued(1, k, "crash") for k in "ABC")]
    )
    row = model.rows()[0]
    assert _cell(model, 0, WorkersModel.COL_STATE) == "restarting"
    assert row.in_flight == {} and row.partial == {}
    assert _cell(model, 0, WorkersModel.COL_PO) == "" and _cell(model, 0, WorkersModel.COL_FILES) == ""
    assert _cell(model, 0, WorkersModel.COL_MB) == "2.0"  # b0 was saved; the lost downloads are dropped
    assert _cell(model, 0, WorkersModel.COL_ERROR) == "C retried: crash"
    model.apply([WorkerStarted(1, 200), WorkerReady(1, ())])
    assert _cell(model, 0, WorkersModel.COL_STATE) == "idle"
    model.apply([PoStarted(1, "B", "PO_B", attempt=2), PoStarted(1, "A", "PO_A", attempt=2)])
    assert _cell(model, 0, WorkersModel.COL_STATE) == "working"
    assert _cell(model, 0, WorkersModel.COL_PO) == "2 POs: PO_B, PO_A"


def test_pause_sign_in_and_stop_with_several_pos_in_flight() -> None:
    model = WorkersModel()
    model.apply([*_three_in_flight(), WorkerSigningIn(1, "session expired")])
    assert _cell(model, 0, WorkersModel.COL_STATE) == "signing in"
    assert _cell(model, 0, WorkersModel.COL_PO) == "3 POs: PO_A, PO_B, PO_C"  # they go on after the sign-in
    model.apply([_finished(1, "B")])  # a tab that had its page before the session went
    assert _cell(model, 0, WorkersModel.COL_STATE) == "signing in"  # A and C may still wait on the sign-in
    model.apply([_finished(1, "A"), _finished(1, "C")])
    assert _cell(model, 0, WorkersModel.COL_STATE) == "idle"  # the POs that needed the sign-in are done: so is it
    assert _cell(model, 0, WorkersModel.COL_PO) == ""

    # Pause: the POs in hand finish, then the worker says it is paused; Continue makes it idle again.
    model.apply([_finished(2, "D"), WorkerPaused(2), WorkerPaused(1)])
    assert [_cell(model, r, WorkersModel.COL_STATE) for r in range(2)] == ["paused", "paused"]
    model.apply([RunContinued(), PoStarted(2, "E", "PO_E"), PoStarted(2, "F", "PO_F")])
    assert [_cell(model, r, WorkersModel.COL_STATE) for r in range(2)] == ["idle", "working"]
    assert _cell(model, 1, WorkersModel.COL_PO) == "2 POs: PO_E, PO_F"

    model.apply([WorkerStopped(2)])
    assert _cell(model, 1, WorkersModel.COL_STATE) == "stopped" and _cell(model, 1, WorkersModel.COL_PO) == ""
    model.apply([PoStarted(1, "G", "PO_G"), PoStarted(1, "H", "PO_H"), RunFinished("r.xlsx", cancelled=True)])
    assert [_cell(model, r, WorkersModel.COL_STATE) for r in range(2)] == ["cancelled", "cancelled"]
    assert _cell(model, 0, WorkersModel.COL_PO) == "" and model.rows()[0].in_flight == {}


def test_pages_per_worker_is_in_advanced_remembered_and_reaches_the_cli(qtbot) -> None:
    from gui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    spin = first.settings_panel.pages_per_worker
    assert (spin.minimum(), spin.maximum()) == (1, MAX_PAGES_PER_WORKER)
    assert spin.value() == 4  # the declared default
    assert "tab" in spin.toolTip() and "memory" in spin.toolTip()
    assert first.settings_panel.advanced.content.isAncestorOf(spin)
    assert _label_of(first, spin).text() == f"Pages per worker (&1–{MAX_PAGES_PER_WORKER}):"  # Alt+1
    first.settings_panel.portal_url.setText("https://acme.coupahost.com")
    spin.setValue(6)
    assert first.build_config(for_sign_in=True).pages_per_worker == 6
    assert first.close()
    assert saved_settings()["pages_per_worker"] == 6  # the CLI's default too

    second = MainWindow()
    qtbot.addWidget(second)
    assert second.settings_panel.pages_per_worker.value() == 6
    assert second.close()


def _label_of(window, widget) -> QLabel:  # type: ignore[no-untyped-def]
    return next(label for label in window.findChildren(QLabel) if label.buddy() is widget)


def test_pages_per_worker_has_an_alt_key_in_english_and_portuguese(qtbot, portuguese: Path) -> None:
    from gui.main_window import MainWindow
    from tests.gui.test_first_time_user import _mnemonic, mnemonic_clashes

    window = MainWindow()
    qtbot.addWidget(window)
    spin = window.settings_panel.pages_per_worker
    label = _label_of(window, spin).text()
    assert label == f"Páginas por trabalhador (&1–{MAX_PAGES_PER_WORKER}):"
    assert _mnemonic(label) and not mnemonic_clashes(window)
    assert spin.toolTip().startswith("POs que cada navegador lê ao mesmo tempo")


def test_run_figures_count_a_po_that_ends_twice_once() -> None:
    """The figures are kept as POs end (read 4 times a second with thousands of POs): a PO that ends again after a
    requeue replaces its first answer, and the journal's answers at the end replace them all."""
    from gui.bridge import RunStats

    stats = RunStats()
    stats.apply([RunStarted(3, 3, 0, 1, ""), _finished(1, "A", PoStatus.FAILED), _finished(1, "B")])
    assert stats.counts == {"FAILED": 1, "COMPLETED": 1} and stats.done == 2
    stats.apply([_finished(1, "A"), _finished(1, "C", PoStatus.CANCELLED)])
    assert stats.counts == {"COMPLETED": 2} and stats.cancelled == 1 and stats.summary() == "2 of 3 done, 1 cancelled"
    stats.settle([PoResult(key, PoStatus.COMPLETED) for key in "ABC"])
    assert stats.counts == {"COMPLETED": 3} and stats.cancelled == 0 and stats.summary() == "3 of 3 done"
