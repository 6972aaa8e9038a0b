"""A typed wrapper around QSettings: the run settings the CLI shares, plus the window's own state.

`WindowMemory` keeps the window's own state (geometry, splitter, column widths, log pane, redo/limit) in group "gui".

The run settings (`core.config.Settings`) live in group "run" under exactly its keys, in the INI file the CLI reads
(`core.config.settings_path()`), read and written as `core.config` says, so a value chosen in the window is the CLI's
default too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QCheckBox, QComboBox, QMainWindow, QSpinBox, QSplitter, QTableView

from core.config import DEFAULTS, SAVED_SETTINGS, SETTINGS_GROUP, Settings, settings_from_text, settings_path

if TYPE_CHECKING:
    from gui.widgets import Collapsible

GUI_GROUP = "gui"


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

    def sync(self) -> None:
        self._qs.sync()

    # -- run settings (shared with the CLI) ---------------------------------------------------------------------
    def load_run(self) -> Settings:
        self._qs.beginGroup(SETTINGS_GROUP)
        try:
            raw = {key: self._qs.value(key) for key in SAVED_SETTINGS}
        finally:
            self._qs.endGroup()
        values: dict[str, Any] = settings_from_text(raw)
        return replace(DEFAULTS, **values)

    def save_run(self, values: Settings) -> None:
        self._qs.beginGroup(SETTINGS_GROUP)
        try:
            # Written as the text the CLI's reader expects ("true"/"false", "auto"); "" = back to the default.
            for key, text in values.to_text().items():
                if text:
                    self._qs.setValue(key, text)
                else:
                    self._qs.remove(key)
        finally:
            self._qs.endGroup()
        self._qs.sync()

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
        redo_completed: QCheckBox,
        limit: QSpinBox,
        language: QComboBox,
        tables: dict[str, tuple[QTableView, Callable[[], None]]],
    ) -> None:
        self._settings = settings
        self._window = window
        self._splitter = splitter
        self._log_section = log_section
        self._redo_completed = redo_completed
        self._limit = limit
        self._language = language
        self._tables = tables  # settings key -> (view, its fit_columns)

    def restore(self, first_size: QSize) -> None:
        """Put everything back as it was; on the first launch, open at `first_size` when the screen has the room."""
        settings = self._settings
        if settings.blob("geometry") is None:
            window = self._window
            room = window.screen().availableGeometry().size()
            window.resize(first_size.boundedTo(room).expandedTo(window.minimumSizeHint().boundedTo(room)))
        self._redo_completed.setChecked(settings.flag("redo_completed"))
        self._limit.setValue(settings.number("limit", 0))
        self._language.setCurrentIndex(max(0, self._language.findData(settings.text("language"))))
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
        settings.set("redo_completed", self._redo_completed.isChecked())
        settings.set("limit", self._limit.value())
        settings.set("language", str(self._language.currentData() or ""))
        settings.set("log_expanded", self._log_section.is_expanded())
        settings.set("geometry", self._window.saveGeometry())
        settings.set("splitter", self._splitter.saveState())
        for key, (view, _fit) in self._tables.items():
            settings.set(key, view.horizontalHeader().saveState())
        if input_path is not None:
            settings.set("last_input_folder", str(input_path.parent))
        settings.sync()
