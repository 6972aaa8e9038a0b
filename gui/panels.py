"""The settings panel: destination, workers, browser, portal and the Advanced options, with load/save.

Advanced also holds the browser plumbing a locked-down PC may need: a driver path (empty = Selenium Manager finds
one), a browser program, and "start from a copy of my browser profile" (copied, never used live: core.po.profiles).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
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

from core.config import (
    BROWSERS,
    DEFAULTS,
    EMAILS_OFF,
    EMAILS_PDF,
    EMAILS_PDF_AND_ATTACHMENTS,
    MAX_DOWNLOADS_PER_WORKER,
    MAX_PAGES_PER_WORKER,
    RunConfig,
    Settings,
)
from core.errors import CoupaDownloadsError
from core.po.browser_install import detect_browsers
from core.po.profiles import existing_profile_dirs
from core.workbook.spreadsheet import InputSheet
from core.worker_count import MAX_WORKERS
from gui.i18n import LANGUAGES, SYSTEM
from gui.widgets import Collapsible

BROWSER_NAMES = {"edge": "Microsoft Edge", "chrome": "Google Chrome", "chromium": "Chromium"}
EMAIL_CHOICES = (
    (QT_TRANSLATE_NOOP("SettingsPanel", "Make a PDF and extract their attachments"), EMAILS_PDF_AND_ATTACHMENTS),
    (QT_TRANSLATE_NOOP("SettingsPanel", "Make a PDF only"), EMAILS_PDF),
    (QT_TRANSLATE_NOOP("SettingsPanel", "Leave them as they are"), EMAILS_OFF),
)
_OTHER = "\x00other"  # the combo data of "Other folder…" (never a real path)


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
        super().__init__(parent)
        self.setTitle(self.tr("Settings"))
        self._destination_is_default = True
        self.destination = QLineEdit()
        self.destination.setPlaceholderText(self.tr("Folder for this run's files and report"))
        self.destination.setToolTip(
            self.tr("Where this run's PO folders and report go. Left as it is, every run gets a new dated folder")
        )
        self.destination.textEdited.connect(self._destination_typed)
        self.destination.editingFinished.connect(self.destination_changed)
        self.destination_browse = QPushButton(self.tr("Choose…"))
        self.destination_browse.setToolTip(self.tr("Choose the run folder"))
        self.destination_browse.clicked.connect(self._choose_destination)

        self.workers = QSpinBox()
        self.workers.setRange(1, MAX_WORKERS)
        self.workers.setToolTip(self.tr("Parallel browsers. Each needs about 450 MB of memory."))
        self.auto_workers = QCheckBox(self.tr("&Auto"))
        self.auto_workers.setToolTip(self.tr("Choose from free memory and CPUs, never more than the POs to do"))
        self.auto_workers.toggled.connect(lambda on: self.workers.setEnabled(not on))
        self.downloads = QSpinBox()
        self.downloads.setRange(1, MAX_DOWNLOADS_PER_WORKER)
        self.downloads.setToolTip(self.tr("Files each worker downloads at the same time"))
        self.pages_per_worker = QSpinBox()
        self.pages_per_worker.setRange(1, MAX_PAGES_PER_WORKER)
        self.pages_per_worker.setToolTip(
            self.tr(
                "POs each browser reads at once, each in a tab of its own. More is faster on a slow portal "
                "but needs more memory"
            )
        )

        self.browser = QComboBox()
        self.browser.setToolTip(self.tr("The browser the workers drive"))
        detected = detect_browsers()
        for kind in [*detected, *(b for b in BROWSERS if b not in detected)]:
            label = (
                BROWSER_NAMES[kind]
                if kind in detected
                else self.tr("{browser} (not found)").format(browser=BROWSER_NAMES[kind])
            )
            self.browser.addItem(label, kind)
        self.headless = QCheckBox(self.tr("&Hide browsers (headless)"))
        self.headless.setToolTip(self.tr("Untick to watch the browsers work, or when your sign-in needs you"))
        self.portal_url = QLineEdit()
        self.portal_url.setPlaceholderText(self.tr("https://yourcompany.coupahost.com"))
        self.portal_url.setToolTip(self.tr("Your Coupa portal's address, as in the browser"))

        self.url_template = QLineEdit()
        self.url_template.setToolTip(self.tr("Where a PO's page is: {base} is the portal URL, {po} the PO number"))
        self.requisition_fallback = QCheckBox(self.tr("Take files from the requisition when a PO has none"))
        self.requisition_fallback.setToolTip(self.tr("A PO without attachments gets its requisition's files instead"))
        self.redo_completed = QCheckBox(self.tr("Redo rows already marked COMPLETED"))
        self.redo_completed.setToolTip(self.tr("Rows whose STATUS column already says COMPLETED are done again"))
        self.emails = QComboBox()
        for label, mode in EMAIL_CHOICES:
            self.emails.addItem(self.tr(label), mode)
        self.emails.setToolTip(
            self.tr(
                "Saved Outlook (.msg) and .eml e-mails get a PDF beside them that anyone can open; "
                "their attachments can be taken out into a folder of their own. The original is always kept."
            )
        )
        self.redo_completed.toggled.connect(self.redo_completed_changed)
        self.limit = QSpinBox()
        self.limit.setRange(0, 1_000_000)
        self.limit.setSpecialValueText(self.tr("All"))
        self.limit.setToolTip(self.tr("Process at most this many POs (useful for a trial run)"))
        self.driver_path = QLineEdit()
        self.driver_path.setPlaceholderText(self.tr("Found automatically (Selenium Manager)"))
        self.driver_path.setToolTip(
            self.tr("msedgedriver / chromedriver to use; leave empty to have it found or fetched")
        )
        self.browser_binary = QLineEdit()
        self.browser_binary.setPlaceholderText(self.tr("The installed browser"))
        self.browser_binary.setToolTip(
            self.tr("The browser program to start, when it is not where the browser installs it")
        )
        self.profile = QComboBox()
        self.profile.setToolTip(
            self.tr(
                "Workers start from a copy of this browser profile (its sign-in and certificates); "
                "the profile itself is never changed, so the browser may stay open"
            )
        )
        self._fill_profiles()
        self._profile_index = 0
        self.profile.activated.connect(self._profile_chosen)
        self.language = QComboBox()
        self.language.setToolTip(self.tr("The window's language; it changes the next time the window opens"))
        self.language.addItem(self.tr("System language"), SYSTEM)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)

        for name in (
            "destination", "destination_browse", "workers", "auto_workers", "downloads", "pages_per_worker", "browser",
            "headless",
            "portal_url", "url_template", "requisition_fallback", "redo_completed", "limit", "driver_path",
            "browser_binary", "profile", "language",
        ):  # fmt: skip
            getattr(self, name).setObjectName(name)

        grid = QGridLayout(self)
        destination_row = QHBoxLayout()
        destination_row.addWidget(self.destination, 1)
        destination_row.addWidget(self.destination_browse)
        grid.addWidget(_buddy(self.tr("&Destination:"), self.destination), 0, 0)
        grid.addLayout(destination_row, 0, 1, 1, 3)
        grid.addWidget(_buddy(self.tr("Portal &URL:"), self.portal_url), 0, 4)
        grid.addWidget(self.portal_url, 0, 5)

        workers_row = QHBoxLayout()
        workers_row.addWidget(self.workers)
        workers_row.addWidget(self.auto_workers)
        workers_row.addStretch(1)
        grid.addWidget(_buddy(self.tr("Wor&kers:"), self.workers), 1, 0)
        grid.addLayout(workers_row, 1, 1)
        grid.addWidget(_buddy(self.tr("Downloads per worker:"), self.downloads), 1, 2)
        grid.addWidget(self.downloads, 1, 3)
        browser_row = QHBoxLayout()
        browser_row.addWidget(self.browser, 1)
        browser_row.addWidget(self.headless)
        grid.addWidget(_buddy(self.tr("Bro&wser:"), self.browser), 1, 4)
        grid.addLayout(browser_row, 1, 5)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(5, 3)

        advanced = QWidget()
        form = QFormLayout(advanced)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("PO page URL template:"), self.url_template)
        form.addRow("", self.requisition_fallback)
        form.addRow("", self.redo_completed)
        form.addRow(_buddy(self.tr("E-mail e&xport (.msg, .eml):"), self.emails), self.emails)
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.limit)
        limit_row.addStretch(1)
        form.addRow(_buddy(self.tr("Li&mit:"), self.limit), limit_row)
        pages_row = QHBoxLayout()
        pages_row.addWidget(self.pages_per_worker)
        pages_row.addStretch(1)
        # Every letter of the words is another control's Alt key: the range's first digit is this one's.
        pages_label = self.tr("Pages per worker (&1–{max}):").format(max=MAX_PAGES_PER_WORKER)
        form.addRow(_buddy(pages_label, self.pages_per_worker), pages_row)
        form.addRow(_buddy(self.tr("Dr&iver:"), self.driver_path), _with_browse(self.driver_path, self._choose_driver))
        form.addRow(
            _buddy(self.tr("Browser program:"), self.browser_binary),
            _with_browse(self.browser_binary, self._choose_binary),
        )
        form.addRow(_buddy(self.tr("Start from a cop&y of my browser profile:"), self.profile), self.profile)
        form.addRow(_buddy(self.tr("Language:"), self.language), self.language)
        self.advanced = Collapsible(self.tr("Ad&vanced"), advanced, self.tr("Show or hide the advanced settings"))
        grid.addWidget(self.advanced, 2, 0, 1, 6)

    # -- values -------------------------------------------------------------------------------------------------
    def apply(self, values: Settings) -> None:
        self.portal_url.setText(values.base_url)
        index = self.browser.findData(values.browser) if values.browser else -1
        self.browser.setCurrentIndex(max(index, 0))
        self.auto_workers.setChecked(values.workers is None)
        self.workers.setValue(values.workers or DEFAULTS.workers or 1)
        self.downloads.setValue(values.downloads_per_worker)
        self.pages_per_worker.setValue(values.pages_per_worker)
        self.headless.setChecked(values.headless)
        self.url_template.setText(values.po_url_template)
        self.requisition_fallback.setChecked(values.requisition_fallback)
        self.emails.setCurrentIndex(max(self.emails.findData(values.emails), 0))
        self.driver_path.setText(values.driver_path)
        self.browser_binary.setText(values.browser_binary)
        self.set_profile_dir(values.profile_dir)

    def values(self) -> Settings:
        """The run settings shown (what GuiSettings remembers)."""
        return Settings(
            base_url=self.portal_url.text().strip(),
            browser=str(self.browser.currentData() or ""),
            browser_binary=self.browser_binary.text().strip(),
            driver_path=self.driver_path.text().strip(),
            profile_dir=self.profile_dir(),
            workers=None if self.auto_workers.isChecked() else self.workers.value(),
            downloads_per_worker=self.downloads.value(),
            pages_per_worker=self.pages_per_worker.value(),
            headless=self.headless.isChecked(),
            po_url_template=self.url_template.text().strip(),
            requisition_fallback=self.requisition_fallback.isChecked(),
            emails=str(self.emails.currentData()),
        )

    def run_config(self, sheet: InputSheet | None, *, resume: bool = False, for_sign_in: bool = False) -> RunConfig:
        """The RunConfig these settings describe for `sheet`; raises CoupaDownloadsError saying what to fix."""
        values = self.values()
        if not values.base_url:
            raise CoupaDownloadsError(self.tr("Enter the portal URL (e.g. https://yourcompany.coupahost.com) first."))
        destination = self.destination_path()
        if destination is None and not for_sign_in:
            raise CoupaDownloadsError(self.tr("Choose a destination folder first."))
        return values.run_config(
            sheet.path if sheet is not None else Path(),
            destination or Path(),
            sheet=sheet.sheet_name if sheet is not None else None,
            po_column=sheet.po_column if sheet is not None else None,
            redo_completed=self.redo_completed.isChecked(),
            resume=resume,
            limit=self.limit.value() or None,
        )

    # -- the browser profile to start from -----------------------------------------------------------------------
    def profile_dir(self) -> str:
        data = self.profile.currentData()
        return "" if data in (None, _OTHER) else str(data)

    def set_profile_dir(self, folder: str) -> None:
        """Select `folder` ("" = none), adding it to the list if it is not a detected profile."""
        index = self.profile.findData(folder)
        if index < 0:
            index = self.profile.count() - 1  # just before "Other folder…"
            self.profile.insertItem(index, folder, folder)
        self.profile.setCurrentIndex(index)
        self._profile_index = index

    def _fill_profiles(self) -> None:
        self.profile.addItem(self.tr("(none)"), "")
        for kind, folder in existing_profile_dirs().items():
            self.profile.addItem(f"{BROWSER_NAMES.get(kind, kind)} — {folder}", str(folder))
        self.profile.addItem(self.tr("Other folder…"), _OTHER)

    def _profile_chosen(self, index: int) -> None:
        if self.profile.itemData(index) != _OTHER:
            self._profile_index = index
            return
        start = self.profile_dir() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose a browser's user data folder"), start)
        if chosen:
            self.set_profile_dir(str(Path(chosen)))
        else:
            self.profile.setCurrentIndex(self._profile_index)  # cancelled: keep what was chosen before

    def _choose_driver(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the browser driver"), self.driver_path.text())
        if chosen:
            self.driver_path.setText(str(Path(chosen)))

    def _choose_binary(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the browser program"), self.browser_binary.text())
        if chosen:
            self.browser_binary.setText(str(Path(chosen)))

    def destination_path(self) -> Path | None:
        text = self.destination.text().strip()
        return Path(text).expanduser() if text else None

    def set_destination(self, path: Path, *, is_default: bool = False) -> None:
        self.destination.setText(str(path))
        self._destination_is_default = is_default
        self.destination_changed.emit()

    def destination_for_new_run(self) -> Path | None:
        """A default destination is renewed for every run (a dated folder, stamped at Start); a chosen one is kept."""
        if self._destination_is_default:
            self.set_destination(default_destination(), is_default=True)
        return self.destination_path()

    def _destination_typed(self, _text: str) -> None:
        self._destination_is_default = False  # the person's own folder: kept for every run until changed

    def _choose_destination(self) -> None:
        start = self.destination.text() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the run folder"), start)
        if chosen:
            self.set_destination(Path(chosen))


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _with_browse(field: QLineEdit, choose: Callable[[], None]) -> QWidget:
    """A path field with its Browse… button (typing the path works just as well)."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    button = QPushButton(QCoreApplication.translate("SettingsPanel", "Browse…"))
    button.setToolTip(field.toolTip())
    button.clicked.connect(choose)
    layout.addWidget(button)
    return row
