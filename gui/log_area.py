"""The collapsible log pane (readable lines, errors highlighted, "Copy diagnostics") and what it says about events."""

from __future__ import annotations

import html
import logging
import platform
import sys
from datetime import datetime

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from core.errors import EXIT_CANCELLED, EXIT_OK, EXIT_SIGN_IN
from core.events import (
    Event,
    PoFinished,
    PoRequeued,
    RunContinued,
    RunFinished,
    RunPaused,
    RunStarted,
    WorkerError,
    WorkerRestarted,
    WorkerSigningIn,
)
from core.models import PoStatus
from core.run.supervisor import RunOutcome
from gui.bridge import RunStats, format_duration
from gui.models import CANCEL_REASON, STATUS_COLORS
from gui.widgets import Collapsible

log = logging.getLogger(__name__)

ERROR_COLOR = STATUS_COLORS[PoStatus.FAILED]
MAX_LINES = 5000


def event_line(event: Event) -> tuple[str, bool] | None:
    """The log line for an engine event and whether it is an error; None for events the log does not show."""
    if isinstance(event, RunStarted):
        text = (
            QCoreApplication.translate("Log", "{pending} POs to do with {workers} workers, {done} already done.")
            if event.already_done
            else QCoreApplication.translate("Log", "{pending} POs to do with {workers} workers.")
        )
        return text.format(pending=event.pending, workers=event.workers, done=event.already_done), False
    if isinstance(event, PoFinished):
        result = event.result
        detail = QCoreApplication.translate("Log", "{done}/{found} files").format(
            done=result.attachments_downloaded, found=result.attachments_found
        )
        if result.emails_converted:
            detail += QCoreApplication.translate("Log", ", {n} e-mail(s) to PDF").format(n=result.emails_converted)
        message = f": {result.error_message}" if result.error_message else ""
        bad = result.status in (PoStatus.FAILED, PoStatus.PARTIAL)
        line = QCoreApplication.translate("Log", "Worker {worker}: {po} {status} ({detail}){message}")
        return line.format(
            worker=event.worker_id, po=result.po_key, status=result.status.value, detail=detail, message=message
        ), bad
    if isinstance(event, WorkerError):
        return QCoreApplication.translate("Log", "Worker {worker}: {message}").format(
            worker=event.worker_id, message=event.message
        ), True
    if isinstance(event, WorkerRestarted):
        return QCoreApplication.translate("Log", "Worker {worker} restarted: {reason}").format(
            worker=event.worker_id, reason=event.reason
        ), True
    if isinstance(event, PoRequeued):
        if event.reason == CANCEL_REASON:
            return None  # the cancel itself is logged once, by the window
        return QCoreApplication.translate("Log", "{po} goes back to the queue: {reason}").format(
            po=event.po_key, reason=event.reason
        ), False
    if isinstance(event, WorkerSigningIn):
        return QCoreApplication.translate("Log", "Worker {worker} is signing in ({reason}).").format(
            worker=event.worker_id, reason=event.reason
        ), False
    if isinstance(event, RunPaused):
        return QCoreApplication.translate(
            "Log", "Paused: no new PO starts; the files in flight finish and the browsers stay signed in."
        ), False
    if isinstance(event, RunContinued):
        return QCoreApplication.translate("Log", "Continued."), False
    if isinstance(event, RunFinished) and event.message and event.exit_code not in (EXIT_OK, EXIT_CANCELLED):
        return event.message, True  # a cancel's own message speaks of the command line: the window says Resume
    return None


def outcome_messages(outcome: RunOutcome, stats: RunStats) -> list[tuple[str, bool]]:
    """What the message line says when a run ends (text, is_error), in order: the last one stays on screen.

    The figures are the window's one source (`stats`, settled from the journal), the same the bar and chips show.
    """
    if outcome.cancelled and outcome.exit_code not in (EXIT_OK, EXIT_CANCELLED):
        messages = [(outcome.message or QCoreApplication.translate("Log", "The run stopped."), True)]
        if outcome.exit_code == EXIT_SIGN_IN:
            messages.append(
                (
                    QCoreApplication.translate("Log", "The portal asked for a sign-in: press Sign in…, then Resume."),
                    True,
                )
            )
        return messages
    if outcome.cancelled:
        text = QCoreApplication.translate("Log", "Cancelled: {summary}. Press Resume to continue from here.")
        return [(text.format(summary=stats.summary()), False)]
    text = QCoreApplication.translate("Log", "Finished: {done} POs in {elapsed}. Report saved.")
    return [(text.format(done=stats.done, elapsed=format_duration(stats.elapsed())), False)]


def diagnostics_text(title: str, facts: list[str], log_text: str) -> str:
    """What "Copy diagnostics" puts on the clipboard: versions, the window's setup (`facts`), then the log."""
    lines = [
        f"{title} diagnostics {datetime.now().isoformat(timespec='seconds')}",
        f"Python {sys.version.split()[0]}, PySide6 {pyside_version}, {platform.platform()}",
        *facts,
        "",
        "Log:",
        log_text,
    ]
    return "\n".join(lines)


class LogPane(Collapsible):
    """The "Log" section; `copy_button` is wired by the window, which knows the setup to copy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("log_view")
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(MAX_LINES)
        self.copy_button = QPushButton(QCoreApplication.translate("LogPane", "Copy dia&gnostics"))
        self.copy_button.setObjectName("copy_button")
        self.copy_button.setToolTip(
            QCoreApplication.translate(
                "LogPane", "Copy the log and this setup to the clipboard, to paste into a support request"
            )
        )
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.log_view)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        super().__init__(
            QCoreApplication.translate("LogPane", "&Log"),
            box,
            QCoreApplication.translate("LogPane", "Show or hide the log"),
            parent=parent,
        )

    def add(self, text: str, *, error: bool = False) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        line = html.escape(f"{stamp}  {text}")
        if error:
            line = f'<span style="color:{ERROR_COLOR}; font-weight:600">{line}</span>'
        self.log_view.appendHtml(line)
        (log.warning if error else log.info)("%s", text)

    def text(self) -> str:
        return self.log_view.toPlainText()
