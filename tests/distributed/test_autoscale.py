"""The seed's scaling policy as Celery's autoscaler: its table, its decisions on a real Redis queue, its log."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import redis

from core.distributed import autoscale
from core.distributed.autoscale import PendingWorkAutoscaler, decide, plan_targets, seed_target
from core.distributed.node import make_node_app
from core.distributed.protocol import QUEUE


@pytest.mark.parametrize(
    ("pending", "workers"),
    [(0, 0), (1, 1), (50, 1), (51, 2), (100, 2), (101, 3), (322, 7), (500, 10), (1000, 10)],
)
def test_seed_table(pending: int, workers: int) -> None:
    assert seed_target(pending) == workers


def test_total_cap_across_job_types() -> None:
    assert plan_targets({"po": 1000, "invoice": 1000}) == {"po": 10, "invoice": 10}
    capped = plan_targets({"po": 1000, "invoice": 120}, total_cap=8)
    assert sum(capped.values()) == 8 and capped["invoice"] == 3  # the bigger type gives workers up first


def test_node_limits_bound_the_target() -> None:
    assert decide({"po": 1000}, 2, max_processes=4).target == 4
    assert decide({"po": 0}, 2, min_processes=1).target == 1


class FakePool:
    """Celery's pool as the autoscaler sees it."""

    def __init__(self, processes: int) -> None:
        self.num_processes = processes

    def grow(self, n: int) -> None:
        self.num_processes += n

    def shrink(self, n: int) -> None:
        self.num_processes -= n

    def maintain_pool(self) -> None:
        pass


class FakeWorker:
    def __init__(self, conf: dict[str, Any]) -> None:
        self.app = type("App", (), {"conf": conf})()


def test_decisions_follow_a_growing_then_shrinking_redis_queue(broker: str, caplog: pytest.LogCaptureFixture) -> None:
    client = redis.Redis.from_url(broker)
    conf = {
        autoscale.CONF_QUEUES: {"po": QUEUE},
        autoscale.CONF_REDIS_URL: broker,
        autoscale.CONF_INTERVAL: 60.0,
    }
    now = [1000.0]
    pool = FakePool(0)
    scaler = PendingWorkAutoscaler(pool, 20, 0, worker=FakeWorker(conf), clock=lambda: now[0])
    assert scaler.interval == 60.0 and scaler.keepalive == 60.0  # Celery re-checks at our interval

    def queue_holds(count: int) -> None:
        client.delete(QUEUE)
        if count:
            client.lpush(QUEUE, *[b"{}"] * count)

    seen = []
    caplog.set_level(logging.INFO, logger="core.distributed.autoscale")
    for pending in (0, 1, 60, 130, 600, 1200, 300, 120, 30, 30, 0):
        queue_holds(pending)
        scaler.maybe_scale()
        seen.append((pending, scaler.decisions[-1].action, pool.num_processes))
        now[0] += 60.0
    assert seen == [
        (0, "steady", 0),
        (1, "scale-up", 1),
        (60, "scale-up", 2),
        (130, "scale-up", 3),
        (600, "scale-up", 10),
        (1200, "steady", 10),  # the per-type cap
        (300, "scale-down", 6),
        (120, "scale-down", 3),
        (30, "scale-down", 1),
        (30, "steady", 1),
        (0, "scale-down", 0),
    ]
    messages = [r.getMessage() for r in caplog.records if r.name == "core.distributed.autoscale"]
    assert len(messages) == len(seen)
    assert "Autoscaler scale-up: po: 600 pending -> 10 (ceil(600/50), cap 10)" in messages[4]
    assert "have 3, want 10" in messages[4]


def test_checks_happen_once_per_interval(broker: str) -> None:
    client = redis.Redis.from_url(broker)
    conf = {autoscale.CONF_QUEUES: {"po": QUEUE}, autoscale.CONF_REDIS_URL: broker}
    now = [0.0]
    pool = FakePool(1)
    scaler = PendingWorkAutoscaler(pool, 10, 1, worker=FakeWorker(conf), interval=5.0, clock=lambda: now[0])
    client.lpush(QUEUE, *[b"{}"] * 200)
    scaler.maybe_scale()
    assert pool.num_processes == 4
    client.lpush(QUEUE, *[b"{}"] * 300)
    now[0] += 4.9
    scaler.maybe_scale()  # a task message arrived: Celery asks, but the interval has not passed
    assert pool.num_processes == 4 and len(scaler.decisions) == 1
    now[0] += 0.2
    scaler.maybe_scale()
    assert pool.num_processes == 10


def test_the_app_uses_this_autoscaler_and_safe_settings() -> None:
    app = make_node_app("redis://127.0.0.1:1/0", autoscale_interval=15)
    conf = app.conf
    assert conf.worker_autoscaler == "core.distributed.autoscale:PendingWorkAutoscaler"
    assert conf[autoscale.CONF_INTERVAL] == 15
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
