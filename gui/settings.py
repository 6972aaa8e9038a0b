"""A typed wrapper around QSettings: the run settings the CLI shares, plus the window's own state.

`WindowMemory` keeps the window's own state (geometry, splitter, column widths, log pane, redo/limit) in group "gui".

The run settings live in group "run" under exactly the keys of `core.config.SAVED_SETTINGS`, in the INI file the CLI
reads (`core.config.settings_path()`), so a value chosen in the window is the CLI's default too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QTableView

from core.config import SAVED_SETTINGS, SETTINGS_GROUP, settings_path
from core.urls import DEFAULT_PO_URL_TEMPLATE

if TYPE_CHECKING:
    from gui.panels import SettingsPanel
    from gui.widgets import Collapsible

GUI_GROUP = "gui"


@dataclass
class RunSettings:
    """The remembered run settings (RunConfig field names); `workers=None` means Auto."""

    base_url: str = ""
    browser: str = ""
    browser_binary: str = ""
    driver_path: str = ""
    profile_dir: str = ""
    workers: int | None = 2
    downloads_per_worker: int = 4
    headless: bool = True
    po_url_template: str = DEFAULT_PO_URL_TEMPLATE
    requisition_fallback: bool = True


def _as_bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return default
    return str(value).strip().lower() in ("true", "1", "yes")


def _as_int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


class GuiSettings:
    def __init__(self) -> None:
        self._qs = QSettings(str(settings_path()), QSettings.Format.IniFormat)

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def sync(self) -> None:
        self._qs.sync()

    # -- run settings (shared with the CLI) ---------------------------------------------------------------------
    def load_run(self) -> RunSettings:
        defaults = RunSettings()
        qs = self._qs
        qs.beginGroup(SETTINGS_GROUP)
        try:
            raw_workers = str(qs.value("workers", "2") or "2").strip().lower()
            workers = None if raw_workers == "auto" else max(1, min(16, _as_int(raw_workers, 2)))
            return RunSettings(
                base_url=str(qs.value("base_url", "") or ""),
                browser=str(qs.value("browser", "") or ""),
                browser_binary=str(qs.value("browser_binary", "") or ""),
                driver_path=str(qs.value("driver_path", "") or ""),
                profile_dir=str(qs.value("profile_dir", "") or ""),
                workers=workers,
                downloads_per_worker=max(1, min(8, _as_int(qs.value("downloads_per_worker"), 4))),
                headless=_as_bool(qs.value("headless"), defaults.headless),
                po_url_template=str(qs.value("po_url_template", "") or "") or defaults.po_url_template,
                requisition_fallback=_as_bool(qs.value("requisition_fallback"), defaults.requisition_fallback),
            )
        finally:
            qs.endGroup()

    def save_run(self, values: RunSettings) -> None:
        qs = self._qs
        qs.beginGroup(SETTINGS_GROUP)
        try:
            for key in SAVED_SETTINGS:
                value = getattr(values, key)
                if key == "workers":
                    value = "auto" if value is None else int(value)
                elif isinstance(value, bool):
                    # Written as text so the CLI's configparser reads exactly "true"/"false".
                    value = "true" if value else "false"
                if value == "":
                    qs.remove(key)
                else:
                    qs.setValue(key, value)
        finally:
            qs.endGroup()
        qs.sync()

    # -- the window's own state -----------------------------------------------------------------------------------
    def value(self, key: str, default: object = None) -> object:
        return self._qs.value(f"{GUI_GROUP}/{key}", default)

    def text(self, key: str, default: str = "") -> str:
        value = self.value(key, default)
        return default if value is None else str(value)

    def flag(self, key: str, default: bool = False) -> bool:
        return _as_bool(self.value(key), default)

    def number(self, key: str, default: int = 0) -> int:
        return _as_int(self.value(key), default)

    def blob(self, key: str) -> QByteArray | None:
        value = self.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set(self, key: str, value: object) -> None:
        self._qs.setValue(f"{GUI_GROUP}/{key}", value)


class WindowMemory:
    """The window's own remembered state, restored at start and saved at Start and on close."""

    def __init__(
        self,
        settings: GuiSettings,
        window: QMainWindow,
        splitter: QSplitter,
        log_section: Collapsible,
        panel: SettingsPanel,
        tables: dict[str, tuple[QTableView, Callable[[], None]]],
    ) -> None:
        self._settings = settings
        self._window = window
        self._splitter = splitter
        self._log_section = log_section
        self._panel = panel
        self._tables = tables  # settings key -> (view, its fit_columns)

    def restore(self) -> None:
        settings = self._settings
        self._panel.redo_completed.setChecked(settings.flag("redo_completed"))
        self._panel.limit.setValue(settings.number("limit", 0))
        self._log_section.set_expanded(settings.flag("log_expanded", False))
        for key, restore in (("geometry", self._window.restoreGeometry), ("splitter", self._splitter.restoreState)):
            blob = settings.blob(key)
            if blob is not None:
                restore(blob)
        for key, (view, fit_columns) in self._tables.items():
            blob = settings.blob(key)
            if blob is not None:
                view.horizontalHeader().restoreState(blob)
            # A saved header also holds resize modes (older versions saved others): the layout's own modes win.
            fit_columns()

    def save(self, input_path: Path | None) -> None:
        settings = self._settings
        settings.set("redo_completed", self._panel.redo_completed.isChecked())
        settings.set("limit", self._panel.limit.value())
        settings.set("log_expanded", self._log_section.is_expanded())
        settings.set("geometry", self._window.saveGeometry())
        settings.set("splitter", self._splitter.saveState())
        for key, (view, _fit) in self._tables.items():
            settings.set(key, view.horizontalHeader().saveState())
        if input_path is not None:
            settings.set("last_input_folder", str(input_path.parent))
        settings.sync()
