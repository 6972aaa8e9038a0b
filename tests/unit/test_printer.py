"""The command line's progress: rich's live display on a terminal (a real pty, and a forced-terminal Console at the
printer's seam), plain lines anywhere else, JSON events on stdout with --json."""

from __future__ import annotations

import io
import json
import os
import pty
import threading

from rich.console import Console

from core.events import (
    AttachmentsFound,
    Event,
    FileDone,
    PoFinished,
    PoStarted,
    RunFinished,
    RunStarted,
    WorkerError,
    WorkerStopped,
)
from core.models import PoResult, PoStatus
from core.printer import ProgressPrinter

RUN: list[Event] = [
    RunStarted(total=3, pending=2, already_done=1, workers=2, output="/tmp/run"),
    PoStarted(1, "16928033", "PO16928033"),
    AttachmentsFound(1, "16928033", "Acme", 2),
    FileDone(1, "16928033", "a.pdf", 3),
    WorkerError(2, "the browser crashed"),
    PoFinished(
        1,
        PoResult(
            "16928033",
            PoStatus.PARTIAL,
            supplier="Acme",
            attachments_found=2,
            attachments_downloaded=1,
            error_message="b.pdf: HTTP 500",
        ),
    ),
    WorkerStopped(1),
    RunFinished(report="/tmp/run/r.xlsx", counts={"PARTIAL": 1}),
]


def test_plain_lines_and_json_events_when_not_a_terminal() -> None:
    err, out = io.StringIO(), io.StringIO()
    printer = ProgressPrinter(json_output=True, err=err, out=out)
    for event in RUN:
        printer(event)
    text = err.getvalue()
    assert not printer.tty and "\x1b[" not in text  # no escape codes in a log file or a pipe
    assert "2 POs (1 already done) with 2 worker(s)" in text
    assert "[1/2] PO 16928033 PARTIAL 1/2 files Acme" in text and "HTTP 500" in text
    assert "Worker 2: the browser crashed" in text
    assert "Report: /tmp/run/r.xlsx" in text
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["event"] for e in events] == [type(e).kind for e in RUN]


def test_live_display_on_a_terminal_console() -> None:
    err = io.StringIO()
    console = Console(file=err, force_terminal=True, width=120)
    printer = ProgressPrinter(json_output=False, err=err, console=console)
    for event in RUN[:-2]:
        printer(event)
    printer.close()  # the last frame stays on the terminal
    shown = err.getvalue()
    assert printer.tty and "\x1b[" in shown
    assert "worker 1  PO 16928033  1/2 files" in shown  # one line per worker
    assert "1/2" in shown and "POs/min" in shown and "ETA" in shown and "PARTIAL:1" in shown
    assert "Worker 2: the browser crashed" in shown  # messages scroll above the display
    assert "[1/2] PO 16928033" not in shown  # the display replaces the plain per-PO lines


def test_a_real_terminal_gets_the_live_display_and_the_summary() -> None:
    main, secondary = pty.openpty()
    received: list[bytes] = []

    def drain() -> None:  # a pty's buffer is small: read while the printer writes
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                return
            if not chunk:
                return
            received.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    with open(secondary, "w", encoding="utf-8", closefd=True) as terminal:
        printer = ProgressPrinter(json_output=False, err=terminal)
        for event in RUN:
            printer(event)
        terminal.flush()
        assert printer.tty
    reader.join(timeout=10)
    os.close(main)
    shown = b"".join(received).decode("utf-8", "replace")
    assert "\x1b[" in shown and "worker 1" in shown and "POs/min" in shown
    assert "Finished in" in shown and "PARTIAL 1" in shown and "Report: /tmp/run/r.xlsx" in shown
    assert shown.index("Finished in") > shown.rindex("worker 1")  # the summary comes after the last frame
