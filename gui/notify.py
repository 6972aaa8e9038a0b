"""A desktop notification when a long run ends or a sign-in is needed while the person looks at something else.

The system tray's balloon where there is one (Windows, most Linux desktops, macOS), else the taskbar or dock alert
(QApplication.alert). Nothing when the window is in front: the person sees it there.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

LONG_RUN_SECONDS = 60  # shorter runs end while the person still waits in front of the window
SHOWN_MS = 10_000


class Notifier(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._tray: QSystemTrayIcon | None = None

    def run_ended(self, seconds: float, text: str, *, needs_sign_in: bool = False) -> str:
        if seconds < LONG_RUN_SECONDS and not needs_sign_in:
            return ""
        return self.tell(self.tr("Sign in needed") if needs_sign_in else self.tr("Run finished"), text)

    def tell(self, title: str, text: str) -> str:
        """Notify unless the window is in front; how it was done: "tray", "taskbar" or "" (not needed)."""
        window = self._window
        if window.isActiveWindow() and not window.isMinimized():
            return ""
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self._tray is None:
                self._tray = QSystemTrayIcon(window.windowIcon(), self)
                self._tray.setToolTip(window.windowTitle())
                self._tray.messageClicked.connect(self._bring_forward)
            self._tray.show()
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, SHOWN_MS)
            return "tray"
        QApplication.alert(window)  # flashes the taskbar button / bounces the dock icon until the window is seen
        return "taskbar"

    def _bring_forward(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
