"""Session expiry is never "not found"; a login that needs a person stops a headless run with exit code 3; network
faults are retried until the files are byte-identical, and a file that keeps failing makes its PO PARTIAL."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.events import Event, PoFinished, PoStarted
from core.run.supervisor import Supervisor
from tests.faults.conftest import RunSpec, assert_no_browsers_left, assert_true_outcome, expected_status, run_supervised
from tests.support import portal_files, sha256_of

pytestmark = pytest.mark.integration


def test_session_expiring_mid_run_is_renewed_and_never_means_not_found(tmp_path: Path) -> None:
    since = time.time() - 0.5
    with DemoPortal(PortalKnobs(po_count=14, session_expiry_requests=9)).start() as portal:
        run = run_supervised(RunSpec(portal, tmp_path, workers=2))
        assert run.outcome.exit_code == 0
        assert portal.sessions_started() >= 3, "the session must have expired (and been renewed) during the run"
        assert len(run.results) == 14
        assert_true_outcome(portal, run)
    assert_no_browsers_left(since)


def test_login_needing_a_person_mid_run_stops_headless_run_with_code_3(tmp_path: Path) -> None:
    since = time.time() - 0.5
    with DemoPortal(PortalKnobs(po_count=14, comments_delay=0.1)).start() as portal:
        finished: list[str] = []

        def lock_out_after_three(event: Event, _supervisor: Supervisor) -> None:
            if isinstance(event, PoFinished):
                finished.append(event.result.po_key)
                if len(finished) == 3:
                    portal.knobs.login_requires_person = True
                    portal.expire_all_sessions(include_idp=True)

        started = time.monotonic()
        run = run_supervised(RunSpec(portal, tmp_path, workers=2, on_event=lock_out_after_three))
        assert run.outcome.exit_code == 3
        assert time.monotonic() - started < 60
        print(f"RELIABILITY login needed: exit 3 after {run.seconds:.1f} s, {len(finished)} POs kept")
        assert "sign" in run.outcome.message.lower()
        statuses = {k: r.status.value for k, r in run.results.items()}
        for key in finished[:3]:
            assert statuses[key] == expected_status(portal, key), "finished work is kept"
        unfinished = [k for k, s in statuses.items() if s == "CANCELLED"]
        assert unfinished, "the POs not done are CANCELLED, to be resumed after signing in"
        assert "PO_NOT_FOUND" not in {statuses[k] for k in unfinished}
        assert run.outcome.report is not None and run.outcome.report.exists()
    assert_no_browsers_left(since)


def test_network_faults_are_retried_and_files_end_byte_identical(tmp_path: Path) -> None:
    since = time.time() - 0.5
    knobs = PortalKnobs(
        po_count=12, error_5xx_rate=0.15, error_429_rate=0.15, reset_rate=0.15, truncate_rate=0.15, faults_per_file=2
    )
    with DemoPortal(knobs).start() as portal:
        faulted = [f for po in portal.dataset.pos for f in po.files if f.fault]
        assert {f.fault for f in faulted} >= {"5xx", "429", "reset", "truncate"} or len(faulted) >= 4
        run = run_supervised(RunSpec(portal, tmp_path, workers=2))
        assert run.outcome.exit_code == 0
        assert_true_outcome(portal, run)
        not_found = {po.po_key for po in portal.dataset.pos if po.not_found or po.no_access}
        starts = [e.po_key for e in run.of(PoStarted) if isinstance(e, PoStarted)]
        assert all(starts.count(key) == 1 for key in not_found), "a PO Coupa says does not exist is never retried"
    assert_no_browsers_left(since)


def test_a_file_that_keeps_failing_makes_its_po_partial_with_the_reason(tmp_path: Path) -> None:
    knobs = PortalKnobs(po_count=10, error_5xx_rate=0.25, faults_per_file=10)
    with DemoPortal(knobs).start() as portal:
        run = run_supervised(RunSpec(portal, tmp_path, workers=2))
        assert run.outcome.exit_code == 0
        checked = 0
        for po in portal.dataset.pos:
            expected = portal.dataset.expected_files(po.po_key)
            bad = [f for f in expected if f.fault]
            if not bad or expected_status(portal, po.po_key) != "COMPLETED":
                continue
            result = run.results[po.po_key]
            assert result.status.value == ("PARTIAL" if len(bad) < len(expected) else "FAILED")
            assert all(f.name in result.error_message or "503" in result.error_message for f in bad)
            assert result.attachments_downloaded == len(expected) - len(bad)
            good = sorted(f.sha256 for f in expected if not f.fault)
            assert sorted(sha256_of(p) for p in portal_files(Path(result.folder))) == good
            checked += 1
        assert checked >= 1
