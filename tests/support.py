"""Helpers shared by the test layers: the app run as a real process, the statuses and files the demo portal implies,
and a check that no browser of ours is left running."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import redis

from core.demo_portal import DemoPortal
from core.distributed.protocol import redis_client
from core.models import PoFacts, PoLine
from core.po.emails import is_email_product
from core.po.folders import sha256_file

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


def run_app(
    *args: str | Path, timeout: float = 240, env: dict[str, str] | None = None, inherit_env: bool = True
) -> AppRun:
    """`python main.py <args>` as a separate process, like a user or a scheduler runs it.

    `env` is added to this process's environment, or with `inherit_env=False` is the whole environment.
    """
    completed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})} if inherit_env else dict(env or {}),
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return AppRun(completed.returncode, completed.stdout, completed.stderr)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """`python -c code` in a fresh interpreter at the project's root (nothing imported yet: import-boundary tests)."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)


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
    if po.not_found:
        return "PO_NOT_FOUND"
    if po.no_access:
        return "NO_ACCESS"
    expected = portal.dataset.expected_files(po_key)
    if portal.dataset.hidden_comment_file(po) is not None:
        return "PARTIAL" if expected else "FAILED"  # the page states one file more than it lists
    return "COMPLETED" if expected else "NO_ATTACHMENTS"


def expected_facts(portal: DemoPortal, po_key: str) -> PoFacts | None:
    """The facts the demo portal's PO page shows, as the app must read them (None where no PO page is shown)."""
    po = portal.dataset.get(po_key)
    assert po is not None
    if po.not_found or po.no_access:
        return None
    facts = po.facts
    line_files = [f for f in po.files if f.source == "line" and f.kind == "file"]
    lines = tuple(
        PoLine(
            number=str(line.number),
            description=line.description,
            quantity=None if line.quantity is None else float(line.quantity),
            price=line.price,
            total=line.total,
            currency=facts.currency,
            account=line.account,
            attachments=tuple(f.name for f in line_files if f.line == line.number),
        )
        for line in facts.lines
    )
    return PoFacts(
        status=facts.status,
        order_date=facts.order_date,
        requester=facts.requester,
        requisition_number=po.requisition_id or "",
        payment_term=facts.payment_term,
        total=facts.total,
        currency=facts.currency,
        lines=lines,
        stated_files=sum(1 for f in po.files if f.source == "comment" and f.kind == "file"),
    )


sha256_of = sha256_file


def portal_files(folder: Path) -> list[Path]:
    """The files a PO folder holds from the portal: without the PDFs and attachment folders made from its e-mails."""
    return [p for p in folder.iterdir() if p.is_file() and not is_email_product(p)]


# -- many machines: a real redis-server and real `main.py worker` nodes --------------------------------------------
# Short enough that a killed node's POs come back within a test, long enough that normal POs are not re-sent.
TEST_VISIBILITY_TIMEOUT = 8
TEST_LEASE_SECONDS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def redis_server(folder: Path, *, password: str = "", tls_ca: Path | None = None) -> Iterator[str]:
    """A private redis-server on a free loopback port; yields its URL and stops it afterwards.

    With `tls_ca` it speaks TLS only (`rediss://`), with a certificate for 127.0.0.1 from that private CA (made by
    `trustme`); with `password` it requires it."""
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: apt-get install redis-server (make setup does it)"
    port = free_port()
    args = [server, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)]
    query = ""
    if tls_ca is None:
        args += ["--port", str(port)]
    else:
        args += ["--port", "0", "--tls-port", str(port), "--tls-auth-clients", "no"]
        args += ["--tls-cert-file", str(folder / "server.pem"), "--tls-key-file", str(folder / "server.key")]
        args += ["--tls-ca-cert-file", str(tls_ca)]
        query = f"?ssl_ca_certs={tls_ca}"
    if password:
        args += ["--requirepass", password]
    auth = f":{password}@" if password else ""
    url = f"{'rediss' if tls_ca else 'redis'}://{auth}127.0.0.1:{port}/0{query}"
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis_client(url)
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, "redis-server exited at start"
                assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
                time.sleep(0.05)
        yield url
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a server a test started: politely, then by force if it is still there after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def private_ca(folder: Path) -> Path:
    """A private CA (its certificate in `folder/ca.pem`) and a server certificate for 127.0.0.1 signed by it."""
    import trustme

    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    server.cert_chain_pems[0].write_to_path(str(folder / "server.pem"))
    server.private_key_pem.write_to_path(str(folder / "server.key"))
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    return folder / "ca.pem"


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


def start_node(
    broker: str,
    base_url: str,
    name: str,
    folder: Path,
    concurrency: int = 1,
    *extra: str,
    pool: str = "prefork",
    visibility_timeout: float = TEST_VISIBILITY_TIMEOUT,
    lease_seconds: float = TEST_LEASE_SECONDS,
) -> Node:
    """`main.py worker` as its own process (a node) writing under `folder`, logging to `folder/<name>.log`."""
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
        str(visibility_timeout),
        "--lease-seconds",
        str(lease_seconds),
        "--pool",
        pool,
        "--output-root",
        str(folder),
        *extra,
    ]
    with log_path.open("wb") as handle:
        process = subprocess.Popen(
            args, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=dict(os.environ)
        )
    return Node(name, process, log_path)
