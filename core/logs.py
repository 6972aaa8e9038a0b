"""Logging to a rotating file in the app's data folder. Never logs cookies (nothing here sees them)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from core.paths import app_data_dir

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(processName)s %(name)s: %(message)s"


def setup_logging(name: str = "coupadownloads", level: int = logging.INFO) -> Path:
    """Send this process's log records to `<app data>/logs/<name>.log` (1 MB x 3). Returns the file's path."""
    folder = app_data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.log"
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    # Selenium and urllib3 log every HTTP exchange with the driver at DEBUG/INFO, extract-msg every stream an e-mail
    # lacks: too much for a user's log.
    for noisy in ("selenium", "urllib3", "extract_msg", "websocket"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path
