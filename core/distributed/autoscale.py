"""The seed's scaling policy, run as Celery's own autoscaler (the `worker_autoscaler` setting).

Policy, unchanged from the design this product grew from: each job type wants `ceil(pending / 50)` worker
processes, at most `per_type_cap` (10) per type and `total_cap` (20) in all, re-checked every `interval` seconds
(60 by default); every check is logged as scale-up, scale-down or steady, with the numbers that led to it.

"Pending" for a type is what waits in its Redis queue plus what this node has already reserved (prefetched or
running): Celery moves messages out of the Redis list as soon as a node reserves them, so the list alone would
under-count the work a node holds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from celery.worker import state as worker_state  # type: ignore[import-untyped]
from celery.worker.autoscale import Autoscaler  # type: ignore[import-untyped]

from core.worker_count import POS_PER_WORKER, scaling_target

log = logging.getLogger(__name__)

PER_TYPE_CAP = 10
TOTAL_CAP = 20
DEFAULT_INTERVAL = 60.0

# app.conf keys (plain settings, so `celery inspect conf` shows them)
CONF_INTERVAL = "coupa_autoscale_interval"
CONF_PER_TYPE_CAP = "coupa_autoscale_per_type_cap"
CONF_TOTAL_CAP = "coupa_autoscale_total_cap"
CONF_QUEUES = "coupa_autoscale_queues"  # job type -> Redis queue name
CONF_REDIS_URL = "coupa_autoscale_redis_url"

SCALE_UP = "scale-up"
SCALE_DOWN = "scale-down"
STEADY = "steady"


def seed_target(pending: int, per_type_cap: int = PER_TYPE_CAP) -> int:
    """Workers one job type wants: ceil(pending / 50), at most the per-type cap (0 when nothing waits)."""
    return scaling_target(pending, per_type_cap)


def plan_targets(
    pending_by_type: Mapping[str, int], per_type_cap: int = PER_TYPE_CAP, total_cap: int = TOTAL_CAP
) -> dict[str, int]:
    """Per-type targets with the total cap applied: the type with the most workers gives one up first."""
    targets = {kind: seed_target(pending, per_type_cap) for kind, pending in pending_by_type.items()}
    while sum(targets.values()) > total_cap:
        largest = max(targets, key=lambda kind: (targets[kind], kind))
        targets[largest] -= 1
    return targets


@dataclass(frozen=True)
class Decision:
    action: str  # scale-up / scale-down / steady
    current: int
    target: int
    reason: str

    @property
    def change(self) -> int:
        return self.target - self.current


def decide(
    pending_by_type: Mapping[str, int],
    current: int,
    *,
    per_type_cap: int = PER_TYPE_CAP,
    total_cap: int = TOTAL_CAP,
    min_processes: int = 0,
    max_processes: int | None = None,
) -> Decision:
    """One check of the policy: how many processes this node should have now, and why."""
    targets = plan_targets(pending_by_type, per_type_cap, total_cap)
    wanted = sum(targets.values())
    target = max(wanted, min_processes)
    if max_processes is not None:
        target = min(target, max_processes)
    parts = [
        f"{kind}: {pending_by_type[kind]} pending -> {targets[kind]}"
        f" (ceil({pending_by_type[kind]}/{POS_PER_WORKER}), cap {per_type_cap})"
        for kind in sorted(targets)
    ]
    limits = f"total cap {total_cap}, node limits {min_processes}..{max_processes if max_processes else '-'}"
    reason = f"{'; '.join(parts) or 'no job types'}; {limits}; have {current}, want {target}"
    action = SCALE_UP if target > current else SCALE_DOWN if target < current else STEADY
    return Decision(action, current, target, reason)


class PendingWorkAutoscaler(Autoscaler):  # type: ignore[misc]
    """Celery's autoscaler with the seed policy instead of "one process per reserved task".

    Celery calls `maybe_scale` on every task message and every `keepalive` seconds; we decide at most once per
    `interval` (the first call decides at once, so a node started with 0 processes picks up work quickly).
    """

    def __init__(
        self,
        pool: Any,
        max_concurrency: int,
        min_concurrency: int = 0,
        worker: Any = None,
        keepalive: float | None = None,
        mutex: Any = None,
        *,
        pending_source: Callable[[], Mapping[str, int]] | None = None,
        interval: float | None = None,
        per_type_cap: int | None = None,
        total_cap: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        conf: Any = worker.app.conf if worker is not None else {}
        self.interval = float(interval if interval is not None else conf.get(CONF_INTERVAL, DEFAULT_INTERVAL))
        super().__init__(pool, max_concurrency, min_concurrency, worker, keepalive or self.interval, mutex)
        self.per_type_cap = int(per_type_cap if per_type_cap is not None else conf.get(CONF_PER_TYPE_CAP, PER_TYPE_CAP))
        self.total_cap = int(total_cap if total_cap is not None else conf.get(CONF_TOTAL_CAP, TOTAL_CAP))
        self._pending_source = pending_source or _redis_pending_source(conf)
        self._clock = clock
        self._last_check: float | None = None
        self.decisions: list[Decision] = []

    def body(self) -> None:  # the thread form (no event loop): check, then wait one interval
        with self.mutex:
            self.maybe_scale()
        time.sleep(min(self.interval, 1.0))

    def maybe_scale(self, req: Any = None) -> None:
        now = self._clock()
        if self._last_check is not None and now - self._last_check < self.interval:
            return
        self._last_check = now
        if self._maybe_scale(req):
            self.pool.maintain_pool()

    def _maybe_scale(self, req: Any = None) -> bool:
        try:
            pending = dict(self._pending_source())
        except Exception as exc:  # Redis briefly unreachable: keep the pool as it is, try again next interval
            log.warning("Autoscaler: cannot read the pending work (%s); steady.", exc)
            return False
        decision = decide(
            pending,
            self.processes,
            per_type_cap=self.per_type_cap,
            total_cap=self.total_cap,
            min_processes=self.min_concurrency,
            max_processes=self.max_concurrency,
        )
        self.decisions.append(decision)
        del self.decisions[:-100]
        log.info("Autoscaler %s: %s", decision.action, decision.reason)
        if decision.action == SCALE_UP:
            self.scale_up(decision.change)
            return True
        if decision.action == SCALE_DOWN:
            # Celery's own cool-down (keepalive after a scale-up) would skip this; our interval already paces us.
            self._shrink(-decision.change)
            return True
        return False


def _redis_pending_source(conf: Any) -> Callable[[], dict[str, int]]:
    """Pending per job type from the node's Redis: queue length plus the tasks this node has reserved."""
    queues: dict[str, str] = dict(conf.get(CONF_QUEUES) or {})
    url = conf.get(CONF_REDIS_URL) or conf.get("broker_url")
    client: list[Any] = []

    def pending() -> dict[str, int]:
        if not client:
            import redis

            client.append(redis.Redis.from_url(url, socket_timeout=5))
        reserved: dict[str, int] = {}
        for request in list(worker_state.reserved_requests):
            queue = (request.delivery_info or {}).get("routing_key", "")
            reserved[queue] = reserved.get(queue, 0) + 1
        return {kind: int(client[0].llen(queue)) + reserved.get(queue, 0) for kind, queue in queues.items()}

    return pending
