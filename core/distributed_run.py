"""Many machines, the submitting side: enqueue one task per PO (`submit_run`) and collect the results into the run's
journal and report (`collect_run`), checking every file a node reports by size and sha256. The node side, which runs
the tasks, is `core.distributed`."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
from celery import Celery  # type: ignore[import-untyped]

from core.config import RunConfig
from core.distributed import (
    MGET_CHUNK,
    POLL_SECONDS,
    QUEUE,
    RESULT_TTL,
    TASK_NAME,
    TASK_SETTINGS,
    decode_result,
    make_app,
    redact,
    redis_key,
    task_id,
)
from core.errors import EXIT_CANCELLED, EXIT_OK, InputError
from core.events import Event, PoFinished, RunFinished, RunStarted
from core.models import PoResult, PoStatus, SavedFile
from core.paths import journal_path
from core.po.folders import sha256_file
from core.po.job import derive_status
from core.run.closing import close_run
from core.run.journal import RUN_RUNNING, Journal
from core.workbook.spreadsheet import InputSheet, read_input

log = logging.getLogger(__name__)


# -- submit -------------------------------------------------------------------------------------------------------


@dataclass
class SubmitOutcome:
    run_id: str
    total: int  # unique POs in the input
    enqueued: int  # tasks sent by this call
    already_queued: int  # sent by an earlier submit of the same run (not sent again)
    already_done: int  # finished in the journal


def _run_journal(output_dir: Path) -> Journal:
    if output_dir.is_file():
        raise InputError(f"The output {output_dir} is a file; choose a folder.")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot create the output folder {output_dir}: {exc.strerror or exc}.") from exc
    return Journal(journal_path(output_dir))


def submit_run(config: RunConfig, broker_url: str, *, app: Celery | None = None) -> SubmitOutcome:
    """Enqueue one task per PO not yet done. Submitting the same input to the same output again sends nothing twice."""
    sheet = read_input(
        config.input_path, sheet=config.sheet, po_column=config.po_column, redo_completed=config.redo_completed
    )
    output_dir = config.output_dir.resolve()
    app = app or make_app(broker_url)
    client: Any = redis.Redis.from_url(broker_url)  # Any: redis-py's sync/async union return types
    with _run_journal(output_dir) as journal:
        run_id = journal.get_meta("run_id")
        if run_id is None and journal.run_state is not None:
            raise InputError(f"The folder {output_dir} holds a local run; choose another output folder.")
        run_id = run_id or uuid.uuid4().hex[:12]
        done = journal.done_keys()
        tasks = [t for t in sheet.tasks() if t.po_key not in done]
        if config.limit is not None:
            tasks = tasks[: config.limit]
        known = set(json.loads(journal.get_meta("task_keys") or "[]"))
        journal.set_meta(
            {
                "run_id": run_id,
                "state": RUN_RUNNING,
                "input": str(config.input_path.resolve()),
                "sheet": config.sheet or "",
                "po_column": config.po_column or "",
                "redo_completed": "1" if config.redo_completed else "",
                "started_at": journal.get_meta("started_at") or datetime.now().isoformat(),
                "broker": redact(broker_url),
                "task_keys": json.dumps(sorted(known | {t.po_key for t in tasks})),
            }
        )
    settings: dict[str, Any] = {k: getattr(config, k) for k in TASK_SETTINGS}
    settings.update(run_id=run_id, output_dir=str(output_dir))
    enqueued = already = 0
    for start in range(0, len(tasks), MGET_CHUNK):
        chunk = tasks[start : start + MGET_CHUNK]
        markers = client.mget([redis_key("queued", run_id, t.po_key) for t in chunk])
        fresh = [t for t, marker in zip(chunk, markers, strict=True) if marker is None]
        already += len(chunk) - len(fresh)
        for po in fresh:
            # Sent first, marked second: a crash in between means a duplicate message (harmless), never a lost PO.
            app.send_task(TASK_NAME, args=[settings, asdict(po)], task_id=task_id(run_id, po.po_key), queue=QUEUE)
        pipe = client.pipeline()
        for po in fresh:
            pipe.set(redis_key("queued", run_id, po.po_key), "1", ex=RESULT_TTL)
        pipe.execute()
        enqueued += len(fresh)
    log.info("Run %s: %d tasks sent, %d already queued, %d already done.", run_id, enqueued, already, len(done))
    return SubmitOutcome(run_id, len(sheet.tasks()), enqueued, already, len(done))


# -- collect ------------------------------------------------------------------------------------------------------


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
            folder = local_output / Path(result.folder).relative_to(node_output)
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


def collect_run(
    output_dir: Path,
    broker_url: str,
    *,
    timeout: float | None = None,
    on_event: Callable[[Event], None] = lambda event: None,
    cancel: threading.Event | None = None,
) -> CollectOutcome:
    """Wait for the run's results, journal them (verified), then write the report. Safe to run again."""
    output_dir = output_dir.resolve()
    journal_file = journal_path(output_dir)
    if not journal_file.exists():
        raise InputError(f"{output_dir} holds no submitted run: run `submit` with this --output first.")
    client: Any = redis.Redis.from_url(broker_url)
    with Journal(journal_file) as journal:
        run_id = journal.get_meta("run_id")
        if run_id is None:
            raise InputError(f"{output_dir} holds a local run, not a submitted one.")
        sheet = read_input(
            Path(journal.get_meta("input") or ""),
            sheet=journal.get_meta("sheet") or None,
            po_column=journal.get_meta("po_column") or None,
            redo_completed=bool(journal.get_meta("redo_completed")),
        )
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
        return _finish(journal, sheet, keys, started, len(nodes), on_event)


def _finish(
    journal: Journal,
    sheet: InputSheet,
    keys: list[str],
    started: datetime,
    nodes: int,
    on_event: Callable[[Event], None],
) -> CollectOutcome:
    """As a local run ends: unfinished POs marked CANCELLED, run state, report from the journal."""
    closed = close_run(
        journal,
        sheet,
        keys,
        started=started,
        workers=nodes,
        stopped=False,
        reason="Not finished when collect stopped; run collect again to pick it up.",
    )
    exit_code = EXIT_CANCELLED if closed.cancelled else EXIT_OK
    message = f"{closed.unfinished} PO(s) not finished yet: run collect again." if closed.cancelled else ""
    on_event(RunFinished(str(closed.report), closed.counts, closed.cancelled, exit_code, message))
    return CollectOutcome(exit_code, closed.report, closed.counts, len(keys) - closed.unfinished, len(keys), message)
