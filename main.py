"""CoupaDownloads entry point: no arguments opens the window; `run`, `demo`, `demo-portal`, `worker`, `submit`
and `collect` are the command line."""

from __future__ import annotations

import multiprocessing
import os
import sys


def _attach_windows_console() -> None:
    """A windowed (console=False) Windows build has no stdout/stderr: borrow the terminal it was started from."""
    if sys.platform != "win32" or sys.stderr is not None:
        return
    import ctypes

    attached = ctypes.windll.kernel32.AttachConsole(-1)  # type: ignore[attr-defined]
    target = "CONOUT$" if attached else os.devnull
    sys.stdout = open(target, "w", encoding="utf-8", errors="replace")  # noqa: SIM115 - lives as long as the process
    sys.stderr = open(target, "w", encoding="utf-8", errors="replace")  # noqa: SIM115


def main() -> int:
    # First thing: in a frozen app, spawned worker processes re-enter here and must run their target instead.
    multiprocessing.freeze_support()
    if not sys.argv[1:] or sys.argv[1:] == ["--demo"]:
        from gui.app import run_gui

        return run_gui(demo=sys.argv[1:] == ["--demo"])
    _attach_windows_console()
    from core.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
