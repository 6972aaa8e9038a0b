"""One typed settings schema for a run: defaults, environment overrides, validation.

The CLI and the window both build a `RunConfig`; nothing else reads the environment for run settings.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from core.errors import InputError
from core.paths import app_data_dir, journal_path, run_private_dir
from core.urls import DEFAULT_PO_URL_TEMPLATE
from core.worker_count import MAX_WORKERS

BROWSERS = ("edge", "chrome", "chromium")
MAX_DOWNLOADS_PER_WORKER = 8

# Environment variables that override saved settings (PRODUCT.md, "Interfaces").
ENV_OVERRIDES = {
    "COUPA_BASE_URL": "base_url",
    "COUPA_BROWSER": "browser",
    "COUPA_BROWSER_BINARY": "browser_binary",
    "COUPA_DRIVER": "driver_path",
    "COUPA_PROFILE_DIR": "profile_dir",
    "COUPA_WORKERS": "workers",
}


# The remembered settings the CLI shares with the window: key (= RunConfig field) -> type.
SETTINGS_FILE = "settings.ini"
SETTINGS_GROUP = "run"
SAVED_SETTINGS: dict[str, type] = {
    "base_url": str,
    "browser": str,
    "browser_binary": str,
    "driver_path": str,
    "profile_dir": str,
    "workers": int,
    "downloads_per_worker": int,
    "headless": bool,
    "po_url_template": str,
    "requisition_fallback": bool,
}


@dataclass(frozen=True)
class RunConfig:
    input_path: Path
    output_dir: Path
    base_url: str
    workers: int | None = 1  # None means "auto"
    downloads_per_worker: int = 4
    po_url_template: str = DEFAULT_PO_URL_TEMPLATE
    sheet: str | None = None
    po_column: str | None = None
    browser: str = "chromium"
    browser_binary: str | None = None
    driver_path: str | None = None
    profile_dir: str | None = None  # a browser profile to start from (copied, never used live)
    headless: bool = True
    requisition_fallback: bool = True
    redo_completed: bool = False
    resume: bool = False
    limit: int | None = None
    page_timeout: float = 45.0  # seconds for one page load before it counts as hung
    settle_timeout: float = 8.0  # seconds to wait for scripts (comments) after the page is interactive
    sign_in_timeout: float = 600.0  # seconds a visible browser waits for a person to sign in
    headless_sign_in_timeout: float = 20.0  # seconds a headless run lets seamless SSO complete before giving up
    max_po_attempts: int = 3  # a PO is tried at most this many times when its worker dies (restarted twice)
    cancel_grace: float = 5.0  # seconds workers get to stop politely before they are killed
    autoscale_interval: float = 60.0  # seconds between two checks of the autoscaling rule (--workers auto)
    memory_interval: float = 2.0  # seconds between two readings of system memory
    memory_cooldown: float = 15.0  # seconds between two memory-driven changes of the worker count

    @property
    def portal_origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def private_dir(self) -> Path:
        return run_private_dir(self.output_dir)

    @property
    def journal_path(self) -> Path:
        return journal_path(self.output_dir)

    @property
    def interactive_sign_in(self) -> bool:
        return not self.headless

    def validated(self) -> RunConfig:
        """Check every value; raise InputError with a message that says what to change."""
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"The portal URL {self.base_url!r} is not a web address. Use e.g. https://yourcompany.coupahost.com "
                "(--base-url or COUPA_BASE_URL)."
            )
        if "{po}" not in self.po_url_template:
            raise InputError(f"The PO URL template {self.po_url_template!r} must contain {{po}}.")
        if self.workers is not None and not 1 <= self.workers <= MAX_WORKERS:
            raise InputError(f"Workers must be between 1 and {MAX_WORKERS}, or 'auto' (got {self.workers}).")
        if not 1 <= self.downloads_per_worker <= MAX_DOWNLOADS_PER_WORKER:
            raise InputError(
                f"Downloads per worker must be between 1 and {MAX_DOWNLOADS_PER_WORKER} "
                f"(got {self.downloads_per_worker})."
            )
        if self.browser not in BROWSERS:
            raise InputError(f"Unknown browser {self.browser!r}: choose one of {', '.join(BROWSERS)}.")
        if self.limit is not None and self.limit < 1:
            raise InputError(f"--limit must be at least 1 (got {self.limit}).")
        return replace(self, base_url=self.base_url.rstrip("/"))


def parse_workers(value: str | int | None) -> int | None:
    """'auto' -> None; otherwise an int (range checked by `RunConfig.validated`)."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "auto"):
        return None
    try:
        return int(value)
    except ValueError:
        raise InputError(f"Workers must be a number from 1 to {MAX_WORKERS} or 'auto' (got {value!r}).") from None


def env_overrides(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The settings given by environment variables, as RunConfig field values."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for variable, field_name in ENV_OVERRIDES.items():
        raw = environ.get(variable, "").strip()
        if raw:
            values[field_name] = parse_workers(raw) if field_name == "workers" else raw
    return values


def settings_path() -> Path:
    """The remembered settings: written by the window (QSettings, INI format), read here for the CLI too."""
    return app_data_dir() / SETTINGS_FILE


def saved_settings(path: Path | None = None) -> dict[str, object]:
    """The window's remembered run settings, as RunConfig field values (unknown or broken values are ignored)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path or settings_path(), encoding="utf-8")
    except (OSError, configparser.Error):
        return {}
    if not parser.has_section(SETTINGS_GROUP):
        return {}
    values: dict[str, object] = {}
    for key, raw in parser.items(SETTINGS_GROUP):
        kind = SAVED_SETTINGS.get(key)
        text = raw.strip().strip('"')
        if kind is None or not text:
            continue
        try:
            if kind is bool:
                values[key] = text.lower() == "true"
            elif key == "workers":
                values[key] = parse_workers(text)
            else:
                values[key] = kind(text)
        except (ValueError, InputError):
            continue
    return values
