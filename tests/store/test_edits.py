"""Editing one stored value: validated, audited, all or nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curator.demo import demo_review
from curator.errors import CuratorError
from curator.store.database import Database, open_database
from curator.store.edits import set_row_field
from curator.store.repository import add_content, load_review
from curator.store.verification import verify_row
from tests.backends import raw, stored_state


@pytest.fixture
def db(review_target: Path | str) -> Database:
    database = open_database(review_target)
    with database.session() as session:
        add_content(session, demo_review(), "Ana")
    yield database  # type: ignore[misc]
    database.close()


def audit(db: Database) -> list[tuple[str, str, str | None, str | None]]:
    conn = raw(db)
    rows = conn.execute("SELECT who, field, old, new FROM audit_log WHERE action = 'update' ORDER BY id").fetchall()
    conn.close()
    return rows


def test_a_typed_number_is_kept_as_typed_and_audited(db: Database) -> None:
    with db.session() as session:
        row = set_row_field(session, "pime-vs-tcs", 0, "intervention.value", "42.60", "Ben")
    assert row.intervention is not None and row.intervention.value is not None
    assert row.intervention.value.text == "42.60"
    conn = raw(db)
    assert conn.execute(
        "SELECT intervention_value, intervention_value_num FROM endpoint_row WHERE id = 1"
    ).fetchone() == (
        "42.60",
        42.6,
    )
    conn.close()
    assert audit(db) == [("Ben", "intervention.value", "42.6", "42.60")]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "intervention.n",
            "forty",
            'Pimecrolimus Group: n in row 1 (Patients Requiring TCS) of pime-vs-tcs: "forty" is not a whole number',
        ),
        (
            "measure",
            "percentage",
            'Measure in row 1 (Patients Requiring TCS) of pime-vs-tcs: "percentage" is not one of percent',
        ),
        ("endpoint", "  ", "Endpoint in row 1 (Patients Requiring TCS) of pime-vs-tcs: Endpoint is required"),
        ("effect.p", "NS", 'Effect: p in row 1 (Patients Requiring TCS) of pime-vs-tcs: "NS" is not a number'),
        ("colour", "red", 'colour in row 1 (Patients Requiring TCS) of pime-vs-tcs: "colour" is not a field of a row'),
    ],
)
def test_bad_text_is_refused_with_its_reason_and_nothing_changes(
    db: Database, name: str, text: str, message: str
) -> None:
    with db.session(write=False) as session:
        before = load_review(session)
    with pytest.raises(CuratorError, match=re.escape(message)):
        with db.session() as session:
            set_row_field(session, "pime-vs-tcs", 0, name, text, "Ben")
    with db.session(write=False) as session:
        assert load_review(session) == before
    assert audit(db) == []


def test_missing_row_is_refused(db: Database) -> None:
    with pytest.raises(CuratorError, match=r"Endpoint in row 10 of pime-vs-tcs: the review has no such row"):
        with db.session() as session:
            set_row_field(session, "pime-vs-tcs", 9, "endpoint", "x", "Ben")


def test_setting_an_effect_field_creates_the_effect_and_citations_are_a_list(db: Database) -> None:
    with db.session() as session:
        row = set_row_field(session, "pime-vs-tcs", 0, "effect.p", "<0.001", "Ben")
        row = set_row_field(session, "pime-vs-tcs", 0, "citations", "7; 9", "Ben")
    assert row.effect is not None and row.effect.p is not None and row.effect.p.relation == "<"
    assert row.citations == ["7", "9"]
    with db.session(write=False) as session:
        stored = load_review(session).comparisons[0].rows[0]
    assert stored.citations == ["7", "9"] and stored.effect == row.effect


def test_an_empty_optional_field_becomes_absent_and_the_same_value_is_no_change(db: Database) -> None:
    with db.session() as session:
        row = set_row_field(session, "pime-vs-tcs", 0, "duration", "", "Ben")
        set_row_field(session, "pime-vs-tcs", 0, "population", "Children (2-17 years)", "Ben")
    assert row.duration is None
    assert audit(db) == [("Ben", "duration", "12 months", None)]


def test_changing_a_verified_value_unverifies_the_row(db: Database) -> None:
    with db.session() as session:  # Ben verifies the row Ana entered (status is never typed, issue #11)
        verify_row(session, "pime-vs-tcs", 1, "Ben")
        row = set_row_field(session, "pime-vs-tcs", 1, "note", "checked against table 2", "Ben")
    assert row.status == "verified"  # a note is about the work, not the paper
    with db.session() as session:
        row = set_row_field(session, "pime-vs-tcs", 1, "comparator.value", "179", "Cy")
    assert (row.status, row.verified_by) == ("extracted", None)
    assert audit(db)[-3:] == [
        ("Cy", "comparator.value", "178", "179"),
        ("Cy", "status", "verified", "extracted"),
        ("Cy", "verified_by", "Ben", None),
    ]


@pytest.mark.parametrize(("name", "text"), [("status", "verified"), ("verified_by", "Ben"), ("status", "draft")])
def test_status_and_verifier_cannot_be_typed_and_nothing_is_written(db: Database, name: str, text: str) -> None:
    before = stored_state(db)
    with pytest.raises(CuratorError) as refused, db.session() as session:
        set_row_field(session, "pime-vs-tcs", 1, name, text, "Ana")
    message = str(refused.value)
    label = "Status" if name == "status" else "Verified by"
    assert message.startswith(f"{label} in row 2 (Days on TCS (Median)) of pime-vs-tcs: ")
    assert "(Days on TCS (Median))" in message and "cannot be typed; verify the row's fields instead" in message
    assert stored_state(db) == before
    with db.session(write=False) as session:
        row = load_review(session).comparisons[0].rows[1]
    assert (row.status, row.verified_by) == ("extracted", None)
