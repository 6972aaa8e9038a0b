"""PyInstaller runtime hook (runs before main.py in the frozen app): give child programs the user's environment.

On Linux the bootloader points LD_LIBRARY_PATH at the bundle so our Python finds its bundled libraries, and keeps the
user's value in LD_LIBRARY_PATH_ORIG. Every program we start inherits it: the system's Chromium/Chrome/Edge, its
chromedriver, Selenium Manager, xdg-open. They would then load our copies of libssl, libglib or libfontconfig instead
of their own and may crash or refuse to start. This process has already loaded what it needs, and our own worker
processes go through the bootloader again (which sets the variable anew), so restoring it here is safe.
"""

from __future__ import annotations

import os
import sys

if sys.platform.startswith("linux") and getattr(sys, "frozen", False):
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)
