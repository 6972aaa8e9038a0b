"""Remembered settings (shared with the CLI) and the table models' Qt contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.config import saved_settings
from core.events import (
    AttachmentsFound,
    FileDone,
    FileProgress,
    PoFinished,
    PoStarted,
    RunFinished,
    WorkerError,
    WorkerReady,
    WorkerStarted,
)
from core.models import PoResult, PoStatus
from gui.models import PROGRESS_ROLE, WorkersModel
from gui.results_area import ResultsFilter, ResultsModel

pytestmark = pytest.mark.timeout(60)


def test_settings_survive_a_restart_and_reach_the_cli(qtbot, tmp_path: Path) -> None:
    from gui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    panel = first.settings_panel
    panel.portal_url.setText("https://acme.coupahost.com")
    panel.auto_workers.setChecked(False)
    panel.workers.setValue(7)
    panel.downloads.setValue(3)
    panel.headless.setChecked(False)
    panel.requisition_fallback.setChecked(False)
    panel.emails.setCurrentIndex(panel.emails.findData("pdf"))
    panel.url_template.setText("{base}/po/{po}")
    panel.limit.setValue(25)
    first.log_section.set_expanded(True)
    first.results_pane.view.setColumnWidth(ResultsModel.COL_FOLDER, 217)
    assert first.close()

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    panel = second.settings_panel
    assert panel.portal_url.text() == "https://acme.coupahost.com"
    assert not panel.auto_workers.isChecked() and panel.workers.value() == 7
    assert panel.downloads.value() == 3
    assert not panel.headless.isChecked()
    assert not panel.requisition_fallback.isChecked()
    assert panel.emails.currentData() == "pdf" and panel.run_config(None, for_sign_in=True).emails == "pdf"
    assert panel.url_template.text() == "{base}/po/{po}"
    assert panel.limit.value() == 25
    assert second.log_section.is_expanded()
    assert second.results_pane.view.columnWidth(ResultsModel.COL_FOLDER) == 217  # column widths are remembered
    assert second.settings.blob("geometry") is not None

    # The CLI reads the same file and keys.
    cli = saved_settings()
    assert cli["base_url"] == "https://acme.coupahost.com"
    assert cli["workers"] == 7 and cli["downloads_per_worker"] == 3
    assert cli["headless"] is False and cli["requisition_fallback"] is False and cli["emails"] == "pdf"
    assert cli["po_url_template"] == "{base}/po/{po}"

    panel.auto_workers.setChecked(True)
    assert second.close()
    assert saved_settings()["workers"] is None  # "auto"


def test_demo_portal_url_is_not_remembered(qtbot, tmp_path: Path) -> None:
    from core.demo_portal import DemoPortal, PortalKnobs
    from gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.settings_panel.portal_url.setText("https://acme.coupahost.com")
    win.save_settings()
    with DemoPortal(PortalKnobs(po_count=3)).start() as portal:
        win.use_demo_portal(portal, portal.write_sample_spreadsheet(tmp_path / "s.xlsx"))
        assert win.settings_panel.portal_url.text() == portal.base_url
        assert win.close()
    assert saved_settings()["base_url"] == "https://acme.coupahost.com"


def _result(key: str, status: PoStatus, folder: str = "") -> PoResult:
    return PoResult(key, status, supplier="Acme", attachments_found=2, attachments_downloaded=1, folder=folder)


def test_workers_model_folds_events_and_passes_modeltester(qtmodeltester) -> None:
    model = WorkersModel()
    changes: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=None: changes.append(top.row()))
    model.apply(
        [
            WorkerStarted(1, 100),
            WorkerStarted(2, 101),
            WorkerReady(1, (5,)),
            PoStarted(1, "1234567", "PO1234567"),
            AttachmentsFound(1, "1234567", "Acme", 4),
            FileProgress(1, "1234567", "a.pdf", 512 * 1024, 1024 * 1024),
            FileDone(1, "1234567", "b.pdf", 1024 * 1024),
            WorkerError(2, "browser crashed\nlong details"),
        ]
    )
    assert model.rowCount() == 2
    assert sorted(changes) == [0, 1]  # one dataChanged per changed row, not one per event
    assert model.index(0, WorkersModel.COL_STATE).data() == "working"
    assert model.index(0, WorkersModel.COL_PO).data() == "PO1234567"
    assert model.index(0, WorkersModel.COL_SUPPLIER).data() == "Acme"
    assert model.index(0, WorkersModel.COL_FILES).data() == "1 / 4"
    assert model.index(0, WorkersModel.COL_FILES).data(PROGRESS_ROLE) == (1, 4)
    assert model.index(0, WorkersModel.COL_MB).data() == "1.5"
    assert model.index(1, WorkersModel.COL_ERROR).data() == "browser crashed"
    assert "long details" in model.index(1, WorkersModel.COL_ERROR).data(3)  # tooltip: the full text
    model.apply([PoFinished(1, _result("1234567", PoStatus.PARTIAL)), RunFinished("r.xlsx", cancelled=True)])
    assert model.index(0, WorkersModel.COL_POS).data() == "1"
    assert {model.index(r, WorkersModel.COL_STATE).data() for r in range(2)} == {"cancelled"}
    qtmodeltester.check(model, force_py=True)


def test_results_model_filter_and_modeltester(qtmodeltester) -> None:
    model = ResultsModel()
    model.add_results([_result("1", PoStatus.COMPLETED, "/x/PO1_COMPLETED"), _result("2", PoStatus.FAILED)])
    model.add_results([_result("2", PoStatus.COMPLETED), _result("3", PoStatus.PO_NOT_FOUND)])
    assert model.rowCount() == 3  # PO 2 was updated in place, not added twice
    proxy = ResultsFilter()
    proxy.setSourceModel(model)
    proxy.set_status(PoStatus.COMPLETED.value)
    assert proxy.rowCount() == 2
    proxy.set_status(PoStatus.PO_NOT_FOUND.value)
    assert proxy.rowCount() == 1 and proxy.index(0, ResultsModel.COL_PO).data() == "3"
    proxy.set_status("")
    assert proxy.rowCount() == 3
    assert model.index(0, ResultsModel.COL_FOLDER).data() == "PO1_COMPLETED"
    model.add_results([PoResult("4", PoStatus.COMPLETED, emails_converted=2, files_extracted=3)])
    assert model.index(3, ResultsModel.COL_EMAILS).data() == "2 to PDF"
    assert "3 file(s) extracted" in model.index(3, ResultsModel.COL_EMAILS).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, ResultsModel.COL_EMAILS).data() == ""  # no e-mails, nothing to say
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(proxy, force_py=True)


def test_double_click_opens_the_po_folder(qtbot, window, tmp_path: Path, opened_urls: list[str]) -> None:
    folder = tmp_path / "PO1_COMPLETED"
    folder.mkdir()
    window.results_pane.model.add_results([_result("1", PoStatus.COMPLETED, str(folder))])
    index = window.results_pane.proxy.index(0, 0)
    window.results_pane.view.doubleClicked.emit(index)
    assert opened_urls == [str(folder)]


def test_a_fresh_window_shows_the_declared_defaults(qtbot) -> None:
    from dataclasses import replace

    from core.config import DEFAULTS
    from core.po.browser_install import browser_kind
    from gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    shown = win.settings_panel.values()
    assert shown.browser == browser_kind(DEFAULTS.browser)  # the first installed, as the CLI picks it
    assert replace(shown, browser=DEFAULTS.browser) == DEFAULTS  # the same defaults as the command line
    assert win.close()


def test_sign_out_beside_sign_in_deletes_the_saved_session(qtbot, window) -> None:
    from PySide6.QtCore import Qt

    from core.po.session import SessionStore

    store = SessionStore.for_portal("https://acme.coupahost.com")
    store.save([{"name": "_coupa_session", "value": "secret", "domain": "acme.coupahost.com"}], [])
    layout = window.buttons.layout()
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    buttons = window.buttons
    assert widgets.index(buttons.sign_out_button) == widgets.index(buttons.sign_in_button) + 1
    qtbot.mouseClick(buttons.sign_out_button, Qt.MouseButton.LeftButton)
    assert not store.path.exists()
    assert "Signed out" in window.message_line.text()
