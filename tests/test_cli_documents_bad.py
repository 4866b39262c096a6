"""Bad papers (issue 14, item 7): an encrypted, damaged or non-PDF file, a scan, a file too big, and a
500-page PDF, through `curator attach` and the import of an exchange file with its documents beside it.
Each says so naming the file, and nothing is half-stored: the document and blob tables and the audit
log are as they were. A 500-page PDF is attached and located in memory bounded by its size."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from curator.cli import main
from curator.errors import CuratorError
from curator.locate import Located, locate_row
from curator.numbers import parse_reported
from curator.pdf import find_text, sha256_of
from curator.review import Arm, Row
from curator.services import ReviewService
from curator.services.documents import MAX_BYTES
from tests.documents.pdfs import encrypted, long_paper, paper, scan
from tests.helpers import document_tables, run, stored, stored_demo

BAD: list[tuple[str, Callable[[], bytes], str]] = [
    ("encrypted", encrypted, "the PDF is encrypted (it needs a password); save an unprotected copy"),
    ("damaged", lambda: paper([[(72, 100, "42.6%")]])[:400], "the PDF is damaged and cannot be read"),
    ("not a pdf", lambda: b"PK\x03\x04 a zip file, not a paper", "not a PDF (it does not start as a PDF does"),
    ("empty", lambda: b"", "not a PDF (the file is empty)"),
]


@pytest.mark.parametrize(("kind", "make", "says"), BAD, ids=[b[0] for b in BAD])
def test_attach_refuses_a_bad_file_naming_it_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, make: Callable[[], bytes], says: str
) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    bad = tmp_path / "wahn-2002.pdf"
    bad.write_bytes(make())
    before = document_tables(review)
    code, out, err = run(capsys, "--reviewer", "Ana", "attach", str(review), "--reference", "7", str(bad))
    assert (code, out) == (2, "")
    assert err == f"curator: {bad}: {says}" + err.split(says, 1)[1]  # one line, naming the file
    assert err.count("\n") == 1 and "Traceback" not in err
    assert document_tables(review) == before


def test_attach_refuses_a_file_bigger_than_any_paper_before_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    huge = tmp_path / "atlas.pdf"
    with huge.open("wb") as f:  # sparse: made at once, never read
        f.write(b"%PDF-1.7\n")
        f.truncate(MAX_BYTES + 1)
    before = document_tables(review)
    code, _, err = run(capsys, "attach", str(review), "--reference", "7", str(huge))
    assert code == 2
    assert err == (
        f"curator: {huge}: 200 MB is more than a paper needs (at most 200 MB is kept in a review); "
        "save a smaller copy (without embedded media, or scanned at a lower resolution)\n"
    )
    assert document_tables(review) == before


def test_a_scan_is_kept_and_said_to_be_unsearchable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan())
    code, out, err = run(capsys, "attach", str(review), "--reference", "7", str(path))
    assert code == 0 and "Attached scan.pdf (1 page" in out
    assert "scan.pdf has no text layer (a scan?): it can be viewed, not searched" in err
    assert document_tables(review)[1] == [sha256_of(scan())]


def _exchange_with(tmp_path: Path, data: bytes, name: str = "wahn-2002.pdf") -> Path:
    """An exchange file naming one document of reference 7 (of ``data``'s SHA-256), ``data`` beside it."""
    folder = tmp_path / "from-bob"
    folder.mkdir()
    exchange = folder / "bob.json"
    assert main(["export", str(stored_demo(tmp_path / "bob.sqlite")), "-o", str(exchange)]) == 0
    content = json.loads(exchange.read_text())
    content["format"] = "curator/1.1"
    content["documents"] = [{"sha256": sha256_of(data), "file": name, "reference": "7", "pages": 1}]
    exchange.write_text(json.dumps(content))
    (folder / name).write_bytes(data)
    return exchange


@pytest.mark.parametrize(("kind", "make", "says"), BAD[:3], ids=[b[0] for b in BAD[:3]])
def test_import_keeps_a_bad_document_beside_by_name_saying_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, make: Callable[[], bytes], says: str
) -> None:
    exchange = _exchange_with(tmp_path, make())
    capsys.readouterr()
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(exchange))
    assert code == 0
    pdf = exchange.parent / "wahn-2002.pdf"
    assert err.startswith(
        f"curator: bob.json: document wahn-2002.pdf (reference '7') was found beside it but is not kept ({pdf}: {says}"
    )
    assert err.endswith("; it is kept by name, without its file\n") and err.count("\n") == 1
    documents, blobs, _ = document_tables(tmp_path / "new.sqlite")
    assert [file for _, file, _ in documents] == ["wahn-2002.pdf"]  # the name, as the contract says
    assert blobs == []  # and not the bytes


def test_import_keeps_a_document_too_big_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = paper([[(72, 100, "42.6%")]])
    exchange = _exchange_with(tmp_path, data)
    monkeypatch.setattr("curator.services.documents.MAX_BYTES", len(data) - 1)
    capsys.readouterr()
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(exchange))
    assert code == 0 and "is more than a paper needs" in err and "wahn-2002.pdf" in err
    assert document_tables(tmp_path / "new.sqlite")[1] == []


def test_a_scan_beside_the_exchange_file_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exchange = _exchange_with(tmp_path, scan())
    capsys.readouterr()
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(exchange))
    assert (code, err) == (0, "")
    assert stored(tmp_path / "new.sqlite").documents[0].stored


# -- a 500-page PDF ------------------------------------------------------------------------------------


def _peak(work: Callable[[], object]) -> int:
    """The most memory Python held at once while ``work`` ran, above what it held before."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base


def test_a_500_page_pdf_is_attached_read_and_located_in_memory_bounded_by_its_size(tmp_path: Path) -> None:
    data = long_paper()
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    review = stored_demo(tmp_path / "r.sqlite")
    warm = tmp_path / "short.pdf"
    warm.write_bytes(paper([[(72, 100, "1")]]))
    with ReviewService.open(review, "Ana") as service:
        service.documents.attach("8", warm)  # the code paths loaded before measuring
        service.documents.locate("pime-vs-tcs", 3)
        attached = None

        def attach() -> None:
            nonlocal attached
            attached = service.documents.attach("7", path)

        assert _peak(attach) < 3 * len(data)
        assert attached is not None and attached.document.pages == 500 and attached.has_text
        # Locating reads the bytes from the review once, then searches them value by value as find_text
        # does: page by page, each page's text let go before the next (not every page's text kept).
        content: list[bytes | None] = []
        assert _peak(lambda: content.append(service.documents.content(attached.document.sha256))) < 2 * len(data)
        hits: list[object] = []
        assert _peak(lambda: hits.extend(find_text(data, "42.6", whole_number=True))) < len(data)
        assert [h.page for h in hits] == [500]  # type: ignore[attr-defined]
        # Locating a value: searched over all 500 pages, keeping only the hits ("Page 500" heads the last).
        row = Row(endpoint="", intervention=Arm(n=parse_reported("500", whole=True)))
        located: list[Located] = []
        assert _peak(lambda: located.extend(locate_row(row, data, "long.pdf"))) < len(data)
        assert [(f.field, [h.page for h in f.hits]) for f in located] == [("intervention.n", [500])]


def test_a_500_page_pdf_through_import_beside_the_exchange_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from curator.services.importing import import_file

    exchange = _exchange_with(tmp_path, long_paper(), "long.pdf")
    run(capsys, "import", str(tmp_path / "warm.sqlite"), str(exchange))  # the code paths loaded first
    stored_demo(tmp_path / "new.sqlite")
    assert _peak(lambda: import_file(tmp_path / "new.sqlite", exchange, "Ana", replace=True)) < 3 * len(long_paper())
    with ReviewService.open(tmp_path / "new.sqlite") as service:
        (document,) = service.documents.all()
        assert document.stored and service.documents.content(document.sha256) == long_paper()


def test_the_service_refuses_what_the_command_refuses(tmp_path: Path) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    bad = tmp_path / "locked.pdf"
    bad.write_bytes(encrypted())
    before = document_tables(review)
    with ReviewService.open(review, "Ana") as service, pytest.raises(CuratorError, match="locked.pdf: the PDF is"):
        service.documents.attach("7", bad)
    assert document_tables(review) == before


def test_file_import_of_the_window_says_which_document_was_not_kept_and_why(tmp_path: Path) -> None:
    from curator.services.importing import import_file

    exchange = _exchange_with(tmp_path, encrypted())
    review = stored_demo(tmp_path / "r.sqlite")
    line = import_file(review, exchange, "Ana", replace=True)  # what File > Import runs, and shows
    pdf = exchange.parent / "wahn-2002.pdf"
    assert line.endswith(
        f". bob.json: document wahn-2002.pdf (reference '7') was found beside it but is not kept ({pdf}: the PDF "
        "is encrypted (it needs a password); save an unprotected copy); it is kept by name, without its file"
    )
    assert document_tables(review)[1] == []
