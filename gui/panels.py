"""The settings panel: destination, workers, browser, portal and the Advanced options, with load/save."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from core.browser import detect_browsers
from core.config import BROWSERS, MAX_DOWNLOADS_PER_WORKER, MAX_WORKERS
from gui.settings import RunSettings
from gui.widgets import Collapsible

BROWSER_NAMES = {"edge": "Microsoft Edge", "chrome": "Google Chrome", "chromium": "Chromium"}


def default_destination(now: datetime | None = None) -> Path:
    """~/Downloads/CoupaDownloads/<YYYY-MM-DD_HH-MM>, with a suffix if that folder already exists."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H-%M")
    base = Path.home() / "Downloads" / "CoupaDownloads"
    candidate, number = base / stamp, 2
    while candidate.exists():
        candidate, number = base / f"{stamp}_{number}", number + 1
    return candidate


class SettingsPanel(QGroupBox):
    destination_changed = Signal()
    redo_completed_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Settings", parent)
        self._destination_is_default = True
        self.destination = QLineEdit()
        self.destination.setPlaceholderText("Folder for this run's files and report")
        self.destination.editingFinished.connect(self._destination_edited)
        self.destination_browse = QPushButton("Choose…")
        self.destination_browse.setToolTip("Choose the run folder")
        self.destination_browse.clicked.connect(self._choose_destination)

        self.workers = QSpinBox()
        self.workers.setRange(1, MAX_WORKERS)
        self.workers.setToolTip("Parallel browsers. Each needs about 450 MB of memory.")
        self.auto_workers = QCheckBox("&Auto")
        self.auto_workers.setToolTip("Choose from free memory and CPUs, never more than the POs to do")
        self.auto_workers.toggled.connect(lambda on: self.workers.setEnabled(not on))
        self.downloads = QSpinBox()
        self.downloads.setRange(1, MAX_DOWNLOADS_PER_WORKER)
        self.downloads.setToolTip("Files each worker downloads at the same time")

        self.browser = QComboBox()
        detected = detect_browsers()
        for kind in [*detected, *(b for b in BROWSERS if b not in detected)]:
            label = BROWSER_NAMES[kind] + ("" if kind in detected else " (not found)")
            self.browser.addItem(label, kind)
        self.headless = QCheckBox("&Hide browsers (headless)")
        self.headless.setToolTip("Untick to watch the browsers work, or when your sign-in needs you")
        self.portal_url = QLineEdit()
        self.portal_url.setPlaceholderText("https://yourcompany.coupahost.com")

        self.url_template = QLineEdit()
        self.url_template.setToolTip("Where a PO's page is: {base} is the portal URL, {po} the PO number")
        self.requisition_fallback = QCheckBox("Take files from the requisition when a PO has none")
        self.redo_completed = QCheckBox("Redo rows already marked COMPLETED")
        self.redo_completed.toggled.connect(self.redo_completed_changed)
        self.limit = QSpinBox()
        self.limit.setRange(0, 1_000_000)
        self.limit.setSpecialValueText("All")
        self.limit.setToolTip("Process at most this many POs (useful for a trial run)")

        grid = QGridLayout(self)
        destination_row = QHBoxLayout()
        destination_row.addWidget(self.destination, 1)
        destination_row.addWidget(self.destination_browse)
        grid.addWidget(_buddy("&Destination:", self.destination), 0, 0)
        grid.addLayout(destination_row, 0, 1, 1, 3)
        grid.addWidget(_buddy("Portal &URL:", self.portal_url), 0, 4)
        grid.addWidget(self.portal_url, 0, 5)

        workers_row = QHBoxLayout()
        workers_row.addWidget(self.workers)
        workers_row.addWidget(self.auto_workers)
        workers_row.addStretch(1)
        grid.addWidget(_buddy("&Workers:", self.workers), 1, 0)
        grid.addLayout(workers_row, 1, 1)
        grid.addWidget(_buddy("Downloads per &worker:", self.downloads), 1, 2)
        grid.addWidget(self.downloads, 1, 3)
        browser_row = QHBoxLayout()
        browser_row.addWidget(self.browser, 1)
        browser_row.addWidget(self.headless)
        grid.addWidget(_buddy("B&rowser:", self.browser), 1, 4)
        grid.addLayout(browser_row, 1, 5)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(5, 3)

        advanced = QWidget()
        form = QFormLayout(advanced)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("PO page URL template:", self.url_template)
        form.addRow("", self.requisition_fallback)
        form.addRow("", self.redo_completed)
        form.addRow("Limit:", self.limit)
        self.advanced = Collapsible("Advanced", advanced)
        grid.addWidget(self.advanced, 2, 0, 1, 6)

    # -- values -------------------------------------------------------------------------------------------------
    def apply(self, values: RunSettings) -> None:
        self.portal_url.setText(values.base_url)
        index = self.browser.findData(values.browser) if values.browser else -1
        self.browser.setCurrentIndex(max(index, 0))
        self.auto_workers.setChecked(values.workers is None)
        self.workers.setValue(values.workers or 2)
        self.downloads.setValue(values.downloads_per_worker)
        self.headless.setChecked(values.headless)
        self.url_template.setText(values.po_url_template)
        self.requisition_fallback.setChecked(values.requisition_fallback)

    def values(self, previous: RunSettings) -> RunSettings:
        """The run settings shown, keeping the ones the window has no control for (binary, driver, profile)."""
        return RunSettings(
            base_url=self.portal_url.text().strip(),
            browser=str(self.browser.currentData() or ""),
            browser_binary=previous.browser_binary,
            driver_path=previous.driver_path,
            profile_dir=previous.profile_dir,
            workers=None if self.auto_workers.isChecked() else self.workers.value(),
            downloads_per_worker=self.downloads.value(),
            headless=self.headless.isChecked(),
            po_url_template=self.url_template.text().strip(),
            requisition_fallback=self.requisition_fallback.isChecked(),
        )

    def destination_path(self) -> Path | None:
        text = self.destination.text().strip()
        return Path(text).expanduser() if text else None

    def set_destination(self, path: Path, *, is_default: bool = False) -> None:
        self.destination.setText(str(path))
        self._destination_is_default = is_default
        self.destination_changed.emit()

    def renew_default_destination(self) -> None:
        """After a run, a default (timestamped) destination moves on, so Start again never hits the old run."""
        if self._destination_is_default:
            self.set_destination(default_destination(), is_default=True)

    def _destination_edited(self) -> None:
        self._destination_is_default = False
        self.destination_changed.emit()

    def _choose_destination(self) -> None:
        start = self.destination.text() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Choose the run folder", start)
        if chosen:
            self.set_destination(Path(chosen))


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label
