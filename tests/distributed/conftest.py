"""Many-machine fixtures: a real redis-server on a free loopback port; nodes run as real `main.py worker` processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.support import Node, redis_server, start_node


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def broker(redis_url: str) -> str:
    """The test's broker, emptied: no queue, result or lease of an earlier test."""
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[Callable[..., Node]]:
    """Start nodes; every node started is stopped (and its browsers gone) when the test ends."""
    started: list[Node] = []

    def start(broker: str, base_url: str, name: str, concurrency: int = 1, *extra: str, pool: str = "prefork") -> Node:
        node = start_node(broker, base_url, name, tmp_path, concurrency, *extra, pool=pool)
        started.append(node)
        return node

    yield start
    for node in started:
        node.stop()
