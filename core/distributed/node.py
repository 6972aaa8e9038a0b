"""Many machines, the node side: the same per-PO job (`core.po.job.process_po`) as a Celery task over a Redis broker.

A node (`run_node`) is a Celery worker on a signed-in machine, with one browser per pool slot, started once and
reused for every task. The pool follows the platform (`core.distributed.cli.default_pool`): prefork processes on
Linux and macOS, threads on Windows (where prefork cannot run), or solo. In the threads and solo pools nothing on
a task's path needs POSIX (no signals, fork or process groups): the node stops itself through Celery's own
shutdown flag.

Every task is validated first (`core.distributed.protocol.validate_task`): a task for another portal, or one that
would write outside this node's `--output-root`, is rejected with a logged reason and a result saying so.

Never losing work: tasks are acknowledged late and re-delivered when a node is lost (Redis visibility timeout, or
`task_reject_on_worker_lost` when only a pool process dies). Re-delivery and double submission are made harmless in
Redis: a finished PO has a result key (checked before any work), a PO being worked on has a lease key refreshed by a
heartbeat (a second copy waits until the lease is released or expires), and each real start counts one attempt
(capped by `max_po_attempts`, as in local mode). Only plain settings and results travel through Redis: never cookies.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from celery import Celery  # type: ignore[import-untyped]
from celery.signals import (  # type: ignore[import-untyped]
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
)
from celery.worker import state as worker_state  # type: ignore[import-untyped]

from core.config import RunConfig
from core.distributed import autoscale
from core.distributed.browser_slots import BrowserSlots
from core.distributed.lease import Lease
from core.distributed.protocol import (
    DEFAULT_VISIBILITY_TIMEOUT,
    JOB_TYPE,
    QUEUE,
    RESULT_TTL,
    TASK_NAME,
    AcceptedTask,
    TaskRejected,
    broker_url,
    encode_result,
    make_app,
    redact,
    redis_client,
    redis_key,
    validate_task,
)
from core.errors import (
    EXIT_BROWSER,
    EXIT_SIGN_IN,
    EXIT_UNREACHABLE,
    BrowserCrashed,
    BrowserStartError,
    Cancelled,
    PortalUnreachable,
    SignInRequired,
)
from core.models import PoResult, PoStatus, SavedFile
from core.po.job import process_po, unexpected_failure
from core.po.session import check_signed_in

log = logging.getLogger(__name__)

DEFAULT_LEASE = 60.0
AUTOSCALER = "core.distributed.autoscale:PendingWorkAutoscaler"
SIGN_IN_CHECK_SECONDS = 1.0


def make_node_app(
    broker: str,
    *,
    visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT,
    autoscale_interval: float = autoscale.DEFAULT_INTERVAL,
    per_type_cap: int = autoscale.PER_TYPE_CAP,
    total_cap: int = autoscale.TOTAL_CAP,
) -> Celery:
    """The shared app plus what only a node needs: the task itself and the worker's settings."""
    app = make_app(broker, visibility_timeout=visibility_timeout)
    app.conf.update(
        worker_proc_alive_timeout=180.0,  # a pool process starts a browser and signs in before it says "up"
        worker_autoscaler=AUTOSCALER,
    )
    app.conf[autoscale.CONF_INTERVAL] = autoscale_interval
    app.conf[autoscale.CONF_PER_TYPE_CAP] = per_type_cap
    app.conf[autoscale.CONF_TOTAL_CAP] = total_cap
    app.conf[autoscale.CONF_QUEUES] = {JOB_TYPE: QUEUE}
    app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)(_po_task)
    return app


# -- the node's state ---------------------------------------------------------------------------------------------


@dataclass
class NodeSettings:
    broker_url: str
    config: RunConfig  # this machine's browser and portal settings; the run folder comes with each task
    output_root: Path  # every task writes under here, nowhere else
    pool: str  # prefork, threads or solo
    lease_seconds: float = DEFAULT_LEASE


@dataclass
class _NodeState:
    settings: NodeSettings
    hostname: str
    cancel: threading.Event = field(default_factory=threading.Event)
    client: Any = None
    slots: BrowserSlots | None = None

    def reset(self) -> None:
        """This process's own connection, no browsers yet (a forked pool process must not share its parent's)."""
        self.cancel = threading.Event()
        self.client = redis_client(self.settings.broker_url)
        self.slots = None

    def start_browsers(self, count: int) -> None:
        self.slots = BrowserSlots(self.settings.config, self.cancel)
        try:
            self.slots.start(count)
        except (BrowserStartError, BrowserCrashed, SignInRequired, PortalUnreachable, Cancelled) as exc:
            # The node checked sign-in at start; a browser missing here is started again when a task needs one.
            log.error("Process %d could not start its browsers: %s", os.getpid(), exc)


_NODE: _NodeState | None = None  # set in the node's main process; copied into each prefork pool process


def _node() -> _NodeState:
    if _NODE is None:
        raise RuntimeError("This process is not a CoupaDownloads node (run_node was not called).")
    return _NODE


def _slots(node: _NodeState) -> BrowserSlots:
    if node.slots is None:
        raise RuntimeError("This node process has no browsers (its pool did not start them).")
    return node.slots


def _on_prefork_process_init(**_: Any) -> None:
    node = _node()
    node.reset()
    # Celery resets SIGTERM to "die at once" in pool processes; the autoscaler's shrink sends it to idle ones.
    # Exiting through Python instead runs worker_process_shutdown, which quits our browser.
    signal.signal(signal.SIGTERM, _exit_on_term)
    node.start_browsers(1)


def _exit_on_term(signum: int, frame: Any) -> None:
    if _NODE is not None:
        _NODE.cancel.set()
    raise SystemExit(0)


def _on_prefork_process_shutdown(**_: Any) -> None:
    if _NODE is not None and _NODE.slots is not None:
        _NODE.cancel.set()
        _NODE.slots.close()


# -- the task -----------------------------------------------------------------------------------------------------


def _po_task(task: Any, settings: object, po: object) -> dict[str, Any]:
    """The Celery task: one PO, at most once to a result, whatever the number of deliveries."""
    node = _node()
    try:
        accepted = validate_task(
            settings, po, base_url=node.settings.config.base_url, output_root=node.settings.output_root
        )
    except TaskRejected as rejected:
        return _reject(node, task.request.id, rejected)
    client = node.client
    run_id, po_task = accepted.settings.run_id, accepted.po
    result_key = redis_key("result", run_id, po_task.po_key)
    if client.exists(result_key):
        log.info("PO %s of run %s already has a result; this delivery is a duplicate.", po_task.po_key, run_id)
        return {"po_key": po_task.po_key, "duplicate": True}
    owner = f"{node.hostname}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    lease = Lease(client, redis_key("lease", run_id, po_task.po_key), owner, node.settings.lease_seconds)
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
        try:
            result, files = _work(node, accepted, attempt)
        except _TryLater as later:
            if not later.counts:
                client.decr(attempts_key)
            raise task.retry(countdown=later.seconds, max_retries=None) from None
        payload = encode_result(result, files, node=node.hostname, output_dir=str(accepted.output_dir))
        client.set(result_key, payload, nx=True, ex=RESULT_TTL)
        return {"po_key": po_task.po_key, "status": result.status.value}
    finally:
        lease.release()


def _reject(node: _NodeState, message_id: object, rejected: TaskRejected) -> dict[str, Any]:
    """Never run a bad task; tell the collector why when the task names a run and a PO."""
    log.error("Rejected task %.80r: %s", message_id, rejected.reason)
    if rejected.run_id and rejected.po_key:
        result = PoResult.failed(rejected.po_key, f"Rejected by node {node.hostname}: {rejected.reason}", 1)
        payload = encode_result(result, [], node=node.hostname, output_dir="")
        node.client.set(redis_key("result", rejected.run_id, rejected.po_key), payload, nx=True, ex=RESULT_TTL)
    return {"rejected": rejected.reason}


class _TryLater(Exception):
    def __init__(self, seconds: float, *, counts: bool) -> None:
        super().__init__(seconds)
        self.seconds = seconds
        self.counts = counts  # does this count as one of the PO's attempts (its browser died on it)?


def _task_config(node: _NodeState, accepted: AcceptedTask) -> RunConfig:
    run = accepted.settings
    return replace(
        node.settings.config,
        output_dir=accepted.output_dir,
        po_url_template=run.po_url_template,
        requisition_fallback=run.requisition_fallback,
        emails=run.emails,
        max_po_attempts=run.max_po_attempts,
    )


def _work(node: _NodeState, accepted: AcceptedTask, attempt: int) -> tuple[PoResult, list[SavedFile]]:
    po, config = accepted.po, _task_config(node, accepted)
    if attempt > config.max_po_attempts:
        reason = "the node working on it was lost or its browser died"
        return PoResult.failed(po.po_key, f"Gave up after {attempt - 1} tries: {reason}", attempt - 1), []
    slots = _slots(node)
    try:
        ctx = slots.take()
    except (BrowserStartError, BrowserCrashed, PortalUnreachable) as exc:
        log.error("No browser on the portal for PO %s: %s", po.po_key, exc)
        raise _TryLater(10.0, counts=False) from exc
    except SignInRequired as exc:
        _sign_in_lost(node, exc)
        raise _TryLater(30.0, counts=False) from exc
    ctx.config = config
    try:
        result, files = process_po(ctx, po, attempt)
    except BrowserCrashed as exc:
        log.warning("The browser died on PO %s (%s); it restarts and the PO is tried again.", po.po_key, exc)
        slots.discard(ctx)
        raise _TryLater(1.0, counts=True) from exc
    except SignInRequired as exc:
        slots.give_back(ctx)
        _sign_in_lost(node, exc)
        raise _TryLater(30.0, counts=False) from exc
    except PortalUnreachable as exc:
        slots.give_back(ctx)
        log.error("PO %s: %s", po.po_key, exc)
        raise _TryLater(30.0, counts=False) from exc
    except Cancelled as exc:
        slots.give_back(ctx)
        raise _TryLater(1.0, counts=False) from exc
    except Exception as exc:  # a bug or an unexpected page must cost one PO, not the node
        log.exception("PO %s failed unexpectedly", po.po_key)
        result, files = unexpected_failure(po, attempt, exc), []
    slots.give_back(ctx)
    if result.status is PoStatus.CANCELLED:  # the process is stopping: let another one do it
        raise _TryLater(1.0, counts=False)
    return result, files


def _sign_in_lost(node: _NodeState, exc: SignInRequired) -> None:
    """This machine's session is gone and SSO cannot renew it alone: the node stops taking work (exit code 3).

    The flag is a Redis key that the node's main process watches (`_NodeWatch`), whatever the pool: a pool process
    cannot reach its parent's shutdown flag, and signals are not how a Windows node stops."""
    log.error("%s The node stops taking work; sign in on this machine and start it again.", exc)
    node.client.set(redis_key("node-sign-in", node.hostname), str(exc), ex=3600)


# -- running a node -----------------------------------------------------------------------------------------------


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
    """Run a node until it is stopped. Exit codes: 0 stopped, 3 not signed in, 4 no browser, 5 portal unreachable."""
    global _NODE
    config = settings.config
    hostname = name or f"coupa@{socket.gethostname()}"
    _NODE = node = _NodeState(settings, hostname)
    node.reset()
    node.client.delete(redis_key("node-sign-in", hostname))  # the broker first: a wrong URL is said at once
    try:
        signed_in = check_signed_in(config)
    except BrowserStartError as exc:
        log.error("%s", exc)
        return EXIT_BROWSER
    except PortalUnreachable as exc:
        log.error("%s", exc)
        return EXIT_UNREACHABLE
    if not signed_in:
        log.error(
            "This machine cannot reach %s signed in. Sign in once on this machine (the window's Sign in button, or "
            "`main.py run --visible`), then start the node again.",
            config.base_url,
        )
        return EXIT_SIGN_IN
    app = make_node_app(
        settings.broker_url, visibility_timeout=visibility_timeout, autoscale_interval=autoscale_interval
    )
    if settings.pool == "prefork":
        worker_process_init.connect(_on_prefork_process_init, weak=False)
        worker_process_shutdown.connect(_on_prefork_process_shutdown, weak=False)  # each pool process: 1 browser
    else:
        node.start_browsers(1 if settings.pool == "solo" else concurrency)
    options: dict[str, Any] = {"concurrency": concurrency}
    if max_workers:
        options["autoscale"] = (max_workers, min(concurrency, max_workers))
    worker = app.Worker(
        hostname=hostname,
        pool=settings.pool,
        queues=[QUEUE],
        loglevel=loglevel,
        logfile=logfile,
        quiet=True,
        optimization="fair",
        without_gossip=True,
        without_mingle=True,
        **options,
    )
    log.info(
        "Node %s (%s pool): broker %s, portal %s, output root %s.",
        hostname,
        settings.pool,
        redact(settings.broker_url),
        config.base_url,
        settings.output_root,
    )
    watch = _NodeWatch(node, visibility_timeout)
    worker_ready.connect(watch.start, weak=False)  # once the pool is up: no pool process is forked from a busy thread
    try:
        worker.start()
    finally:
        watch.stop()
        node.cancel.set()
        if node.slots is not None:
            node.slots.close()
    if node.client.get(redis_key("node-sign-in", hostname)):
        return EXIT_SIGN_IN
    return int(worker.exitcode or 0)


class _NodeWatch:
    """The node's main process keeps an eye on two things, in one thread:

    - its sign-in flag (`_sign_in_lost`): when set, Celery's shutdown flag stops the node warmly (running tasks end);
    - a lost node's unacknowledged tasks, put back on the queue once older than the visibility timeout. Kombu does
      this too, but only on every 10th of its 10-second checks (so up to ~100 s late); a node's loss should cost
      about one visibility timeout. Kombu's own restore is used, so the rule is Kombu's: only messages delivered
      longer ago than the visibility timeout; the lease and result keys make a still-running one harmless.
    """

    def __init__(self, node: _NodeState, visibility_timeout: float) -> None:
        self.node = node
        self.visibility_timeout = visibility_timeout
        self.sweep_every = max(1.0, min(60.0, visibility_timeout / 4))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="node-watch", daemon=True)

    def start(self, **_: Any) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        from kombu import Connection  # type: ignore[import-untyped]

        url = broker_url(self.node.settings.broker_url)
        options = {"visibility_timeout": self.visibility_timeout}
        flag = redis_key("node-sign-in", self.node.hostname)
        with Connection(url, transport_options=options) as connection:
            since_sweep = 0.0
            while not self._stop.wait(SIGN_IN_CHECK_SECONDS):
                since_sweep += SIGN_IN_CHECK_SECONDS
                try:
                    if self.node.client.exists(flag):
                        worker_state.should_stop = 0  # Celery's warm shutdown, checked by its consumer loop
                    if since_sweep >= self.sweep_every:
                        since_sweep = 0.0
                        connection.default_channel.qos.restore_visible(num=100, interval=1)
                except Exception as exc:  # the broker is briefly away: the next round tries again
                    log.warning("Could not check the broker: %s", exc)
