"""Driver drift: the driver's and the browser's major versions are compared before a run.

Version texts are the programs' real outputs; the drift check runs real executables (small scripts standing in for a
driver and a browser of given versions: the seam is "a program that prints its version").
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from core.errors import BrowserStartError
from core.po.browser_install import (
    check_driver_matches,
    major,
    newest_version_folder,
    parse_version,
    program_version,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chromium 156.0.8078.129 built on Debian GNU/Linux 12 (bookworm)\n", "156.0.8078.129"),
        (
            "ChromeDriver 156.0.8078.129 (1a2e4e6fe632976b81792a677a258fff32de7c05-refs/branch-heads/8078@{#2497})",
            "156.0.8078.129",
        ),
        ("Google Chrome 120.0.6099.109 \n", "120.0.6099.109"),
        ("Microsoft Edge 120.0.2210.91 ", "120.0.2210.91"),
        ("Microsoft Edge WebDriver 120.0.2210.91 (3e2a0b6e4f6e2b0f6b5c3a0e7f4e4f3e1a2b3c4d)", "120.0.2210.91"),
        ("/usr/bin/chromium: 9: [: unexpected operator\nChromium 99.0.4844.51", "99.0.4844.51"),
        ("command not found", None),
        ("", None),
    ],
)
def test_parse_version(text: str, expected: str | None) -> None:
    assert parse_version(text) == expected


def test_major() -> None:
    assert major("120.0.2210.91") == 120


def test_the_newest_version_folder_beside_a_windows_browser() -> None:
    # C:\Program Files (x86)\Microsoft\Edge\Application holds msedge.exe and one folder per installed version.
    names = ["msedge.exe", "119.0.2151.97", "120.0.2210.91", "SetupMetrics", "msedge_proxy.exe", "99.0.1150.55"]
    assert newest_version_folder(names) == "120.0.2210.91"
    assert newest_version_folder(["chrome.exe", "Dictionaries"]) is None


def program(folder: Path, name: str, output: str) -> str:
    """A real executable that answers `--version` like a browser or a driver does."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{output}'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def test_program_version_runs_the_program(tmp_path: Path) -> None:
    assert program_version(program(tmp_path, "chromedriver", "ChromeDriver 131.0.6778.85 (abc)")) == "131.0.6778.85"
    assert program_version(str(tmp_path / "missing")) is None


def test_a_driver_for_another_major_version_is_refused_naming_both(tmp_path: Path) -> None:
    browser = program(tmp_path, "chromium", "Chromium 156.0.8078.129 built on Debian")
    driver = program(tmp_path, "chromedriver", "ChromeDriver 131.0.6778.85 (abc)")

    with pytest.raises(BrowserStartError) as raised:
        check_driver_matches("chromium", browser, driver)

    message = str(raised.value)
    assert "131.0.6778.85" in message and "156.0.8078.129" in message and driver in message
    assert "Selenium Manager" in message and "~/.cache/selenium" in message and "--driver" in message


def test_matching_or_unknown_versions_pass(tmp_path: Path) -> None:
    browser = program(tmp_path, "chromium", "Chromium 156.0.8078.129 built on Debian")
    same_major = program(tmp_path, "chromedriver", "ChromeDriver 156.0.8000.1 (abc)")
    silent = program(tmp_path, "silent-driver", "no version here")

    check_driver_matches("chromium", browser, same_major)
    check_driver_matches("chromium", browser, silent)
    check_driver_matches("chromium", browser, None)  # Selenium Manager matches the driver itself
