"""Safe names and the PO folder lifecycle."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import pytest

from core.models import PoStatus
from core.po.folders import (
    PART_SUFFIX,
    WORK_SUFFIX,
    UniqueNames,
    finalize_po_dir,
    po_dir,
    safe_filename,
    safe_folder_name,
    start_po_dir,
    status_dirs,
)

FORBIDDEN = set('<>:"/\\|?*')


def assert_portable(name: str) -> None:
    assert name
    assert not FORBIDDEN & set(name)
    assert not any(unicodedata.category(c) == "Cc" for c in name)
    assert ".." not in name
    assert not name.startswith((".", " "))
    assert not name.endswith((".", " "))


# ------------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../x", "_x"),
        ("..\\..\\windows\\system32.dll", "_._windows_system32.dll"),
        ("CON.pdf", "_CON.pdf"),
        ("con", "_con"),
        ("LPT9.tar.gz", "_LPT9.tar.gz"),
        ("COM1 .txt", "_COM1 .txt"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("a:b*?.pdf", "a_b__.pdf"),
        ('quote "final" <v2>|x.pdf', "quote _final_ _v2__x.pdf"),
        ("report.pdf...", "report.pdf"),
        ("trailing space . ", "trailing space"),
        (".hidden", "hidden"),
        ("tab\tand\nnew line.pdf", "tab and new line.pdf"),
        ("bell\x07null\x00.pdf", "bellnull.pdf"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("Quote v2.docx.pdf", "Quote v2.docx.pdf"),
        ("Orçamento été.pdf", "Orçamento été.pdf"),
        ("", "file"),
        ("...", "file"),
        ("  ", "file"),
    ],
)
def test_safe_filename(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected
    assert_portable(safe_filename(raw))


def test_safe_filename_is_nfc_and_keeps_accents() -> None:
    decomposed = unicodedata.normalize("NFD", "Résumé été.pdf")
    assert safe_filename(decomposed) == unicodedata.normalize("NFC", "Résumé été.pdf")
    assert len(safe_filename(decomposed)) == len("Résumé été.pdf")


def test_long_names_are_cut_keeping_the_extension() -> None:
    name = "A" * 300 + ".pdf"
    safe = safe_filename(name)
    assert len(safe) <= 150
    assert safe.endswith(".pdf")
    assert safe.startswith("AAAA")
    assert len(safe_filename(name, max_length=40)) <= 40


def test_long_multibyte_names_fit_file_system_byte_limits() -> None:
    safe = safe_filename("報告書" * 100 + ".xlsx")
    assert safe.endswith(".xlsx")
    assert len(safe) <= 150
    assert len(safe.encode("utf-8")) <= 255


def test_long_name_without_real_extension_is_cut() -> None:
    safe = safe_filename("word " * 80)
    assert len(safe) <= 150
    assert_portable(safe)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Northwind Paper Ltd.", "Northwind Paper Ltd"),
        ("  ", "Unknown"),
        ("", "Unknown"),
        ("AUX", "_AUX"),
        ("R&D / Ops: EMEA", "R&D _ Ops_ EMEA"),
        ("..", "Unknown"),
        ("Café Müller", "Café Müller"),
    ],
)
def test_safe_folder_name(raw: str, expected: str) -> None:
    assert safe_folder_name(raw) == expected


def test_safe_folder_name_is_limited() -> None:
    long = safe_folder_name("Supplier " * 30)
    assert len(long) <= 80
    assert_portable(long)


# ------------------------------------------------------------------------------------------ unique names


def test_unique_names_avoid_disk_part_files_and_earlier_reservations(tmp_path: Path) -> None:
    names = UniqueNames()
    (tmp_path / "Invoice.pdf").write_bytes(b"x")
    (tmp_path / "Invoice_2.pdf.part").write_bytes(b"x")
    first = names.reserve(tmp_path, "Invoice.pdf")
    second = names.reserve(tmp_path, "Invoice.pdf")
    assert first == tmp_path / "Invoice_3.pdf"
    assert second == tmp_path / "Invoice_4.pdf"
    names.release(first)
    assert names.reserve(tmp_path, "invoice.PDF") == tmp_path / "invoice_3.PDF"  # case-insensitive like Windows


def test_unique_names_sanitise_and_stay_short(tmp_path: Path) -> None:
    names = UniqueNames()
    long = "B" * 300 + ".docx"
    paths = [names.reserve(tmp_path, long) for _ in range(12)]
    assert len(set(paths)) == 12
    assert all(len(p.name) <= 150 and p.name.endswith(".docx") for p in paths)
    assert names.reserve(tmp_path, "../CON.pdf").name == "_CON.pdf"


def test_unique_names_under_eight_threads(tmp_path: Path) -> None:
    names = UniqueNames()
    results: list[Path] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work(count: int) -> None:
        barrier.wait()
        for _ in range(count):
            path = names.reserve(tmp_path, "Invoice.pdf")
            with lock:
                results.append(path)

    counts = [7, 7, 6, 6, 6, 6, 6, 6]
    assert sum(counts) == 50
    threads = [threading.Thread(target=work, args=(c,)) for c in counts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 50
    assert len(set(results)) == 50
    assert tmp_path / "Invoice.pdf" in results
    assert tmp_path / "Invoice_50.pdf" in results


def test_same_name_in_different_folders_is_not_a_clash(tmp_path: Path) -> None:
    names = UniqueNames()
    assert names.reserve(tmp_path / "a", "x.pdf").name == "x.pdf"
    assert names.reserve(tmp_path / "b", "x.pdf").name == "x.pdf"


# ---------------------------------------------------------------------------------------------- folders


def test_po_dir_sanitises_levels(tmp_path: Path) -> None:
    path = po_dir(tmp_path, ["Acme: EMEA", "", "../etc"], "PO16928033")
    assert path == tmp_path / "Acme_ EMEA" / "Unknown" / "_etc" / "PO16928033"
    assert not path.exists()
    assert po_dir(tmp_path, [], "PO1") == tmp_path / "PO1"


def test_folder_lifecycle_work_then_status(tmp_path: Path) -> None:
    base = po_dir(tmp_path, ["Northwind"], "PO16928033")
    work = start_po_dir(base)
    assert work == base.with_name("PO16928033" + WORK_SUFFIX)
    assert work.is_dir()
    (work / "Quote.pdf").write_bytes(b"quote")
    (work / ("Broken.pdf" + PART_SUFFIX)).write_bytes(b"half")
    assert status_dirs(base) == []

    final = finalize_po_dir(work, PoStatus.COMPLETED)
    assert final.path == base.with_name("PO16928033_COMPLETED")
    assert not work.exists()
    assert sorted(p.name for p in final.path.iterdir()) == ["Quote.pdf"]
    assert status_dirs(base) == [final.path]


def test_start_reuses_an_interrupted_work_dir_dropping_only_our_part_files(tmp_path: Path) -> None:
    base = tmp_path / "PO1"
    work = start_po_dir(base)
    (work / "kept.pdf").write_bytes(b"1")
    (work / "half.pdf.part").write_bytes(b"1")
    again = start_po_dir(base)
    assert again == work
    assert [p.name for p in again.iterdir()] == ["kept.pdf"]


def test_po_without_files_still_gets_a_status_folder(tmp_path: Path) -> None:
    base = tmp_path / "PO2"
    final = finalize_po_dir(start_po_dir(base), "NO_ATTACHMENTS")
    assert final.path.name == "PO2_NO_ATTACHMENTS"
    assert final.path.is_dir()
    missing_work = tmp_path / ("PO3" + WORK_SUFFIX)
    assert finalize_po_dir(missing_work, "PO_NOT_FOUND").path.is_dir()


def test_rerun_joins_the_existing_status_folder_without_overwriting(tmp_path: Path) -> None:
    base = tmp_path / "PO4"
    first = finalize_po_dir(start_po_dir(base), "COMPLETED").path
    (first / "Invoice.pdf").write_bytes(b"old invoice")

    work = start_po_dir(base)
    names = UniqueNames()
    fetched = names.reserve(work, "Invoice.pdf")
    assert fetched.name == "Invoice_2.pdf", "a name the status folder holds is not handed out"
    fetched.write_bytes(b"new invoice")
    (work / "Extra.pdf").write_bytes(b"extra")
    final = finalize_po_dir(work, "COMPLETED", ours=["Invoice_2.pdf", "Extra.pdf"])

    assert final.path == first and final.renamed == {}
    assert not work.exists()
    assert sorted(p.name for p in first.iterdir()) == ["Extra.pdf", "Invoice.pdf", "Invoice_2.pdf"]
    assert (first / "Invoice.pdf").read_bytes() == b"old invoice"


def test_a_file_appearing_in_the_status_folder_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    base = tmp_path / "PO4"
    work = start_po_dir(base)
    (work / "a.pdf").write_bytes(b"ours")
    target = base.with_name("PO4_COMPLETED")
    target.mkdir()
    (target / "A.PDF").write_bytes(b"the user's")
    final = finalize_po_dir(work, "COMPLETED", ours=["a.pdf"])
    assert final.renamed == {"a.pdf": "a_2.pdf"}
    assert (target / "A.PDF").read_bytes() == b"the user's"
    assert (target / "a_2.pdf").read_bytes() == b"ours"


def test_rerun_with_new_status_takes_a_folder_holding_only_our_files(tmp_path: Path) -> None:
    base = tmp_path / "PO5"
    failed = finalize_po_dir(start_po_dir(base), "PARTIAL").path
    (failed / "a.pdf").write_bytes(b"a")
    work = start_po_dir(base)
    (work / "b.pdf").write_bytes(b"b")
    final = finalize_po_dir(work, "COMPLETED", ours=["a.pdf", "b.pdf"])
    assert final.path.name == "PO5_COMPLETED"
    assert not failed.exists()
    assert sorted(p.name for p in final.path.iterdir()) == ["a.pdf", "b.pdf"]
    assert status_dirs(base) == [final.path]


def test_a_status_folder_holding_a_users_file_is_left_where_it_is(tmp_path: Path) -> None:
    base = tmp_path / "PO6"
    earlier = base.with_name("PO6_PARTIAL")
    earlier.mkdir()
    (earlier / "a.pdf").write_bytes(b"ours, kept from the earlier attempt")
    (earlier / "signed_contract.pdf").write_bytes(b"the user's")
    (earlier / "notes").mkdir()
    work = start_po_dir(base)
    (work / "b.pdf").write_bytes(b"b")
    final = finalize_po_dir(work, "COMPLETED", ours=["a.pdf", "b.pdf"])
    assert final.path.name == "PO6_COMPLETED"
    assert sorted(p.name for p in final.path.iterdir()) == ["a.pdf", "b.pdf"]
    assert sorted(p.name for p in earlier.iterdir()) == ["notes", "signed_contract.pdf"]
    assert (earlier / "signed_contract.pdf").read_bytes() == b"the user's"


def test_names_differing_only_in_normalisation_or_case_are_the_same_file(tmp_path: Path) -> None:
    names = UniqueNames()
    decomposed = unicodedata.normalize("NFD", "Résumé.pdf")
    (tmp_path / decomposed).write_bytes(b"on a macOS disk")
    composed = names.reserve(tmp_path, "Résumé.pdf")
    assert composed.name == "Résumé_2.pdf"
    upper = names.reserve(tmp_path, unicodedata.normalize("NFD", "RÉSUMÉ_2.PDF"))
    assert upper.name.casefold() not in {"résumé.pdf", "résumé_2.pdf"}


def test_a_file_fetched_again_after_a_crash_is_not_kept_twice(tmp_path: Path) -> None:
    base = tmp_path / "PO7"
    earlier = base.with_name("PO7_COMPLETED")
    earlier.mkdir()
    (earlier / "Invoice.pdf").write_bytes(b"invoice")  # saved before a crash the journal never heard of
    (earlier / "Quote.pdf").write_bytes(b"the user's quote")
    work = start_po_dir(base)
    names = UniqueNames()
    for name, data in (("Invoice.pdf", b"invoice"), ("Quote.pdf", b"the portal's quote"), ("README", b"r")):
        names.reserve(work, name).write_bytes(data)
    final = finalize_po_dir(work, "COMPLETED", ours=["Invoice_2.pdf", "Quote_2.pdf", "README"])
    assert final.path == earlier
    assert final.renamed == {"Invoice_2.pdf": "Invoice.pdf"}
    assert sorted(p.name for p in earlier.iterdir()) == ["Invoice.pdf", "Quote.pdf", "Quote_2.pdf", "README"]
    assert (earlier / "Quote.pdf").read_bytes() == b"the user's quote"


def test_a_file_completed_in_the_work_folder_before_a_crash_is_not_kept_twice(tmp_path: Path) -> None:
    base = tmp_path / "PO8"
    work = start_po_dir(base)
    (work / "Invoice.pdf").write_bytes(b"invoice")  # renamed from .part just before the kill, never journaled
    UniqueNames().reserve(work, "Invoice.pdf").write_bytes(b"invoice")
    final = finalize_po_dir(work, "COMPLETED", ours=["Invoice_2.pdf"])
    assert final.renamed == {"Invoice_2.pdf": "Invoice.pdf"}
    assert [p.name for p in final.path.iterdir()] == ["Invoice.pdf"]
