"""Submitted runs as the submitting and collecting machines keep them: the journal and the input snapshot in this
machine's app data folder (`runs/<run id>/`, laid out as a run folder's private part), never on the share (SQLite's
WAL is unsafe on network file systems), and the run's manifest in Redis so that any machine that can read the share
can collect it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.distributed.protocol import RESULT_TTL, redis_key
from core.errors import InputError
from core.paths import app_data_dir, journal_path
from core.po.folders import safe_filename
from core.run.journal import Journal
from core.workbook.snapshot import existing_snapshot, write_snapshot

MAX_INPUT_BYTES = 64 * 1024 * 1024  # the input travels through Redis with the manifest


@dataclass(frozen=True)
class RunManifest:
    """What a collector needs besides the results: the input as submitted and the POs the run holds."""

    run_id: str
    input_name: str
    sheet: str
    po_column: str
    redo_completed: bool
    started_at: str
    task_keys: list[str]


def runs_dir() -> Path:
    return app_data_dir() / "runs"


def run_dir(run_id: str) -> Path:
    return runs_dir() / run_id


def known_run(run_id: str) -> bool:
    return journal_path(run_dir(run_id)).exists()


def input_snapshot(run_id: str) -> Path:
    snapshot = existing_snapshot(run_dir(run_id))
    if snapshot is None:
        raise InputError(f"This machine's copy of run {run_id} has lost its input; collect it with --run-id again.")
    return snapshot


def open_journal(run_id: str) -> Journal:
    return Journal(journal_path(run_dir(run_id)))


def make_run_folder(output_dir: Path) -> None:
    """The run folder on the share, created here so that a share this machine cannot write to is said at once."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot create the output folder {output_dir}: {exc.strerror or exc}.") from exc


def find_run(output_dir: Path) -> str | None:
    """The newest run this machine submitted or collected into `output_dir`."""
    found: list[tuple[str, str]] = []
    for folder in runs_dir().glob("*"):
        if known_run(folder.name):
            with open_journal(folder.name) as journal:
                if journal.get_meta("output") == str(output_dir):
                    found.append((journal.get_meta("started_at") or "", folder.name))
    return max(found)[1] if found else None


def save_manifest(client: Any, manifest: RunManifest, input_data: bytes) -> None:
    if len(input_data) > MAX_INPUT_BYTES:
        raise InputError(f"The input is larger than {MAX_INPUT_BYTES // 2**20} MB; split it into several runs.")
    pipe = client.pipeline()
    pipe.set(redis_key("run-input", manifest.run_id), input_data, ex=RESULT_TTL)
    pipe.set(redis_key("run", manifest.run_id), json.dumps(asdict(manifest), ensure_ascii=False), ex=RESULT_TTL)
    pipe.execute()


def keep_input(run_id: str, input_name: str, data: bytes) -> Path:
    """The input as submitted, which the report is built from (the original may change or be out of reach)."""
    return write_snapshot(data, Path(input_name), run_dir(run_id))


def fetch_run(client: Any, run_id: str, output_dir: Path) -> None:
    """Set up this machine's copy of a run submitted elsewhere, from its manifest in Redis."""
    raw = client.get(redis_key("run", run_id))
    data = client.get(redis_key("run-input", run_id))
    if raw is None or data is None:
        raise InputError(f"The broker knows no run {run_id} (it may have expired): check the run id submit printed.")
    unreadable = InputError(f"The broker's record of run {run_id} is not one submit wrote; submit the run again.")
    try:
        manifest = RunManifest(**json.loads(raw))
    except (TypeError, ValueError) as exc:
        raise unreadable from exc
    if manifest.run_id != run_id or safe_filename(manifest.input_name) != manifest.input_name:
        raise unreadable
    keep_input(run_id, manifest.input_name, data)
    with open_journal(run_id) as journal:
        journal.set_meta(manifest_meta(manifest, output_dir))


def manifest_meta(manifest: RunManifest, output_dir: Path) -> dict[str, str]:
    """The journal's copy of the manifest, plus where this machine sees the run folder."""
    return {
        "run_id": manifest.run_id,
        "output": str(output_dir),
        "input_name": manifest.input_name,
        "sheet": manifest.sheet,
        "po_column": manifest.po_column,
        "redo_completed": "1" if manifest.redo_completed else "",
        "started_at": manifest.started_at,
        "task_keys": json.dumps(manifest.task_keys),
    }
