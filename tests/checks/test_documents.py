"""document-missing (info): a document the review names whose file it does not hold."""

from __future__ import annotations

from curator.review import Document
from tests.checks.builders import fired, review, row


def test_a_document_named_without_its_file_is_reported_with_its_file_and_reference() -> None:
    rv = review(row())
    rv.documents = [
        Document(sha256="ab" * 32, file="wahn-2002.pdf", reference="1", pages=3),
        Document(sha256="cd" * 32, file="held.pdf", reference="1", stored=True),
        Document(sha256="ef" * 32, file="loose.pdf"),
    ]
    found = {f.reference: f for f in fired(rv, "document-missing")}
    assert sorted(found, key=str) == ["1", None]
    assert {(f.severity, f.comparison, f.row) for f in found.values()} == {("info", None, None)}
    assert "wahn-2002.pdf (reference '1')" in found["1"].message
    assert "loose.pdf (no reference)" in found[None].message
    # Its identity is the document's, not its name: the same finding when the file is renamed.
    rv.documents[0].file = "renamed.pdf"
    renamed = {f.reference: f for f in fired(rv, "document-missing")}
    assert renamed["1"].fingerprint == found["1"].fingerprint


def test_a_review_holding_every_document_has_no_finding() -> None:
    rv = review(row())
    rv.documents = [Document(sha256="ab" * 32, file="wahn-2002.pdf", reference="1", stored=True)]
    assert fired(rv, "document-missing") == []


def test_the_report_names_a_document_of_no_reference_under_the_review() -> None:
    from curator.checks.report import format_findings_text

    rv = review(row())
    rv.documents = [Document(sha256="ef" * 32, file="loose.pdf")]
    text = format_findings_text(fired(rv, "document-missing"))
    assert "The review\n  info     the review names the document loose.pdf (no reference)" in text
    assert "None" not in text
