"""Plain data shared by the engine's modules: tasks in, results out. Small and picklable."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal


class PoStatus(StrEnum):
    COMPLETED = "COMPLETED"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"
    NO_ATTACHMENTS = "NO_ATTACHMENTS"
    PO_NOT_FOUND = "PO_NOT_FOUND"
    NO_ACCESS = "NO_ACCESS"  # the PO exists but Coupa says, in words, that this user may not see it
    INVALID = "INVALID"
    CANCELLED = "CANCELLED"


def derive_status(found: int, saved: int, *, cancelled: bool = False) -> PoStatus:
    """A PO's status from its attachment counts; shared by the per-PO job and the collector's file check."""
    if cancelled and saved < found:
        return PoStatus.CANCELLED
    if found == 0:
        return PoStatus.NO_ATTACHMENTS
    if saved == found:
        return PoStatus.COMPLETED
    return PoStatus.PARTIAL if saved else PoStatus.FAILED


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


@dataclass(frozen=True)
class PoLine:
    """One line of a PO as its page shows it; what the page does not show stays empty (None for numbers)."""

    number: str = ""
    description: str = ""
    quantity: float | None = None  # None for amount-based lines
    price: float | None = None
    total: float | None = None
    currency: str = ""
    account: str = ""
    attachments: tuple[str, ...] = ()  # names of the line's files


@dataclass(frozen=True)
class PoFacts:
    """The PO's own facts read by their labels; what the page does not show stays empty, never guessed."""

    status: str = ""  # Coupa's own status text ("Issued", "Ordered - Sent via Email")
    order_date: str = ""  # ISO yyyy-mm-dd, read in the page's date format
    requester: str = ""
    requisition_number: str = ""
    payment_term: str = ""
    total: float | None = None  # read in the page's number format
    currency: str = ""
    lines: tuple[PoLine, ...] = ()
    stated_files: int | None = None  # "View Attachments (N)" of the comments app; None when the page states none

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PoFacts:
        """The inverse of `to_dict` (also after a JSON round trip, which turns tuples into lists)."""
        values = dict(data)
        lines = tuple(
            PoLine(**{**line, "attachments": tuple(line.get("attachments", ()))}) for line in data.get("lines", ())
        )
        values["lines"] = lines
        return cls(**values)


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
    emails_converted: int = 0  # saved e-mails (attached ones included) that got their PDF
    files_extracted: int = 0  # files taken out of those e-mails into `<name>_attachments/`
    seconds: float = 0.0
    attempts: int = 1
    finished_at: str = ""  # ISO 8601, local time
    facts: PoFacts | None = None  # None when no PO page was read (not found, no access, failed)
    count_check: str = ""  # how the number of files read was confirmed against the count the page states

    @classmethod
    def failed(cls, po_key: str, message: str, attempts: int) -> PoResult:
        """A PO that ended without a usable answer, stamped now."""
        return cls(
            po_key,
            PoStatus.FAILED,
            error_message=message,
            attempts=max(attempts, 1),
            finished_at=datetime.now().isoformat(timespec="seconds"),
        )
