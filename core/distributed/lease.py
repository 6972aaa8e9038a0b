"""A node's claim on one PO while it works on it: a Redis key with an owner, kept alive by a heartbeat, so a second
delivery of the same PO waits, and the claim lapses by itself when the node dies."""

from __future__ import annotations

import logging
import threading
from typing import Any

import redis

log = logging.getLogger(__name__)

_RELEASE_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
_EXTEND_LUA = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
)


class Lease:
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
