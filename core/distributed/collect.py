"""Many machines, the collecting side: wait for a run's results, check every file a node reports by size and sha256
where this machine sees the share, journal them on this machine's own disk, then write the report to the share.

Any machine that can read the share and reach Redis can collect: the run comes from this machine's own record
(`core.distributed.runs`) or, for a run submitted elsewhere, from its manifest in Redis.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from core.distributed.protocol import MGET_CHUNK, POLL_SECONDS, RUN_ID_RE, decode_result, redis_client, redis_key
from core.distributed.runs import fetch_run, find_run, input_snapshot, known_run, make_run_folder, open_journal
from core.errors import EXIT_CANCELLED, EXIT_OK, InputError
from core.events import Event, PoFinished, RunFinished, RunStarted
from core.models import PoResult, PoStatus, SavedFile, derive_status
from core.po.folders import sha256_file
from core.run.closing import close_run
from core.run.history import KIND_COLLECT, RunRecord
from core.run.journal import Journal
from core.workbook.spreadsheet import InputSheet, read_input


@dataclass
class CollectOutcome:
    exit_code: int
    report: Path | None
    counts: dict[str, int]
    finished: int
    total: int
    message: str = ""


def verify_result(
    result: PoResult, files: list[SavedFile], node_output: str, local_output: Path
) -> tuple[PoResult, list[SavedFile]]:
    """Check each file the node reports, where this machine sees the output root; a missing file counts as failed."""
    folder = Path(result.folder)
    if result.folder and node_output:
        # The node's path of the shared root may differ from ours (another mount point or drive letter).
        with contextlib.suppress(ValueError):
            folder = local_output / _relative(result.folder, node_output)
    good: list[SavedFile] = []
    bad: list[SavedFile] = []
    for saved in files:
        path = folder / saved.name
        ok = path.is_file() and path.stat().st_size == saved.size and sha256_file(path) == saved.sha256
        (good if ok else bad).append(saved)
    result = replace(result, folder=str(folder) if result.folder else "")
    if not bad:
        return result, good
    note = f"Missing or different in {folder}: {', '.join(f.name for f in bad)}"
    return (
        replace(
            result,
            status=derive_status(result.attachments_found, len(good)),
            attachments_downloaded=len(good),
            bytes_downloaded=sum(f.size for f in good),
            error_message="; ".join(m for m in (result.error_message, note) if m),
        ),
        good,
    )


def _relative(folder: str, node_output: str) -> Path:
    """`folder` under `node_output`, whichever OS the node runs (a Windows node reports `Z:\\run\\PO1`)."""
    flavour = PureWindowsPath if "\\" in node_output or PureWindowsPath(node_output).drive else PurePosixPath
    return Path(*flavour(folder).relative_to(flavour(node_output)).parts)


def resolve_run(output_dir: Path, run_id: str | None, client: Any) -> str:
    """The run to collect into `output_dir`: the given id, else the run this machine submitted there."""
    run_id = run_id or find_run(output_dir)
    if run_id is None:
        raise InputError(
            f"No run submitted from this machine writes to {output_dir}: give --run-id (submit printed it)."
        )
    if not RUN_ID_RE.fullmatch(run_id):
        raise InputError(f"{run_id!r} is not a run id: submit printed it as 12 characters, 0-9 and a-f.")
    if not known_run(run_id):
        fetch_run(client, run_id, output_dir)
    return run_id


def collect_run(
    output_dir: Path,
    broker: str,
    *,
    run_id: str | None = None,
    timeout: float | None = None,
    on_event: Callable[[Event], None] = lambda event: None,
    cancel: threading.Event | None = None,
) -> CollectOutcome:
    """Wait for the run's results, journal them (verified), then write the report. Safe to run again."""
    output_dir = output_dir.resolve()
    client = redis_client(broker)
    run_id = resolve_run(output_dir, run_id, client)
    make_run_folder(output_dir)
    with open_journal(run_id) as journal:
        journal.set_meta({"output": str(output_dir)})
        sheet = read_input(
            input_snapshot(run_id),
            sheet=journal.get_meta("sheet") or None,
            po_column=journal.get_meta("po_column") or None,
            redo_completed=bool(journal.get_meta("redo_completed")),
        )
        sheet.source = Path(journal.get_meta("input_name") or sheet.path.name)  # the Summary names the user's file
        keys: list[str] = json.loads(journal.get_meta("task_keys") or "[]")
        started = datetime.fromisoformat(journal.get_meta("started_at") or datetime.now().isoformat())
        recorded = {k for k, r in journal.results().items() if r.status is not PoStatus.CANCELLED}
        on_event(RunStarted(len(sheet.tasks()), len(keys), len(recorded), 0, str(output_dir)))
        nodes: set[str] = set()
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pending = [k for k in keys if k not in recorded]
            for start in range(0, len(pending), MGET_CHUNK):
                chunk = pending[start : start + MGET_CHUNK]
                for po_key, raw in zip(
                    chunk, client.mget([redis_key("result", run_id, k) for k in chunk]), strict=True
                ):
                    if raw is None:
                        continue
                    result, files, meta = decode_result(raw)
                    result, files = verify_result(result, files, meta["output_dir"], output_dir)
                    journal.record(result, files)
                    recorded.add(po_key)
                    nodes.add(meta["node"])
                    on_event(PoFinished(0, result, tuple(files)))
            if all(k in recorded for k in keys):
                break
            stop = cancel is not None and cancel.is_set()
            if stop or (deadline is not None and time.monotonic() > deadline):
                break
            (cancel or threading.Event()).wait(POLL_SECONDS)
        record = RunRecord(
            run_id,
            started.isoformat(timespec="seconds"),
            KIND_COLLECT,
            str(output_dir),
            str(sheet.source),
            journal.get_meta("description") or "",
        )
        return _finish(journal, sheet, keys, started, len(nodes), output_dir, on_event, record)


def _finish(
    journal: Journal,
    sheet: InputSheet,
    keys: list[str],
    started: datetime,
    nodes: int,
    output_dir: Path,
    on_event: Callable[[Event], None],
    record: RunRecord,
) -> CollectOutcome:
    """As a local run ends: unfinished POs marked CANCELLED, run state, report from the journal (on the share)."""
    closed = close_run(
        journal,
        sheet,
        keys,
        started=started,
        workers=nodes,
        stopped=False,
        reason="Not finished when collect stopped; run collect again to pick it up.",
        report_dir=output_dir,
        record=record,
    )
    exit_code = EXIT_CANCELLED if closed.cancelled else EXIT_OK
    message = f"{closed.unfinished} PO(s) not finished yet: run collect again." if closed.cancelled else ""
    on_event(RunFinished(str(closed.report), closed.counts, closed.cancelled, exit_code, message))
    return CollectOutcome(exit_code, closed.report, closed.counts, len(keys) - closed.unfinished, len(keys), message)
