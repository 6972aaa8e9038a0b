"""Files written whole or not at all: a temporary file beside the target, flushed to disk, then renamed over it.

The temporary file is created with the permissions the file will keep: the user's umask for what the user reads (the
report, the input snapshot), owner-only for secrets (`private`). (`tempfile.mkstemp` would make every file 0600.)
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], object], *, private: bool = False) -> None:
    """Create or replace `path` with what `write` writes to the binary stream it is given."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(temp, flags, 0o600 if private else 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
