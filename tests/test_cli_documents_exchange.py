"""Documents travel beside the exchange file: `export --with-documents` writes them, `import` finds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from curator.pdf import sha256_of
from curator.services import ReviewService
from tests.documents.pdfs import paper
from tests.helpers import run, stored, stored_demo, without_audit_head


def _review_with_paper(tmp_path: Path) -> tuple[Path, bytes]:
    review = stored_demo(tmp_path / "r.sqlite")
    pdf = tmp_path / "papers" / "wahn-2002.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(paper([[(72, 100, "42.6%")], [(72, 100, "0·55")]]))
    with ReviewService.open(review, "Ana") as service:
        service.documents.attach("7", pdf)
    return review, pdf.read_bytes()


def test_export_with_documents_then_import_gives_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review, data = _review_with_paper(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(capsys, "export", str(review), "-o", str(out / "r.json"), "--with-documents")
    assert code == 0 and "wahn-2002.pdf: written" in err
    assert (out / "wahn-2002.pdf").read_bytes() == data
    document = json.loads((out / "r.json").read_text())["documents"][0]
    assert document == {
        "sha256": sha256_of(data),
        "file": "wahn-2002.pdf",
        "reference": "7",
        "media_type": "application/pdf",
        "pages": 2,
    }
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(out / "r.json"))
    assert (code, err) == (0, "")
    with ReviewService.open(tmp_path / "new.sqlite") as service:
        (got,) = service.documents.all()
        assert got.stored and service.documents.content(got.sha256) == data
    code, out_text, _ = run(capsys, "check", str(tmp_path / "new.sqlite"), "--rule", "document-missing")
    assert "document-missing" not in out_text


def test_import_finds_a_renamed_document_by_its_hash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review, data = _review_with_paper(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "export", str(review), "-o", str(out / "r.json"))
    assert not (out / "wahn-2002.pdf").exists()  # without --with-documents, the names only
    (out / "renamed.pdf").write_bytes(data)
    (out / "wahn-2002.pdf").write_bytes(b"another file under the document's name")
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(out / "r.json"))
    assert (code, err) == (0, "")
    assert stored(tmp_path / "new.sqlite").documents[0].stored


def test_a_document_not_found_beside_is_kept_by_name_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review, _ = _review_with_paper(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "export", str(review), "-o", str(out / "r.json"))
    code, text, _ = run(capsys, "check", str(out / "r.json"), "--rule", "document-missing")
    assert "wahn-2002.pdf (reference '7')" in text
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(out / "r.json"))
    assert code == 0
    assert err == (
        "curator: r.json: document wahn-2002.pdf (reference '7') was not found beside it; "
        "it is kept by name, without its file\n"
    )
    (document,) = stored(tmp_path / "new.sqlite").documents
    assert (document.file, document.stored) == ("wahn-2002.pdf", False)
    code, text, _ = run(capsys, "check", str(tmp_path / "new.sqlite"), "--rule", "document-missing")
    assert "wahn-2002.pdf" in text


def test_export_never_overwrites_a_different_file_of_the_same_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review, _ = _review_with_paper(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "wahn-2002.pdf").write_bytes(b"someone else's file")
    code, _, err = run(capsys, "export", str(review), "-o", str(out / "r.json"), "--with-documents")
    assert code == 2 and "wahn-2002.pdf: a different file of that name is there" in err
    assert err.count("\n") == 1
    assert (out / "wahn-2002.pdf").read_bytes() == b"someone else's file"
    assert not (out / "r.json").exists()


def test_with_documents_is_for_the_exchange_file_and_the_workbook_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review, _ = _review_with_paper(tmp_path)
    code, _, err = run(capsys, "export", str(review), "-o", str(tmp_path / "r.csv"), "--with-documents")
    assert (code, err) == (
        2,
        "curator: --with-documents applies to the curator/1 exchange file (json) and the workbook (xlsx)\n",
    )


def test_a_review_with_evidence_goes_out_beside_its_papers_and_comes_back_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Values captured from the paper (evidence with page, text and boxes): exported with the PDFs beside
    the file, imported into a new review, exported again: the same exchange file, byte for byte, the
    same evidence and the same PDF bytes."""
    from curator.locate import locate_row
    from curator.review import Evidence

    review, data = _review_with_paper(tmp_path)
    with ReviewService.open(review, "Ana") as service:
        (document,) = service.documents.all()
        row = stored(review).comparisons[0].rows[0]
        (located,) = [f for f in locate_row(row, data) if f.field == "intervention.value"]
        hit = located.hits[0]
        place = Evidence(document.sha256, hit.page, hit.text, [list(b) for b in hit.boxes])
        service.rows.set_evidence("pime-vs-tcs", 0, "intervention.value", place, expected_text="42.6")
        service.rows.capture("pime-vs-tcs", 1, "comparator.value", "0·55", Evidence(document.sha256, 2, "0·55"))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    assert run(capsys, "export", str(review), "-o", str(first / "r.json"), "--with-documents")[0] == 0
    assert run(capsys, "import", str(tmp_path / "new.sqlite"), str(first / "r.json"))[:3:2] == (0, "")
    assert run(capsys, "export", str(tmp_path / "new.sqlite"), "-o", str(second / "r.json"), "--with-documents")[0] == 0
    # The same content; each export carries the audit head of the review it came from.
    assert without_audit_head((second / "r.json").read_text(encoding="utf-8"), tmp_path / "new.sqlite") == (
        without_audit_head((first / "r.json").read_text(encoding="utf-8"), review)
    )
    assert (second / "wahn-2002.pdf").read_bytes() == data
    rows = stored(tmp_path / "new.sqlite").comparisons[0].rows
    assert rows[0].evidence["intervention.value"] == place
    assert rows[1].comparator.value.text == "0·55"  # as printed
    assert rows[1].evidence["comparator.value"].page == 2
    exchanged = json.loads((first / "r.json").read_text())
    assert exchanged["comparisons"][0]["rows"][0]["evidence"]["intervention.value"]["page"] == hit.page
