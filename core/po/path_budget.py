"""The full-path budget: on Windows without long paths, every path the app writes stays within 259 characters.

Windows' classic MAX_PATH is 260 characters including the terminating NUL; Explorer, Excel and zip tools still fail
on longer paths even where the file system would take them. A path is the run folder, the folder levels, the PO
folder with its ending (`__WORK` while working, `_<STATUS>` at the end), the file name and, while downloading,
`.part`. When they do not fit, the levels are shortened first (each keeps a short hash of its full name, so two long
supplier names stay apart), then the file names (their extension kept; uniqueness is `UniqueNames`' job).
Lengths are measured with the target system's path rules (`ntpath` in tests on Linux), on absolute paths.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from core.errors import InputError
from core.models import PoStatus

WORK_SUFFIX = "__WORK"
PART_SUFFIX = ".part"
WINDOWS_MAX_PATH = 259
# Characters a PO folder's name may grow by: `_NO_ATTACHMENTS` at the end, or `__WORK` plus a file's `.part` while
# working, whichever is longer.
FOLDER_ENDING_ROOM = max(*(len(f"_{status.value}") for status in PoStatus), len(WORK_SUFFIX) + len(PART_SUFFIX))
MIN_NAME_ROOM = 40  # file-name characters kept free before folder levels are shortened
MIN_LEVEL_LENGTH = 8
LEVEL_HASH_LENGTH = 6
# What a run folder must leave free below it: one shortened level, a PO folder with its ending, a file name.
RUN_DIR_HEADROOM = 100
LONG_PATHS_KEY = r"SYSTEM\CurrentControlSet\Control\FileSystem"


def long_paths_enabled() -> bool:
    """Windows: has the administrator lifted the 260-character limit (LongPathsEnabled = 1)? Other systems: yes."""
    if sys.platform != "win32":
        return True
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, LONG_PATHS_KEY) as key:
            value, _kind = winreg.QueryValueEx(key, "LongPathsEnabled")
    except OSError:
        return False
    return bool(value == 1)


@dataclass(frozen=True)
class PathBudget:
    """How long a full path may be (`limit`; None: no limit) under one system's path rules (`flavour`)."""

    limit: int | None
    flavour: ModuleType = os.path

    def check_run_dir(self, run_dir: str) -> None:
        """InputError when the run folder leaves too little room for the PO folders and files below it."""
        if self.limit is None:
            return
        length = len(self.flavour.abspath(run_dir))
        if length > self.limit - RUN_DIR_HEADROOM:
            raise InputError(
                f"The output folder's path is {length} characters long. Windows allows {self.limit} characters for a "
                f"whole path, and the PO folders and files need room below it: choose a folder whose path has at most "
                f"{self.limit - RUN_DIR_HEADROOM} characters (e.g. C:\\CoupaDownloads), or ask IT to enable long paths."
            )

    def levels(self, run_dir: str, levels: Sequence[str], folder: str) -> list[str]:
        """The folder levels, shortened when needed so that `MIN_NAME_ROOM` characters stay for file names."""
        if self.limit is None or not levels:
            return list(levels)
        fixed = len(self.flavour.join(self.flavour.abspath(run_dir), folder + "_" * FOLDER_ENDING_ROOM, ""))
        room = self.limit - MIN_NAME_ROOM - fixed - len(levels)  # one separator after each level
        if sum(len(level) for level in levels) <= room:
            return list(levels)
        cap = max(_fair_cap([len(level) for level in levels], room), MIN_LEVEL_LENGTH)
        return [level if len(level) <= cap else shorten_level(level, cap) for level in levels]

    def name_room(self, folder: str) -> int | None:
        """How many characters a file name may have in `folder` (a PO's `__WORK` folder or any other folder)."""
        if self.limit is None:
            return None
        absolute = self.flavour.abspath(folder)
        if absolute.endswith(WORK_SUFFIX):
            # The folder will be renamed `_<STATUS>`: budget for its longest ending.
            return self.limit - len(self.flavour.join(absolute[: -len(WORK_SUFFIX)], "")) - FOLDER_ENDING_ROOM
        return self.limit - len(self.flavour.join(absolute, "")) - len(PART_SUFFIX)


def _fair_cap(lengths: list[int], room: int) -> int:
    """The largest per-level length such that the capped lengths sum to at most `room` (short levels stay whole)."""
    remaining, count = room, len(lengths)
    for length in sorted(lengths):
        share = remaining // count
        if length > share:
            return share
        remaining -= length
        count -= 1
    return max(lengths)


def shorten_level(level: str, length: int) -> str:
    """`level` cut to `length` characters, ending in `~` and a hash of the whole name so cut names stay distinct."""
    digest = hashlib.sha1(level.encode("utf-8")).hexdigest()[:LEVEL_HASH_LENGTH]
    return level[: max(length - LEVEL_HASH_LENGTH - 1, 1)].rstrip(" .") + "~" + digest


@functools.cache
def system_path_budget() -> PathBudget:
    """This machine's budget: 259 characters on Windows unless long paths are enabled, else none."""
    return PathBudget(None if long_paths_enabled() else WINDOWS_MAX_PATH)
