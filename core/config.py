"""The settings of a run, resolved once: the remembered options (each declared once in `Settings`, with its type,
default and environment variable) and the validated `RunConfig` of one run.

The CLI, the many-machines CLI and the window all resolve settings here (command line > environment > saved
settings > defaults); nothing else reads the environment for run settings.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.errors import InputError
from core.paths import app_data_dir, journal_path
from core.urls import DEFAULT_PO_URL_TEMPLATE
from core.worker_count import MAX_WORKERS

BROWSERS = ("edge", "chrome", "chromium")
MAX_DOWNLOADS_PER_WORKER = 8
MAX_PAGES_PER_WORKER = 8  # POs one browser reads at once (tabs of that browser)
# What happens to saved e-mails (.msg/.eml): a PDF beside each and its attachments extracted, the PDF only, nothing.
EMAILS_PDF_AND_ATTACHMENTS = "pdf+attachments"
EMAILS_PDF = "pdf"
EMAILS_OFF = "off"
EMAIL_MODES = (EMAILS_PDF_AND_ATTACHMENTS, EMAILS_PDF, EMAILS_OFF)

# The remembered settings live in this INI file (the window writes it through QSettings), group "run".
SETTINGS_FILE = "settings.ini"
SETTINGS_GROUP = "run"


def _option(default: object, env: str = "") -> Any:
    """A remembered run option: its default, and the environment variable that may set it (PRODUCT.md)."""
    return field(default=default, metadata={"env": env})


@dataclass(frozen=True)
class Settings:
    """The run options a person chooses once and the app remembers, each declared here once with its type and
    default. Resolved in one order everywhere (`resolve_settings`): command line > environment > saved > default."""

    base_url: str = _option("", "COUPA_BASE_URL")
    browser: str = _option("", "COUPA_BROWSER")  # "" = the first installed of Edge, Chrome, Chromium
    browser_binary: str = _option("", "COUPA_BROWSER_BINARY")  # "" = the browser's usual place
    driver_path: str = _option("", "COUPA_DRIVER")  # "" = found on PATH or by Selenium Manager
    profile_dir: str = _option("", "COUPA_PROFILE_DIR")  # a browser profile to start from (copied, never used live)
    workers: int | None = _option(2, "COUPA_WORKERS")  # None means "auto"
    downloads_per_worker: int = _option(4)
    pages_per_worker: int = _option(4)  # POs one browser keeps in flight, each in a tab of its own
    headless: bool = _option(True)
    po_url_template: str = _option(DEFAULT_PO_URL_TEMPLATE)
    requisition_fallback: bool = _option(True)
    emails: str = _option(EMAILS_PDF_AND_ATTACHMENTS)  # one of EMAIL_MODES

    def to_text(self) -> dict[str, str]:
        """The values as the settings file holds them ("" = not set: the default applies)."""
        return {f.name: setting_text(getattr(self, f.name)) for f in fields(self)}

    def run_config(self, input_path: Path, output_dir: Path, **run_only: Any) -> RunConfig:
        """The validated RunConfig of these settings for one run (`run_only`: sheet, resume, limit, ...)."""
        if not self.base_url:
            raise InputError(
                "Which Coupa portal? Give --base-url https://yourcompany.coupahost.com (or set COUPA_BASE_URL)."
            )
        return RunConfig(
            input_path=input_path,
            output_dir=output_dir,
            base_url=self.base_url,
            workers=self.workers,
            downloads_per_worker=self.downloads_per_worker,
            pages_per_worker=self.pages_per_worker,
            po_url_template=self.po_url_template,
            browser=self.browser,
            browser_binary=self.browser_binary or None,
            driver_path=self.driver_path or None,
            profile_dir=self.profile_dir or None,
            headless=self.headless,
            requisition_fallback=self.requisition_fallback,
            emails=self.emails,
            **run_only,
        ).validated()


DEFAULTS = Settings()
SAVED_SETTINGS = tuple(f.name for f in fields(Settings))  # the keys of the settings file's group "run"


@dataclass(frozen=True)
class RunConfig:
    input_path: Path
    output_dir: Path
    base_url: str
    workers: int | None = DEFAULTS.workers  # None means "auto"
    downloads_per_worker: int = DEFAULTS.downloads_per_worker
    pages_per_worker: int = DEFAULTS.pages_per_worker
    po_url_template: str = DEFAULTS.po_url_template
    sheet: str | None = None
    po_column: str | None = None
    browser: str = DEFAULTS.browser
    browser_binary: str | None = None
    driver_path: str | None = None
    profile_dir: str | None = None
    headless: bool = DEFAULTS.headless
    requisition_fallback: bool = DEFAULTS.requisition_fallback
    emails: str = DEFAULTS.emails
    redo_completed: bool = False
    resume: bool = False
    retry: bool = False  # run again the FAILED, PARTIAL, CANCELLED and NO_ACCESS POs of the run in output_dir
    description: str = ""  # the user's words for this run, kept in the history
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
        if not 1 <= self.pages_per_worker <= MAX_PAGES_PER_WORKER:
            raise InputError(
                f"Pages per worker must be between 1 and {MAX_PAGES_PER_WORKER} (got {self.pages_per_worker})."
            )
        if self.browser and self.browser not in BROWSERS:
            raise InputError(f"Unknown browser {self.browser!r}: choose one of {', '.join(BROWSERS)}.")
        if self.emails not in EMAIL_MODES:
            raise InputError(f"Unknown e-mail handling {self.emails!r}: choose one of {', '.join(EMAIL_MODES)}.")
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
    """The settings given by environment variables (a broken value is an error: the person just typed it)."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for option in fields(Settings):
        raw = environ.get(option.metadata["env"], "").strip() if option.metadata["env"] else ""
        if raw:
            values[option.name] = _parse(option.name, raw)
    return values


def settings_path() -> Path:
    """The remembered settings: written by the window (QSettings, INI format), read here for the CLI too."""
    return app_data_dir() / SETTINGS_FILE


def saved_settings(path: Path | None = None) -> dict[str, object]:
    """The remembered settings found in the settings file."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path or settings_path(), encoding="utf-8")
    except (OSError, configparser.Error):
        return {}
    if not parser.has_section(SETTINGS_GROUP):
        return {}
    return settings_from_text(dict(parser.items(SETTINGS_GROUP)))


def settings_from_text(raw: Mapping[str, object]) -> dict[str, object]:
    """Remembered values as text (the settings file, QSettings) -> typed values; unknown keys and broken values are
    left out, so their defaults apply (a stale file never stops the app)."""
    values: dict[str, object] = {}
    for key in SAVED_SETTINGS:
        text = str(raw.get(key) or "").strip().strip('"')
        if not text:
            continue
        try:
            values[key] = _parse(key, text)
        except (ValueError, InputError):
            continue
    return values


def resolve_settings(
    command_line: Mapping[str, object] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    saved: Mapping[str, object] | None = None,
) -> Settings:
    """Each option from the first place that gives it: command line (None or "" = not given) > environment >
    saved settings (the settings file unless given) > default."""
    given: dict[str, Any] = {}
    for key, value in (command_line or {}).items():
        if value is not None and value != "":
            # Typed text ("auto", "3") is read like the environment's; typed values are taken as they are.
            given[key] = _parse(key, value) if isinstance(value, str) and _KINDS[key] is not str else value
    remembered = saved_settings() if saved is None else saved
    values: dict[str, Any] = {**remembered, **env_overrides(environ), **given}
    return replace(DEFAULTS, **values)


def _parse(key: str, text: str) -> object:
    kind = _KINDS[key]
    if kind is bool:
        return text.lower() in ("true", "1", "yes")
    if key == "workers":
        return parse_workers(text)
    return kind(text)


def setting_text(value: object) -> str:
    if value is None:
        return "auto"  # the only option whose None is a choice: workers
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_TYPES_BY_ANNOTATION: dict[str, type] = {"bool": bool, "int": int, "int | None": int, "str": str}
_KINDS = {f.name: _TYPES_BY_ANNOTATION[str(f.type)] for f in fields(Settings)}
