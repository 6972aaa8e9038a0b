"""Plain data shared by the engine's modules: tasks in, results out. Small and picklable."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class PoStatus(StrEnum):
    COMPLETED = "COMPLETED"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"
    NO_ATTACHMENTS = "NO_ATTACHMENTS"
    PO_NOT_FOUND = "PO_NOT_FOUND"
    INVALID = "INVALID"
    CANCELLED = "CANCELLED"


AttachmentKind = Literal["file", "text", "url"]
AttachmentSource = Literal["header", "line", "comment", "requisition"]


@dataclass(frozen=True)
class PoTask:
    """One unique PO to process. `po_key` is the digits (the identity, also the URL id)."""

    po_key: str
    folder_name: str  # "PO16928033" / "PM16928033": the PO as written, tidied
    levels: tuple[str, ...] = ()  # raw hierarchy values from the `<|>` columns; empty -> supplier name
    row_numbers: tuple[int, ...] = ()  # input rows that name this PO (1-based sheet rows)


@dataclass(frozen=True)
class AttachmentLink:
    """One attachment read from a page. Only `kind == "file"` is ever downloaded."""

    name: str  # the name the page shows (may be unsafe; sanitised by folders.safe_filename)
    url: str  # absolute URL ('' for text attachments)
    kind: AttachmentKind = "file"
    source: AttachmentSource = "header"


@dataclass(frozen=True)
class SavedFile:
    name: str  # final file name inside the PO folder
    size: int
    sha256: str


@dataclass
class PoResult:
    """What happened to one PO; the journal stores it and the report is built from it."""

    po_key: str
    status: PoStatus
    supplier: str = ""
    attachments_found: int = 0
    attachments_downloaded: int = 0
    attachment_names: list[str] = field(default_factory=list)
    source_url: str = ""
    folder: str = ""  # final PO folder, absolute
    error_message: str = ""
    bytes_downloaded: int = 0
    seconds: float = 0.0
    attempts: int = 1
    finished_at: str = ""  # ISO 8601, local time
