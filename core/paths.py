"""Where the app keeps its own data and finds its bundled resources, per OS and inside a PyInstaller bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "CoupaDownloads"
RUN_PRIVATE_DIR = ".coupadownloads"  # inside a run folder: the journal, the input snapshot, the run's log
JOURNAL_NAME = "journal.sqlite3"


def app_data_dir() -> Path:
    """The app's private data folder (browser profiles, the shared session, logs). `COUPA_DATA_DIR` overrides it."""
    override = os.environ.get("COUPA_DATA_DIR")
    if override:
        path = Path(override).expanduser()
    elif sys.platform == "win32":
        path = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / APP_NAME
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Application Support" / APP_NAME
    else:
        path = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP_NAME
    path.mkdir(parents=True, exist_ok=True)
    if sys.platform != "win32":
        # The folder holds session cookies: readable by this user only.
        path.chmod(0o700)
    return path


def profiles_dir() -> Path:
    """The app's browser profiles: temporary copies per worker, and the sign-in browser's kept profile."""
    return app_data_dir() / "profiles"


def resource_path(name: str) -> Path:
    """A file from `resources/`, whether running from source or from a PyInstaller bundle (`sys._MEIPASS`)."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "resources" / name


def run_private_dir(run_dir: Path) -> Path:
    """A run's bookkeeping folder: journal, input snapshot and log (never cookies)."""
    return run_dir / RUN_PRIVATE_DIR


def journal_path(run_dir: Path) -> Path:
    return run_private_dir(run_dir) / JOURNAL_NAME
