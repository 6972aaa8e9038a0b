"""The history of runs on this machine: one SQLite file in the app's data folder, one row per run.

A run is recorded when it starts (state "running") and again when it closes, under the same id, so a run that
crashed still shows. Local runs, resumes, retries and collected many-machines runs all land here. Every call opens
its own short connection with a busy timeout, so two app instances (a window and a scheduled CLI run) can record at
the same time. History is a convenience: a failure to record is logged, never allowed to stop a run.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.paths import app_data_dir

log = logging.getLogger(__name__)

HISTORY_NAME = "history.sqlite3"
BUSY_TIMEOUT = 10.0  # seconds another instance may hold the write lock
RATE_SAMPLE = 5  # the ETA of a new run starts from the rate of this many recent runs
MIN_POS_FOR_RATE = 3  # runs that processed fewer POs say little about the rate

KIND_RUN = "run"
KIND_RESUME = "resume"
KIND_RETRY = "retry"
KIND_COLLECT = "collect"

STATE_RUNNING = "running"

SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    run_id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    state TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    input TEXT NOT NULL,
    folder TEXT NOT NULL,
    report TEXT NOT NULL,
    counts TEXT NOT NULL,
    processed INTEGER NOT NULL,
    workers INTEGER NOT NULL,
    seconds REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS run_started ON run(started_at);
"""


def new_run_id() -> str:
    return uuid.uuid4().hex


@dataclass
class RunRecord:
    """One run as the history keeps it. `counts` are the folder's POs per status after the run."""

    run_id: str
    started_at: str  # ISO 8601, local time
    kind: str
    folder: str
    input: str = ""
    description: str = ""
    state: str = STATE_RUNNING  # running, finished or cancelled (the journal's run states)
    finished_at: str = ""
    report: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    processed: int = 0  # POs this run gave a final answer (not the ones an earlier run had done)
    workers: int = 0
    seconds: float = 0.0

    @property
    def pos_per_minute(self) -> float:
        return self.processed / (self.seconds / 60) if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "pos_per_minute": round(self.pos_per_minute, 2)}


def _prepare(db: sqlite3.Connection) -> None:
    """WAL mode and the schema. Switching to WAL needs the file to itself and SQLite answers "locked" at once instead
    of waiting, so two instances opening a new history together retry; the mode then stays with the file."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class History:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or app_data_dir() / HISTORY_NAME

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)) as db:
            _prepare(db)
            yield db

    def record(self, run: RunRecord) -> None:
        """Insert or update one run (by its id)."""
        values = asdict(run)
        values["counts"] = json.dumps(run.counts, sort_keys=True)
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        with self._connect() as db:
            db.execute(f"INSERT OR REPLACE INTO run ({columns}) VALUES ({marks})", values)

    def runs(self, limit: int | None = None) -> list[RunRecord]:
        """Past runs, newest first."""
        query = "SELECT * FROM run ORDER BY started_at DESC, rowid DESC" + (" LIMIT ?" if limit else "")
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(query, (limit,) if limit else ()).fetchall()
        return [RunRecord(**{**dict(row), "counts": json.loads(row["counts"])}) for row in rows]

    def pos_per_minute_per_worker(self) -> float | None:
        """The recent runs' speed, per worker: where the ETA of a new run starts before it has a rate of its own."""
        rates = [
            run.pos_per_minute / run.workers
            for run in self.runs(limit=50)
            if run.state != STATE_RUNNING and run.processed >= MIN_POS_FOR_RATE and run.workers > 0
        ][:RATE_SAMPLE]
        return sum(rates) / len(rates) if rates else None


def record_safely(run: RunRecord, history: History | None = None) -> None:
    """Record a run, logging (never raising) when the history cannot be written: the run matters more."""
    try:
        (history or History()).record(run)
    except (OSError, sqlite3.Error) as exc:
        log.warning("Could not record the run in the history: %s", exc)
