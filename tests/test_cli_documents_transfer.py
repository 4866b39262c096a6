"""A review's documents travel whole (issue 14): a merge and an import of another review database bring
their bytes, not only their names; `import --replace` leaves no bytes that no document names; a missing
document of no reference can be accepted by name."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from curator.pdf import sha256_of
from curator.services import ReviewService
from tests.documents.pdfs import paper
from tests.helpers import run, stored, stored_demo


def _with_paper(path: Path, tmp_path: Path, who: str = "Bob", text: str = "42.6%") -> bytes:
    """The demo review at ``path``, with a paper attached to reference 7 by ``who``; the paper's bytes."""
    stored_demo(path, who)
    pdf = tmp_path / f"{path.stem}-wahn-2002.pdf"
    pdf.write_bytes(paper([[(72, 100, text)]]))
    with ReviewService.open(path, who) as service:
        service.documents.attach("7", pdf)
    return pdf.read_bytes()


def _blobs(path: Path) -> list[str]:
    raw = sqlite3.connect(path)
    try:
        return [sha for (sha,) in raw.execute("SELECT sha256 FROM document_blob ORDER BY sha256")]
    finally:
        raw.close()


def test_merge_of_a_review_database_brings_their_documents_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = tmp_path / "bob.sqlite"
    data = _with_paper(theirs, tmp_path)
    ours = stored_demo(tmp_path / "ana.sqlite")
    code, out, _ = run(capsys, "--reviewer", "Ana", "merge", str(ours), str(theirs))
    assert code in (0, 1) and "1 source document added" in out
    with ReviewService.open(ours) as service:
        (document,) = service.documents.all()
        assert document.stored and service.documents.content(document.sha256) == data
        entries = [e for e, _ in service.log()]
    assert any(e["table_name"] == "document_blob" and e["who"] == "Ana" for e in entries)  # audited, by who merged
    assert _blobs(theirs) == [sha256_of(data)]  # their file as it was


def test_merge_of_an_exchange_file_brings_the_documents_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bob = tmp_path / "bob.sqlite"
    data = _with_paper(bob, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert run(capsys, "export", str(bob), "-o", str(out / "bob.json"), "--with-documents")[0] == 0
    ours = stored_demo(tmp_path / "ana.sqlite")
    run(capsys, "--reviewer", "Ana", "merge", str(ours), str(out / "bob.json"))
    assert _blobs(ours) == [sha256_of(data)]


def test_import_of_a_review_database_copies_the_documents_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = tmp_path / "bob.sqlite"
    data = _with_paper(theirs, tmp_path)
    code, _, err = run(capsys, "import", str(tmp_path / "new.sqlite"), str(theirs))
    assert (code, err) == (0, "")
    with ReviewService.open(tmp_path / "new.sqlite") as service:
        (document,) = service.documents.all()
        assert (document.file, document.reference, document.stored) == ("bob-wahn-2002.pdf", "7", True)
        assert service.documents.content(document.sha256) == data


def test_import_file_of_a_review_database_copies_the_bytes_too(tmp_path: Path) -> None:
    from curator.services.importing import import_file

    theirs = tmp_path / "bob.sqlite"
    data = _with_paper(theirs, tmp_path)
    stored_demo(tmp_path / "ana.sqlite")
    import_file(tmp_path / "ana.sqlite", theirs, "Ana", replace=True)  # what File > Import does
    assert _blobs(tmp_path / "ana.sqlite") == [sha256_of(data)]


def test_import_replace_removes_the_bytes_no_document_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review = tmp_path / "r.sqlite"
    old = _with_paper(review, tmp_path, "Ana", "old paper")
    other = tmp_path / "bob.sqlite"
    new = _with_paper(other, tmp_path, "Bob", "new paper")
    assert _blobs(review) == [sha256_of(old)]
    code, _, _ = run(capsys, "--reviewer", "Ana", "import", str(review), str(other), "--replace")
    assert code == 0
    assert _blobs(review) == [sha256_of(new)]
    with ReviewService.open(review) as service:
        entries = [e for e, _ in service.log()]
    (gone,) = [e for e in entries if e["table_name"] == "document_blob" and e["action"] == "delete"]
    assert sha256_of(old) in str(gone["old"]) and gone["who"] == "Ana"


def test_import_replace_keeps_the_bytes_a_document_still_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "r.sqlite"
    data = _with_paper(review, tmp_path, "Ana")
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "export", str(review), "-o", str(out / "r.json"))  # names only, no PDF beside
    code, _, _ = run(capsys, "import", str(review), str(out / "r.json"), "--replace")
    assert code == 0 and _blobs(review) == [sha256_of(data)]
    assert stored(review).documents[0].stored


def test_a_missing_document_of_no_reference_is_accepted_by_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    exchange = tmp_path / "r.json"
    run(capsys, "export", str(review), "-o", str(exchange))
    content = json.loads(exchange.read_text())
    content["format"] = "curator/1.1"
    content["documents"] = [
        {"sha256": "a" * 64, "file": "protocol [v2].pdf"},
        {"sha256": "b" * 64, "file": "wahn-2002.pdf", "reference": "7"},
    ]
    exchange.write_text(json.dumps(content))
    db = tmp_path / "new.sqlite"
    run(capsys, "import", str(db), str(exchange))
    code, text, _ = run(capsys, "check", str(db), "--rule", "document-missing")
    assert "[document-missing:file=protocol [v2].pdf]" in text and "[document-missing:@7]" in text
    code, out, err = run(
        capsys, "check", str(db), "--accept", "document-missing:file=protocol [v2].pdf", "--reason", "not needed"
    )
    assert code == 0, err
    code, text, _ = run(capsys, "check", str(db), "--rule", "document-missing")
    open_part, accepted_part = text.split("Accepted (not counted):")
    assert "protocol [v2].pdf" not in open_part and "wahn-2002.pdf" in open_part
    assert "[document-missing:file=protocol [v2].pdf] accepted by" in accepted_part
    (acceptance,) = stored(db).accepted_findings
    assert (acceptance.rule, acceptance.reference, acceptance.comparison) == ("document-missing", None, None)
    code, _, err = run(capsys, "check", str(db), "--accept", "document-missing:file=other.pdf", "--reason", "x")
    assert code == 2 and "no open finding there" in err and "document-missing:file=other.pdf" in err
