"""The input snapshot: the user's spreadsheet as it was when the run started, kept in the run's private folder.

A run parses its POs and builds its report from this copy only, so a row inserted in Excel, or the file moved or
deleted during a run, changes nothing; a resumed run reads the same copy, even when the original is gone.
"""

from __future__ import annotations

from pathlib import Path

from core.atomic import write_atomically
from core.paths import run_private_dir
from core.workbook.input_file import CSV_SUFFIXES, XLSX_SUFFIXES

SNAPSHOT_STEM = "input"


def existing_snapshot(run_dir: Path) -> Path | None:
    """The snapshot an earlier start of this run took, if any."""
    for suffix in (*XLSX_SUFFIXES, *CSV_SUFFIXES):
        candidate = run_private_dir(run_dir) / f"{SNAPSHOT_STEM}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def write_snapshot(data: bytes, source: Path, run_dir: Path) -> Path:
    """Keep `data` (the bytes read from `source`) as the run's snapshot; written whole or not at all."""
    folder = run_private_dir(run_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{SNAPSHOT_STEM}{source.suffix.lower()}"
    write_atomically(target, lambda out: out.write(data))
    return target
