"""What the two sides of many machines agree on, checked without a browser: the pool rule, task validation against
crafted tasks, the broker URL's password and TLS defaults, and that submit/collect never import Selenium."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from core.distributed.cli import default_pool
from core.distributed.collect import collect_run, verify_result
from core.distributed.protocol import (
    MAX_LEVELS,
    MAX_ROW_NUMBER,
    MAX_ROW_NUMBERS,
    MAX_TASK_BYTES,
    RunSettings,
    TaskRejected,
    broker_url,
    redact,
    redis_client,
    redis_key,
    task_args,
    validate_task,
)
from core.errors import InputError
from core.models import PoResult, PoStatus, PoTask, SavedFile
from tests.support import run_app, run_python

PORTAL = "https://acme.coupahost.com"
TEMPLATE = "{base}/order_headers/{po}"
MANIFEST = {"run_id": "0123456789ab", "input_name": "in.csv", "sheet": "", "po_column": "", "redo_completed": False,
            "started_at": "2026-12-07T01:00:00", "task_keys": ["16928033"]}  # fmt: skip


@pytest.mark.parametrize(("platform", "pool"), [("win32", "threads"), ("linux", "prefork"), ("darwin", "prefork")])
def test_the_pool_follows_the_platform(platform: str, pool: str) -> None:
    assert default_pool(platform) == pool


def good_task() -> list[dict[str, Any]]:
    """A task as a node receives it: submit's arguments after their trip through JSON."""
    settings = RunSettings(
        "0123456789ab", "team/run-1", "S:\\coupa\\team\\run-1", PORTAL, TEMPLATE, True, "pdf+attachments", 3
    )
    args = task_args(settings, PoTask("16928033", "PM16928033", ("Finance", "EMEA"), (2, 7)))
    loaded: list[dict[str, Any]] = json.loads(json.dumps(args))
    return loaded


def test_a_good_task_is_accepted_into_its_run_folder_under_the_root(tmp_path: Path) -> None:
    settings, po = good_task()
    accepted = validate_task(settings, po, base_url=PORTAL + "/", output_root=tmp_path)
    assert accepted.output_dir == tmp_path.resolve() / "team" / "run-1"
    assert accepted.po == PoTask("16928033", "PM16928033", ("Finance", "EMEA"), (2, 7))
    assert accepted.settings.max_po_attempts == 3 and accepted.settings.run_id == "0123456789ab"


def test_the_submitter_s_own_path_is_used_only_when_it_is_under_the_node_s_root(tmp_path: Path) -> None:
    root = tmp_path / "share"
    settings, po = good_task()  # a Windows submitter's path: not a path on this machine, so the relative folder
    assert validate_task(settings, po, base_url=PORTAL, output_root=root).output_dir == root / "team" / "run-1"
    settings["run_path"] = str(root / "elsewhere" / "run-1")  # the same share at the same place: the exact folder
    assert validate_task(settings, po, base_url=PORTAL, output_root=root).output_dir == root / "elsewhere" / "run-1"
    for outside in ("/etc", str(root / ".." / "outside"), str(root / "x" / ".." / ".." / "y")):
        settings["run_path"] = outside  # never followed out of the root
        assert validate_task(settings, po, base_url=PORTAL, output_root=root).output_dir == root / "team" / "run-1"
    settings["run_folder"], settings["run_path"] = "", ""  # the run folder is the shared folder itself
    assert validate_task(settings, po, base_url=PORTAL, output_root=root).output_dir == root


def crafted(change: str, value: object) -> tuple[dict[str, Any], dict[str, Any]]:
    settings, po = copy.deepcopy(good_task())
    part, key = change.split(".")
    (settings if part == "settings" else po)[key] = value
    return settings, po


BAD_TASKS = [
    ("settings.base_url", "https://evil.example", "not this node's portal"),
    ("settings.base_url", "http://acme.coupahost.com", "not this node's portal"),  # same host, another scheme
    ("settings.po_url_template", "https://evil.example/{po}", "off this node's portal"),
    ("settings.po_url_template", "{base}@evil.example/{po}", "off this node's portal"),
    ("settings.po_url_template", "{base}/order_headers/1", "must be text with {po}"),
    ("settings.po_url_template", "{base}/{po}/{secret}", "is not a template"),
    ("settings.run_folder", "../outside", "leaves this node's output root"),
    ("settings.run_folder", "run/../../outside", "leaves this node's output root"),
    ("settings.run_folder", "/etc", "leaves this node's output root"),
    ("settings.run_folder", "C:/Windows", "leaves this node's output root"),
    ("settings.run_folder", "run\\..\\..\\x", "not a plain relative path"),
    ("settings.run_folder", "x" * 300, "longer than"),
    ("settings.run_path", ["/"], "must be text"),
    ("settings.max_po_attempts", 1000, "max_po_attempts must be 1 to"),
    ("settings.max_po_attempts", True, "max_po_attempts must be 1 to"),
    ("settings.requisition_fallback", "yes", "true or false"),
    ("settings.emails", "zip", "e-mail handling must be one of"),
    ("settings.emails", ["pdf"], "e-mail handling must be one of"),
    ("settings.output_dir", "/tmp", "exactly"),  # the old message format: an absolute path from the sender
    ("settings.run_id", "../../x", "run id"),
    ("po.po_key", "1; DROP", "PO key"),
    ("po.folder_name", "../../PO16928033", "is not the PO"),
    ("po.folder_name", "PO99999999", "is not the PO"),
    ("po.levels", ["a"] * (MAX_LEVELS + 1), "folder levels"),
    ("po.levels", ["x" * 5000], "folder level must be text"),
    ("po.row_numbers", list(range(1, MAX_ROW_NUMBERS + 2)), "input rows"),
    ("po.row_numbers", [0], "row numbers"),
    ("po.row_numbers", ["2"], "row numbers"),
]


@pytest.mark.parametrize(("change", "value", "reason"), BAD_TASKS)
def test_crafted_tasks_are_rejected_with_their_reason(change: str, value: object, reason: str, tmp_path: Path) -> None:
    settings, po = crafted(change, value)
    with pytest.raises(TaskRejected) as rejected:
        validate_task(settings, po, base_url=PORTAL, output_root=tmp_path / "root")
    assert reason in rejected.value.reason
    names = (rejected.value.run_id, rejected.value.po_key)
    if change in ("settings.run_id", "po.po_key"):
        assert "" in names  # no result can be stored for a run or PO it cannot name safely
    else:
        assert names == ("0123456789ab", "16928033")


def test_an_oversized_task_and_a_symlink_out_of_the_root_are_rejected(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "escape").symlink_to(outside, target_is_directory=True)
    settings, po = crafted("settings.run_folder", "escape/run")
    with pytest.raises(TaskRejected, match="outside this node's output root"):
        validate_task(settings, po, base_url=PORTAL, output_root=root)
    settings, po = crafted("po.levels", ["x" * 150] * 10)
    settings["po_url_template"] = "{base}/order_headers/{po}" + "?" + "a" * 400
    po["row_numbers"] = list(range(MAX_ROW_NUMBER - 9000, MAX_ROW_NUMBER))  # each limit kept, the whole too big
    with pytest.raises(TaskRejected, match=f"larger than {MAX_TASK_BYTES} bytes"):
        validate_task(settings, po, base_url=PORTAL, output_root=root)
    with pytest.raises(TaskRejected, match="JSON objects"):
        validate_task(["not", "a", "dict"], po, base_url=PORTAL, output_root=root)


def test_the_broker_password_is_redacted_and_tls_verifies_by_default() -> None:
    assert (
        redact("rediss://:s3cret@queue:6380/0?ssl_ca_certs=/ca.pem") == "rediss://***@queue:6380/0?ssl_ca_certs=/ca.pem"
    )
    assert redact("redis://user:s3cret@queue:6379/0") == "redis://***@queue:6379/0"
    assert redact("redis://queue:6379/0") == "redis://queue:6379/0"
    assert broker_url("rediss://:pw@queue:6380/0") == "rediss://:pw@queue:6380/0?ssl_cert_reqs=required"
    assert broker_url("rediss://q:6380/0?ssl_cert_reqs=none") == "rediss://q:6380/0?ssl_cert_reqs=none"
    assert broker_url("redis://q:6379/0") == "redis://q:6379/0"


def test_a_windows_node_s_folders_are_found_on_this_machine_s_view_of_the_share(tmp_path: Path) -> None:
    folder = tmp_path / "Finance" / "PO1_COMPLETED"
    folder.mkdir(parents=True)
    (folder / "a.pdf").write_bytes(b"abc")
    sha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    result = PoResult("1", PoStatus.COMPLETED, attachments_found=2, attachments_downloaded=2)
    result.folder = "Z:\\runs\\r1\\Finance\\PO1_COMPLETED"
    files = [SavedFile("a.pdf", 3, sha), SavedFile("gone.pdf", 5, "0" * 64)]
    checked, good = verify_result(result, files, "Z:\\runs\\r1", tmp_path)
    assert checked.folder == str(folder)
    assert good == files[:1]
    assert checked.status is PoStatus.PARTIAL and "gone.pdf" in checked.error_message


def test_submit_and_collect_import_without_selenium() -> None:
    code = (
        "import sys\n"
        "sys.modules['selenium'] = None\n"  # any `import selenium...` now raises ImportError
        "import core.distributed.submit, core.distributed.collect, core.distributed.cli\n"
        "loaded = sorted(m for m in sys.modules if m in ('core.po.browser', 'core.po.job', 'core.run.worker', "
        "'core.distributed.node', 'core.distributed.browser_slots') or m.startswith('selenium.'))\n"
        "print(loaded)\n"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_bad_node_and_collect_options_get_a_message_and_exit_code_2(tmp_path: Path) -> None:
    broker = ("--broker", "redis://127.0.0.1:1/0", "--base-url", PORTAL)
    autoscaled = run_app("worker", *broker, "--pool", "threads", "--max-workers", "3")
    assert autoscaled.returncode == 2 and "--max-workers needs the prefork pool" in autoscaled.stderr
    unknown = run_app("collect", "--output", tmp_path / "never-submitted", "--broker", "redis://127.0.0.1:1/0")
    assert unknown.returncode == 2 and "give --run-id" in unknown.stderr, unknown.stderr
    assert "Traceback" not in autoscaled.stderr + unknown.stderr


POSIX_ONLY = {("os", name) for name in ("fork", "kill", "killpg", "setsid", "getpgid", "setpgrp", "getppid")}


def test_posix_process_control_is_on_the_prefork_path_only() -> None:
    """What a threads-pool (Windows) node runs never needs signals, fork or process groups: `signal` is used only by
    the prefork pool's process hooks, and nothing in the node's modules kills or forks by itself."""
    where: dict[tuple[str, str], set[str]] = {}
    for module in ("node", "browser_slots", "lease"):
        path = Path(__file__).resolve().parents[2] / "core" / "distributed" / f"{module}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                    used = (node.value.id, node.attr)
                    if used[0] == "signal" or used in POSIX_ONLY:
                        where.setdefault(used, set()).add(function.name)
    assert {used for used in where if used in POSIX_ONLY} == set()
    assert set().union(*where.values()) == {"_on_prefork_process_init"}


def test_collect_refuses_a_run_record_that_submit_did_not_write(broker: str, tmp_path: Path) -> None:
    client = redis_client(broker)
    client.set(redis_key("run-input", "0123456789ab"), b"PO_NUMBER\nPO16928033\n")
    for record in (
        '{"run_id": "0123456789ab", "bogus": 1}',
        "not json",
        json.dumps({**MANIFEST, "input_name": "../x"}),
    ):
        client.set(redis_key("run", "0123456789ab"), record)
        with pytest.raises(InputError, match="is not one submit wrote"):
            collect_run(tmp_path / "run", broker, run_id="0123456789ab", timeout=0)
    with pytest.raises(InputError, match="is not a run id"):
        collect_run(tmp_path / "run", broker, run_id="../../etc", timeout=0)
    assert not (tmp_path / "run").exists(), "nothing is written to the share for a run that is not one"
    client.set(redis_key("run", "0123456789ab"), json.dumps(MANIFEST))  # the record submit writes: accepted
    outcome = collect_run(tmp_path / "run", broker, run_id="0123456789ab", timeout=0)
    assert outcome.exit_code == 130 and outcome.total == 1 and outcome.finished == 0
    assert outcome.report is not None and outcome.report.parent == tmp_path / "run"
