"""Secrets stay secret and leftovers are ours to clean: the shared session holds only the portal's and the identity
provider's cookies and goes on sign-out; no `supplier_view_key` reaches the journal, logs, report or --json; a dead
worker's browser profile is swept at start; the report and folders follow the user's umask."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from core.config import RunConfig
from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.demo_portal.idp import IDP_COOKIE
from core.demo_portal.server import SESSION_COOKIE
from core.paths import profiles_dir
from core.po.browser import Browser, BrowserOptions
from core.po.profile_dirs import OWNER_FILE
from core.po.session import SIGN_IN_PROFILE_PREFIX, PortalSession, SessionStore
from core.workbook.report import REPORT_NAME
from tests.support import ROOT, run_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def portal() -> DemoPortal:
    with DemoPortal(PortalKnobs(po_count=10, error_5xx_rate=0.3)).start() as server:
        yield server  # type: ignore[misc]


def readable_bytes(path: Path) -> bytes:
    """A file's bytes; for a workbook, its unzipped XML (where the cell text is)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return b"".join(book.read(name) for name in book.namelist())
    return path.read_bytes()


def test_no_view_key_in_journal_logs_report_or_json_and_leftovers_are_swept(portal: DemoPortal, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {**os.environ, "COUPA_DATA_DIR": str(data_dir)}
    # A worker killed with kill -9 left its profile copy: its owner (this short-lived process) is gone.
    script = "import sys; from pathlib import Path; from core.po.profile_dirs import make_profile_dir as make; "
    script += "print(make(Path(sys.argv[1]), 'worker1'))"
    dead = subprocess.run(
        [sys.executable, "-c", script, str(data_dir / "profiles")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    dead_profile = Path(dead.stdout.strip())
    (dead_profile / "profile").mkdir()
    not_ours = data_dir / "profiles" / "something-else"
    not_ours.mkdir()
    (not_ours / "keep.txt").write_text("no owner record: not provably ours")

    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx", 8)
    output = tmp_path / "run"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", "--input", str(sample), "--output", str(output)],
        cwd=ROOT,
        env={**env, "COUPA_BASE_URL": portal.base_url},
        capture_output=True,
        text=True,
        timeout=240,
        preexec_fn=lambda: os.umask(0o027),
        check=False,
    )
    json_run = run_app(
        "run",
        "--input",
        sample,
        "--output",
        tmp_path / "run2",
        "--base-url",
        portal.base_url,
        "--json",
        env={"COUPA_DATA_DIR": str(data_dir)},
    )
    assert completed.returncode == 0, completed.stderr
    assert json_run.returncode == 0, json_run.stderr

    keys = {f.view_key for po in portal.dataset.pos for f in po.files if f.view_key}
    assert keys
    file_urls = [str(e["url"]) for e in json_run.events if e["event"] == "file_done"]
    assert any("supplier_view_key=***" in url for url in file_urls), "the run downloaded files whose links carry keys"
    places = {"stdout": json_run.stdout.encode(), "stderr": (json_run.stderr + completed.stderr).encode()}
    for folder in (output, tmp_path / "run2", data_dir / "logs"):
        for path in folder.rglob("*"):
            if path.is_file() and (path.suffix in (".xlsx", ".log") or ".coupadownloads" in path.parts):
                places[str(path)] = readable_bytes(path)
    assert any(".log" in name for name in places), "the run wrote a log"
    for where, content in places.items():
        assert not any(key.encode() in content for key in keys), f"a supplier_view_key reached {where}"

    assert not dead_profile.exists(), "the dead worker's profile was swept at start"
    assert (not_ours / "keep.txt").exists()
    assert stat.S_IMODE((output / REPORT_NAME).stat().st_mode) == 0o640, "the report follows the umask (027)"
    po_folders = [p for p in output.rglob("PO*_*") if p.is_dir()]
    assert po_folders and all(stat.S_IMODE(p.stat().st_mode) == 0o750 for p in po_folders)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700, "the app's data folder stays private"


def test_session_file_keeps_only_portal_and_identity_provider_cookies(portal: DemoPortal, tmp_path: Path) -> None:
    config = RunConfig(input_path=Path(), output_dir=tmp_path, base_url=portal.base_url).validated()
    browser = Browser(BrowserOptions.for_run(config), profiles_root=profiles_dir(), name="test")
    browser.start()
    store = SessionStore.for_portal(portal.base_url)
    try:
        # A copied user profile holds every site's cookies.
        foreign = {"name": "tracker", "value": "t", "domain": ".othersite.example", "path": "/"}
        browser.set_cookies([{**foreign, "expires": time.time() + 3600}])
        assert any(c["domain"].endswith("othersite.example") for c in browser.all_cookies())
        session = PortalSession(
            browser,
            portal.base_url,
            store,
            threading.Lock(),
            interactive=False,
            sign_in_timeout=30,
            headless_sign_in_timeout=20,
            cancelled=lambda: False,
        )
        session.sign_in("test", verify=True)
    finally:
        browser.quit()
    saved = json.loads(store.path.read_text(encoding="utf-8"))
    assert {c["domain"].lstrip(".") for c in saved["cookies"]} == {"127.0.0.1"}
    assert {SESSION_COOKIE, IDP_COOKIE} <= {c["name"] for c in saved["cookies"]}
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert profiles_dir().parent in store.path.parents

    kept_profile = profiles_dir() / f"{SIGN_IN_PROFILE_PREFIX}chromium"
    kept_profile.mkdir(parents=True, exist_ok=True)
    signed_out = run_app("sign-out")
    assert signed_out.returncode == 0, signed_out.stderr
    assert not store.path.exists() and not kept_profile.exists()
    assert "Signed out" in signed_out.stderr


def test_the_owner_record_names_this_process(tmp_path: Path) -> None:
    from core.po.profile_dirs import make_profile_dir, sweep_dead_profiles

    mine = make_profile_dir(tmp_path, "worker")
    assert (mine / OWNER_FILE).read_text().split()[0] == str(os.getpid())
    assert sweep_dead_profiles(tmp_path) == 0 and mine.exists(), "a live owner's profile is never swept"
    reused = make_profile_dir(tmp_path, "worker")
    (reused / OWNER_FILE).write_text(f"{os.getpid()} 12345.0")  # our PID, but another process's start time
    assert sweep_dead_profiles(tmp_path) == 1 and not reused.exists() and mine.exists()
