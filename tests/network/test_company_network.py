"""The product on a company network: a portal certificate from a private CA, a TLS-inspecting proxy, a certificate
only the browser trusts, and a portal that cannot be reached. Real Chromium, real mitmproxy, real trust stores."""

from __future__ import annotations

import time
from pathlib import Path

import certifi
import openpyxl
import pytest
import requests

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.po.emails import is_email_product
from core.workbook.report import REPORT_NAME
from tests.network.conftest import (
    InspectingProxy,
    PrivateCa,
    TrustStores,
    https_portal,
    laptop_env,
    private_ca,
)
from tests.support import AppRun, expected_status, free_port, portal_files, run_app

pytestmark = pytest.mark.integration

KNOBS = PortalKnobs(po_count=6, not_found_share=0.0, max_files_per_po=3, seed=11)
POS = 3
FALLBACK_LOG = "the browser downloads it instead"


def report_rows(report: Path) -> dict[str, dict[str, object]]:
    sheet = openpyxl.load_workbook(report)["PO_Data"]
    rows = list(sheet.iter_rows(values_only=True))
    found = [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]
    # The sample spreadsheet also holds invalid rows (no PO number): they are not the portal's business.
    return {digits(r["PO_NUMBER"]): r for r in found if r["STATUS"] != "INVALID" and digits(r["PO_NUMBER"])}


def digits(value: object) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def run_job(portal: DemoPortal, tmp_path: Path, **env: str) -> tuple[AppRun, dict[str, dict[str, object]], str]:
    """One run of POS POs on one worker; returns the run, the report rows by PO digits, and the app's logs."""
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx", POS)
    data_dir = tmp_path / "appdata"
    result = run_app(
        "run", "--input", sample, "--output", tmp_path / "run", "--base-url", portal.base_url, "--workers", "1",
        env=laptop_env(COUPA_DATA_DIR=str(data_dir), **env), inherit_env=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    logs = "\n".join(p.read_text(errors="replace") for p in sorted((data_dir / "logs").glob("*.log")))
    return result, report_rows(tmp_path / "run" / REPORT_NAME), logs


def assert_every_file_saved(portal: DemoPortal, rows: dict[str, dict[str, object]], run: Path) -> int:
    """Every PO has its true status and every expected file is on disk; returns how many files were saved."""
    saved = 0
    for key, row in rows.items():
        assert row["STATUS"] == expected_status(portal, key), row
        expected = portal.dataset.expected_files(key)
        assert row["ATTACHMENTS_DOWNLOADED"] == len(expected), row
        saved += len(expected)
    assert saved > 0, "the scenario needs files"
    po_folders = [p for p in run.rglob("PO*") if p.is_dir() and not is_email_product(p)]
    assert sum(len(portal_files(folder)) for folder in po_folders) == saved
    return saved


def test_certifi_alone_does_not_trust_the_company_ca(company_ca: PrivateCa, tmp_path: Path) -> None:
    with https_portal(company_ca, tmp_path, KNOBS).start() as portal, pytest.raises(requests.exceptions.SSLError):
        requests.get(portal.base_url + "/user/home", verify=certifi.where(), timeout=10)


def test_a_portal_signed_by_the_company_ca_downloads_directly(company_ca: PrivateCa, tmp_path: Path) -> None:
    with https_portal(company_ca, tmp_path, KNOBS).start() as portal:
        _result, rows, logs = run_job(portal, tmp_path)
        assert_every_file_saved(portal, rows, tmp_path / "run")
    assert FALLBACK_LOG not in logs and "failed on TLS" not in logs  # direct downloads trusted the OS store


def test_behind_a_tls_inspecting_proxy_everything_goes_through_it(
    inspecting_proxy: InspectingProxy, company_ca: PrivateCa, tmp_path: Path
) -> None:
    proxy = inspecting_proxy.url
    with https_portal(company_ca, tmp_path, KNOBS).start() as portal:
        before = len(inspecting_proxy.requests_seen())
        # Chromium never proxies loopback unless told so; `<-loopback>` lifts that rule (requests ignores it).
        _result, rows, logs = run_job(portal, tmp_path, HTTPS_PROXY=proxy, https_proxy=proxy, no_proxy="<-loopback>")
        assert_every_file_saved(portal, rows, tmp_path / "run")
    seen = inspecting_proxy.requests_seen()[before:]
    assert "/attachment/" in seen, "direct downloads must go through the proxy"
    assert "/order_headers/" in seen, "the browser must go through the proxy"
    assert FALLBACK_LOG not in logs and "failed on TLS" not in logs  # the proxy's CA was trusted from the OS store


def test_a_certificate_only_the_browser_trusts_sends_every_file_to_the_browser(
    trust_stores: TrustStores, tmp_path: Path
) -> None:
    browser_only = private_ca(tmp_path, "browser-only")
    trust_stores.add("browser-only", browser_only.pem, os_store=False)
    with https_portal(browser_only, tmp_path, KNOBS).start() as portal:
        _result, rows, logs = run_job(portal, tmp_path)
        saved = assert_every_file_saved(portal, rows, tmp_path / "run")
    assert logs.count(FALLBACK_LOG) == saved and "failed on TLS" in logs


@pytest.mark.parametrize("where", ["closed-port", "unresolvable"])
def test_a_portal_that_cannot_be_reached_exits_5_naming_the_host(where: str, tmp_path: Path) -> None:
    host = f"127.0.0.1:{free_port()}" if where == "closed-port" else "coupa-portal.invalid"
    (tmp_path / "in.csv").write_text("PO_NUMBER\nPO16928033\nPO16928034\n")
    started = time.monotonic()
    result = run_app(
        "run", "--input", tmp_path / "in.csv", "--output", tmp_path / "run", "--base-url", f"http://{host}",
        env=laptop_env(COUPA_DATA_DIR=str(tmp_path / "appdata")), inherit_env=False,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.returncode == 5, result.stderr
    assert elapsed < 30
    assert host in result.stderr and "Traceback" not in result.stderr
    cause = "refused" if where == "closed-port" else "does not resolve"
    assert cause in result.stderr and "sign in" not in result.stderr.lower()
