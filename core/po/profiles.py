"""Where Edge, Chrome and Chromium keep their own user data, per OS: the source for "start from a copy of my profile".

Each path is the browser's *user data* folder (the one holding `Local State` and the `Default` profile), which is what
`--profile-dir` / RunConfig.profile_dir expects: the app copies it (caches and lock files left out) and never uses it
live, so the browser may stay open.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

PROFILE_BROWSERS = ("edge", "chrome", "chromium")


def default_profile_dirs(
    platform: str | None = None, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> dict[str, Path]:
    """The default user data folder of each browser ("edge", "chrome", "chromium") on `platform` (default: this OS).

    The folders may not exist (browser not installed); see `existing_profile_dirs`.
    """
    platform = platform or sys.platform
    env = os.environ if environ is None else environ
    home = home or Path.home()
    if platform == "win32":
        local = Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return {
            "edge": local / "Microsoft" / "Edge" / "User Data",
            "chrome": local / "Google" / "Chrome" / "User Data",
            "chromium": local / "Chromium" / "User Data",
        }
    if platform == "darwin":
        support = home / "Library" / "Application Support"
        return {
            "edge": support / "Microsoft Edge",
            "chrome": support / "Google" / "Chrome",
            "chromium": support / "Chromium",
        }
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    return {
        "edge": config / "microsoft-edge",
        "chrome": config / "google-chrome",
        "chromium": config / "chromium",
    }


def existing_profile_dirs(
    platform: str | None = None, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> dict[str, Path]:
    """Only the browsers whose user data folder exists here, in the order edge, chrome, chromium."""
    return {kind: path for kind, path in default_profile_dirs(platform, environ, home).items() if path.is_dir()}
