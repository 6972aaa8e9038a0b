"""The progress printer of the command lines (`run`, `demo`, `collect`): events in, human output on stderr and, with
--json, one JSON object per event on stdout.

On a terminal, `rich` draws the progress: one line for the run (bar, POs done, rate, time left) and one line per
worker (the PO it is on and its files); messages scroll above it. Anywhere else (a log file, a pipe, CI) each event
worth telling is one plain line, as before.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from core.events import (
    AttachmentsFound,
    Event,
    FileDone,
    PoFinished,
    PoStarted,
    RunFinished,
    RunStarted,
    WorkerError,
    WorkerRestarted,
    WorkerStopped,
    event_to_dict,
)

REFRESHES_PER_SECOND = 4


class _RateColumn(ProgressColumn):
    """POs per minute, from rich's own speed estimate (which also drives the time left)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed * 60:.1f} POs/min" if speed else "- POs/min", style="progress.data.speed")


class ProgressPrinter:
    """Turns events into human output on stderr (and JSON lines on stdout with --json)."""

    def __init__(
        self, *, json_output: bool, err: TextIO | None = None, out: TextIO | None = None, console: Console | None = None
    ) -> None:
        self.json_output = json_output
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        # The seam for tests: a Console decides whether this is a terminal (rich's own detection, or forced).
        self.console = console or Console(file=self.err, highlight=False, soft_wrap=True)
        self.tty = self.console.is_terminal
        self.total = 0
        self.done = 0
        self.started = time.monotonic()
        self.counts: dict[str, int] = {}
        self._live: _LiveProgress | None = None

    def __call__(self, event: Event) -> None:
        if self.json_output:
            self.out.write(json.dumps(event_to_dict(event), ensure_ascii=False) + "\n")
            self.out.flush()
        if isinstance(event, PoFinished):
            self.done += 1
            status = event.result.status.value
            self.counts[status] = self.counts.get(status, 0) + 1
        if isinstance(event, RunFinished):
            self.close()  # the last state of the display stays; the summary goes under it
        elif self._live is not None:
            self._live.apply(event)
        line = self._line(event)
        if line:
            self._write(line)
        if isinstance(event, RunStarted) and self.tty and self._live is None:
            self._live = _LiveProgress(self.console, event.pending)

    def close(self) -> None:
        """Take the live display down (idempotent): what it showed last stays on the terminal."""
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _line(self, event: Event) -> str:
        if isinstance(event, RunStarted):
            self.total = event.pending
            extra = f" ({event.already_done} already done)" if event.already_done else ""
            return f"Processing {event.pending} POs{extra} with {event.workers} worker(s) into {event.output}"
        if isinstance(event, PoFinished):
            if self.tty:
                return ""  # the live display shows it
            r = event.result
            files = f"{r.attachments_downloaded}/{r.attachments_found} files"
            if r.emails_converted:
                files += f", {r.emails_converted} e-mail(s) to PDF"
            note = f" - {r.error_message}" if r.error_message and r.status.value != "COMPLETED" else ""
            where = f"{r.supplier} " if r.supplier else ""
            return f"[{self.done}/{self.total}] PO {r.po_key} {r.status.value} {files} {where}({r.seconds:.1f} s){note}"
        if isinstance(event, WorkerError):
            return f"Worker {event.worker_id}: {event.message}"
        if isinstance(event, WorkerRestarted):
            return f"Worker {event.worker_id} restarted: {event.reason}"
        if isinstance(event, RunFinished):
            minutes = max(time.monotonic() - self.started, 1e-6) / 60
            counts = ", ".join(f"{k} {v}" for k, v in sorted(event.counts.items())) or "nothing to do"
            lines = [f"Finished in {minutes * 60:.1f} s ({self.done / minutes:.1f} POs/min): {counts}."]
            if event.message:
                lines.append(event.message)
            lines.append(f"Report: {event.report}")
            lines.append(f"Folders: {Path(event.report).parent}")
            return "\n".join(lines)
        return ""

    def _write(self, line: str) -> None:
        if self._live is not None:
            self._live.print(line)  # above the live display, which stays at the bottom
            return
        self.err.write(line + "\n")
        self.err.flush()


class _LiveProgress:
    """The terminal display of one run: the run's line and one line per worker."""

    def __init__(self, console: Console, total: int) -> None:
        self._run = Progress(
            TextColumn("[bold]POs"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            console=console,
        )
        self._run_task = self._run.add_task("POs", total=total, counts="")
        self._workers = Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), console=console)
        self._worker_tasks: dict[int, TaskID] = {}
        self._counts: dict[str, int] = {}
        self._files: dict[int, tuple[str, int, int]] = {}  # worker -> (PO, files done, files found)
        self._live = Live(
            Group(self._run, self._workers), console=console, refresh_per_second=REFRESHES_PER_SECOND, transient=False
        )
        self._live.start()

    def apply(self, event: Event) -> None:
        worker = getattr(event, "worker_id", None)
        if isinstance(event, PoStarted):
            self._files[event.worker_id] = (event.po_key, 0, -1)
        elif isinstance(event, AttachmentsFound) and self._current(event.worker_id) == event.po_key:
            self._files[event.worker_id] = (event.po_key, 0, event.files)
        elif isinstance(event, FileDone) and self._current(event.worker_id) == event.po_key:
            po_key, done, found = self._files[event.worker_id]
            self._files[event.worker_id] = (po_key, done + 1, found)
        elif isinstance(event, PoFinished):
            status = event.result.status.value
            self._counts[status] = self._counts.get(status, 0) + 1
            counts = " ".join(f"{k}:{v}" for k, v in sorted(self._counts.items()))
            self._run.update(self._run_task, advance=1, counts=counts)
        elif isinstance(event, WorkerStopped):
            self._files.pop(event.worker_id, None)
            task = self._worker_tasks.pop(event.worker_id, None)
            if task is not None:
                self._workers.remove_task(task)
            return
        if worker is not None and worker in self._files:
            self._show_worker(worker)

    def print(self, line: str) -> None:
        self._live.console.print(line, markup=False, highlight=False)

    def stop(self) -> None:
        self._live.stop()

    def _current(self, worker: int) -> str:
        return self._files.get(worker, ("", 0, 0))[0]

    def _show_worker(self, worker: int) -> None:
        po_key, done, found = self._files[worker]
        files = "reading the page" if found < 0 else f"{done}/{found} files"
        text = f"worker {worker}  PO {po_key}  {files}"
        task = self._worker_tasks.get(worker)
        if task is None:
            self._worker_tasks[worker] = self._workers.add_task(text, total=None)
        else:
            self._workers.update(task, description=text)
