"""Many machines, what the submitter, the nodes and the collector agree on: the Celery app's settings, task names,
Redis keys, the result format, and the rules a node applies to every task before running it.

No Selenium and no browser here: `submit` and `collect` import only this side of the wing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from celery import Celery  # type: ignore[import-untyped]

from core.config import EMAIL_MODES
from core.models import PoFacts, PoResult, PoStatus, PoTask, SavedFile
from core.urls import po_url, same_origin
from core.workbook.spreadsheet import parse_po_number

QUEUE = "coupadownloads.po"  # the one job type today: "po" -> this Redis list
JOB_TYPE = "po"
TASK_NAME = "coupadownloads.process_po"
KEY_PREFIX = "coupadownloads"
RESULT_TTL = 30 * 24 * 3600  # results, attempt counters, markers and run manifests outlive any realistic run
DEFAULT_VISIBILITY_TIMEOUT = 3600.0  # a lost node's tasks come back after this; longer POs are guarded by the lease
POLL_SECONDS = 0.5
MGET_CHUNK = 500

# Limits a node holds every task to: a message is input from the network, not from the person at this machine.
MAX_TASK_BYTES = 64 * 1024
MAX_RUN_FOLDER_CHARS = 240
MAX_LEVELS = 10
MAX_LEVEL_CHARS = 200
MAX_ROW_NUMBERS = 10_000
MAX_ROW_NUMBER = 10_000_000
MAX_ATTEMPTS = 10
MAX_TEMPLATE_CHARS = 500
MAX_REASON_CHARS = 300  # a rejection quotes the bad value; a huge one is cut in logs and results
RUN_ID_RE = re.compile(r"[0-9a-f]{12}")
TASK_SETTINGS = (
    "run_id",
    "run_folder",
    "run_path",
    "base_url",
    "po_url_template",
    "requisition_fallback",
    "emails",
    "max_po_attempts",
)
TASK_PO_FIELDS = ("po_key", "folder_name", "levels", "row_numbers")


# -- the broker ---------------------------------------------------------------------------------------------------


def broker_url(url: str) -> str:
    """The URL every client uses. `rediss://` verifies the server's certificate unless the URL says otherwise:
    kombu's own default for a bare `rediss://` is not to check it at all."""
    parts = urlsplit(url)
    if parts.scheme != "rediss":
        return url
    query = dict(parse_qsl(parts.query))
    query.setdefault("ssl_cert_reqs", "required")
    return urlunsplit(parts._replace(query=urlencode(query)))


def redact(url: str) -> str:
    """The broker URL without its password, for logs, messages and the journal."""
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def redis_client(url: str) -> Any:  # Any: redis-py's sync/async union return types
    return redis.Redis.from_url(broker_url(url), socket_timeout=30)


def make_app(broker: str, *, visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT) -> Celery:
    """The Celery app as both sides see it (the node adds its task and its worker settings)."""
    app = Celery("coupadownloads", broker=broker_url(broker), set_as_current=False)
    app.conf.update(
        # JSON only: a message can never make a node unpickle code.
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,  # results live under our own keys (idempotent, read by the collector)
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a node holds only what it is about to work on; the rest stays for others
        task_default_queue=QUEUE,
        broker_transport_options={"visibility_timeout": visibility_timeout},
        broker_connection_retry_on_startup=True,
        worker_send_task_events=False,
    )
    return app


# -- Redis keys and results ---------------------------------------------------------------------------------------


def redis_key(kind: str, run_id: str, po_key: str = "") -> str:
    return f"{KEY_PREFIX}:{kind}:{run_id}:{po_key}" if po_key else f"{KEY_PREFIX}:{kind}:{run_id}"


def task_id(run_id: str, po_key: str) -> str:
    return f"{run_id}:{po_key}"


def encode_result(result: PoResult, files: Iterable[SavedFile], *, node: str, output_dir: str) -> str:
    data = asdict(result)
    data["status"] = result.status.value
    return json.dumps(
        {"result": data, "files": [asdict(f) for f in files], "node": node, "output_dir": output_dir},
        ensure_ascii=False,
    )


def decode_result(text: str | bytes) -> tuple[PoResult, list[SavedFile], dict[str, str]]:
    data = json.loads(text)
    fields = dict(data["result"])
    fields["status"] = PoStatus(fields["status"])
    fields["facts"] = PoFacts.from_dict(fields["facts"]) if fields.get("facts") else None
    files = [SavedFile(str(f["name"]), int(f["size"]), str(f["sha256"])) for f in data["files"]]
    return PoResult(**fields), files, {"node": data.get("node", ""), "output_dir": data.get("output_dir", "")}


# -- tasks ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSettings:
    """What the submitter decides for a run and sends with each of its tasks (plain values, no machine paths)."""

    run_id: str
    run_folder: str  # the run's folder under each node's output root, '/'-separated ('' for the root itself)
    run_path: str  # the run folder as the submitter sees it: used by a node that sees the share at the same path
    base_url: str
    po_url_template: str
    requisition_fallback: bool
    emails: str  # one of core.config.EMAIL_MODES
    max_po_attempts: int


def task_args(settings: RunSettings, po: PoTask) -> list[dict[str, Any]]:
    return [asdict(settings), asdict(po)]


@dataclass(frozen=True)
class AcceptedTask:
    settings: RunSettings
    po: PoTask
    output_dir: Path  # the run folder on this node: under its output root


class TaskRejected(Exception):
    """A task this node will not run; `run_id` and `po_key` are set when they were safe to read (a result can be
    stored for the collector)."""

    def __init__(self, reason: str, run_id: str = "", po_key: str = "") -> None:
        reason = reason if len(reason) <= MAX_REASON_CHARS else reason[:MAX_REASON_CHARS] + "..."
        super().__init__(reason)
        self.reason, self.run_id, self.po_key = reason, run_id, po_key


def validate_task(settings: object, po: object, *, base_url: str, output_root: Path) -> AcceptedTask:
    """Check a task the way the command line checks options; raise TaskRejected with the reason."""
    if not isinstance(settings, Mapping) or not isinstance(po, Mapping):
        raise TaskRejected("the task's settings and PO must be JSON objects")
    run_id = settings.get("run_id")
    run_id = run_id if isinstance(run_id, str) and RUN_ID_RE.fullmatch(run_id) else ""
    po_key = po.get("po_key")
    po_key = po_key if isinstance(po_key, str) and po_key.isdigit() and len(po_key) <= 30 else ""
    try:
        if not run_id:
            raise ValueError("its run id is not one submit makes")
        if not po_key:
            raise ValueError("its PO key is not a PO number")
        if len(json.dumps([settings, po], default=str)) > MAX_TASK_BYTES:
            raise ValueError(f"it is larger than {MAX_TASK_BYTES} bytes")
        run = _run_settings(settings, run_id, base_url)
        task = _po_task(po, po_key)
        return AcceptedTask(run, task, node_run_folder(output_root, run.run_folder, run.run_path))
    except ValueError as exc:
        raise TaskRejected(str(exc), run_id, po_key) from None


def _exact_keys(data: Mapping[Any, Any], keys: tuple[str, ...], what: str) -> None:
    if set(data) != set(keys):
        raise ValueError(f"its {what} must have exactly {', '.join(keys)}")


def _run_settings(settings: Mapping[Any, Any], run_id: str, base_url: str) -> RunSettings:
    _exact_keys(settings, TASK_SETTINGS, "settings")
    portal, template, attempts = settings["base_url"], settings["po_url_template"], settings["max_po_attempts"]
    if not isinstance(portal, str) or not same_origin(portal, base_url):
        raise ValueError(f"its portal {portal!r} is not this node's portal {base_url}")
    if not isinstance(template, str) or len(template) > MAX_TEMPLATE_CHARS or "{po}" not in template:
        raise ValueError("its PO URL template must be text with {po}")
    try:
        url = po_url(template, base_url, "1234567")
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"its PO URL template {template!r} is not a template: {exc}") from None
    if not same_origin(url, base_url):
        raise ValueError(f"its PO URL template leads to {url}, off this node's portal {base_url}")
    if not isinstance(settings["requisition_fallback"], bool):
        raise ValueError("its requisition_fallback must be true or false")
    if settings["emails"] not in EMAIL_MODES:
        raise ValueError(f"its e-mail handling must be one of {', '.join(EMAIL_MODES)}")
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= MAX_ATTEMPTS:
        raise ValueError(f"its max_po_attempts must be 1 to {MAX_ATTEMPTS}")
    folder, path = settings["run_folder"], settings["run_path"]
    if not isinstance(folder, str) or not isinstance(path, str) or len(path) > MAX_RUN_FOLDER_CHARS * 4:
        raise ValueError("its run folder and path must be text")
    fallback, emails = settings["requisition_fallback"], settings["emails"]
    return RunSettings(run_id, folder, path, base_url, template, fallback, emails, attempts)


def _po_task(po: Mapping[Any, Any], po_key: str) -> PoTask:
    _exact_keys(po, TASK_PO_FIELDS, "PO")
    folder_name, levels, rows = po["folder_name"], po["levels"], po["row_numbers"]
    try:
        expected = parse_po_number(folder_name)
    except ValueError:
        expected = ("", "")
    if expected != (po_key, folder_name):
        raise ValueError(f"its folder name {folder_name!r} is not the PO {po_key}")
    if not isinstance(levels, list) or len(levels) > MAX_LEVELS:
        raise ValueError(f"it may have at most {MAX_LEVELS} folder levels")
    if not all(isinstance(level, str) and len(level) <= MAX_LEVEL_CHARS for level in levels):
        raise ValueError(f"each folder level must be text of at most {MAX_LEVEL_CHARS} characters")
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_ROW_NUMBERS:
        raise ValueError(f"it must name 1 to {MAX_ROW_NUMBERS} input rows")
    if not all(type(row) is int and 1 <= row <= MAX_ROW_NUMBER for row in rows):
        raise ValueError("its input rows must be row numbers")
    return PoTask(po_key, folder_name, tuple(levels), tuple(rows))


def run_folder_name(output_root: Path, run_dir: Path) -> str:
    """The submitter's run folder as the nodes name it: its path under the shared root, '/'-separated."""
    try:
        relative = run_dir.resolve().relative_to(output_root.resolve())
    except ValueError:
        raise ValueError(f"{run_dir} is not inside the shared folder {output_root}") from None
    return "/".join(relative.parts)


def node_run_folder(output_root: Path, run_folder: str, run_path: str) -> Path:
    """The run folder on this node, always under its output root: the submitter's own path when this node sees the
    share at the same place, else the run's relative folder under the root. No way out: no `..`, drive, absolute
    path or symbolic link leading elsewhere."""
    if len(run_folder) > MAX_RUN_FOLDER_CHARS:
        raise ValueError(f"its run folder is longer than {MAX_RUN_FOLDER_CHARS} characters")
    if "\\" in run_folder or "\x00" in run_folder + run_path:
        raise ValueError(f"its run folder {run_folder!r} is not a plain relative path")
    parts = PurePosixPath(run_folder).parts
    if PureWindowsPath(run_folder).drive or PurePosixPath(run_folder).is_absolute() or ".." in parts:
        raise ValueError(f"its run folder {run_folder!r} leaves this node's output root")
    root = output_root.resolve()
    if run_path and Path(run_path).is_absolute():
        same_place = Path(run_path).resolve()
        if same_place.is_relative_to(root):
            return same_place
    folder = root.joinpath(*parts).resolve()
    if not folder.is_relative_to(root):
        raise ValueError(f"its run folder {run_folder!r} leads to {folder}, outside this node's output root {root}")
    return folder
