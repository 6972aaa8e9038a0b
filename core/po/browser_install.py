"""Where the browsers (Edge, Chrome, Chromium) and their drivers are installed on this computer."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# Where each browser usually lives; the first existing path wins. `shutil.which` names are tried first.
BINARY_NAMES = {
    "chromium": ("chromium", "chromium-browser"),
    "chrome": ("google-chrome", "google-chrome-stable", "chrome"),
    "edge": ("microsoft-edge", "microsoft-edge-stable", "msedge"),
}
BINARY_PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "win32": {
        "chrome": (
            r"%PROGRAMFILES%\Google\Chrome\Application\chrome.exe",
            r"%PROGRAMFILES(X86)%\Google\Chrome\Application\chrome.exe",
            r"%LOCALAPPDATA%\Google\Chrome\Application\chrome.exe",
        ),
        "edge": (
            r"%PROGRAMFILES(X86)%\Microsoft\Edge\Application\msedge.exe",
            r"%PROGRAMFILES%\Microsoft\Edge\Application\msedge.exe",
        ),
        "chromium": (r"%LOCALAPPDATA%\Chromium\Application\chrome.exe",),
    },
    "darwin": {
        "chrome": ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",),
        "edge": ("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",),
        "chromium": ("/Applications/Chromium.app/Contents/MacOS/Chromium",),
    },
}
DRIVER_NAMES = {"chromium": "chromedriver", "chrome": "chromedriver", "edge": "msedgedriver"}


def find_browser_binary(kind: str) -> str | None:
    for name in BINARY_NAMES.get(kind, ()):
        found = shutil.which(name)
        if found:
            return found
    for candidate in BINARY_PATHS.get(sys.platform, {}).get(kind, ()):
        path = Path(os.path.expandvars(candidate))
        if path.exists():
            return str(path)
    return None


def find_driver(kind: str) -> str | None:
    return shutil.which(DRIVER_NAMES[kind]) or next(
        (p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if kind != "edge" and Path(p).exists()),
        None,
    )


def detect_browsers() -> list[str]:
    """Installed browsers, the usual company choice first."""
    return [kind for kind in ("edge", "chrome", "chromium") if find_browser_binary(kind)]


def browser_kind(chosen: str) -> str:
    """The browser to start: the one chosen, else the first installed (Chromium when none is found)."""
    return chosen or next(iter(detect_browsers()), "chromium")
