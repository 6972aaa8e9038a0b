"""Made-up POs, suppliers, comments and files for the demo portal, fully determined by (seed, po_count).

Every case the app must handle appears in a fixed cycle, so any 25 consecutive POs hold all of them;
not-found POs are spread evenly between them at the knob's share.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from core.demo_portal.files import make_file_bytes
from core.demo_portal.names import (
    AUTHORS,
    COST_CENTERS,
    ORDINARY_NAMES,
    REGIONS,
    SUPPLIERS,
    TEXT_NOTES,
    TRICKY_NAMES,
    URL_ATTACHMENTS,
)
from core.demo_portal.po_facts import DemoFacts, build_facts

FIRST_PO = 16928000
FIRST_REQUISITION = 3100000
FIRST_AID = 9001

FileSource = Literal["header", "line", "comment", "requisition"]
FileKind = Literal["file", "text", "url"]
Fault = Literal["", "5xx", "429", "reset", "truncate"]

# The order of this tuple is the cycle; "not_found" is not in it (it is placed by share, see _is_not_found).
CASES: tuple[str, ...] = (
    "header_only",
    "comments_only",
    "line_files",
    "mixed",
    "text_attachments",
    "url_attachments",
    "no_attachments",
    "requisition_fallback",
    "requisition_no_access",
    "duplicate_names",
    "tricky_names_a",
    "tricky_names_b",
    "no_access",
)
ALL_CASES: tuple[str, ...] = (*CASES, "not_found")


@dataclass
class PortalKnobs:
    """Everything the demo portal can be asked to do; the defaults give a fast, fault-free portal."""

    po_count: int = 60
    seed: int = 7
    page_latency: float = 0.0  # seconds added before each HTML page response
    comments_delay: float = 0.2  # seconds the page's script waits before fetching+rendering comments
    per_connection_bandwidth: int = 0  # bytes/s per file response, 0 = unlimited
    total_bandwidth: int = 0  # bytes/s shared by all file responses (token bucket), 0 = unlimited
    min_file_size: int = 2_000
    max_file_size: int = 200_000
    max_files_per_po: int = 5
    not_found_share: float = 0.15  # share of POs that show the Oops page
    error_5xx_rate: float = 0.0
    error_429_rate: float = 0.0
    reset_rate: float = 0.0
    truncate_rate: float = 0.0
    slow_page_rate: float = 0.0
    slow_page_seconds: float = 20.0
    faults_per_file: int = 1  # a faulted file (or slow page) fails this many times, then is served correctly
    session_expiry_requests: int = 0  # a session cookie dies after this many authenticated requests; 0 = never
    login_requires_person: bool = False  # the IdP shows a login form instead of completing SSO by itself
    refuse_direct_downloads: bool = False  # file requests without browser headers (Sec-Fetch-Mode) get 403
    hide_comment_file: bool = False  # the comments app lists one file fewer than it states: a page read short


@dataclass(frozen=True)
class DemoFile:
    aid: int
    name: str  # for kind "text" the note, for kind "url" the outside URL
    size: int
    sha256: str
    source: FileSource
    kind: FileKind = "file"
    line: int = 0  # 1-based line number for source "line"
    fault: Fault = ""  # how the first `faults_per_file` downloads of this file fail
    view_key: str = ""  # 40 hex `supplier_view_key` for header/line/requisition files
    # The size its bytes were built for: an e-mail comes out larger than asked (whole sectors), and built again for
    # its own size it would grow again (a served file would then differ from the expected one).
    build_size: int = 0


@dataclass(frozen=True)
class DemoComment:
    author: str
    posted: str  # "2024-03-05 14:22"
    text: str
    aids: tuple[int, ...] = ()


@dataclass(frozen=True)
class DemoPo:
    po_key: str
    supplier: str
    case: str
    files: tuple[DemoFile, ...]
    requisition_id: str | None
    not_found: bool
    no_access: bool
    supplier_number: str = ""
    line_count: int = 1
    slow_page: bool = False
    region: str = ""
    cost_center: str = ""
    amount: float = 0.0  # the PO total (the sum of its lines)
    comments: tuple[DemoComment, ...] = field(default=())
    requisition_accessible: bool = True
    facts: DemoFacts = field(default_factory=DemoFacts)


def _rng(*parts: object) -> random.Random:
    # String seeds are hashed with SHA-512 by `random`, so this is stable across runs and platforms.
    return random.Random(":".join(str(p) for p in parts))


def _is_not_found(index: int, share: float) -> bool:
    """Spread not-found POs evenly (Bresenham) so every window of POs holds about the same share."""
    per_mille = max(0, min(1000, round(share * 1000)))
    return ((index + 1) * per_mille) // 1000 > (index * per_mille) // 1000


class DemoDataset:
    """The portal's content. Deterministic: the same knobs give the same POs, names and bytes."""

    _CACHE_LIMIT = 64 * 1024 * 1024  # keep at most this many bytes of generated files in memory

    def __init__(self, knobs: PortalKnobs) -> None:
        self.knobs = knobs
        self.pos: list[DemoPo] = []
        self._by_key: dict[str, DemoPo] = {}
        self._files: dict[int, DemoFile] = {}
        self._owner: dict[int, str] = {}
        self._by_requisition: dict[str, DemoPo] = {}
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_bytes = 0
        self._lock = threading.Lock()
        self._next_aid = FIRST_AID
        case_order = list(CASES)
        _rng(knobs.seed, "case-order").shuffle(case_order)
        regular = 0
        for index in range(knobs.po_count):
            if _is_not_found(index, knobs.not_found_share):
                case = "not_found"
            else:
                case = case_order[regular % len(case_order)]
                regular += 1
            po = self._build_po(index, case)
            self.pos.append(po)
            self._by_key[po.po_key] = po
            if po.requisition_id:
                self._by_requisition[po.requisition_id] = po
            for demo_file in po.files:
                self._files[demo_file.aid] = demo_file
                self._owner[demo_file.aid] = po.po_key

    # ----- queries -----------------------------------------------------------------------------------------
    def get(self, po_key: str) -> DemoPo | None:
        return self._by_key.get(po_key)

    def file(self, aid: int) -> DemoFile | None:
        return self._files.get(aid)

    def owner(self, aid: int) -> DemoPo | None:
        key = self._owner.get(aid)
        return self._by_key.get(key) if key else None

    def requisition_po(self, requisition_id: str) -> DemoPo | None:
        """The PO whose requisition this is (requisition pages are built from it)."""
        return self._by_requisition.get(requisition_id)

    def expected_files(self, po_key: str) -> list[DemoFile]:
        """Files the app must download: the PO's own files, or its requisition's when it has none."""
        po = self.get(po_key)
        if po is None or po.not_found or po.no_access:
            return []
        own = [f for f in po.files if f.kind == "file" and f.source != "requisition"]
        if own:
            hidden = self.hidden_comment_file(po)
            return [f for f in own if f is not hidden]
        if not po.requisition_accessible:
            return []
        return [f for f in po.files if f.kind == "file" and f.source == "requisition"]

    def hidden_comment_file(self, po: DemoPo) -> DemoFile | None:
        """The comment file the comments app leaves out of its list (knob `hide_comment_file`) while counting it."""
        if not self.knobs.hide_comment_file:
            return None
        return next((f for f in reversed(po.files) if f.source == "comment" and f.kind == "file"), None)

    def file_bytes(self, aid: int) -> bytes:
        demo_file = self._files[aid]
        with self._lock:
            cached = self._cache.get(aid)
            if cached is not None:
                self._cache.move_to_end(aid)
                return cached
        data = make_file_bytes(demo_file.name, demo_file.build_size, f"{self.knobs.seed}:{aid}")
        self._remember(aid, data)
        return data

    # ----- building ----------------------------------------------------------------------------------------
    def _remember(self, aid: int, data: bytes) -> None:
        with self._lock:
            if aid in self._cache or len(data) > self._CACHE_LIMIT:
                return
            self._cache[aid] = data
            self._cache_bytes += len(data)
            while self._cache_bytes > self._CACHE_LIMIT:
                _, dropped = self._cache.popitem(last=False)
                self._cache_bytes -= len(dropped)

    def _build_po(self, index: int, case: str) -> DemoPo:
        knobs = self.knobs
        po_key = str(FIRST_PO + index)
        rng = _rng(knobs.seed, po_key)
        supplier = SUPPLIERS[rng.randrange(len(SUPPLIERS))]
        supplier_number = f"{rng.randrange(10_000, 999_999):010d}"
        region = rng.choice(REGIONS)
        cost_center = rng.choice(COST_CENTERS)
        line_count = rng.randint(1, 4)
        facts = build_facts(_rng(knobs.seed, po_key, "facts"), index, line_count)
        slow = rng.random() < knobs.slow_page_rate
        common = DemoPo(
            po_key=po_key,
            supplier=supplier,
            case=case,
            files=(),
            requisition_id=None,
            not_found=case == "not_found",
            no_access=case == "no_access",
            supplier_number=supplier_number,
            line_count=line_count,
            region=region,
            cost_center=cost_center,
            amount=facts.total,
            facts=facts,
        )
        if case in ("not_found", "no_access"):
            return common
        needs_requisition = case in ("mixed", "no_attachments", "requisition_fallback", "requisition_no_access")
        requisition_id = str(FIRST_REQUISITION + index) if needs_requisition or rng.random() < 0.7 else None
        files = self._build_files(rng, case, line_count, requisition_id is not None)
        return replace(
            common,
            files=tuple(files),
            requisition_id=requisition_id,
            slow_page=slow,
            comments=self._build_comments(rng, files),
            requisition_accessible=case != "requisition_no_access",
        )

    def _build_files(self, rng: random.Random, case: str, line_count: int, has_requisition: bool) -> list[DemoFile]:
        cap = max(1, self.knobs.max_files_per_po)
        names = list(ORDINARY_NAMES)
        rng.shuffle(names)

        def take(count: int) -> list[str]:
            return [names.pop() for _ in range(min(count, len(names)))]

        specs: list[tuple[str, FileSource, FileKind, int]] = []  # (name, source, kind, line)
        if case == "header_only":
            specs += [(n, "header", "file", 0) for n in take(rng.randint(1, cap))]
        elif case == "comments_only":
            specs += [(n, "comment", "file", 0) for n in take(rng.randint(1, min(cap, 3)))]
        elif case == "line_files":
            specs += [(n, "line", "file", rng.randint(1, line_count)) for n in take(rng.randint(1, min(cap, 3)))]
        elif case == "mixed":
            header, line, comment = take(3)
            specs += [
                (header, "header", "file", 0),
                (line, "line", "file", line_count),
                (comment, "comment", "file", 0),
            ]
            # The requisition has a file too: the app must NOT take it, the PO has its own.
            specs += [(n, "requisition", "file", 0) for n in take(1)]
        elif case == "text_attachments":
            specs += [(note, "header", "text", 0) for note in TEXT_NOTES[:2]]
            specs += [(n, "line", "file", 1) for n in take(1)]
        elif case == "url_attachments":
            specs += [(URL_ATTACHMENTS[rng.randrange(len(URL_ATTACHMENTS))], "header", "url", 0)]
            specs += [(n, "header", "file", 0) for n in take(1)]
        elif case == "requisition_fallback":
            specs += [(n, "requisition", "file", 0) for n in take(rng.randint(1, min(cap, 3)))]
        elif case == "duplicate_names":
            specs += [("Invoice.pdf", "header", "file", 0), ("Invoice.pdf", "header", "file", 0)]
        elif case in TRICKY_NAMES:
            specs += [(n, "header", "file", 0) for n in TRICKY_NAMES[case]]
        # no_attachments and requisition_no_access: nothing on the PO (and nothing reachable on the requisition)
        if case == "requisition_no_access" and has_requisition:
            specs += [(n, "requisition", "file", 0) for n in take(1)]
        return [self._make_file(name, source, kind, line) for name, source, kind, line in specs]

    def _make_file(self, name: str, source: FileSource, kind: FileKind, line: int) -> DemoFile:
        knobs = self.knobs
        aid = self._next_aid
        self._next_aid += 1
        rng = _rng(knobs.seed, "file", aid)
        view_key = hashlib.sha1(f"{knobs.seed}:{aid}:view".encode()).hexdigest() if source != "comment" else ""
        if kind != "file":
            return DemoFile(aid, name, 0, "", source, kind, line, "", view_key)
        low = max(1, min(knobs.min_file_size, knobs.max_file_size))
        size = rng.randint(low, max(low, knobs.max_file_size))
        data = make_file_bytes(name, size, f"{knobs.seed}:{aid}")
        self._remember(aid, data)
        return DemoFile(
            aid=aid,
            name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            source=source,
            kind="file",
            line=line,
            fault=self._pick_fault(rng.random()),
            view_key=view_key,
            build_size=size,
        )

    def _pick_fault(self, roll: float) -> Fault:
        knobs = self.knobs
        threshold = 0.0
        for fault, rate in (
            ("5xx", knobs.error_5xx_rate),
            ("429", knobs.error_429_rate),
            ("reset", knobs.reset_rate),
            ("truncate", knobs.truncate_rate),
        ):
            threshold += max(0.0, rate)
            if roll < threshold:
                return fault  # type: ignore[return-value]
        return ""

    def _build_comments(self, rng: random.Random, files: list[DemoFile]) -> tuple[DemoComment, ...]:
        comment_aids = [f.aid for f in files if f.source == "comment"]
        comments: list[DemoComment] = []

        def posted() -> str:
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            return f"{day} {rng.randint(7, 19):02d}:{rng.randint(0, 59):02d}"

        for _ in range(rng.randint(0, 2)):
            comments.append(DemoComment(rng.choice(AUTHORS), posted(), "Please expedite, the site needs this."))
        if comment_aids:
            split = rng.randint(1, len(comment_aids))
            comments.append(
                DemoComment(rng.choice(AUTHORS), posted(), "Approval attached.", tuple(comment_aids[:split]))
            )
            if comment_aids[split:]:
                comments.append(
                    DemoComment(rng.choice(AUTHORS), posted(), "Updated documents.", tuple(comment_aids[split:]))
                )
        return tuple(comments)


# ----- sample spreadsheet ----------------------------------------------------------------------------------
SAMPLE_SHEET = "PO_Data"
SAMPLE_HEADERS = ("PO_NUMBER", "Supplier Hint", "Amount", "<|>", "Region", "Cost Center")


def _messy_po_value(index: int, po_key: str) -> str | int:
    """PO numbers the way people really type them into Excel."""
    forms: tuple[str | int, ...] = (f"PO{po_key}", po_key, f" po {po_key} ", f"PM{po_key}", int(po_key), f"PO {po_key}")
    return forms[index % len(forms)]


def write_sample_spreadsheet(dataset: DemoDataset, path: Path, count: int | None = None) -> Path:
    """An .xlsx of the dataset's first `count` POs, with an invalid row, a duplicate PO and an empty row."""
    from openpyxl import Workbook

    chosen = dataset.pos[: len(dataset.pos) if count is None else max(0, count)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SAMPLE_SHEET
    sheet.append(list(SAMPLE_HEADERS))
    for index, po in enumerate(chosen):
        hint = po.supplier if index % 4 else ""
        sheet.append(
            [_messy_po_value(index, po.po_key), hint, po.amount, None, po.region or None, po.cost_center or None]
        )
        if index == 2:
            sheet.append(["N/A", "", None, None, "EMEA", None])
        if index == 5:
            sheet.append([None, None, None, None, None, None])
    if chosen:
        first = chosen[0]
        # The same PO again, written differently: processed once, reported on both rows.
        sheet.append([f"PO{first.po_key}", first.supplier, first.amount, None, first.region or None, None])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_default_sample(path: Path | None = None) -> Path:
    """Regenerate the checked-in `resources/sample_pos.xlsx` (25 POs of the default dataset)."""
    target = path or Path(__file__).resolve().parents[2] / "resources" / "sample_pos.xlsx"
    return write_sample_spreadsheet(DemoDataset(PortalKnobs()), target, 25)
