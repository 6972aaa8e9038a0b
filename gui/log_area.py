"""The collapsible log pane (readable lines, errors highlighted, "Copy diagnostics") and what it says about events."""

from __future__ import annotations

import html
import logging
import platform
import sys
from datetime import datetime

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from core.errors import EXIT_CANCELLED, EXIT_OK, EXIT_SIGN_IN
from core.events import (
    Event,
    PoFinished,
    PoRequeued,
    RunFinished,
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
        skipped = f", {event.already_done} already done" if event.already_done else ""
        return f"{event.pending} POs to do with {event.workers} workers{skipped}.", False
    if isinstance(event, PoFinished):
        result = event.result
        detail = f"{result.attachments_downloaded}/{result.attachments_found} files"
        if result.emails_converted:
            detail += f", {result.emails_converted} e-mail(s) to PDF"
        message = f": {result.error_message}" if result.error_message else ""
        bad = result.status in (PoStatus.FAILED, PoStatus.PARTIAL)
        return f"Worker {event.worker_id}: {result.po_key} {result.status.value} ({detail}){message}", bad
    if isinstance(event, WorkerError):
        return f"Worker {event.worker_id}: {event.message}", True
    if isinstance(event, WorkerRestarted):
        return f"Worker {event.worker_id} restarted: {event.reason}", True
    if isinstance(event, PoRequeued):
        if event.reason == CANCEL_REASON:
            return None  # the cancel itself is logged once, by the window
        return f"{event.po_key} goes back to the queue: {event.reason}", False
    if isinstance(event, WorkerSigningIn):
        return f"Worker {event.worker_id} is signing in ({event.reason}).", False
    if isinstance(event, RunFinished) and event.message and event.exit_code not in (EXIT_OK, EXIT_CANCELLED):
        return event.message, True  # a cancel's own message speaks of the command line: the window says Resume
    return None


def outcome_messages(outcome: RunOutcome, stats: RunStats) -> list[tuple[str, bool]]:
    """What the message line says when a run ends (text, is_error), in order: the last one stays on screen.

    The figures are the window's one source (`stats`, settled from the journal), the same the bar and chips show.
    """
    if outcome.cancelled and outcome.exit_code not in (EXIT_OK, EXIT_CANCELLED):
        messages = [(outcome.message or "The run stopped.", True)]
        if outcome.exit_code == EXIT_SIGN_IN:
            messages.append(("The portal asked for a sign-in: press Sign in…, then Resume.", True))
        return messages
    if outcome.cancelled:
        return [(f"Cancelled: {stats.summary()}. Press Resume to continue from here.", False)]
    return [(f"Finished: {stats.done} POs in {format_duration(stats.elapsed())}. Report saved.", False)]


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
        self.copy_button = QPushButton("Copy dia&gnostics")
        self.copy_button.setObjectName("copy_button")
        self.copy_button.setToolTip("Copy the log and this setup to the clipboard, to paste into a support request")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.log_view)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        super().__init__("&Log", box, parent=parent)

    def add(self, text: str, *, error: bool = False) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        line = html.escape(f"{stamp}  {text}")
        if error:
            line = f'<span style="color:{ERROR_COLOR}; font-weight:600">{line}</span>'
        self.log_view.appendHtml(line)
        (log.warning if error else log.info)("%s", text)

    def text(self) -> str:
        return self.log_view.toPlainText()
