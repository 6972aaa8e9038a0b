"""The progress printer of the command lines (`run`, `demo`, `collect`): events in, human lines on stderr (a bar
on a terminal, plain lines otherwise) and, with --json, one JSON object per event on stdout."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TextIO

from core.events import Event, PoFinished, RunFinished, RunStarted, WorkerError, WorkerRestarted, event_to_dict


class ProgressPrinter:
    """Turns events into human lines on stderr (and JSON lines on stdout with --json)."""

    def __init__(self, *, json_output: bool, err: TextIO | None = None, out: TextIO | None = None) -> None:
        self.json_output = json_output
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.tty = self.err.isatty()
        self.total = 0
        self.done = 0
        self.started = time.monotonic()
        self.counts: dict[str, int] = {}

    def __call__(self, event: Event) -> None:
        if self.json_output:
            self.out.write(json.dumps(event_to_dict(event), ensure_ascii=False) + "\n")
            self.out.flush()
        line = self._line(event)
        if line:
            self._write(line)
        elif self.tty and isinstance(event, PoFinished):
            self._bar()

    def _line(self, event: Event) -> str:
        if isinstance(event, RunStarted):
            self.total = event.pending
            extra = f" ({event.already_done} already done)" if event.already_done else ""
            return f"Processing {event.pending} POs{extra} with {event.workers} worker(s) into {event.output}"
        if isinstance(event, PoFinished):
            self.done += 1
            r = event.result
            self.counts[r.status.value] = self.counts.get(r.status.value, 0) + 1
            if self.tty:
                return ""
            files = f"{r.attachments_downloaded}/{r.attachments_found} files"
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

    def _bar(self) -> None:
        width = 30
        share = self.done / self.total if self.total else 1.0
        filled = int(width * share)
        rate = self.done / max(time.monotonic() - self.started, 1e-6) * 60
        counts = " ".join(f"{k}:{v}" for k, v in sorted(self.counts.items()))
        self.err.write(
            f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {rate:.1f}/min {counts}"
        )
        self.err.flush()

    def _write(self, line: str) -> None:
        if self.tty:
            self.err.write("\r\033[K")
        self.err.write(line + "\n")
        self.err.flush()
        if self.tty and self.total and not line.startswith("Finished"):
            self._bar()
