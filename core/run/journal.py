"""The run journal: one SQLite file (WAL) per run folder, written by the supervisor only.

Each finished PO is one committed row, so a crash, kill -9 or power cut loses at most the POs in flight. The report
is always rebuilt from here, never from memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.models import PoFacts, PoResult, PoStatus, SavedFile
from core.paths import journal_path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS po (
    po_key TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    supplier TEXT NOT NULL,
    attachments_found INTEGER NOT NULL,
    attachments_downloaded INTEGER NOT NULL,
    attachment_names TEXT NOT NULL,
    source_url TEXT NOT NULL,
    folder TEXT NOT NULL,
    error_message TEXT NOT NULL,
    bytes_downloaded INTEGER NOT NULL,
    seconds REAL NOT NULL,
    attempts INTEGER NOT NULL,
    finished_at TEXT NOT NULL,
    files TEXT NOT NULL,
    facts TEXT NOT NULL DEFAULT '',
    count_check TEXT NOT NULL DEFAULT '',
    emails_converted INTEGER NOT NULL DEFAULT 0,
    files_extracted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS file (
    po_key TEXT NOT NULL,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (po_key, url)
);
"""

# Columns later versions added to `po`, with their definitions: a journal an older version wrote (a run resumed
# after an update) gains them, empty, when it is opened.
ADDED_PO_COLUMNS = {
    "facts": "TEXT NOT NULL DEFAULT ''",
    "count_check": "TEXT NOT NULL DEFAULT ''",
    "emails_converted": "INTEGER NOT NULL DEFAULT 0",
    "files_extracted": "INTEGER NOT NULL DEFAULT 0",
}
PO_COLUMNS = (
    "po_key, status, supplier, attachments_found, attachments_downloaded, attachment_names, source_url, folder, "
    "error_message, bytes_downloaded, seconds, attempts, finished_at, files, facts, count_check, emails_converted, "
    "files_extracted"
)

# Statuses a resumed run does not redo: the PO reached a true, final answer.
DONE_STATUSES = frozenset(
    {
        PoStatus.COMPLETED,
        PoStatus.PARTIAL,
        PoStatus.NO_ATTACHMENTS,
        PoStatus.PO_NOT_FOUND,
        PoStatus.NO_ACCESS,
        PoStatus.INVALID,
    }
)

# Statuses --retry runs again: the PO has no true, final answer yet. NO_ACCESS by value: access may have been granted.
RETRY_STATUSES = frozenset({"FAILED", "PARTIAL", "CANCELLED", "NO_ACCESS"})

RUN_RUNNING = "running"
RUN_FINISHED = "finished"
RUN_CANCELLED = "cancelled"


def unfinished_run(output_dir: Path) -> bool:
    """Does this folder hold a run that was cancelled or crashed (one that --resume / the window's Resume continues)?"""
    path = journal_path(output_dir)
    if not path.exists():
        return False
    with Journal(path) as journal:
        return journal.run_state in (RUN_RUNNING, RUN_CANCELLED)


class Journal:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed PO survives a power cut, not only a process crash.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        present = {row[1] for row in self._db.execute("PRAGMA table_info(po)")}
        for name, definition in ADDED_PO_COLUMNS.items():
            if name not in present:
                self._db.execute(f"ALTER TABLE po ADD COLUMN {name} {definition}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- run metadata -------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str]) -> None:
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", list(values.items()))

    @property
    def run_state(self) -> str | None:
        return self.get_meta("state")

    # -- per-PO results -----------------------------------------------------------------------------------------
    def record(self, result: PoResult, files: Iterable[SavedFile] = ()) -> None:
        files_json = json.dumps([[f.name, f.size, f.sha256] for f in files])
        with self._transaction():
            self._db.execute(
                f"INSERT OR REPLACE INTO po ({PO_COLUMNS}) VALUES ({','.join('?' * 18)})",
                (
                    result.po_key,
                    result.status.value,
                    result.supplier,
                    result.attachments_found,
                    result.attachments_downloaded,
                    json.dumps(result.attachment_names, ensure_ascii=False),
                    result.source_url,
                    result.folder,
                    result.error_message,
                    result.bytes_downloaded,
                    result.seconds,
                    result.attempts,
                    result.finished_at,
                    files_json,
                    "" if result.facts is None else json.dumps(result.facts.to_dict(), ensure_ascii=False),
                    result.count_check,
                    result.emails_converted,
                    result.files_extracted,
                ),
            )

    def record_file(self, po_key: str, url: str, saved: SavedFile) -> None:
        """A file of an unfinished PO is complete on disk: a resumed run will not download it again."""
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO file VALUES (?,?,?,?,?)", (po_key, url, saved.name, saved.size, saved.sha256)
            )

    def done_files(self, po_key: str) -> dict[str, SavedFile]:
        """Files of this PO already complete on disk, by URL."""
        rows = self._db.execute("SELECT url, name, size, sha256 FROM file WHERE po_key = ?", (po_key,))
        return {url: SavedFile(name, size, sha) for url, name, size, sha in rows}

    def results(self) -> dict[str, PoResult]:
        rows = self._db.execute(f"SELECT {PO_COLUMNS} FROM po").fetchall()
        return {row[0]: _result_from_row(row) for row in rows}

    def files(self, po_key: str) -> list[SavedFile]:
        row = self._db.execute("SELECT files FROM po WHERE po_key = ?", (po_key,)).fetchone()
        return [] if row is None else [SavedFile(n, s, h) for n, s, h in json.loads(row[0])]

    def done_keys(self) -> set[str]:
        """POs a resumed run skips."""
        return self._keys_with(s.value for s in DONE_STATUSES)

    def retry_keys(self) -> set[str]:
        """POs a retry runs again."""
        return self._keys_with(RETRY_STATUSES)

    def _keys_with(self, statuses: Iterable[str]) -> set[str]:
        wanted = sorted(statuses)
        placeholders = ",".join("?" * len(wanted))
        rows = self._db.execute(f"SELECT po_key FROM po WHERE status IN ({placeholders})", wanted)
        return {r[0] for r in rows}

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _result_from_row(row: tuple[Any, ...]) -> PoResult:
    return PoResult(
        po_key=row[0],
        status=PoStatus(row[1]),
        supplier=row[2],
        attachments_found=row[3],
        attachments_downloaded=row[4],
        attachment_names=json.loads(row[5]),
        source_url=row[6],
        folder=row[7],
        error_message=row[8],
        bytes_downloaded=row[9],
        seconds=row[10],
        attempts=row[11],
        finished_at=row[12],
        facts=PoFacts.from_dict(json.loads(row[14])) if row[14] else None,
        count_check=row[15],
        emails_converted=row[16],
        files_extracted=row[17],
    )
