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
import threading
import time
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.models import PoStatus
from core.po.path_budget import PART_SUFFIX, WORK_SUFFIX, PathBudget, system_path_budget

log = logging.getLogger(__name__)

DEFAULT_FILE_NAME = "file"
DEFAULT_FOLDER_NAME = "Unknown"

FORBIDDEN_CHARS_RE = re.compile(r'[<>:"/\\|?*]')
DOT_RUN_RE = re.compile(r"\.{2,}")
COUNTER_RE = re.compile(r"^(?P<stem>.+)_(?P<counter>\d+)(?P<ext>\.[^.]*)?$")  # `Invoice_2.pdf`: made by `with_counter`
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
        # A PO's files must also stay apart from what its earlier status folders hold, as they may join one.
        folders = [folder, *status_dirs(base_of(folder))] if folder.name.endswith(WORK_SUFFIX) else [folder]
        with self._lock:
            on_disk = {name_key(p.name) for path in folders if path.is_dir() for p in path.iterdir()}
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


def base_of(work_dir: Path) -> Path:
    """The PO folder without its `__WORK` suffix: what its status folders are named after."""
    name = work_dir.name
    return work_dir.with_name(name[: -len(WORK_SUFFIX)] if name.endswith(WORK_SUFFIX) else name)


def start_po_dir(base: Path) -> Path:
    """Create (or reuse, after an interrupted run) `<base>__WORK` without our half-written `.part` files."""
    work = work_dir_for(base)
    work.mkdir(parents=True, exist_ok=True)
    for part in work.glob(f"*{PART_SUFFIX}"):
        if part.is_file():
            part.unlink(missing_ok=True)
    return work


def status_dirs(base: Path) -> list[Path]:
    """Every existing `<base>_<STATUS>` folder: an earlier run's, or a user's folder named like one."""
    return [path for status in PoStatus if (path := base.with_name(f"{base.name}_{status.value}")).is_dir()]


@dataclass(frozen=True)
class FinalFolder:
    """Where a PO's files ended, and which of our files took another name there (old name -> new name)."""

    path: Path
    renamed: dict[str, str] = field(default_factory=dict)


def finalize_po_dir(work_dir: Path, status: str, ours: Collection[str] = ()) -> FinalFolder:
    """Give the PO's files their status folder `<base>_<STATUS>`; nothing that is not ours is deleted or moved.

    `ours` names the files the journal recorded for this PO (kept from an earlier attempt), and what we made from them
    (an e-mail's PDF and attachments folder). An earlier status folder
    holding only those takes the new status. One that holds anything else (a user's file) stays as it is: only our
    files leave it. When the status folder already exists, our files join it with unique names beside what is there.
    """
    base = base_of(work_dir)
    target = base.with_name(f"{base.name}_{status}")
    earlier = [path for path in status_dirs(base) if path != target]
    if not target.exists():
        only_ours = next((path for path in earlier if _holds_only(path, ours)), None)
        if only_ours is not None:
            _rename(only_ours, target)
            earlier.remove(only_ours)
    renamed: dict[str, str] = {}
    if work_dir.is_dir():
        for part in work_dir.glob(f"*{PART_SUFFIX}"):
            part.unlink(missing_ok=True)
        renamed = _drop_refetched(work_dir, work_dir, ours)
        if not target.exists():
            _rename(work_dir, target)
    target.mkdir(parents=True, exist_ok=True)
    if work_dir.is_dir():
        moved = _move_into(work_dir, target, ours)
        renamed = {old: moved.get(new, new) for old, new in renamed.items()} | moved
    for path in earlier:
        renamed |= _move_into(path, target, ours, only_ours=True)
    if work_dir.is_dir() and not any(work_dir.iterdir()):
        work_dir.rmdir()
    log.debug("PO folder finalized: %s", target)
    return FinalFolder(target, renamed)


def _holds_only(folder: Path, names: Collection[str]) -> bool:
    keys = {name_key(name) for name in names}
    return all(name_key(item.name) in keys for item in folder.iterdir())


def _move_into(source: Path, target: Path, ours: Collection[str], *, only_ours: bool = False) -> dict[str, str]:
    """Move the entries of `source` (or only ours, named in `ours`) into `target` without overwriting anything.

    Returns our files that ended under another name: the identical file `target` already holds, or a unique name.
    """
    renamed = _drop_refetched(source, target, ours)
    keys = {name_key(name) for name in ours}
    names = UniqueNames()
    for item in sorted(source.iterdir()):
        if only_ours and name_key(item.name) not in keys:
            continue
        destination = names.reserve(target, item.name)
        _rename(item, destination)
        names.release(destination)
        if destination.name != item.name:
            renamed[item.name] = destination.name
    return renamed


def _drop_refetched(source: Path, target: Path, ours: Collection[str]) -> dict[str, str]:
    """Delete our files of `source` that `target` already holds byte for byte under the name they were numbered
    apart from (fetched again after a crash the journal never heard of); returns which file stands for each."""
    keys = {name_key(name) for name in ours}
    dropped: dict[str, str] = {}
    for item in sorted(source.iterdir()):
        if name_key(item.name) in keys and (same := _identical_original(item, target)) is not None:
            item.unlink()
            dropped[item.name] = same.name
    return dropped


def _identical_original(item: Path, folder: Path) -> Path | None:
    """The file in `folder` that `item` (`Invoice_3.pdf`) was named apart from (`Invoice.pdf`, `Invoice_2.pdf`: a PO
    may hold two different `Invoice.pdf`), if one is byte-identical."""
    match = COUNTER_RE.match(item.name)
    if match is None or not item.is_file():
        return None
    name, counter = match.group("stem") + (match.group("ext") or ""), int(match.group("counter"))
    for earlier in range(1, counter):
        original = folder / with_counter(name, earlier)
        if original == item or not original.is_file() or original.stat().st_size != item.stat().st_size:
            continue
        if filecmp.cmp(original, item, shallow=False):
            return original
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


def sha256_file(path: Path) -> str:
    """The sha256 of a file on disk, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
