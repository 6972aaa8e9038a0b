"""Where the browsers (Edge, Chrome, Chromium) and their drivers are installed on this computer, and whether they
match."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from core.errors import BrowserStartError

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


# -- driver drift: the browser updates itself, the driver does not -------------------------------------------------
VERSION_RE = re.compile(r"\b(\d{2,4})\.(\d+)\.(\d+)\.(\d+)\b")
VERSION_TIMEOUT = 15.0  # seconds for `<program> --version`
SELENIUM_CACHE = "~/.cache/selenium"
# How to get a driver offline, by browser: `{major}` is the browser's major version.
DRIVER_DOWNLOADS = {
    "edge": "download msedgedriver {major} from https://developer.microsoft.com/microsoft-edge/tools/webdriver/",
    "chrome": "download chromedriver {major} from https://googlechromelabs.github.io/chrome-for-testing/",
    "chromium": "install the chromedriver of your Chromium package (Debian/Ubuntu: apt-get install chromium-driver)",
}
# Where Windows browsers record their version (the programs do not answer `--version` there).
WINDOWS_VERSION_KEYS = {
    "edge": r"Software\Microsoft\Edge\BLBeacon",
    "chrome": r"Software\Google\Chrome\BLBeacon",
    "chromium": r"Software\Chromium\BLBeacon",
}


def parse_version(text: str) -> str | None:
    """`Microsoft Edge WebDriver 120.0.2210.91 (…)` -> `120.0.2210.91`; None when there is no version."""
    match = VERSION_RE.search(text)
    return match.group(0) if match else None


def major(version: str) -> int:
    return int(version.split(".", 1)[0])


def newest_version_folder(names: list[str]) -> str | None:
    """Chrome and Edge install into `Application\\<version>\\` beside the program: the newest such folder's name."""
    versions = [name for name in names if VERSION_RE.fullmatch(name)]
    return max(versions, key=lambda v: tuple(int(part) for part in v.split(".")), default=None)


def program_version(path: str) -> str | None:
    """What `path --version` prints, parsed; None when it cannot be run or says no version."""
    try:
        done = subprocess.run(
            [path, "--version"],
            check=False,
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_version(done.stdout) or parse_version(done.stderr)


def browser_version(kind: str, binary: str) -> str | None:
    if sys.platform != "win32":
        return program_version(binary)
    # On Windows `chrome.exe --version` opens a window instead: read the registry, else the version folder.
    found = _windows_registry_version(kind)
    if found:
        return found
    folder = Path(binary).parent
    return newest_version_folder([p.name for p in folder.iterdir()]) if folder.is_dir() else None


def _windows_registry_version(kind: str) -> str | None:
    if sys.platform != "win32":
        return None
    import winreg

    for root in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):
        try:
            with winreg.OpenKey(root, WINDOWS_VERSION_KEYS[kind]) as key:
                return parse_version(str(winreg.QueryValueEx(key, "version")[0]))
        except OSError:
            continue
    return None


@functools.cache
def check_driver_matches(kind: str, binary: str | None, driver: str | None) -> None:
    """Raise BrowserStartError (exit 4) when the driver is for another major version than the browser.

    Skipped when Selenium Manager picks the driver (it matches it to the browser) or a version cannot be read.
    """
    if binary is None or driver is None:
        return
    driver_version = program_version(driver)
    installed = browser_version(kind, binary)
    if driver_version is None or installed is None or major(driver_version) == major(installed):
        return
    raise BrowserStartError(
        f"The driver {driver} is version {driver_version}, but the browser {binary} is version {installed}: "
        f"they must have the same major version ({major(installed)}). Get the matching driver: with an internet "
        f"connection, leave --driver (and COUPA_DRIVER) unset and remove the old {DRIVER_NAMES[kind]} from your "
        f"PATH, so Selenium Manager fetches it (it keeps it in {SELENIUM_CACHE}); offline, "
        f"{DRIVER_DOWNLOADS[kind].format(major=major(installed))} and pass it with --driver."
    )


def start_failure_message(kind: str, driver_path: str | None, detail: str) -> str:
    """What to tell the user when the driver would not start the browser (`detail`: the driver's own words)."""
    if driver_path is None:
        return (
            f"Could not start {kind}: no {DRIVER_NAMES[kind]} was found on this computer and Selenium Manager could "
            f"not fetch one ({detail}). When offline, download the driver matching your browser version and pass "
            "it with --driver (or COUPA_DRIVER)."
        )
    if "version" in detail.lower():
        return (
            f"Could not start {kind}: the driver {driver_path} does not match the installed browser ({detail}). "
            "Install the driver for your browser's version and pass it with --driver."
        )
    return f"Could not start {kind} with the driver {driver_path}: {detail}"
