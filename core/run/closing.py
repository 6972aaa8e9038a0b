"""How a run ends, the same for a local run and a distributed collect: POs without a final answer are marked
CANCELLED (a resumed run picks them up), the run's state is recorded, the report is written from the journal, and
the run takes its final place in the history."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.models import PoResult, PoStatus
from core.run.history import RunRecord, record_safely
from core.run.journal import RUN_CANCELLED, RUN_FINISHED, Journal
from core.workbook.report import REPORT_NAME, write_report
from core.workbook.spreadsheet import InputSheet
from core.workbook.summary import RunSummary


@dataclass(frozen=True)
class ClosedRun:
    report: Path
    counts: dict[str, int]
    cancelled: bool
    unfinished: int
    results: dict[str, PoResult]  # every PO's final answer, as the journal holds it


def status_counts(sheet: InputSheet, results: Mapping[str, PoResult]) -> dict[str, int]:
    """POs per final status, invalid input rows included (they never reach the journal)."""
    counts: dict[str, int] = {}
    for result in results.values():
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    invalid = sheet.counts().get("invalid", 0)
    if invalid:
        counts[PoStatus.INVALID.value] = counts.get(PoStatus.INVALID.value, 0) + invalid
    return counts


def close_run(
    journal: Journal,
    sheet: InputSheet,
    po_keys: Collection[str],
    *,
    started: datetime,
    workers: int,
    stopped: bool,
    reason: str,
    report_dir: Path | None = None,
    record: RunRecord | None = None,
    answered: Collection[str] | None = None,
) -> ClosedRun:
    """`report_dir`: where the report goes, when the journal is not in the run folder (a collected run's journal
    stays on the collecting machine's own disk). `po_keys` are the POs this run was to process; `answered` those it
    gave a result (default: all of them); `record` is the run's entry in the history, completed here."""
    results = journal.results()
    now = datetime.now().isoformat(timespec="seconds")
    unfinished = [k for k in po_keys if k not in results or results[k].status is PoStatus.CANCELLED]
    for po_key in unfinished:
        journal.record(PoResult(po_key, PoStatus.CANCELLED, error_message=reason, finished_at=now))
    cancelled = stopped or bool(unfinished)
    journal.set_meta({"state": RUN_CANCELLED if cancelled else RUN_FINISHED, "finished_at": datetime.now().isoformat()})
    results = journal.results()
    output_dir = report_dir or journal.path.parent.parent
    summary = RunSummary(started_at=started, finished_at=datetime.now(), workers=workers, cancelled=cancelled)
    files = {po_key: journal.files(po_key) for po_key in results}
    report = write_report(sheet, results, output_dir / REPORT_NAME, summary, files)
    counts = status_counts(sheet, results)
    if record is not None:
        answered = po_keys if answered is None else answered
        record.state = RUN_CANCELLED if cancelled else RUN_FINISHED
        record.finished_at = summary.finished_at.isoformat(timespec="seconds")
        record.seconds = round((summary.finished_at - started).total_seconds(), 1)
        record.report, record.counts, record.workers = str(report), counts, workers
        record.processed = sum(1 for k in answered if k in results and results[k].status is not PoStatus.CANCELLED)
        record_safely(record)
    return ClosedRun(report, counts, cancelled, len(unfinished), results)
