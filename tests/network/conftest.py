"""A company network on this machine: an HTTPS demo portal whose certificate comes from a private CA, and a
TLS-inspecting proxy (mitmproxy) in front of it, both trusted the way a company laptop trusts them: through the
operating system's store (Debian: /usr/local/share/ca-certificates) and Chromium's NSS store (~/.pki/nssdb), never
through certifi. Everything added to a trust store is removed again when the session ends.

The product runs without REQUESTS_CA_BUNDLE / SSL_CERT_FILE / SSL_CERT_DIR, which this machine sets and a laptop
never has (they would hide a missing OS-store lookup).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from core.demo_portal import DemoPortal, PortalKnobs
from tests.support import ROOT, free_port, stop_process

OS_CA_FOLDER = Path("/usr/local/share/ca-certificates")
NSS_DB = Path.home() / ".pki" / "nssdb"
MITM_VENV = ROOT / ".venv-mitm"
LAPTOP_ENV_DROPS = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE")
PROXY_ENV = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy")


def laptop_env(**extra: str) -> dict[str, str]:
    """The product's environment as on a laptop: no CA-bundle overrides, no proxy unless given."""
    env = {k: v for k, v in os.environ.items() if k not in LAPTOP_ENV_DROPS and k not in PROXY_ENV}
    return {**env, **extra}


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)} failed: {done.stderr or done.stdout}"


class TrustStores:
    """Adds CA certificates to the OS store and/or Chromium's NSS store; `remove_all` undoes every addition."""

    def __init__(self, folder: Path) -> None:
        if os.geteuid() != 0:
            pytest.fail("tests/network add CAs to the system trust store and must run as root (as here and in CI)")
        for tool in ("update-ca-certificates", "certutil"):
            if shutil.which(tool) is None:
                pytest.fail(f"{tool} is missing: run `make setup` (apt packages ca-certificates, libnss3-tools)")
        self._folder = folder
        self._os_files: list[Path] = []
        self._nss_names: list[str] = []
        if not (NSS_DB / "cert9.db").exists():
            NSS_DB.mkdir(parents=True, exist_ok=True)
            _run("certutil", "-N", "-d", f"sql:{NSS_DB}", "--empty-password")

    def add(self, name: str, ca_pem: Path, *, os_store: bool = True, nss: bool = True) -> None:
        nickname = f"coupadownloads-test-{name}-{os.getpid()}"
        if os_store:
            target = OS_CA_FOLDER / f"{nickname}.crt"
            shutil.copyfile(ca_pem, target)
            self._os_files.append(target)
            _run("update-ca-certificates")
        if nss:
            _run("certutil", "-A", "-d", f"sql:{NSS_DB}", "-t", "C,,", "-n", nickname, "-i", str(ca_pem))
            self._nss_names.append(nickname)

    def remove_all(self) -> None:
        for path in self._os_files:
            path.unlink(missing_ok=True)
        if self._os_files:
            _run("update-ca-certificates", "--fresh")
        for nickname in self._nss_names:
            _run("certutil", "-D", "-d", f"sql:{NSS_DB}", "-n", nickname)
        self._os_files, self._nss_names = [], []


@pytest.fixture(scope="session")
def trust_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrustStores]:
    stores = TrustStores(tmp_path_factory.mktemp("trust"))
    try:
        yield stores
    finally:
        stores.remove_all()


@dataclass
class PrivateCa:
    ca: trustme.CA
    pem: Path  # the CA certificate, as a company would deploy it


def private_ca(folder: Path, name: str) -> PrivateCa:
    ca = trustme.CA(organization_name=f"CoupaDownloads test {name}")
    pem = folder / f"{name}-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return PrivateCa(ca, pem)


def https_portal(ca: PrivateCa, folder: Path, knobs: PortalKnobs) -> DemoPortal:
    """A demo portal over HTTPS on loopback, with a certificate issued by `ca` (not started)."""
    host = "127.0.0.1"
    leaf = ca.ca.issue_cert(host)
    cert, key = folder / "portal.pem", folder / "portal.key"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    for extra in leaf.cert_chain_pems[1:]:
        extra.write_to_path(str(cert), append=True)
    leaf.private_key_pem.write_to_path(str(key))
    return DemoPortal(knobs, host=host, tls_cert=cert, tls_key=key)


@dataclass
class InspectingProxy:
    url: str
    ca_pem: Path
    log: Path  # mitmdump's flow lines: one per request it forwarded

    def requests_seen(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def company_ca(trust_stores: TrustStores, tmp_path_factory: pytest.TempPathFactory) -> PrivateCa:
    """The company's private CA, in the OS store and Chromium's store."""
    ca = private_ca(tmp_path_factory.mktemp("company-ca"), "company")
    trust_stores.add("company", ca.pem)
    return ca


@pytest.fixture(scope="session")
def inspecting_proxy(
    company_ca: PrivateCa, trust_stores: TrustStores, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[InspectingProxy]:
    """mitmdump (own venv: `make mitm`) re-signing every HTTPS connection with its CA, trusted like the company's."""
    mitmdump = MITM_VENV / "bin" / "mitmdump"
    if not mitmdump.exists():
        pytest.fail(f"{mitmdump} is missing: run `make mitm` (make test does it)")
    confdir = tmp_path_factory.mktemp("mitm")
    port = free_port()
    log = confdir / "flows.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(mitmdump),
                "--listen-host", "127.0.0.1",
                "--listen-port", str(port),
                "--set", f"confdir={confdir}",
                # The proxy checks the portal's certificate against the company CA, as an inspecting proxy does.
                "--set", f"ssl_verify_upstream_trusted_ca={company_ca.pem}",
                "--set", "flow_detail=1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=laptop_env(),
        )  # fmt: skip
    try:
        ca_pem = confdir / "mitmproxy-ca-cert.pem"
        deadline = time.monotonic() + 60
        while not (ca_pem.exists() and _listening(port)):
            assert process.poll() is None, f"mitmdump stopped: {log.read_text(errors='replace')}"
            assert time.monotonic() < deadline, "mitmdump did not start within 60 s"
            time.sleep(0.2)
        trust_stores.add("mitmproxy", ca_pem)
        yield InspectingProxy(f"http://127.0.0.1:{port}", ca_pem, log)
    finally:
        stop_process(process)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
