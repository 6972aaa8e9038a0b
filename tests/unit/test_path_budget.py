"""Windows' 259-character full-path budget, checked with Windows path rules (`ntpath`) on any machine."""

from __future__ import annotations

import ntpath
from pathlib import Path

import pytest

from core.errors import InputError
from core.models import PoStatus
from core.po.folders import UniqueNames, po_dir, safe_filename, with_counter
from core.po.path_budget import PART_SUFFIX, WORK_SUFFIX, PathBudget

WINDOWS = PathBudget(259, ntpath)
# A 120-character run folder, as a deep OneDrive/Downloads path on a company laptop makes it.
RUN_DIR = ("C:\\Users\\jane.doe\\OneDrive - Contoso Ltd\\Downloads\\CoupaDownloads\\" + "Audit Q3 " * 9)[:119] + "x"
LONGEST_STATUS = max((f"_{s.value}" for s in PoStatus), key=len)


def file_paths(base: str, name: str) -> list[str]:
    """Every path a file of this PO takes: the `.part` while working, the file in each status folder."""
    return [ntpath.join(base + WORK_SUFFIX, name + PART_SUFFIX)] + [
        ntpath.join(f"{base}_{status.value}", name) for status in PoStatus
    ]


def test_the_run_folder_is_120_characters() -> None:
    assert len(RUN_DIR) == 120 and ntpath.isabs(RUN_DIR)


def test_long_levels_and_names_under_a_120_character_run_folder_stay_within_259() -> None:
    levels = WINDOWS.levels(RUN_DIR, ["Northwind Traders International " * 3, "EMEA procurement " * 5], "PO16928033")
    base = ntpath.join(RUN_DIR, *levels, "PO16928033")
    room = WINDOWS.name_room(base + WORK_SUFFIX)
    assert room is not None and room >= 40
    name = safe_filename("Signed master services agreement " * 5 + ".pdf", min(150, room))
    for counter in (1, 2, 99):
        numbered = with_counter(name, counter, room)
        assert numbered.endswith(".pdf")
        assert max(len(path) for path in file_paths(base, numbered)) <= 259


def test_levels_are_kept_whole_when_they_fit() -> None:
    assert WINDOWS.levels("C:\\Out", ["Northwind", "EMEA"], "PO1") == ["Northwind", "EMEA"]


def test_shortened_levels_stay_distinct_and_short_ones_stay_whole() -> None:
    first = WINDOWS.levels(RUN_DIR, ["Contoso Holdings Worldwide " * 4 + "A", "IT"], "PO1")
    second = WINDOWS.levels(RUN_DIR, ["Contoso Holdings Worldwide " * 4 + "B", "IT"], "PO1")
    assert first[1] == second[1] == "IT"
    assert first[0] != second[0]
    assert first[0].startswith("Contoso Holdings")


def test_no_budget_where_long_paths_are_allowed() -> None:
    unlimited = PathBudget(None, ntpath)
    assert unlimited.levels(RUN_DIR, ["a" * 80], "PO1") == ["a" * 80]
    assert unlimited.name_room(RUN_DIR) is None
    unlimited.check_run_dir("C:\\" + "d" * 300)


def test_a_run_folder_too_long_to_hold_files_is_refused_with_a_message() -> None:
    WINDOWS.check_run_dir(RUN_DIR)
    with pytest.raises(InputError, match="long paths"):
        WINDOWS.check_run_dir("C:\\" + "d" * 200)


def test_unique_names_follow_the_budget_on_disk(tmp_path: Path) -> None:
    budget = PathBudget(len(str(tmp_path)) + 60)
    base = po_dir(tmp_path, ["Supplier"], "PO1", budget)
    work = base.with_name(base.name + WORK_SUFFIX)
    work.mkdir(parents=True)
    names = UniqueNames(budget=budget)
    first = names.reserve(work, "A very long contract name that does not fit.docx")
    first.write_bytes(b"1")
    second = names.reserve(work, "A very long contract name that does not fit.docx")
    assert first != second
    for path in (first, second):
        assert path.suffix == ".docx"
        final = base.with_name(base.name + LONGEST_STATUS) / path.name
        assert len(str(final)) <= budget.limit  # type: ignore[operator]
        assert len(str(path)) + len(PART_SUFFIX) <= budget.limit  # type: ignore[operator]
