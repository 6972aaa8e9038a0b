"""Many machines, the node side: the same per-PO job (`core.po.job.process_po`) as a Celery task over a Redis broker.

A node (`run_node`) is a Celery worker on a signed-in machine. Each pool process starts one browser when it boots
(`worker_process_init`) and reuses it for every task; the browser is quit when the process ends. The submitting
side (enqueue one task per PO, collect results into the journal and report) is `core.distributed_run`.

Never losing work: tasks are acknowledged late and re-delivered when a node is lost (Redis visibility timeout, or
`task_reject_on_worker_lost` when only a pool process dies). Re-delivery and double submission are made harmless in
Redis: a finished PO has a result key (checked before any work), a PO being worked on has a lease key refreshed by a
heartbeat (a second copy waits until the lease is released or expires), and each real start counts one attempt
(capped by `max_po_attempts`, as in local mode). Only plain settings and results travel through Redis: never cookies.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
from celery import Celery  # type: ignore[import-untyped]
from celery.signals import (  # type: ignore[import-untyped]
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
    worker_shutdown,
)

from core import autoscale
from core.config import RunConfig
from core.errors import EXIT_BROWSER, EXIT_SIGN_IN, BrowserCrashed, BrowserStartError, Cancelled, SignInRequired
from core.events import Event
from core.models import PoFacts, PoResult, PoStatus, PoTask, SavedFile
from core.po.job import WorkerContext, process_po, unexpected_failure
from core.po.session import check_signed_in

log = logging.getLogger(__name__)

QUEUE = "coupadownloads.po"  # the one job type today: "po" -> this Redis list
JOB_TYPE = "po"
TASK_NAME = "coupadownloads.process_po"
KEY_PREFIX = "coupadownloads"
RESULT_TTL = 30 * 24 * 3600  # results, attempt counters and queued markers outlive any realistic run
DEFAULT_VISIBILITY_TIMEOUT = 3600.0  # a lost node's tasks come back after this; longer POs are guarded by the lease
DEFAULT_LEASE = 60.0
POLL_SECONDS = 0.5
MGET_CHUNK = 500

# What the submitter decides for a run and sends with each task (plain values, no machine paths but the output root).
TASK_SETTINGS = ("output_dir", "base_url", "po_url_template", "requisition_fallback", "max_po_attempts")


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


def redact(url: str) -> str:
    """The broker URL without its password, for logs and the journal."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"


# -- the Celery app -----------------------------------------------------------------------------------------------


def make_app(
    broker_url: str,
    *,
    visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT,
    autoscale_interval: float = autoscale.DEFAULT_INTERVAL,
    per_type_cap: int = autoscale.PER_TYPE_CAP,
    total_cap: int = autoscale.TOTAL_CAP,
) -> Celery:
    app = Celery("coupadownloads", broker=broker_url, set_as_current=False)
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
        worker_proc_alive_timeout=180.0,  # a pool process starts a browser and signs in before it says "up"
        worker_autoscaler="core.autoscale:PendingWorkAutoscaler",
        worker_send_task_events=False,
    )
    app.conf[autoscale.CONF_INTERVAL] = autoscale_interval
    app.conf[autoscale.CONF_PER_TYPE_CAP] = per_type_cap
    app.conf[autoscale.CONF_TOTAL_CAP] = total_cap
    app.conf[autoscale.CONF_QUEUES] = {JOB_TYPE: QUEUE}
    app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)(_po_task)
    return app


# -- the node -----------------------------------------------------------------------------------------------------


@dataclass
class NodeSettings:
    broker_url: str
    config: RunConfig  # this machine's browser and portal settings; input/output are per task
    lease_seconds: float = DEFAULT_LEASE


@dataclass
class _NodeState:
    settings: NodeSettings
    cancel: threading.Event = field(default_factory=threading.Event)
    client: Any = None
    ctx: WorkerContext | None = None


_NODE: _NodeState | None = None  # set in the node's main process before the pool forks; one per pool process after


class FileLock:
    """Pool processes of one node sign in one at a time (the first signs in, the others reuse its session)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._thread_lock = threading.Lock()

    def __enter__(self) -> FileLock:
        self._thread_lock.acquire()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            if sys.platform != "win32":
                import fcntl

                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()


def configure_node(settings: NodeSettings) -> None:
    """Make this process a node: pool processes forked from now on start their browser at boot."""
    global _NODE
    _NODE = _NodeState(settings)
    worker_process_init.connect(_on_process_init, weak=False)
    worker_process_shutdown.connect(_on_process_shutdown, weak=False)


def _on_process_init(**_: Any) -> None:
    node = _node()
    node.cancel = threading.Event()
    node.client = redis.Redis.from_url(node.settings.broker_url)
    # Celery resets SIGTERM to "die at once" in pool processes; the autoscaler's shrink sends it to idle ones.
    # Exiting through Python instead runs worker_process_shutdown, which quits our browser.
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        _ensure_context(node)
    except (BrowserStartError, BrowserCrashed, SignInRequired, Cancelled) as exc:
        # The node checked sign-in at start; a failure here is retried when the first task arrives.
        log.error("Pool process %d could not start its browser: %s", os.getpid(), exc)


def _exit_on_term(signum: int, frame: Any) -> None:
    if _NODE is not None:
        _NODE.cancel.set()
    raise SystemExit(0)


def _on_process_shutdown(**_: Any) -> None:
    if _NODE is not None:
        _NODE.cancel.set()
        _drop_context(_NODE)


def _node() -> _NodeState:
    if _NODE is None:
        raise RuntimeError("This process is not a CoupaDownloads node (configure_node was not called).")
    return _NODE


def _ensure_context(node: _NodeState) -> WorkerContext:
    if node.ctx is not None:
        return node.ctx
    from core.paths import app_data_dir
    from core.run.worker import start_context

    config = node.settings.config
    lock = FileLock(app_data_dir() / "sessions" / ".node-sign-in.lock")
    ctx = start_context(os.getpid(), config, _log_event, node.cancel, lock)
    try:
        ctx.session.sign_in("node process starting", verify=True)
    except BaseException:
        ctx.downloader.close()
        ctx.session.browser.quit()
        raise
    node.ctx = ctx
    log.info("Pool process %d is ready (browser signed in to %s).", os.getpid(), config.base_url)
    return ctx


def _drop_context(node: _NodeState) -> None:
    ctx, node.ctx = node.ctx, None
    if ctx is not None:
        try:
            ctx.downloader.close()
        finally:
            ctx.session.browser.quit()


def _log_event(event: Event) -> None:
    log.debug("%s", event)


_RELEASE_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
_EXTEND_LUA = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
)


class _Lease:
    """Our claim on one PO while we work on it, kept alive by a heartbeat; it expires if this node dies."""

    def __init__(self, client: Any, key: str, owner: str, seconds: float) -> None:
        self.client, self.key, self.owner = client, key, owner
        self.millis = int(seconds * 1000)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> bool:
        if not self.client.set(self.key, self.owner, nx=True, px=self.millis):
            return False
        self._thread = threading.Thread(target=self._beat, name="lease-heartbeat", daemon=True)
        self._thread.start()
        return True

    def remaining(self) -> float:
        return max(int(self.client.pttl(self.key)), 0) / 1000

    def _beat(self) -> None:
        while not self._stop.wait(self.millis / 3000):
            try:
                self.client.eval(_EXTEND_LUA, 1, self.key, self.owner, self.millis)
            except redis.RedisError as exc:  # the lease may lapse; the result key still prevents a second result
                log.warning("Lease heartbeat failed for %s: %s", self.key, exc)

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.client.eval(_RELEASE_LUA, 1, self.key, self.owner)


def _po_task(task: Any, settings: dict[str, Any], po: dict[str, Any]) -> dict[str, Any]:
    """The Celery task: one PO, at most once to a result, whatever the number of deliveries."""
    node = _node()
    client = node.client
    run_id = str(settings["run_id"])
    po_task = PoTask(str(po["po_key"]), str(po["folder_name"]), tuple(po["levels"]), tuple(po["row_numbers"]))
    result_key = redis_key("result", run_id, po_task.po_key)
    if client.exists(result_key):
        log.info("PO %s of run %s already has a result; this delivery is a duplicate.", po_task.po_key, run_id)
        return {"po_key": po_task.po_key, "duplicate": True}
    owner = f"{task.request.hostname}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    lease = _Lease(client, redis_key("lease", run_id, po_task.po_key), owner, node.settings.lease_seconds)
    if not lease.acquire():
        wait = max(lease.remaining(), 1.0)
        log.info("PO %s is being worked on elsewhere; checking again in %.0f s.", po_task.po_key, wait)
        raise task.retry(countdown=wait, max_retries=None)
    attempts_key = redis_key("attempts", run_id, po_task.po_key)
    try:
        if client.exists(result_key):  # finished between our first check and our lease
            return {"po_key": po_task.po_key, "duplicate": True}
        attempt = int(client.incr(attempts_key))
        client.expire(attempts_key, RESULT_TTL)
        overrides = {k: settings[k] for k in TASK_SETTINGS if k in settings}
        overrides["output_dir"] = Path(settings["output_dir"])
        config = replace(node.settings.config, **overrides)
        try:
            result, files = _work(node, config, po_task, attempt)
        except _TryLater as later:
            if not later.counts:
                client.decr(attempts_key)
            raise task.retry(countdown=later.seconds, max_retries=None) from None
        payload = encode_result(result, files, node=task.request.hostname, output_dir=str(config.output_dir))
        client.set(result_key, payload, nx=True, ex=RESULT_TTL)
        return {"po_key": po_task.po_key, "status": result.status.value}
    finally:
        lease.release()


class _TryLater(Exception):
    def __init__(self, seconds: float, *, counts: bool) -> None:
        super().__init__(seconds)
        self.seconds = seconds
        self.counts = counts  # does this count as one of the PO's attempts (its browser died on it)?


def _work(node: _NodeState, config: RunConfig, po: PoTask, attempt: int) -> tuple[PoResult, list[SavedFile]]:
    if attempt > config.max_po_attempts:
        reason = "the node working on it was lost or its browser died"
        return _failed(po, attempt - 1, f"Gave up after {attempt - 1} tries: {reason}"), []
    if config.base_url.rstrip("/") != node.settings.config.base_url.rstrip("/"):
        message = f"This node is signed in to {node.settings.config.base_url}, not {config.base_url}."
        return _failed(po, attempt, message), []
    try:
        ctx = _ensure_context(node)
    except (BrowserStartError, BrowserCrashed) as exc:
        log.error("No browser for PO %s: %s", po.po_key, exc)
        raise _TryLater(10.0, counts=False) from exc
    except SignInRequired as exc:
        _sign_in_lost(exc)
        raise _TryLater(30.0, counts=False) from exc
    ctx.config = config
    try:
        result, files = process_po(ctx, po, attempt)
    except BrowserCrashed as exc:
        log.warning("The browser died on PO %s (%s); it restarts and the PO is tried again.", po.po_key, exc)
        _drop_context(node)
        raise _TryLater(1.0, counts=True) from exc
    except SignInRequired as exc:
        _sign_in_lost(exc)
        raise _TryLater(30.0, counts=False) from exc
    except Cancelled as exc:
        raise _TryLater(1.0, counts=False) from exc
    except Exception as exc:  # a bug or an unexpected page must cost one PO, not the node
        log.exception("PO %s failed unexpectedly", po.po_key)
        result, files = unexpected_failure(po, attempt, exc), []
    if result.status is PoStatus.CANCELLED:  # the process is stopping: let another one do it
        raise _TryLater(1.0, counts=False)
    try:
        ctx.session.browser.reset_page_state()
    except BrowserCrashed:
        _drop_context(node)
    return result, files


def _failed(po: PoTask, attempts: int, message: str) -> PoResult:
    return PoResult(
        po.po_key,
        PoStatus.FAILED,
        error_message=message,
        attempts=max(attempts, 1),
        finished_at=datetime.now().isoformat(timespec="seconds"),
    )


def _sign_in_lost(exc: SignInRequired) -> None:
    """This machine's session is gone and SSO cannot renew it alone: stop taking work (exit code 3)."""
    node = _node()
    log.error("%s The node stops taking work; sign in on this machine and start it again.", exc)
    node.client.set(redis_key("node-sign-in", _hostname()), str(exc), ex=3600)
    os.kill(os.getppid(), signal.SIGTERM)  # the node's main process: a warm shutdown (running tasks finish)


def _hostname() -> str:
    return os.environ.get("COUPA_NODE_NAME", "")


def run_node(
    settings: NodeSettings,
    *,
    name: str | None = None,
    concurrency: int = 1,
    max_workers: int | None = None,
    visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT,
    autoscale_interval: float = autoscale.DEFAULT_INTERVAL,
    loglevel: str = "INFO",
    logfile: str | None = None,
) -> int:
    """Run a node until it is stopped. Exit codes: 0 stopped, 3 cannot reach the portal signed in, 4 no browser."""
    config = settings.config
    hostname = name or f"coupa@{socket.gethostname()}"
    os.environ["COUPA_NODE_NAME"] = hostname  # inherited by the pool processes
    try:
        signed_in = check_signed_in(config)
    except BrowserStartError as exc:
        log.error("%s", exc)
        return EXIT_BROWSER
    if not signed_in:
        log.error(
            "This machine cannot reach %s signed in. Sign in once on this machine (the window's Sign in button, or "
            "`main.py run --visible`), then start the node again.",
            config.base_url,
        )
        return EXIT_SIGN_IN
    app = make_app(settings.broker_url, visibility_timeout=visibility_timeout, autoscale_interval=autoscale_interval)
    configure_node(settings)
    client = redis.Redis.from_url(settings.broker_url)
    client.delete(redis_key("node-sign-in", hostname))
    sweeper = _LostWorkSweeper(settings.broker_url, visibility_timeout)
    worker_ready.connect(sweeper.start, weak=False)
    worker_shutdown.connect(sweeper.stop, weak=False)
    options: dict[str, Any] = {"concurrency": concurrency}
    if max_workers:
        options["autoscale"] = (max_workers, min(concurrency, max_workers))
    worker = app.Worker(
        hostname=hostname,
        pool="prefork",
        queues=[QUEUE],
        loglevel=loglevel,
        logfile=logfile,
        quiet=True,
        optimization="fair",
        without_gossip=True,
        without_mingle=True,
        **options,
    )
    log.info("Node %s: broker %s, portal %s.", hostname, redact(settings.broker_url), config.base_url)
    worker.start()
    lost = client.get(redis_key("node-sign-in", hostname))
    if lost:
        return EXIT_SIGN_IN
    return int(worker.exitcode or 0)


class _LostWorkSweeper:
    """Puts a lost node's unacknowledged tasks back on the queue once they are older than the visibility timeout.

    Kombu does this too, but only on every 10th of its 10-second checks (so up to ~100 s late); a node's loss should
    cost about one visibility timeout. It uses Kombu's own restore, so the rule is Kombu's: only messages delivered
    longer ago than the visibility timeout; the lease and result keys make a still-running one harmless.
    """

    def __init__(self, broker_url: str, visibility_timeout: float) -> None:
        self.broker_url = broker_url
        self.visibility_timeout = visibility_timeout
        self.every = max(1.0, min(60.0, visibility_timeout / 4))
        self._stop = threading.Event()

    def start(self, **_: Any) -> None:
        threading.Thread(target=self._run, name="lost-work-sweeper", daemon=True).start()

    def stop(self, **_: Any) -> None:
        self._stop.set()

    def _run(self) -> None:
        from kombu import Connection  # type: ignore[import-untyped]

        options = {"visibility_timeout": self.visibility_timeout}
        with Connection(self.broker_url, transport_options=options) as connection:
            while not self._stop.wait(self.every):
                try:
                    connection.default_channel.qos.restore_visible(num=100, interval=1)
                except Exception as exc:  # the broker is briefly away: the next sweep tries again
                    log.warning("Could not check for lost tasks: %s", exc)
