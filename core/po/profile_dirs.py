"""The app's own temporary browser profiles: each records the process that owns it, so that the profiles of a worker
killed with `kill -9` (which never got to delete its own) are swept at the next start, and nothing else ever is.

Only folders under the app's data folder that carry our owner record are candidates, and only when that process no
longer runs (the same PID reused by another program does not count as alive: its start time differs).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import psutil

log = logging.getLogger(__name__)

OWNER_FILE = "coupadownloads-owner"
START_TIME_TOLERANCE = 1.0  # seconds: start times are read back from the system, not stored exactly


def _start_time(pid: int) -> float | None:
    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def make_profile_dir(root: Path, name: str) -> Path:
    """A new temporary profile folder under `root`, recording this process as its owner."""
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root))
    pid = os.getpid()
    (folder / OWNER_FILE).write_text(f"{pid} {_start_time(pid)}", encoding="utf-8")
    return folder


def _owner_alive(folder: Path) -> bool:
    try:
        pid_text, started_text = (folder / OWNER_FILE).read_text(encoding="utf-8").split()
        pid, started = int(pid_text), float(started_text)
    except (OSError, ValueError):
        return True  # no readable record: not provably ours, never swept
    now_started = _start_time(pid)
    # A PID the system gave to another program since has another start time.
    return now_started is not None and abs(now_started - started) < START_TIME_TOLERANCE


def sweep_dead_profiles(root: Path) -> int:
    """Delete the temporary profiles under `root` whose owner process is gone; returns how many."""
    if not root.is_dir():
        return 0
    swept = 0
    for folder in root.iterdir():
        if folder.is_dir() and (folder / OWNER_FILE).is_file() and not _owner_alive(folder):
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    if swept:
        log.info("Removed %d browser profile(s) left by workers that no longer run.", swept)
    return swept
