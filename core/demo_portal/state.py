"""What the demo portal's two servers share: sessions, request counters, fault draws and the bandwidth budget."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import socket
import threading
import time

from core.demo_portal.dataset import DemoDataset, DemoFile, DemoPo, PortalKnobs


class TokenBucket:
    """Shared byte budget: each caller reserves bytes and sleeps off its share of any deficit."""

    def __init__(self, rate: int) -> None:
        self.rate = float(rate)
        self.capacity = max(4096.0, self.rate * 0.05)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def reserve(self, count: int) -> float:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.tokens -= count
            return max(0.0, -self.tokens / self.rate)


class PortalState:
    """Everything both servers share; guarded by one lock (counters and session tables are tiny)."""

    def __init__(self, knobs: PortalKnobs, dataset: DemoDataset) -> None:
        self.knobs = knobs
        self.dataset = dataset
        self.base_url = ""
        self.idp_url = ""
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.sessions: dict[str, int] = {}  # token -> authenticated requests used
        self.idp_sessions: set[str] = set()
        self.secret = secrets.token_bytes(32)
        self.fault_counts: dict[int, int] = {}
        self.slow_counts: dict[str, int] = {}
        self.file_requests = 0
        self.page_requests = 0
        self.sessions_started = 0
        self.connections: set[socket.socket] = set()
        self.bucket = TokenBucket(knobs.total_bandwidth) if knobs.total_bandwidth > 0 else None

    def sign(self, text: str) -> str:
        return hmac.new(self.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def use_session(self, tokens: list[str]) -> bool:
        """True if one of the tokens is a live session; counts this request against it."""
        limit = self.knobs.session_expiry_requests
        with self.lock:
            for token in tokens:
                used = self.sessions.get(token)
                if used is None:
                    continue
                if limit and used >= limit:
                    del self.sessions[token]
                    continue
                self.sessions[token] = used + 1
                return True
        return False

    def take_fault(self, demo_file: DemoFile) -> str:
        if not demo_file.fault:
            return ""
        with self.lock:
            done = self.fault_counts.get(demo_file.aid, 0)
            if done >= self.knobs.faults_per_file:
                return ""
            self.fault_counts[demo_file.aid] = done + 1
        return demo_file.fault

    def take_slow(self, po: DemoPo) -> bool:
        if not po.slow_page:
            return False
        with self.lock:
            done = self.slow_counts.get(po.po_key, 0)
            if done >= self.knobs.faults_per_file:
                return False
            self.slow_counts[po.po_key] = done + 1
        return True
