"""Many machines, the submitting side: one task per PO not yet done, sent once per run and PO.

The run is kept on this machine (`core.distributed.runs`): its journal and input snapshot in the app data folder,
its manifest in Redis for a collector elsewhere. The share only receives the nodes' files and, later, the report.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from celery import Celery  # type: ignore[import-untyped]

from core.config import RunConfig
from core.distributed.protocol import (
    MGET_CHUNK,
    QUEUE,
    RESULT_TTL,
    TASK_NAME,
    RunSettings,
    make_app,
    redact,
    redis_client,
    redis_key,
    run_folder_name,
    task_args,
    task_id,
)
from core.distributed.runs import (
    RunManifest,
    find_run,
    keep_input,
    make_run_folder,
    manifest_meta,
    open_journal,
    save_manifest,
)
from core.errors import InputError
from core.paths import journal_path
from core.po.folders import safe_filename
from core.run.journal import RUN_RUNNING
from core.workbook.spreadsheet import read_input

log = logging.getLogger(__name__)


@dataclass
class SubmitOutcome:
    run_id: str
    total: int  # unique POs in the input
    enqueued: int  # tasks sent by this call
    already_queued: int  # sent by an earlier submit of the same run (not sent again)
    already_done: int  # finished in the journal


def _run_folder(output_dir: Path, output_root: Path | None) -> str:
    if output_dir.is_file():
        raise InputError(f"The output {output_dir} is a file; choose a folder.")
    if journal_path(output_dir).exists():
        raise InputError(f"The folder {output_dir} holds a local run; choose another output folder.")
    try:
        run_folder = run_folder_name(output_root or output_dir.parent, output_dir)
    except ValueError as exc:
        raise InputError(f"The run folder: {exc} (--output-root is the shared folder the nodes write under).") from None
    make_run_folder(output_dir)
    return run_folder


def submit_run(
    config: RunConfig, broker: str, *, output_root: Path | None = None, app: Celery | None = None
) -> SubmitOutcome:
    """Enqueue one task per PO not yet done. Submitting the same input to the same output again sends nothing twice.

    `output_root`: this machine's path of the folder the nodes were started with (`--output-root`); the run folder
    (`config.output_dir`) must be inside it. Default: the run folder's parent.
    """
    output_dir = config.output_dir.resolve()
    run_folder = _run_folder(output_dir, output_root)
    sheet = read_input(
        config.input_path, sheet=config.sheet, po_column=config.po_column, redo_completed=config.redo_completed
    )
    client = redis_client(broker)
    app = app or make_app(broker)
    run_id = find_run(output_dir) or uuid.uuid4().hex[:12]
    with open_journal(run_id) as journal:
        done = journal.done_keys()
        tasks = [t for t in sheet.tasks() if t.po_key not in done]
        if config.limit is not None:
            tasks = tasks[: config.limit]
        known = set(json.loads(journal.get_meta("task_keys") or "[]"))
        manifest = RunManifest(
            run_id=run_id,
            input_name=safe_filename(config.input_path.name),
            sheet=config.sheet or "",
            po_column=config.po_column or "",
            redo_completed=config.redo_completed,
            started_at=journal.get_meta("started_at") or datetime.now().isoformat(),
            task_keys=sorted(known | {t.po_key for t in tasks}),
        )
        keep_input(run_id, manifest.input_name, sheet.content.data)
        save_manifest(client, manifest, sheet.content.data)
        journal.set_meta({**manifest_meta(manifest, output_dir), "state": RUN_RUNNING, "broker": redact(broker)})
    settings = RunSettings(
        run_id=run_id,
        run_folder=run_folder,
        run_path=str(output_dir),
        base_url=config.base_url,
        po_url_template=config.po_url_template,
        requisition_fallback=config.requisition_fallback,
        emails=config.emails,
        max_po_attempts=config.max_po_attempts,
    )
    enqueued = already = 0
    for start in range(0, len(tasks), MGET_CHUNK):
        chunk = tasks[start : start + MGET_CHUNK]
        markers = client.mget([redis_key("queued", run_id, t.po_key) for t in chunk])
        fresh = [t for t, marker in zip(chunk, markers, strict=True) if marker is None]
        already += len(chunk) - len(fresh)
        for po in fresh:
            # Sent first, marked second: a crash in between means a duplicate message (harmless), never a lost PO.
            app.send_task(TASK_NAME, args=task_args(settings, po), task_id=task_id(run_id, po.po_key), queue=QUEUE)
        pipe = client.pipeline()
        for po in fresh:
            pipe.set(redis_key("queued", run_id, po.po_key), "1", ex=RESULT_TTL)
        pipe.execute()
        enqueued += len(fresh)
    log.info("Run %s: %d tasks sent, %d already queued, %d already done.", run_id, enqueued, already, len(done))
    return SubmitOutcome(run_id, len(sheet.tasks()), enqueued, already, len(done))
