"""A reviewer's edits of the reference list: add, set a field, delete (refused
while cited), restore; audited, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curator.demo import demo_review
from curator.errors import CuratorError
from curator.review import AcceptedFinding, Reference, Review
from curator.store.database import Database, open_database
from curator.store.edits import set_row_field
from curator.store.references import (
    add_reference,
    citation_counts,
    delete_reference,
    parse_reference_field,
    reference_acceptances,
    restore_reference,
    set_reference_field,
)
from curator.store.repository import add_content
from curator.store.rows import duplicate_row
from tests.backends import raw
from tests.helpers import audit_count, audit_since, stored_in


@pytest.fixture
def db(review_target: Path | str) -> Iterator[Database]:
    review = demo_review()
    review.accepted_findings = [
        AcceptedFinding(rule="pmid-format", reason="as printed", reference="3", field="pmid", by="Ana"),
        AcceptedFinding(rule="citation-unused", reason="background", reference="7", by="Ana"),
    ]
    database = open_database(review_target)
    with database.session() as session:
        add_content(session, review, "Ana")
    yield database
    database.close()


def keys(review: Review) -> list[str]:
    return [ref.key for ref in review.references]


def refused(db: Database, message: str, action: Any) -> None:
    """``action(session)`` raises a CuratorError with exactly ``message`` and writes nothing."""
    before, logged = stored_in(db), audit_count(db)
    with pytest.raises(CuratorError) as caught:
        with db.session() as session:
            action(session)
    assert str(caught.value) == message
    assert stored_in(db) == before
    assert audit_count(db) == logged


NEW = Reference(key="18", title="A new trial", authors=["Smith A", "Jones B"], year=2010, doi="10.1000/new")


def test_add_reference_at_the_end_or_at_a_position(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        add_reference(session, NEW, "Ben")
        add_reference(session, Reference(key="0"), "Ben", position=0)
    review = stored_in(db)
    assert keys(review) == ["0", *[str(i) for i in range(1, 18)], "18"]
    assert review.references[-1] == NEW
    log = audit_since(db, start)
    assert [entry[1] for entry in log] == ["insert reference", "update reference", "insert reference"]
    assert log[1] == ("Ben", "update reference", "position", "0..17", "1..18")


@pytest.mark.parametrize(
    ("ref", "position", "message"),
    [
        (Reference(key="7"), None, 'reference 7 key: "7" is already a reference of the review'),
        (Reference(key=""), None, 'reference  key: "" is empty; key is required'),
        (Reference(key=" 8"), None, 'reference  8 key: " 8" begins or ends with white space'),
        (
            Reference(key="18"),
            18,
            "reference 18: cannot add a reference at position 18: the review has 17 references (positions 0 to 17)",
        ),
    ],
)
def test_add_reference_refuses_a_bad_key_or_position(
    db: Database, ref: Reference, position: int | None, message: str
) -> None:
    refused(db, message, lambda session: add_reference(session, ref, "Ben", position))


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("authors", "Smith A; Jones B", ["Smith A", "Jones B"]),
        ("authors", "", []),
        ("year", "2004", 2004),
        ("doi", "https://doi.org/10.1000/xyz", "10.1000/xyz"),
        ("pmid", "15123456", "15123456"),
        ("title", "  ", None),
        ("pages", "45-67", "45-67"),
    ],
)
def test_typed_text_becomes_the_field_value(name: str, text: str, value: object) -> None:
    assert parse_reference_field("7", name, text) == value


def test_set_reference_field_stores_and_audits_the_change(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        set_reference_field(session, "3", "year", "2005", "Ben")
        set_reference_field(session, "3", "authors", "Smith A; Jones B", "Ben")
        set_reference_field(session, "3", "authors", "Smith A;Jones B", "Ben")  # the same list: no change
    ref = stored_in(db).references[2]
    assert (ref.year, ref.authors) == (2005, ["Smith A", "Jones B"])
    log = audit_since(db, start)
    assert len(log) == 2
    assert log[0][:3] == ("Ben", "update reference", "year") and log[0][4] == "2005"
    assert log[1] == ("Ben", "update reference", "authors", log[1][3], '["Smith A", "Jones B"]')


@pytest.mark.parametrize(
    ("key", "name", "text", "message"),
    [
        ("3", "year", "199x", 'reference 3 year: "199x" is not a whole number'),
        ("3", "year", "2004.5", 'reference 3 year: "2004.5" is not a whole number'),
        ("3", "key", "", 'reference 3 key: "" is empty; key is required'),
        ("3", "key", "7", 'reference 3 key: "7" is already a reference of the review'),
        ("3", "colour", "red", 'reference 3 colour: "colour" is not a field of a reference '
         "(key, title, authors, journal, volume, issue, pages, year, pmid, pmcid, doi, url, note)"),
        ("99", "title", "x", 'reference "99": the review has no such reference'),
    ],
)  # fmt: skip
def test_set_reference_field_refuses_bad_text(db: Database, key: str, name: str, text: str, message: str) -> None:
    refused(db, message, lambda session: set_reference_field(session, key, name, text, "Ben"))


def test_renaming_a_reference_repoints_its_citations_and_acceptances(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        set_reference_field(session, "7", "key", "Eichenfield 2002", "Ben")
    review = stored_in(db)
    assert review.references[6].key == "Eichenfield 2002"
    assert [row.citations for row in review.comparisons[0].rows] == [
        ["Eichenfield 2002"],
        ["9", "10"],
        ["Eichenfield 2002"],
        ["8"],
    ]
    assert [acc.reference for acc in review.accepted_findings] == ["3", "Eichenfield 2002"]
    log = audit_since(db, start)
    assert [entry[1] for entry in log] == [
        "update citation",
        "update citation",
        "update accepted_finding",
        "update reference",
    ]
    assert log[-1] == ("Ben", "update reference", "key", "7", "Eichenfield 2002")


def test_a_cited_reference_cannot_be_deleted_and_the_message_names_the_rows(db: Database) -> None:
    refused(
        db,
        "reference 7 is cited by row 1 (Patients Requiring TCS) of pime-vs-tcs; row 3 (Flare-Free Patients) of pime-vs-tcs; "
        "remove those citations first",
        lambda session: delete_reference(session, "7", "Ben"),
    )
    refused(db, 'reference "99": the review has no such reference', lambda s: delete_reference(s, "99", "Ben"))


def test_a_long_list_of_citing_rows_is_cut_short(db: Database) -> None:
    with db.session() as session:
        for comparison in range(2):
            for position in range(4):
                key = ("pime-vs-tcs", "pime-vs-tac")[comparison]
                set_row_field(session, key, position, "citations", "2; 3", "Ana")
        for _ in range(4):
            duplicate_row(session, "pime-vs-tcs", 0, "Ana")
    with pytest.raises(CuratorError) as caught:
        with db.session() as session:
            delete_reference(session, "3", "Ben")
    message = str(caught.value)
    assert message.startswith("reference 3 is cited by row 1 (Patients Requiring TCS) of pime-vs-tcs; row 2 (")
    assert message.endswith(" and 2 more rows; remove those citations first")
    assert message.count("pime-vs-") == 10


def test_delete_and_restore_bring_back_the_same_review(db: Database) -> None:
    before = stored_in(db)
    start = audit_count(db)
    with db.session() as session:
        acceptances = reference_acceptances(session, "3")
        position, ref = delete_reference(session, "3", "Ben")
    assert (position, ref) == (2, before.references[2])
    assert [a.rule for a in acceptances] == ["pmid-format"]
    middle = stored_in(db)
    assert keys(middle) == [k for k in keys(before) if k != "3"]
    assert [a.reference for a in middle.accepted_findings] == ["7"]
    assert [entry[1:3] for entry in audit_since(db, start)] == [
        ("delete reference", None),
        ("delete accepted_finding", None),
        ("update reference", "position"),
    ]
    conn = raw(db)
    assert conn.execute("SELECT min(position), max(position) FROM reference").fetchone() == (0, 15)
    conn.close()
    with db.session() as session:
        restore_reference(session, position, ref, "Ben", acceptances=acceptances)
    after = stored_in(db)
    assert after.references == before.references
    assert sorted(after.accepted_findings, key=lambda a: a.rule) == sorted(
        before.accepted_findings, key=lambda a: a.rule
    )


def test_restore_refuses_a_key_taken_since(db: Database) -> None:
    with db.session() as session:
        position, ref = delete_reference(session, "3", "Ben")
        add_reference(session, Reference(key="3", title="Another"), "Ben")
    refused(
        db,
        'reference 3 key: "3" is already a reference of the review',
        lambda s: restore_reference(s, position, ref, "Ben"),
    )


def test_citation_counts_count_rows_not_citations(db: Database) -> None:
    with db.session() as session:
        set_row_field(session, "pime-vs-tcs", 1, "citations", "9; 9; 7", "Ana")
    with db.session(write=False) as session:
        counts = citation_counts(session)
    assert counts == {"7": 3, "8": 1, "9": 1, "14": 2, "15": 1, "16": 1}
