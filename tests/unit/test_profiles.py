"""The default browser profile locations offered for "start from a copy of my browser profile"."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.po.profiles import PROFILE_BROWSERS, default_profile_dirs, existing_profile_dirs


def test_windows_profiles_live_under_local_app_data(tmp_path: Path) -> None:
    local = tmp_path / "Local"
    dirs = default_profile_dirs("win32", {"LOCALAPPDATA": str(local)}, home=tmp_path / "home")
    assert dirs == {
        "edge": local / "Microsoft" / "Edge" / "User Data",
        "chrome": local / "Google" / "Chrome" / "User Data",
        "chromium": local / "Chromium" / "User Data",
    }


def test_windows_without_local_app_data_falls_back_to_the_home_folder(tmp_path: Path) -> None:
    dirs = default_profile_dirs("win32", {}, home=tmp_path)
    assert dirs["edge"] == tmp_path / "AppData" / "Local" / "Microsoft" / "Edge" / "User Data"


def test_macos_profiles_live_under_application_support(tmp_path: Path) -> None:
    dirs = default_profile_dirs("darwin", {}, home=tmp_path)
    support = tmp_path / "Library" / "Application Support"
    assert dirs == {
        "edge": support / "Microsoft Edge",
        "chrome": support / "Google" / "Chrome",
        "chromium": support / "Chromium",
    }


@pytest.mark.parametrize(
    ("environ", "config"), [({}, Path(".config")), ({"XDG_CONFIG_HOME": "XDG"}, Path("XDG"))], ids=["default", "xdg"]
)
def test_linux_profiles_follow_xdg_config_home(tmp_path: Path, environ: dict[str, str], config: Path) -> None:
    env = {k: str(tmp_path / v) for k, v in environ.items()}
    dirs = default_profile_dirs("linux", env, home=tmp_path)
    base = tmp_path / config
    assert dirs == {"edge": base / "microsoft-edge", "chrome": base / "google-chrome", "chromium": base / "chromium"}


def test_every_platform_names_the_same_browsers_in_the_same_order(tmp_path: Path) -> None:
    for platform in ("win32", "darwin", "linux"):
        assert tuple(default_profile_dirs(platform, {}, home=tmp_path)) == PROFILE_BROWSERS


def test_only_installed_browsers_are_offered(tmp_path: Path) -> None:
    (tmp_path / "Library" / "Application Support" / "Google" / "Chrome").mkdir(parents=True)
    found = existing_profile_dirs("darwin", {}, home=tmp_path)
    assert found == {"chrome": tmp_path / "Library" / "Application Support" / "Google" / "Chrome"}
