"""Application setup: style, icon, logging, a global exception hook with a readable dialog, and `run_gui`."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QIcon, QLinearGradient, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QProxyStyle, QStyle, QStyleOption, QWidget

from core.logs import setup_logging
from core.paths import resource_path

log = logging.getLogger(__name__)

ICON_NAME = "icon.png"


def draw_icon(size: int = 256) -> QPixmap:
    """The app icon: a blue rounded tile with a document and a download arrow, drawn so no image tool is needed."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    gradient = QLinearGradient(0, 0, 0, size)
    gradient.setColorAt(0, QColor("#2f7fd8"))
    gradient.setColorAt(1, QColor("#1f4e78"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 48 * s, 48 * s)
    # The document.
    page = QPainterPath()
    page.moveTo(72 * s, 40 * s)
    page.lineTo(156 * s, 40 * s)
    page.lineTo(188 * s, 72 * s)
    page.lineTo(188 * s, 176 * s)
    page.lineTo(72 * s, 176 * s)
    page.closeSubpath()
    p.setBrush(QColor("#ffffff"))
    p.drawPath(page)
    p.setPen(QPen(QColor("#9bbbe0"), 8 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for y in (84, 108, 132):
        p.drawLine(QPointF(92 * s, y * s), QPointF(168 * s, y * s))
    # The download arrow over a tray.
    p.setPen(QPen(QColor("#2e9d4f"), 22 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.drawLine(QPointF(128 * s, 120 * s), QPointF(128 * s, 200 * s))
    p.drawPolyline([QPointF(98 * s, 172 * s), QPointF(128 * s, 204 * s), QPointF(158 * s, 172 * s)])
    p.setPen(QPen(QColor("#ffffff"), 14 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    tray = [(64, 196), (64, 222), (192, 222), (192, 196)]
    p.drawPolyline([QPointF(x * s, y * s) for x, y in tray])
    p.end()
    return pixmap


class FocusRingStyle(QProxyStyle):
    """The system's style plus a clear ring on the button that has the keyboard focus.

    Fusion marks a focused button with a hairline that a default button (Start) already has, so Tab onto Start
    showed nothing. Drawn only after keyboard use, as the styles do with their own focus marks.
    """

    def drawControl(
        self, element: QStyle.ControlElement, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        super().drawControl(element, option, painter, widget)
        focused = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_KeyboardFocusChange
        if element != QStyle.ControlElement.CE_PushButton or (option.state & focused) != focused:
            return
        width = max(2.0, option.fontMetrics.height() / 8)  # scales with the font, not fixed pixels
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(option.palette.highlight().color(), width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = width / 2 + 1
        painter.drawRoundedRect(QRectF(option.rect).adjusted(inset, inset, -inset, -inset), width * 2, width * 2)
        painter.restore()


def app_icon() -> QIcon:
    path = resource_path(ICON_NAME)
    if path.exists():
        return QIcon(str(path))
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addPixmap(draw_icon(size))
    return icon


def show_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log the traceback; show the person one readable sentence (the details are in the log and behind a button)."""
    log.error("Unexpected error", exc_info=(exc_type, exc, tb))
    if QApplication.instance() is None:
        return
    title = QCoreApplication.translate("App", "Something went wrong")
    box = QMessageBox(QMessageBox.Icon.Critical, title, f"{exc_type.__name__}: {exc}")
    box.setInformativeText(
        QCoreApplication.translate(
            "App", "The details were written to the log. The window keeps working; a run in progress goes on."
        )
    )
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    box.exec()


def install_exception_hook() -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            show_exception(exc_type, exc, tb)
        except Exception:  # the hook itself must never raise
            log.exception("The exception dialog failed")

    sys.excepthook = hook


def style_app(app: QApplication) -> None:
    # Native styles on Windows/macOS; elsewhere Fusion, which follows the system's light or dark palette.
    name = app.style().name() if sys.platform in ("win32", "darwin") else "Fusion"
    app.setStyle(FocusRingStyle(name))


def create_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("CoupaDownloads")
    app.setOrganizationName("CoupaDownloads")
    style_app(app)
    app.setWindowIcon(app_icon())
    return app


def run_gui(demo: bool = False) -> int:
    setup_logging("coupadownloads-gui")
    app = create_app()
    install_exception_hook()
    from gui.i18n import install_language
    from gui.main_window import MainWindow
    from gui.settings import GuiSettings

    install_language(app, GuiSettings().text("language"))  # before any widget is built: each reads its words once

    window = MainWindow()
    window.show()
    # One line in the log when the window is up: support and the packaged-app smoke test time start-up from it.
    QTimer.singleShot(0, lambda: log.info("Window shown"))
    quit_after = os.environ.get("COUPA_QUIT_AFTER_MS", "")
    if quit_after.isdigit():
        # Unattended runs (the bundle smoke test) close the window the normal way, through closeEvent.
        QTimer.singleShot(int(quit_after), window.close)
    if demo:
        QTimer.singleShot(0, window.use_demo_portal)
    return app.exec()
