"""Attaching a paper's PDF to a reference, and detaching it: stored once, audited, refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.pdf import sha256_of
from curator.services import ReviewService
from tests.backends import as_reviewer, raw
from tests.documents.pdfs import paper, scan
from tests.helpers import stored, stored_demo


def _pdf(tmp_path: Path, name: str = "wahn-2002.pdf", text: str = "42.6%") -> Path:
    path = tmp_path / name
    path.write_bytes(paper([[(72, 100, text)], [(72, 100, "page two")]]))
    return path


def _counts(path: Path | str) -> tuple[int, int, int]:
    conn = raw(path)
    out = tuple(
        conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("document", "document_blob", "audit_log")
    )
    conn.close()
    return out  # type: ignore[return-value]


def test_attach_stores_the_bytes_and_the_document_and_audits_it(review_target: Path | str, tmp_path: Path) -> None:
    review = stored_demo(review_target)
    pdf = _pdf(tmp_path)
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service:
        done = service.documents.attach("7", pdf)
        assert not done.already and done.has_text
        assert service.documents.content(done.document.sha256) == pdf.read_bytes()
        assert service.documents.all() == [done.document]
        entries = [e for e, _ in service.log()]
    document = stored(review).documents[0]
    assert (document.sha256, document.file, document.reference) == (sha256_of(pdf.read_bytes()), pdf.name, "7")
    assert (document.media_type, document.pages, document.stored) == ("application/pdf", 2, True)
    assert {(e["table_name"], e["action"], e["who"]) for e in entries[-2:]} == {
        ("document", "insert", "Ana"),
        ("document_blob", "insert", "Ana"),
    }


def test_the_same_bytes_attached_twice_are_stored_once(review_target: Path | str, tmp_path: Path) -> None:
    review = stored_demo(review_target)
    pdf = _pdf(tmp_path)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(pdf.read_bytes())
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service:
        service.documents.attach("7", pdf)
        assert service.documents.attach("7", copy).already
    assert _counts(review)[:2] == (1, 1)


def test_a_scan_is_attached_and_said_to_have_no_text(review_target: Path | str, tmp_path: Path) -> None:
    review = stored_demo(review_target)
    path = tmp_path / "scan.pdf"
    path.write_bytes(scan())
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service:
        assert not service.documents.attach("7", path).has_text


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"not a pdf at all", "not a PDF"), (b"%PDF-1.4\n1 0 obj <<", "damaged")],
)
def test_a_file_that_is_no_usable_pdf_is_refused_naming_it_and_nothing_is_stored(
    review_target: Path | str, tmp_path: Path, content: bytes, says: str
) -> None:
    review = stored_demo(review_target)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    before = _counts(review)
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service, pytest.raises(CuratorError) as caught:
        service.documents.attach("7", bad)
    assert "bad.pdf" in str(caught.value) and says in str(caught.value)
    assert _counts(review) == before


def test_a_missing_file_is_refused_naming_it(review_target: Path | str, tmp_path: Path) -> None:
    review = stored_demo(review_target)
    with (
        ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service,
        pytest.raises(CuratorError, match="gone.pdf"),
    ):
        service.documents.attach("7", tmp_path / "gone.pdf")


def test_detach_removes_the_document_and_its_bytes_audited(review_target: Path | str, tmp_path: Path) -> None:
    review = stored_demo(review_target)
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service:
        service.documents.attach("7", _pdf(tmp_path))
        kept = service.documents.attach("7", _pdf(tmp_path, "other.pdf", "other"))
        gone = service.documents.detach("7", "wahn-2002.pdf")
        assert [d.file for d in gone] == ["wahn-2002.pdf"]
        assert service.documents.all() == [kept.document]
        entries = [e for e, _ in service.log()]
    assert {(e["table_name"], e["action"]) for e in entries[-2:]} == {
        ("document", "delete"),
        ("document_blob", "delete"),
    }
    assert _counts(review)[:2] == (1, 1)


def test_detach_all_of_a_reference_and_refusals(review_target: Path | str, tmp_path: Path) -> None:
    review = stored_demo(review_target)
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service:
        service.documents.attach("7", _pdf(tmp_path))
        with pytest.raises(CuratorError, match="reference '7' has no document 'nope.pdf' attached"):
            service.documents.detach("7", "nope.pdf")
        with pytest.raises(CuratorError, match="reference '8' has no document attached"):
            service.documents.detach("8")
        assert len(service.documents.detach("7")) == 1
    assert _counts(review)[:2] == (0, 0)


def test_import_file_takes_the_documents_beside_the_exchange_file(review_target: Path | str, tmp_path: Path) -> None:
    from curator.formats.exchange import write_exchange
    from curator.services.importing import import_file

    review = stored_demo(review_target)
    pdf = _pdf(tmp_path)
    with ReviewService.open(as_reviewer(review, "Ana"), "Ana") as service:
        service.documents.attach("7", pdf)
    out = tmp_path / "out"
    out.mkdir()
    write_exchange(stored(review), out / "r.json")
    (out / "wahn-2002.pdf").write_bytes(pdf.read_bytes())
    import_file(stored_demo(tmp_path / "new.sqlite"), out / "r.json", "Ben", replace=True)
    with ReviewService.open(tmp_path / "new.sqlite") as service:
        (document,) = service.documents.all()
        assert document.stored and service.documents.content(document.sha256) == pdf.read_bytes()
