"""Small picklable events: the only language workers speak to the supervisor, and the supervisor to its consumer.

Every event is a frozen dataclass with a `kind` class attribute, so consumers (CLI printer, GUI bridge, JSON output)
can dispatch on it and serialise it with `event_to_dict` without knowing every class.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any, ClassVar

from core.models import PoResult, SavedFile


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "event"


@dataclass(frozen=True)
class WorkerStarted(Event):
    kind: ClassVar[str] = "worker_started"
    worker_id: int
    pid: int


@dataclass(frozen=True)
class WorkerReady(Event):
    """The worker's browser is up; `browser_pids` are the driver and browser processes it started (kill list)."""

    kind: ClassVar[str] = "worker_ready"
    worker_id: int
    browser_pids: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkerSigningIn(Event):
    kind: ClassVar[str] = "worker_signing_in"
    worker_id: int
    reason: str


@dataclass(frozen=True)
class PoStarted(Event):
    kind: ClassVar[str] = "po_started"
    worker_id: int
    po_key: str
    folder_name: str
    attempt: int = 1


@dataclass(frozen=True)
class AttachmentsFound(Event):
    kind: ClassVar[str] = "attachments_found"
    worker_id: int
    po_key: str
    supplier: str
    files: int
    from_requisition: bool = False


@dataclass(frozen=True)
class FileProgress(Event):
    kind: ClassVar[str] = "file_progress"
    worker_id: int
    po_key: str
    name: str
    bytes_done: int
    total: int | None


@dataclass(frozen=True)
class FileDone(Event):
    kind: ClassVar[str] = "file_done"
    worker_id: int
    po_key: str
    name: str
    size: int
    url: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class FileFailed(Event):
    kind: ClassVar[str] = "file_failed"
    worker_id: int
    po_key: str
    name: str
    error: str


@dataclass(frozen=True)
class EmailConverted(Event):
    """A saved e-mail of a PO was handled: `pdf` is its PDF (paths inside the PO folder), or `error` says why not."""

    kind: ClassVar[str] = "email_converted"
    worker_id: int
    po_key: str
    name: str
    pdf: str = ""
    extracted: int = 0
    error: str = ""


@dataclass(frozen=True)
class PoFinished(Event):
    kind: ClassVar[str] = "po_finished"
    worker_id: int
    result: PoResult
    files: tuple[SavedFile, ...] = ()


@dataclass(frozen=True)
class PoRequeued(Event):
    """A PO is handed out again because its worker died or its session expired mid-PO."""

    kind: ClassVar[str] = "po_requeued"
    worker_id: int
    po_key: str
    reason: str


@dataclass(frozen=True)
class WorkerError(Event):
    kind: ClassVar[str] = "worker_error"
    worker_id: int
    message: str
    fatal: bool = False
    exit_code: int = 0  # for fatal errors: the CLI exit code they map to (3 sign-in, 4 browser)


@dataclass(frozen=True)
class WorkerRestarted(Event):
    kind: ClassVar[str] = "worker_restarted"
    worker_id: int
    reason: str


@dataclass(frozen=True)
class WorkerStopped(Event):
    kind: ClassVar[str] = "worker_stopped"
    worker_id: int


@dataclass(frozen=True)
class WorkerPaused(Event):
    """The run is paused and this worker's current POs are done: it starts no new PO until the run continues."""

    kind: ClassVar[str] = "worker_paused"
    worker_id: int


@dataclass(frozen=True)
class RunPaused(Event):
    """The user paused the run: no new PO starts; files in flight finish; browsers stay open and signed in."""

    kind: ClassVar[str] = "run_paused"


@dataclass(frozen=True)
class RunContinued(Event):
    kind: ClassVar[str] = "run_continued"


@dataclass(frozen=True)
class ScalingDecision(Event):
    """Worker count changed or was re-checked: `action` is scale-up, scale-down or steady."""

    kind: ClassVar[str] = "scaling"
    action: str
    workers: int
    reason: str


@dataclass(frozen=True)
class MemoryPressure(Event):
    kind: ClassVar[str] = "memory_pressure"
    percent: float
    workers: int


@dataclass(frozen=True)
class RunStarted(Event):
    kind: ClassVar[str] = "run_started"
    total: int  # unique POs in the input
    pending: int  # POs this run will process
    already_done: int  # POs a resumed run skips
    workers: int
    output: str


@dataclass(frozen=True)
class RunFinished(Event):
    kind: ClassVar[str] = "run_finished"
    report: str
    counts: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False
    exit_code: int = 0
    message: str = ""


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-ready dict: `{"event": kind, ...fields}` with nested dataclasses and enums flattened."""

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        return value

    return {"event": event.kind, **plain(event)}
