"""Safe names and the PO folder lifecycle (`<PO>__WORK` while working, `<PO>_<STATUS>` when done).

Names come from Coupa pages and HTTP headers, so they are untrusted: they must be valid on Windows and macOS,
must never climb out of the run folder, and must never collide with another file of the same PO.
"""

from __future__ import annotations

import filecmp
import hashlib
import logging
import os
import re
import shutil
import threading
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from core.models import PoStatus
from core.po.path_budget import PART_SUFFIX, WORK_SUFFIX, PathBudget, system_path_budget

log = logging.getLogger(__name__)

DEFAULT_FILE_NAME = "file"
DEFAULT_FOLDER_NAME = "Unknown"

FORBIDDEN_CHARS_RE = re.compile(r'[<>:"/\\|?*]')
DOT_RUN_RE = re.compile(r"\.{2,}")
# Windows refuses these as a name or as the part before the first dot ("CON.pdf", "nul.tar.gz"), in any case.
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{prefix}{n}" for prefix in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
# Most file systems allow 255 bytes per name; leave room for "_NN", ".part" and multi-byte characters.
MAX_NAME_BYTES = 200
MAX_EXTENSION_LENGTH = 16
RENAME_ATTEMPTS = 5


def _clean(name: str) -> str:
    """The character-level rules shared by file and folder names."""
    text = unicodedata.normalize("NFC", name or "")
    chars = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\r\n\v\f":
            chars.append(" ")
        elif category == "Cc" or category in ("Cf", "Cs", "Co", "Zl", "Zp"):
            continue  # invisible or bidi-override characters make names lie about their extension
        else:
            chars.append(char)
    text = FORBIDDEN_CHARS_RE.sub("_", "".join(chars))
    text = DOT_RUN_RE.sub(".", text)
    text = " ".join(text.split())
    return text.strip(" .")


def _avoid_reserved(name: str) -> str:
    stem = name.split(".", 1)[0].rstrip(" ")
    return f"_{name}" if stem.upper() in RESERVED_NAMES else name


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > MAX_EXTENSION_LENGTH or " " in ext:
        return name, ""
    return stem, f".{ext}"


def _fits(text: str, max_length: int) -> bool:
    return len(text) <= max_length and len(text.encode("utf-8")) <= MAX_NAME_BYTES


def _truncate_stem(stem: str, suffix: str, max_length: int) -> str:
    """Shorten `stem` so that `stem + suffix` fits, keeping the suffix (extension, counter) whole."""
    while stem and not _fits(stem + suffix, max_length):
        stem = stem[:-1]
    return stem.rstrip(" .")


def safe_filename(name: str, max_length: int = 150) -> str:
    """A file name valid on Windows, macOS and Linux, at most `max_length` characters, extension kept."""
    text = _avoid_reserved(_clean(name))
    if not text:
        return DEFAULT_FILE_NAME
    if _fits(text, max_length):
        return text
    stem, ext = _split_extension(text)
    if len(ext) >= max_length // 2:
        stem, ext = text, ""
    stem = _truncate_stem(stem, ext, max_length)
    return _avoid_reserved(stem + ext) if stem else _truncate_stem(DEFAULT_FILE_NAME, ext, max_length) + ext


def safe_folder_name(name: str, max_length: int = 80) -> str:
    """One folder level (supplier, hierarchy value) with the same rules; blank becomes "Unknown"."""
    text = _avoid_reserved(_clean(name))
    text = _truncate_stem(text, "", max_length)
    return text or DEFAULT_FOLDER_NAME


def with_counter(name: str, counter: int, max_length: int = 150) -> str:
    """`Invoice.pdf`, 2 -> `Invoice_2.pdf` (still within `max_length`)."""
    if counter <= 1:
        return name
    stem, ext = _split_extension(name)
    suffix = f"_{counter}{ext}"
    return (_truncate_stem(stem, suffix, max_length) or DEFAULT_FILE_NAME) + suffix


def name_key(name: str) -> str:
    """What makes two names the same file on Windows and macOS disks: case and Unicode normalisation do not count
    (macOS stores `é` decomposed, NFD; a name typed elsewhere is composed, NFC)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


class UniqueNames:
    """Hands out file names that no other download in the same folder will use.

    Parallel downloads of one PO often carry the same name (two different `Invoice.pdf`); both must be kept.
    The check against the disk and the reservation happen under one lock, so two threads never get one name.
    Names are compared by `name_key`, as Windows and macOS file systems compare them. Each name also fits the
    full-path budget (`budget`, this system's by default).
    """

    def __init__(self, max_length: int = 150, budget: PathBudget | None = None) -> None:
        self._max_length = max_length
        self._budget = budget or system_path_budget()
        self._lock = threading.Lock()
        self._reserved: set[tuple[str, str]] = set()

    @staticmethod
    def _key(folder: Path, name: str) -> tuple[str, str]:
        return os.path.normcase(os.path.abspath(folder)), name_key(name)

    def reserve(self, folder: Path, name: str) -> Path:
        room = self._budget.name_room(str(folder))
        max_length = self._max_length if room is None else max(1, min(self._max_length, room))
        base = safe_filename(name, max_length)
        with self._lock:
            on_disk = {name_key(p.name) for p in folder.iterdir()} if folder.is_dir() else set()
            counter = 1
            while True:
                candidate = with_counter(base, counter, max_length)
                folded = name_key(candidate)
                taken = (
                    folded in on_disk
                    or (folded + PART_SUFFIX) in on_disk
                    or self._key(folder, candidate) in self._reserved
                )
                if not taken:
                    self._reserved.add(self._key(folder, candidate))
                    return folder / candidate
                counter += 1

    def release(self, path: Path) -> None:
        with self._lock:
            self._reserved.discard(self._key(path.parent, path.name))


def po_dir(run_dir: Path, levels: Sequence[str], folder_name: str, budget: PathBudget | None = None) -> Path:
    """`<run>/<level…>/<PO folder>` without the work/status suffix, within the path budget; nothing is created."""
    folder = safe_folder_name(folder_name)
    safe_levels = [safe_folder_name(level) for level in levels]
    return run_dir.joinpath(*(budget or system_path_budget()).levels(str(run_dir), safe_levels, folder), folder)


def work_dir_for(base: Path) -> Path:
    return base.with_name(base.name + WORK_SUFFIX)


def start_po_dir(base: Path) -> Path:
    """Create (or reuse, after an interrupted run) `<base>__WORK` and return it."""
    work = work_dir_for(base)
    work.mkdir(parents=True, exist_ok=True)
    return work


def _status_names(base: Path) -> list[str]:
    return [f"{base.name}_{status.value}" for status in PoStatus]


def find_final_dir(base: Path) -> Path | None:
    """An existing `<base>_<STATUS>` folder from an earlier run, if any."""
    for name in _status_names(base):
        candidate = base.with_name(name)
        if candidate.is_dir():
            return candidate
    return None


def _rename(source: Path, target: Path) -> None:
    # Windows refuses to rename a folder for a moment after a file in it was closed (indexers, antivirus).
    for attempt in range(RENAME_ATTEMPTS):
        try:
            source.rename(target)
            return
        except PermissionError:
            if attempt == RENAME_ATTEMPTS - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _merge_into(work_dir: Path, final: Path) -> None:
    """Move finished files of a re-run into the existing status folder, keeping every distinct file."""
    names = UniqueNames()
    for item in sorted(work_dir.iterdir()):
        if item.name.endswith(PART_SUFFIX):
            continue  # half-written: never counted, never kept
        existing = final / item.name
        if item.is_file() and existing.is_file() and filecmp.cmp(item, existing, shallow=False):
            continue  # the same file fetched again
        shutil.move(str(item), str(names.reserve(final, item.name)))
    shutil.rmtree(work_dir, ignore_errors=True)


def finalize_po_dir(work_dir: Path, status: str) -> Path:
    """Rename `<base>__WORK` to `<base>_<STATUS>` and return it.

    A re-run of the same PO finds the earlier status folder: the files go into it (with unique names) and it
    takes the new status, so one PO never ends up with two folders.
    """
    name = work_dir.name[: -len(WORK_SUFFIX)] if work_dir.name.endswith(WORK_SUFFIX) else work_dir.name
    base = work_dir.with_name(name)
    final = base.with_name(f"{name}_{status}")
    earlier = find_final_dir(base)
    if earlier is not None and earlier != final and not final.exists():
        _rename(earlier, final)
    if not work_dir.is_dir():
        final.mkdir(parents=True, exist_ok=True)
        return final
    if final.exists():
        _merge_into(work_dir, final)
    else:
        for part in work_dir.glob(f"*{PART_SUFFIX}"):
            part.unlink(missing_ok=True)
        _rename(work_dir, final)
    log.debug("PO folder finalized: %s", final)
    return final


def remove_partial_files(root: Path) -> int:
    """Delete every `*.part` under `root` (left by a crash); returns how many were removed."""
    if not root.is_dir():
        return 0
    removed = 0
    for part in root.rglob(f"*{PART_SUFFIX}"):
        if part.is_file():
            part.unlink(missing_ok=True)
            removed += 1
    return removed


def sha256_file(path: Path) -> str:
    """The sha256 of a file on disk, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
