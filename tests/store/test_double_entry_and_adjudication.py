"""Blind double entry compared as `curator compare` compares, and the adjudication of what differs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.store.adjudication import decide, get_item, items, open_items
from curator.store.database import Database, open_database
from curator.store.double_entry import double_entry
from curator.store.edits import set_row_field
from curator.store.repository import load_review
from curator.store.verification import field_states
from tests.backends import raw
from tests.doublecheck import audit_count, stored_by, table

#: What Ben reads in the paper for pime-vs-tcs[0] (stored: 42.6 and 68.4).
ROW_0 = {"intervention.value": "42.60", "comparator.value": "68.4", "citations": "7", "duration": " 12  months"}


@pytest.fixture
def db(review_target: Path | str) -> Iterator[Database]:
    database = open_database(stored_by(review_target, "Ana"))
    yield database
    database.close()


def test_agreeing_values_are_verified_as_numbers_and_text(db: Database) -> None:
    with db.session() as session:
        result = double_entry(session, "pime-vs-tcs", 0, ROW_0, "Ben")
    assert result.matched == ["intervention.value", "comparator.value", "duration", "citations"]
    assert result.differing == [] and result.status == "extracted"
    with db.session(write=False) as session:
        states = field_states(session, "pime-vs-tcs", 0)
        row = load_review(session).comparisons[0].rows[0]
    assert states["intervention.value"].state == "verified" and states["intervention.value"].by == "Ben"
    assert states["measure"].state == "unverified"  # not entered, not verified
    assert row.intervention is not None and row.intervention.value is not None
    assert row.intervention.value.text == "42.6"  # the stored value is not touched
    (typed,) = table(db.path, "SELECT new FROM audit_log WHERE action = 'double-entry'")
    assert json.loads(str(typed[0]))["intervention.value"] == "42.60"


def test_differing_values_go_to_adjudication_and_dispute_the_row(db: Database) -> None:
    entered = {**ROW_0, "comparator.value": "64.8", "effect.p": "<0.001"}
    with db.session() as session:
        result = double_entry(session, "pime-vs-tcs", 0, entered, "Ben")
    assert [(f, a, b) for f, a, b, _ in result.differing] == [
        ("comparator.value", "68.4", "64.8"),
        ("effect.p", None, "<0.001"),
    ]
    assert result.status == "disputed"
    with db.session(write=False) as session:
        found = open_items(session)
    assert [(i.where, i.value_a, i.who_a, i.value_b, i.who_b, i.origin) for i in found] == [
        (
            "Control (Conventional Treatment/Vehicle + TCS for flares) arm: value in row 1 of pime-vs-tcs",
            "68.4",
            "Ana",
            "64.8",
            "Ben",
            "double-entry",
        ),
        ("Effect: p in row 1 of pime-vs-tcs", None, "Ana", "<0.001", "Ben", "double-entry"),
    ]
    assert found[0].source_quote is not None and "68.4%" in found[0].source_quote


def test_a_p_value_keeps_its_relation(db: Database) -> None:
    with db.session() as session:
        set_row_field(session, "pime-vs-tcs", 0, "effect.p", "<0.001", "Ana")
        result = double_entry(session, "pime-vs-tcs", 0, {"effect.p": "0.001"}, "Ben")
    assert [f for f, *_ in result.differing] == ["effect.p"]


@pytest.mark.parametrize(
    ("entered", "who", "message"),
    [
        (
            {"intervention.n": "forty"},
            "Ben",
            r'Pimecrolimus Group: n in row 1 \(Patients Requiring TCS\) of pime-vs-tcs: "forty" is not a whole number',
        ),
        (
            {"status": "verified"},
            "Ben",
            r"row 1 \(Patients Requiring TCS\) of pime-vs-tcs: status is not a field that is verified",
        ),
        ({}, "Ben", r"row 1 \(Patients Requiring TCS\) of pime-vs-tcs: nothing was entered"),
        (
            ROW_0,
            "ana",
            r"row 1 \(Patients Requiring TCS\) of pime-vs-tcs: Ana extracted this row; a second reviewer must verify it",
        ),
    ],
)
def test_a_bad_double_entry_is_refused_and_nothing_is_written(
    db: Database, entered: dict[str, str], who: str, message: str
) -> None:
    before = audit_count(db.path)
    with pytest.raises(CuratorError, match=message):
        with db.session() as session:
            double_entry(session, "pime-vs-tcs", 0, entered, who)
    assert audit_count(db.path) == before
    assert table(db.path, "SELECT count(*) FROM field_verification") == [(0,)]
    assert table(db.path, "SELECT count(*) FROM adjudication_item") == [(0,)]


def _disagree(db: Database) -> tuple[int, int]:
    with db.session() as session:
        result = double_entry(session, "pime-vs-tcs", 0, {**ROW_0, "comparator.value": "64.8", "unit": "%"}, "Ben")
        double_entry(session, "pime-vs-tcs", 2, {"intervention.value": "58.0"}, "Ben")
    (first,) = [item for _f, _a, _b, item in result.differing]
    assert first is not None
    with db.session(write=False) as session:
        (second,) = [i.id for i in items(session) if i.position == 2]
    return first, second


def test_deciding_a_keeps_the_stored_value_and_verifies_it(db: Database) -> None:
    first, _ = _disagree(db)
    with db.session() as session:
        item = decide(session, first, "a", "Cleo", reason="Table 1 prints 68.4")
    assert (item.choice, item.final, item.decided_by, item.reason) == ("a", "68.4", "Cleo", "Table 1 prints 68.4")
    with db.session(write=False) as session:
        state = field_states(session, "pime-vs-tcs", 0)["comparator.value"]
        assert [i.id for i in open_items(session)] != [first]
    assert (state.state, state.by, state.value) == ("verified", "Cleo", "68.4")
    assert table(db.path, "SELECT status, verified_by FROM endpoint_row WHERE id = 1") == [("extracted", None)]


def test_deciding_b_or_new_writes_the_value_through_the_edit_path(db: Database) -> None:
    first, second = _disagree(db)
    with db.session() as session:
        decide(session, first, "b", "Cleo")
        decide(session, second, "new", "Cleo", value="50.9", reason="the text says 50.9")
    with db.session(write=False) as session:
        rows = load_review(session).comparisons[0].rows
        assert open_items(session) == []
    assert rows[0].comparator is not None and str(rows[0].comparator.value.text) == "64.8"  # type: ignore[union-attr]
    assert rows[2].intervention is not None and rows[2].intervention.value.text == "50.9"  # type: ignore[union-attr]
    log = table(db.path, "SELECT who, action, field, old, new FROM audit_log WHERE who = 'Cleo' ORDER BY id")
    assert [e[1] for e in log[:2]] == ["adjudicate", "update"]  # the decision, then what it changed
    assert log[1] == ("Cleo", "update", "comparator.value", "68.4", "64.8")
    decision = json.loads(str(log[0][4]))
    assert decision == {"choice": "b", "value": "64.8", "reason": None}


@pytest.mark.parametrize(
    ("choice", "who", "value", "reason", "message"),
    [
        ("c", "Cleo", None, None, "choose a, b or new, not 'c'"),
        ("new", "Cleo", None, "why", "a new value needs --value"),
        ("new", "Cleo", "70", " ", "a new value needs a reason"),
        ("a", "Cleo", "70", None, "--value goes with the choice new"),
        ("new", "Cleo", "seventy", "typo", '"seventy" is not a number'),
        ("a", "ben", None, None, "Ben entered one of the values; a third reviewer must adjudicate"),
        ("b", "Ana", None, None, "Ana entered one of the values; a third reviewer must adjudicate"),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_is_written(
    db: Database, choice: str, who: str, value: str | None, reason: str | None, message: str
) -> None:
    first, _ = _disagree(db)
    before = audit_count(db.path)
    with pytest.raises(
        CuratorError, match=rf"adjudication item {first} \(Control .* arm: value in row 1 of pime-vs-tcs\): "
    ):
        with db.session() as session:
            decide(session, first, choice, who, value=value, reason=reason)
    with pytest.raises(CuratorError, match=message.replace("(", r"\(")):
        with db.session() as session:
            decide(session, first, choice, who, value=value, reason=reason)
    assert audit_count(db.path) == before
    with db.session(write=False) as session:
        assert get_item(session, first).is_open


def test_an_item_is_decided_once_and_unknown_items_are_named(db: Database) -> None:
    first, _ = _disagree(db)
    with db.session() as session:
        decide(session, first, "a", "Cleo")
    with pytest.raises(CuratorError, match=r"already decided by Cleo \(a\)"):
        with db.session() as session:
            decide(session, first, "b", "Dan")
    with pytest.raises(CuratorError, match="adjudication item 99: no such item"):
        with db.session() as session:
            decide(session, 99, "a", "Cleo")


def test_deleting_a_row_deletes_its_items(db: Database) -> None:

    _disagree(db)
    conn = raw(db)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM endpoint_row WHERE id = 1")
    conn.commit()
    conn.close()
    assert table(db.path, "SELECT row_id FROM adjudication_item") == [(3,)]
