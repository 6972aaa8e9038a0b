"""Fast checks of the engine's small pieces: settings, status rules, events, journal, the core/Qt boundary."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from core.config import RunConfig, env_overrides, parse_workers
from core.errors import InputError
from core.events import PoFinished, event_to_dict
from core.models import PoResult, PoStatus, SavedFile, derive_status
from core.run.journal import Journal
from core.worker_count import auto_workers
from tests.support import run_python


def config(**values: object) -> RunConfig:
    base: dict[str, object] = {"input_path": Path("in.xlsx"), "output_dir": Path("out"), "base_url": "https://a.b/"}
    return RunConfig(**{**base, **values}).validated()  # type: ignore[arg-type]


def test_config_strips_trailing_slash_and_rejects_bad_values() -> None:
    assert config().base_url == "https://a.b"
    for bad in (
        {"base_url": "acme.coupahost.com"},
        {"workers": 17},
        {"workers": 0},
        {"downloads_per_worker": 9},
        {"pages_per_worker": 0},
        {"pages_per_worker": 9},
        {"browser": "firefox"},
        {"po_url_template": "{base}/orders"},
        {"limit": 0},
    ):
        with pytest.raises(InputError):
            config(**bad)


def test_workers_auto_and_env_overrides() -> None:
    assert parse_workers("auto") is None and parse_workers("4") == 4
    with pytest.raises(InputError):
        parse_workers("many")
    env = env_overrides({"COUPA_BASE_URL": "https://x.y", "COUPA_WORKERS": "auto", "COUPA_BROWSER": "edge"})
    assert env == {"base_url": "https://x.y", "workers": None, "browser": "edge"}


def test_auto_workers_follows_memory_cpu_and_pending_work() -> None:
    gib = 1024**3
    assert auto_workers(100, available_memory=24 * gib, cpus=2) == 4  # CPU bound
    assert auto_workers(100, available_memory=1 * gib, cpus=8) == 2  # memory bound (~450 MB each)
    assert auto_workers(1, available_memory=24 * gib, cpus=8) == 1  # never more than the work
    assert auto_workers(500, available_memory=64 * gib, cpus=32) == 16  # the product's ceiling


@pytest.mark.parametrize(
    ("found", "saved", "cancelled", "status"),
    [
        (0, 0, False, PoStatus.NO_ATTACHMENTS),
        (3, 3, False, PoStatus.COMPLETED),
        (3, 1, False, PoStatus.PARTIAL),
        (3, 0, False, PoStatus.FAILED),
        (3, 1, True, PoStatus.CANCELLED),
        (2, 2, True, PoStatus.COMPLETED),
    ],
)
def test_status_derivation(found: int, saved: int, cancelled: bool, status: PoStatus) -> None:
    assert derive_status(found, saved, cancelled=cancelled) is status


def test_events_are_picklable_and_serialise_to_json() -> None:
    result = PoResult("16928033", PoStatus.COMPLETED, supplier="Northwind", attachment_names=["a.pdf"])
    event = PoFinished(2, result, (SavedFile("a.pdf", 10, "ab"),))
    assert pickle.loads(pickle.dumps(event)) == event
    data = json.loads(json.dumps(event_to_dict(event)))
    assert data["event"] == "po_finished" and data["result"]["status"] == "COMPLETED"
    assert data["files"] == [{"name": "a.pdf", "size": 10, "sha256": "ab"}]


def test_journal_survives_reopen_and_knows_what_is_done(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as journal:
        journal.set_meta({"state": "running"})
        journal.record(PoResult("1", PoStatus.COMPLETED, attachment_names=["é.pdf"]), [SavedFile("é.pdf", 3, "x")])
        journal.record(PoResult("2", PoStatus.CANCELLED))
        journal.record(PoResult("3", PoStatus.FAILED))
        journal.record(PoResult("4", PoStatus.PO_NOT_FOUND))
    with Journal(path) as journal:
        assert journal.run_state == "running"
        assert journal.done_keys() == {"1", "4"}
        assert journal.results()["1"].attachment_names == ["é.pdf"]
        assert journal.files("1") == [SavedFile("é.pdf", 3, "x")]
        journal.record(PoResult("2", PoStatus.COMPLETED))
        assert journal.results()["2"].status is PoStatus.COMPLETED


def test_core_imports_with_qt_blocked() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked in core')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import core.cli, core.run.supervisor, core.run.worker, core.demo_portal, core.workbook.report\n"
        "print('ok')\n"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_cli_reads_remembered_settings_under_env_and_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.cli import build_parser, config_from_args
    from core.config import saved_settings, settings_path

    settings_path().write_text(
        "[run]\nbase_url=https://saved.example\nworkers=auto\nheadless=false\ndownloads_per_worker=6\nbogus=1\n"
        "browser=edge\n",
        encoding="utf-8",
    )
    try:
        assert saved_settings() == {
            "base_url": "https://saved.example",
            "workers": None,
            "headless": False,
            "downloads_per_worker": 6,
            "browser": "edge",
        }
        monkeypatch.setenv("COUPA_BROWSER", "chrome")
        args = build_parser().parse_args(["run", "--input", "i.xlsx", "--output", "o", "--workers", "3"])
        cfg = config_from_args(args)
        assert (cfg.base_url, cfg.workers, cfg.headless, cfg.downloads_per_worker) == (
            "https://saved.example",
            3,
            False,
            6,
        )
        assert cfg.browser == "chrome"  # the environment beats the remembered setting
    finally:
        settings_path().unlink()
