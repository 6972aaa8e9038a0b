"""Many-machine fixtures: a real redis-server on a free loopback port; nodes run as real `main.py worker` processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
# Short enough that a killed node's POs come back within the test, long enough that normal POs are not re-sent.
TEST_VISIBILITY_TIMEOUT = 8
TEST_LEASE_SECONDS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: apt-get install redis-server (make setup does it)"
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert process.poll() is None, "redis-server exited at start"
            assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
            time.sleep(0.05)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def broker(redis_url: str) -> str:
    """The test's broker, emptied: no queue, result or lease of an earlier test."""
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


@dataclass
class Node:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tree(self) -> list[psutil.Process]:
        try:
            parent = psutil.Process(self.process.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def wait_ready(self, processes: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while self.log().count("is ready (browser signed in") < processes or " ready." not in self.log():
            assert self.process.poll() is None, f"node {self.name} exited:\n{self.log()[-3000:]}"
            assert time.monotonic() < deadline, f"node {self.name} not ready:\n{self.log()[-3000:]}"
            time.sleep(0.2)

    def kill_hard(self) -> None:
        """kill -9 of the node and everything it started (its browsers too), as when a machine is lost."""
        for proc in self.tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Ctrl+C-like warm shutdown; whatever is left after 30 s is killed."""
        tree = self.tree()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        for proc in tree:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        self.process.wait(timeout=10)


def start_node(broker: str, base_url: str, name: str, folder: Path, concurrency: int = 1, *extra: str) -> Node:
    log_path = folder / f"{name}.log"
    args = [
        sys.executable,
        str(ROOT / "main.py"),
        "worker",
        "--broker",
        broker,
        "--name",
        f"{name}@test",
        "--concurrency",
        str(concurrency),
        "--base-url",
        base_url,
        "--visibility-timeout",
        str(TEST_VISIBILITY_TIMEOUT),
        "--lease-seconds",
        str(TEST_LEASE_SECONDS),
        *extra,
    ]
    with log_path.open("wb") as handle:
        process = subprocess.Popen(
            args, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=dict(os.environ)
        )
    return Node(name, process, log_path)


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[Callable[..., Node]]:
    """Start nodes; every node started is stopped (and its browsers gone) when the test ends."""
    started: list[Node] = []

    def start(broker: str, base_url: str, name: str, concurrency: int = 1, *extra: str) -> Node:
        node = start_node(broker, base_url, name, tmp_path, concurrency, *extra)
        started.append(node)
        return node

    yield start
    for node in started:
        node.stop()


def run_main(*args: str | Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
