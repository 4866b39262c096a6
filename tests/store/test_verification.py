"""Verifying a row field by field: confirm, dispute, correct; never your own row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.store.database import Database, open_database
from curator.store.edits import set_row_field
from curator.store.verification import (
    correct_field,
    dispute_field,
    field_states,
    rows_to_verify,
    verification_counts,
    verify_field,
    verify_row,
)
from tests.backends import raw
from tests.doublecheck import audit_count, stored_by, table


@pytest.fixture
def db(review_target: Path | str) -> Iterator[Database]:
    database = open_database(stored_by(review_target, "Ana"))
    yield database
    database.close()


def events(db: Database, *actions: str) -> list[tuple[object, ...]]:
    marks = ", ".join(f"'{a}'" for a in actions)
    return table(db.path, f"SELECT who, action, field, old, new FROM audit_log WHERE action IN ({marks}) ORDER BY id")


def status(db: Database, comparison: str, position: int) -> tuple[object, ...]:
    return table(
        db.path,
        "SELECT r.status, r.verified_by FROM endpoint_row r JOIN comparison c ON c.id = r.comparison_id "
        f"WHERE c.key = '{comparison}' AND r.position = {position}",
    )[0]


def test_verifying_one_field_records_who_what_and_when(db: Database) -> None:
    with db.session() as session:
        assert verify_field(session, "pime-vs-tcs", 0, "intervention.value", "Ben") == "extracted"
    with db.session(write=False) as session:
        state = field_states(session, "pime-vs-tcs", 0)["intervention.value"]
    assert (state.state, state.value, state.checked, state.by) == ("verified", "42.6", "42.6", "Ben")
    assert state.at is not None
    assert events(db, "verify") == [("Ben", "verify", "intervention.value", None, "42.6")]
    assert status(db, "pime-vs-tcs", 0) == ("extracted", None)


def test_verifying_every_valued_field_verifies_the_row(db: Database) -> None:
    with db.session() as session:
        done = verify_row(session, "pime-vs-tcs", 0, "Ben")
    assert done[:3] == ["endpoint", "measure", "unit"] and "effect.value" not in done  # no effect on this row
    assert status(db, "pime-vs-tcs", 0) == ("verified", "Ben")
    assert ("Ben", "update", "status", "extracted", "verified") in table(
        db.path, "SELECT who, action, field, old, new FROM audit_log"
    )
    with db.session(write=False) as session:
        states = field_states(session, "pime-vs-tcs", 0)
    assert {s.state for s in states.values() if s.value is not None} == {"verified"}
    assert {s.state for s in states.values() if s.value is None} == {"unverified"}
    with db.session(write=False) as session:
        counts = verification_counts(session)
    assert counts["rows_verified"] == 1 and counts["rows_unverified"] == 7
    assert counts["fields_verified"] == len(done)


@pytest.mark.parametrize("who", ["Ana", " ana ", "A NA"])
def test_the_extractor_cannot_verify_their_own_row_and_nothing_is_written(db: Database, who: str) -> None:
    before = audit_count(db.path)
    message = r"Pimecrolimus Group: value in row 3 \(Flare-Free Patients\) of pime-vs-tcs: Ana extracted this row; a second reviewer must verify it"
    with pytest.raises(CuratorError, match=message):
        with db.session() as session:
            verify_field(session, "pime-vs-tcs", 2, "intervention.value", who)
    with pytest.raises(CuratorError, match=r"^row 3 \(Flare-Free Patients\) of pime-vs-tcs: Ana extracted this row"):
        with db.session() as session:
            verify_row(session, "pime-vs-tcs", 2, who)
    with pytest.raises(CuratorError, match="Ana extracted this row"):
        with db.session() as session:
            dispute_field(session, "pime-vs-tcs", 2, "intervention.value", who, "wrong")
    with pytest.raises(CuratorError, match="Ana extracted this row"):
        with db.session() as session:
            correct_field(session, "pime-vs-tcs", 2, "intervention.value", "50.9", who)
    assert audit_count(db.path) == before
    assert table(db.path, "SELECT count(*) FROM field_verification") == [(0,)]
    assert status(db, "pime-vs-tcs", 2) == ("extracted", None)


@pytest.mark.parametrize(
    ("position", "field", "message"),
    [
        (0, "effect.p", r"Effect: p in row 1 \(Patients Requiring TCS\) of pime-vs-tcs: has no value to verify"),
        (0, "status", r"^row 1 \(Patients Requiring TCS\) of pime-vs-tcs: status is not a field that is verified"),
        (0, "colour", r"^row 1 \(Patients Requiring TCS\) of pime-vs-tcs: colour is not a field that is verified"),
        (9, "endpoint", r"^Endpoint in row 10 of pime-vs-tcs: the review has no such row"),
    ],
)
def test_what_cannot_be_verified_is_refused(db: Database, position: int, field: str, message: str) -> None:
    before = audit_count(db.path)
    with pytest.raises(CuratorError, match=message):
        with db.session() as session:
            verify_field(session, "pime-vs-tcs", position, field, "Ben")
    assert audit_count(db.path) == before


def test_a_dispute_needs_a_reason_and_makes_the_row_disputed(db: Database) -> None:
    with pytest.raises(
        CuratorError,
        match=r"Pimecrolimus Group: value in row 3 \(Flare-Free Patients\) of pime-vs-tcs: say why the value is disputed",
    ):
        with db.session() as session:
            dispute_field(session, "pime-vs-tcs", 2, "intervention.value", "Ben", "  ")
    with db.session() as session:
        dispute_field(session, "pime-vs-tcs", 2, "intervention.value", "Ben", "Table 1 prints 50.3")
    assert status(db, "pime-vs-tcs", 2) == ("disputed", None)
    assert events(db, "dispute") == [("Ben", "dispute", "intervention.value", "50.8", "Table 1 prints 50.3")]
    with db.session(write=False) as session:
        state = field_states(session, "pime-vs-tcs", 2)["intervention.value"]
    assert (state.state, state.comment) == ("disputed", "Table 1 prints 50.3")
    # Verifying every field settles the dispute.
    with db.session() as session:
        verify_row(session, "pime-vs-tcs", 2, "Ben")
    assert status(db, "pime-vs-tcs", 2) == ("verified", "Ben")


def test_a_correction_keeps_old_and_new_and_is_verified_by_the_corrector(db: Database) -> None:
    with db.session() as session:
        verify_row(session, "pime-vs-tcs", 2, "Ben")
        assert correct_field(session, "pime-vs-tcs", 2, "intervention.value", "50.3", "Cleo") == "verified"
    log = table(db.path, "SELECT who, action, field, old, new FROM audit_log WHERE who = 'Cleo' ORDER BY id")
    assert log[0] == ("Cleo", "update", "intervention.value", "50.8", "50.3")
    assert ("Cleo", "unverify", "intervention.value", "50.8", "50.3") in log
    assert ("Cleo", "verify", "intervention.value", None, "50.3") in log
    with db.session(write=False) as session:
        state = field_states(session, "pime-vs-tcs", 2)["intervention.value"]
    assert (state.state, state.value, state.by) == ("verified", "50.3", "Cleo")


def test_a_bad_correction_is_refused_and_nothing_changes(db: Database) -> None:
    before = audit_count(db.path)
    with pytest.raises(
        CuratorError,
        match=r'Pimecrolimus Group: value in row 3 \(Flare-Free Patients\) of pime-vs-tcs: "fifty" is not a number',
    ):
        with db.session() as session:
            correct_field(session, "pime-vs-tcs", 2, "intervention.value", "fifty", "Ben")
    assert audit_count(db.path) == before


def test_changing_a_verified_value_unverifies_that_field_and_the_row(db: Database) -> None:
    with db.session() as session:
        verify_row(session, "pime-vs-tcs", 0, "Ben")
    with db.session() as session:
        set_row_field(session, "pime-vs-tcs", 0, "intervention.value", "42.60", "Ana")
    with db.session(write=False) as session:
        states = field_states(session, "pime-vs-tcs", 0)
        counts = verification_counts(session)
    changed = states["intervention.value"]
    assert (changed.state, changed.checked, changed.value, changed.by) == ("changed", "42.6", "42.60", "Ben")
    assert states["comparator.value"].state == "verified"
    assert status(db, "pime-vs-tcs", 0) == ("extracted", None)
    assert events(db, "unverify") == [("Ana", "unverify", "intervention.value", "42.6", "42.60")]
    assert counts["fields_changed"] == 1
    # A workflow field (the note) changes nothing.
    with db.session() as session:
        verify_field(session, "pime-vs-tcs", 0, "intervention.value", "Ben")
        set_row_field(session, "pime-vs-tcs", 0, "note", "checked twice", "Ana")
    assert status(db, "pime-vs-tcs", 0) == ("verified", "Ben")


def test_changing_a_disputed_value_settles_the_dispute(db: Database) -> None:
    with db.session() as session:
        dispute_field(session, "pime-vs-tcs", 2, "intervention.value", "Ben", "50.3 in Table 1")
    with db.session() as session:
        set_row_field(session, "pime-vs-tcs", 2, "intervention.value", "50.3", "Ana")
    assert status(db, "pime-vs-tcs", 2) == ("extracted", None)
    with db.session(write=False) as session:
        assert field_states(session, "pime-vs-tcs", 2)["intervention.value"].state == "changed"


def test_deleting_a_row_deletes_its_verifications(db: Database) -> None:
    with db.session() as session:
        verify_row(session, "pime-vs-tcs", 0, "Ben")
    conn = raw(db)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM endpoint_row WHERE id = (SELECT min(id) FROM endpoint_row)")
    conn.commit()
    conn.close()
    assert table(db.path, "SELECT count(*) FROM field_verification") == [(0,)]


def test_the_rows_left_to_verify_leave_out_verified_rows_and_ones_own(db: Database) -> None:
    with db.session() as session:
        verify_row(session, "pime-vs-tcs", 0, "Ben")
        set_row_field(session, "pime-vs-tac", 3, "extracted_by", "Ben", "Ana")
    with db.session(write=False) as session:
        assert rows_to_verify(session, "ben") == [
            ("pime-vs-tcs", 1), ("pime-vs-tcs", 2), ("pime-vs-tcs", 3), ("pime-vs-tac", 0), ("pime-vs-tac", 1),
            ("pime-vs-tac", 2),
        ]  # fmt: skip
        assert len(rows_to_verify(session, "Cleo")) == 7


def test_a_row_naming_no_extractor_cannot_be_verified_by_who_entered_it(review_target: Path | str) -> None:
    from tests.helpers import stored_demo

    # The demo names no extractor; Ana stored it, so it is hers to have checked by someone else.
    database = open_database(stored_demo(review_target, who="Ana"))
    try:
        before = audit_count(database.path)
        for act in (
            lambda s: verify_row(s, "pime-vs-tcs", 2, " ana "),
            lambda s: verify_field(s, "pime-vs-tcs", 2, "intervention.value", "Ana"),
            lambda s: correct_field(s, "pime-vs-tcs", 2, "intervention.value", "50.9", "Ana"),
            lambda s: dispute_field(s, "pime-vs-tcs", 2, "duration", "Ana", "looks off"),
        ):
            with pytest.raises(CuratorError) as refused, database.session() as session:
                act(session)
            assert "row 3 (Flare-Free Patients) of pime-vs-tcs" in str(refused.value)
            assert str(refused.value).endswith(
                "Ana entered this row (it names no extractor); a second reviewer must verify it"
            )
        assert audit_count(database.path) == before
        with database.session() as session:
            assert verify_row(session, "pime-vs-tcs", 2, "Ben")  # a second person may
    finally:
        database.close()
