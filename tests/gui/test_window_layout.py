"""The Advanced browser options, the workers model under overlapped POs, and the layout details (labels, columns)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHeaderView

from core.config import saved_settings
from core.events import (
    AttachmentsFound,
    FileDone,
    FileProgress,
    PoFinished,
    PoStarted,
    WorkerReady,
    WorkerRestarted,
    WorkerStarted,
)
from core.models import PoResult, PoStatus
from gui.models import PROGRESS_ROLE, STATUS_COLORS, WorkersModel, status_label
from gui.results_area import ResultsModel
from tests.gui.conftest import wait_loaded
from tests.gui.test_loading import _sample

pytestmark = pytest.mark.timeout(60)

MB = 1024 * 1024


def test_advanced_browser_options_round_trip_and_reach_the_config(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gui.main_window import MainWindow

    profile = tmp_path / "My Profile"
    profile.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(profile)))
    first = MainWindow()
    qtbot.addWidget(first)
    panel = first.settings_panel
    panel.portal_url.setText("https://acme.coupahost.com")
    panel.driver_path.setText("/opt/drivers/msedgedriver")
    panel.browser_binary.setText("/opt/edge/msedge")
    # "Other folder…" asks for a folder (the dialog is stubbed) and selects it.
    other = panel.profile.findText("Other folder…")
    assert other == panel.profile.count() - 1 and panel.profile.itemText(0) == "(none)"
    panel.profile.setCurrentIndex(other)
    panel.profile.activated.emit(other)
    assert panel.profile_dir() == str(profile)
    assert panel.profile.currentText() == str(profile)

    config = first.build_config(for_sign_in=True)
    assert config.driver_path == "/opt/drivers/msedgedriver"
    assert config.browser_binary == "/opt/edge/msedge"
    assert config.profile_dir == str(profile)
    assert first.close()

    cli = saved_settings()  # the CLI reads the same keys
    assert cli["driver_path"] == "/opt/drivers/msedgedriver"
    assert cli["browser_binary"] == "/opt/edge/msedge"
    assert cli["profile_dir"] == str(profile)

    second = MainWindow()
    qtbot.addWidget(second)
    panel = second.settings_panel
    assert panel.driver_path.text() == "/opt/drivers/msedgedriver"
    assert panel.browser_binary.text() == "/opt/edge/msedge"
    assert panel.profile_dir() == str(profile)

    # Emptied again: Selenium Manager finds the driver, no profile; the saved keys are removed.
    panel.driver_path.clear()
    panel.browser_binary.clear()
    panel.profile.setCurrentIndex(0)
    panel.profile.activated.emit(0)
    config = second.build_config(for_sign_in=True)
    assert (config.driver_path, config.browser_binary, config.profile_dir) == (None, None, None)
    assert second.close()
    cli = saved_settings()
    assert "driver_path" not in cli and "profile_dir" not in cli


def test_profile_choices_list_detected_browsers_and_cancel_keeps_the_choice(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gui.panels

    chrome = tmp_path / "google-chrome"
    monkeypatch.setattr(gui.panels, "existing_profile_dirs", lambda: {"chrome": chrome})
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: ""))
    panel = gui.panels.SettingsPanel()
    qtbot.addWidget(panel)
    labels = [panel.profile.itemText(i) for i in range(panel.profile.count())]
    assert labels == ["(none)", f"Google Chrome — {chrome}", "Other folder…"]
    panel.profile.setCurrentIndex(1)
    panel.profile.activated.emit(1)
    assert panel.values().profile_dir == str(chrome)
    panel.profile.setCurrentIndex(2)
    panel.profile.activated.emit(2)  # the folder dialog is cancelled
    assert panel.profile.currentIndex() == 1 and panel.profile_dir() == str(chrome)


def _finished(key: str) -> PoFinished:
    return PoFinished(1, PoResult(key, PoStatus.COMPLETED, supplier="S", attachments_found=2, attachments_downloaded=2))


def test_workers_model_keeps_overlapping_pos_apart(qtmodeltester) -> None:
    """PO B's page is read while PO A's files still download: both are in hand, each with its own files."""
    model = WorkersModel()

    def cell(column: int, role: int = 0) -> object:
        return model.index(0, column).data(role)

    model.apply(
        [
            WorkerStarted(1, 100),
            WorkerReady(1, ()),
            PoStarted(1, "A", "PO_A"),
            AttachmentsFound(1, "A", "Alpha Ltd", 2),
            FileDone(1, "A", "a1.pdf", 1 * MB),
            FileProgress(1, "A", "a2.pdf", MB // 2, 2 * MB),
            PoStarted(1, "B", "PO_B"),  # before A has finished
        ]
    )
    assert cell(WorkersModel.COL_PO) == "2 POs: PO_A, PO_B"
    assert cell(WorkersModel.COL_SUPPLIER) == "Alpha Ltd"
    assert cell(WorkersModel.COL_FILES) == "1 / 2"  # B's page is being read: its files are not known yet
    assert "PO_B: reading the PO's page" in cell(WorkersModel.COL_FILES, Qt.ItemDataRole.ToolTipRole)
    assert cell(WorkersModel.COL_MB) == "1.5"  # A's bytes still count

    model.apply([AttachmentsFound(1, "B", "Beta GmbH", 3), FileDone(1, "A", "a2.pdf", 2 * MB)])
    assert cell(WorkersModel.COL_SUPPLIER) == "Alpha Ltd, Beta GmbH"
    assert cell(WorkersModel.COL_FILES, PROGRESS_ROLE) == (2, 5)  # A's 2 of 2 and B's 0 of 3
    assert cell(WorkersModel.COL_MB) == "3.0"  # 1 + 2 MB: the in-flight half of a2 was replaced by its full size

    model.apply([_finished("A"), FileProgress(1, "B", "b1.pdf", MB, 2 * MB)])
    assert cell(WorkersModel.COL_POS) == "1"
    assert cell(WorkersModel.COL_STATE) == "working"  # B is still in hand
    assert cell(WorkersModel.COL_PO) == "PO_B" and cell(WorkersModel.COL_FILES) == "0 / 3"
    assert cell(WorkersModel.COL_MB) == "4.0"

    model.apply([FileDone(1, "B", "b1.pdf", 2 * MB), PoStarted(1, "C", "PO_C"), FileDone(1, "B", "b2.pdf", MB)])
    assert cell(WorkersModel.COL_PO) == "2 POs: PO_B, PO_C"
    row = model.rows()[0]
    assert row.in_flight["B"].files_done == 2 and row.in_flight["C"].files_done == 0
    assert cell(WorkersModel.COL_FILES) == "2 / 3"  # C's page is still read

    model.apply([_finished("B"), _finished("C")])
    assert cell(WorkersModel.COL_POS) == "3"
    assert cell(WorkersModel.COL_STATE) == "idle"
    # An idle row says idle: no PO, supplier or files of a PO it no longer has (the totals stay).
    assert (cell(WorkersModel.COL_PO), cell(WorkersModel.COL_SUPPLIER), cell(WorkersModel.COL_FILES)) == ("", "", "")
    assert cell(WorkersModel.COL_FILES, PROGRESS_ROLE) is None
    assert cell(WorkersModel.COL_MB) == "6.0"
    qtmodeltester.check(model, force_py=True)


def test_worker_rows_stay_in_worker_order() -> None:
    model = WorkersModel()
    model.apply([WorkerStarted(3, 1), WorkerStarted(1, 2)])
    model.apply([WorkerStarted(2, 3), PoStarted(3, "A", "PO_A")])
    assert [model.index(r, WorkersModel.COL_WORKER).data() for r in range(3)] == ["1", "2", "3"]
    assert model.index(2, WorkersModel.COL_PO).data() == "PO_A"


def test_a_newest_po_finishing_first_shows_the_older_one_still_downloading() -> None:
    model = WorkersModel()
    model.apply(
        [
            PoStarted(1, "A", "PO_A"),
            AttachmentsFound(1, "A", "Alpha", 4),
            FileDone(1, "A", "a1.pdf", MB),
            PoStarted(1, "B", "PO_B"),
            _finished("B"),  # B had nothing to download
        ]
    )
    assert model.index(0, WorkersModel.COL_PO).data() == "PO_A"
    assert model.index(0, WorkersModel.COL_FILES).data() == "1 / 4"
    assert model.index(0, WorkersModel.COL_STATE).data() == "working"
    model.apply([FileProgress(1, "A", "a2.pdf", MB, None), WorkerRestarted(1, "browser crashed")])
    assert model.index(0, WorkersModel.COL_MB).data() == "1.0"  # the lost download's bytes are dropped
    assert model.rows()[0].in_flight == {}


def test_friendly_status_labels_everywhere(window) -> None:
    expected = ["Completed", "Partial", "Failed", "No attachments", "Not found", "No access", "Invalid", "Cancelled"]
    assert [status_label(s.value) for s in PoStatus] == expected
    # Every status has its own colour: "no access" (an access to request) never looks like "not found".
    assert len({STATUS_COLORS[s] for s in PoStatus}) == len(PoStatus)
    combo = window.results_pane.status_filter
    assert [combo.itemText(i) for i in range(combo.count())] == ["All statuses", *expected]
    combo.setCurrentIndex(combo.findText("Not found"))
    assert window.results_pane.proxy._status == PoStatus.PO_NOT_FOUND.value
    chip = window.overall.chips[PoStatus.PO_NOT_FOUND.value]
    chip.set_count(2)
    assert chip.text() == "Not found 2"
    window.results_pane.model.add_results([PoResult("1", PoStatus.NO_ATTACHMENTS)])
    index = window.results_pane.model.index(0, ResultsModel.COL_STATUS)
    assert index.data() == "No attachments"
    assert window.results_pane.proxy.index(0, ResultsModel.COL_STATUS).data() is None  # filtered out: Not found only


def test_columns_fit_their_content_and_the_rest_stretches(qtbot, window, tmp_path: Path) -> None:
    mode = QHeaderView.ResizeMode
    workers = window.workers_pane.view.horizontalHeader()
    assert workers.sectionResizeMode(WorkersModel.COL_PO) == mode.Stretch  # several POs elide; the tooltip lists them
    assert workers.sectionResizeMode(WorkersModel.COL_SUPPLIER) == mode.Stretch
    assert workers.sectionResizeMode(WorkersModel.COL_ERROR) == mode.Stretch
    results = window.results_pane.view.horizontalHeader()
    assert results.sectionResizeMode(ResultsModel.COL_PO) == mode.ResizeToContents
    assert results.sectionResizeMode(ResultsModel.COL_STATUS) == mode.ResizeToContents
    assert results.sectionResizeMode(ResultsModel.COL_MESSAGE) == mode.Stretch
    assert results.sectionResizeMode(ResultsModel.COL_FOLDER) == mode.Interactive

    window.results_pane.model.add_results([PoResult("16928000123", PoStatus.PO_NOT_FOUND)])
    metrics = window.results_pane.view.fontMetrics()
    # The header resizes on its next layout pass: the column grows to the longest PO, never cuts it.
    qtbot.waitUntil(
        lambda: window.results_pane.view.columnWidth(ResultsModel.COL_PO) >= metrics.horizontalAdvance("16928000123"),
        timeout=5_000,
    )


def test_counts_are_shown_once(qtbot, window, tmp_path: Path) -> None:
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    counts = window.input_area.counts_label.text()
    assert counts.startswith("12 POs")
    assert "pos.xlsx" in window.input_area.drop_zone.label.text()
    assert "POs (" not in window.input_area.drop_zone.label.text()  # the drop zone names the file, the file row counts
