"""Helpers shared by the test layers: the app run as a real process, the statuses and files the demo portal implies,
and a check that no browser of ours is left running."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from core.demo_portal import DemoPortal
from core.folders import sha256_file

ROOT = Path(__file__).resolve().parents[1]
BROWSER_PROCESS_NAMES = ("chromium", "chrome", "chromedriver", "chrome_crashpad_handler")


@dataclass
class AppRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def events(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.startswith("{")]


def run_app(*args: str | Path, timeout: float = 240, env: dict[str, str] | None = None) -> AppRun:
    """`python main.py <args>` as a separate process, like a user or a scheduler runs it."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return AppRun(completed.returncode, completed.stdout, completed.stderr)


def browser_processes(since: float) -> list[psutil.Process]:
    """Chromium/driver processes of this test session (they inherit its private COUPA_DATA_DIR) still alive."""
    marker = os.environ["COUPA_DATA_DIR"]
    found = []
    for proc in psutil.process_iter(["name", "create_time", "status"]):
        info = proc.info
        if info["create_time"] < since or info["status"] == psutil.STATUS_ZOMBIE:
            continue
        if not any(name in (info["name"] or "") for name in BROWSER_PROCESS_NAMES):
            continue
        try:
            if proc.environ().get("COUPA_DATA_DIR") == marker:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def assert_no_browsers_left(since: float, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while browser_processes(since) and time.monotonic() < deadline:
        time.sleep(0.25)
    left = browser_processes(since)
    assert not left, f"browser processes left behind: {[(p.pid, p.name()) for p in left]}"


def expected_status(portal: DemoPortal, po_key: str) -> str:
    """The status the demo portal's data implies for a PO."""
    po = portal.dataset.get(po_key)
    assert po is not None
    if po.not_found or po.no_access:
        return "PO_NOT_FOUND"
    return "COMPLETED" if portal.dataset.expected_files(po_key) else "NO_ATTACHMENTS"


sha256_of = sha256_file
