"""Settings resolved once: each option's value comes from the command line, else the environment, else the remembered
settings, else its one declared default, the same for the CLI and the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cli import build_parser, config_from_args
from core.config import DEFAULTS, SAVED_SETTINGS, Settings, resolve_settings, settings_from_text
from core.errors import InputError


def test_command_line_beats_environment_beats_saved_beats_default() -> None:
    saved = {"base_url": "https://saved.example", "workers": 5, "downloads_per_worker": 6, "browser": "edge"}
    environ = {"COUPA_WORKERS": "auto", "COUPA_BROWSER": "chrome", "COUPA_BASE_URL": "https://env.example"}
    settings = resolve_settings({"browser": "chromium", "downloads_per_worker": None}, environ=environ, saved=saved)
    assert settings.browser == "chromium"  # command line
    assert settings.workers is None and settings.base_url == "https://env.example"  # environment
    assert settings.downloads_per_worker == 6  # saved
    assert settings.headless is DEFAULTS.headless and settings.po_url_template == DEFAULTS.po_url_template  # defaults


def test_typed_text_is_read_alike_everywhere_and_a_typed_mistake_is_an_error() -> None:
    assert resolve_settings({"workers": "auto"}, environ={}, saved={}).workers is None
    assert resolve_settings({"workers": "3"}, environ={}, saved={}).workers == 3
    with pytest.raises(InputError, match="Workers must be"):
        resolve_settings({}, environ={"COUPA_WORKERS": "many"}, saved={})
    # A stale settings file never stops the app: its broken values fall back to the defaults.
    assert settings_from_text({"workers": "many", "headless": "false", "bogus": "1", "downloads_per_worker": "x"}) == {
        "headless": False
    }


def test_remembered_text_round_trips() -> None:
    chosen = Settings(
        base_url="https://a.b",
        workers=None,
        headless=False,
        driver_path="/opt/d",
        downloads_per_worker=7,
    )
    text = chosen.to_text()
    assert set(text) == set(SAVED_SETTINGS) and text["workers"] == "auto" and text["headless"] == "false"
    assert resolve_settings({}, environ={}, saved=settings_from_text(text)) == chosen


def test_the_command_line_uses_the_declared_defaults(tmp_path: Path) -> None:
    args = build_parser().parse_args(["run", "--input", "i.xlsx", "--output", "o", "--base-url", "https://a.b"])
    config = config_from_args(args, environ={})
    expected = Settings(base_url="https://a.b").run_config(Path("i.xlsx"), Path("o"))
    assert config == expected
    assert (config.workers, config.downloads_per_worker, config.headless) == (
        DEFAULTS.workers,
        DEFAULTS.downloads_per_worker,
        DEFAULTS.headless,
    )


def test_no_portal_says_where_to_give_one() -> None:
    with pytest.raises(InputError, match="--base-url"):
        resolve_settings({}, environ={}, saved={}).run_config(Path("i.xlsx"), Path("o"))
