"""Adding, removing and reordering comparisons and rows: audited, all or nothing,
accepted findings following their rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from curator.demo import demo_review
from curator.errors import CuratorError
from curator.numbers import parse_reported
from curator.review import AcceptedFinding, Arm, Review, Row
from curator.store.database import Database, open_database
from curator.store.repository import add_content
from curator.store.rows import (
    acceptances_of,
    delete_comparison,
    delete_row,
    duplicate_row,
    insert_row,
    move_row,
    new_comparison,
    new_row,
    restore_comparison,
    set_comparison_field,
)
from tests.backends import raw
from tests.helpers import audit_count, audit_since, stored_in

CMP = "pime-vs-tcs"


def review_with_acceptances() -> Review:
    review = demo_review()
    row = review.comparisons[0].rows[1]
    row.extensions = {"x-page": 4}
    assert row.intervention is not None
    row.intervention.extensions = {"x-cell": "B3"}
    row.verified_by = "Cy"
    review.accepted_findings = [
        AcceptedFinding(rule="r1", reason="as printed", comparison=CMP, row=1, field="intervention.value", by="Ana"),
        AcceptedFinding(rule="r2", reason="typo in source", comparison=CMP, row=3, by="Ana"),
        AcceptedFinding(rule="r3", reason="fine", comparison="pime-vs-tac", row=1, by="Ana"),
        AcceptedFinding(rule="r4", reason="whole table", comparison=CMP, by="Ana"),
        AcceptedFinding(rule="r5", reason="old paper", reference="7", by="Ana"),
    ]
    return review


@pytest.fixture
def db(review_target: Path | str) -> Iterator[Database]:
    database = open_database(review_target)
    with database.session() as session:
        add_content(session, review_with_acceptances(), "Ana")
    yield database
    database.close()


def endpoints(review: Review, index: int = 0) -> list[str]:
    return [row.endpoint for row in review.comparisons[index].rows]


def acceptance_rows(review: Review) -> dict[str, tuple[str | None, int | None]]:
    return {acc.rule: (acc.comparison, acc.row) for acc in review.accepted_findings}


def refused(db: Database, message: str, action: Any) -> None:
    """``action(session)`` raises a CuratorError with exactly ``message`` and writes nothing."""
    before, logged = stored_in(db), audit_count(db)
    with pytest.raises(CuratorError) as caught:
        with db.session() as session:
            action(session)
    assert str(caught.value) == message
    assert stored_in(db) == before
    assert audit_count(db) == logged


# -- rows ----------------------------------------------------------------------


def test_a_new_row_is_a_blank_draft_by_its_reviewer() -> None:
    row = new_row("Ben")
    assert (row.endpoint, row.status, row.extracted_by, row.verified_by) == ("New endpoint", "draft", "Ben", None)
    assert row.intervention == Arm() and row.comparator == Arm() and row.effect is None and row.citations == []


@pytest.mark.parametrize(("position", "expected"), [(0, 0), (2, 2), (4, 4)])
def test_insert_row_puts_it_at_its_position_and_shifts_the_rest_down(
    db: Database, position: int, expected: int
) -> None:
    before = endpoints(stored_in(db))
    with db.session() as session:
        insert_row(session, CMP, position, new_row("Ben"), "Ben")
    after = stored_in(db)
    assert endpoints(after) == before[:position] + ["New endpoint"] + before[position:]
    assert after.comparisons[0].rows[expected] == new_row("Ben")
    assert endpoints(after, 1) == endpoints(demo_review(), 1)  # the other comparison is untouched


def test_insert_row_shifts_the_acceptances_of_the_rows_below_and_audits_it(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        insert_row(session, CMP, 2, new_row("Ben"), "Ben")
    after = stored_in(db)
    assert acceptance_rows(after) == {
        "r1": (CMP, 1),
        "r2": (CMP, 4),
        "r3": ("pime-vs-tac", 1),
        "r4": (CMP, None),
        "r5": (None, None),
    }
    log = audit_since(db, start)
    assert ("Ben", "update endpoint_row", "position", f"{CMP}[2..3]", f"{CMP}[3..4]") in log
    assert ("Ben", "update accepted_finding", "row", "3", "4") in log
    assert [entry[1] for entry in log].count("insert endpoint_row") == 1


@pytest.mark.parametrize(
    ("comparison", "position", "row", "message"),
    [
        (
            CMP,
            5,
            new_row("Ben"),
            "row 6 of pime-vs-tcs: cannot insert a row there: the comparison has 4 rows (a new row goes at 1 to 5)",
        ),
        (
            CMP,
            -1,
            new_row("Ben"),
            "row 0 of pime-vs-tcs: cannot insert a row there: the comparison has 4 rows (a new row goes at 1 to 5)",
        ),
        ("nope", 0, new_row("Ben"), 'comparison "nope": the review has no such comparison'),
        (
            CMP,
            1,
            Row(endpoint=" ", intervention=Arm()),
            'row 2 of pime-vs-tcs: Endpoint: " " is empty; Endpoint is required',
        ),
        (
            CMP,
            1,
            Row(endpoint="E", status="done"),
            'row 2 of pime-vs-tcs: Status: "done" is not one of draft, extracted, verified, disputed',
        ),
    ],
)
def test_insert_row_refuses_bad_input_and_writes_nothing(
    db: Database, comparison: str, position: int, row: Row, message: str
) -> None:
    refused(db, message, lambda session: insert_row(session, comparison, position, row, "Ben"))


def test_delete_row_returns_it_and_undo_brings_back_the_same_review(db: Database) -> None:
    before = stored_in(db)
    with db.session() as session:
        acceptances = acceptances_of(session, CMP, 1)
        row = delete_row(session, CMP, 1, "Ben")
    assert row == before.comparisons[0].rows[1]  # values, citations, extensions, reviewers
    assert row.extensions == {"x-page": 4} and row.citations == ["9", "10"]
    assert [a.rule for a in acceptances] == ["r1"]
    middle = stored_in(db)
    assert endpoints(middle) == [e for i, e in enumerate(endpoints(before)) if i != 1]
    assert acceptance_rows(middle) == {"r2": (CMP, 2), "r3": ("pime-vs-tac", 1), "r4": (CMP, None), "r5": (None, None)}
    with db.session() as session:
        insert_row(session, CMP, 1, row, "Ben", acceptances=acceptances)
    after = stored_in(db)
    assert after.comparisons == before.comparisons
    assert sorted(after.accepted_findings, key=lambda a: a.rule) == before.accepted_findings


def test_delete_row_is_audited_with_the_row_and_its_acceptances(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        delete_row(session, CMP, 1, "Ben")
    log = audit_since(db, start)
    actions = [entry[1] for entry in log]
    assert actions.count("delete endpoint_row") == 1 and actions.count("delete accepted_finding") == 1
    deleted = next(entry for entry in log if entry[1] == "delete endpoint_row")
    assert '"endpoint": "Days on TCS (Median)"' in (deleted[3] or "")
    assert '"citations": ["9", "10"]' in (deleted[3] or "")
    assert ("Ben", "update endpoint_row", "position", f"{CMP}[2..3]", f"{CMP}[1..2]") in log
    assert ("Ben", "update accepted_finding", "row", "3", "2") in log


def test_deleting_the_last_row_shifts_nothing(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        delete_row(session, CMP, 3, "Ben")
    assert [entry[1] for entry in audit_since(db, start)] == ["delete endpoint_row", "delete accepted_finding"]
    assert len(stored_in(db).comparisons[0].rows) == 3


@pytest.mark.parametrize(
    ("comparison", "position", "message"),
    [
        (CMP, 4, "row 5 of pime-vs-tcs: cannot delete the row: the comparison has rows 1 to 4"),
        ("nope", 0, 'comparison "nope": the review has no such comparison'),
    ],
)
def test_delete_row_refuses_a_missing_row(db: Database, comparison: str, position: int, message: str) -> None:
    refused(db, message, lambda session: delete_row(session, comparison, position, "Ben"))


def test_a_deleted_row_stored_again_without_its_acceptances_has_its_findings_open(db: Database) -> None:
    with db.session() as session:
        row = delete_row(session, CMP, 1, "Ben")
        insert_row(session, CMP, 1, row, "Ben")
    after = stored_in(db)
    assert after.comparisons[0].rows[1] == row
    assert "r1" not in acceptance_rows(after) and acceptance_rows(after)["r2"] == (CMP, 3)


def test_duplicate_row_copies_values_and_citations_as_a_new_draft(db: Database) -> None:
    before = stored_in(db)
    with db.session() as session:
        position = duplicate_row(session, CMP, 1, "Ben")
    assert position == 2
    rows = stored_in(db).comparisons[0].rows
    original, copy = before.comparisons[0].rows[1], rows[2]
    assert rows[1] == original
    assert (copy.status, copy.extracted_by, copy.verified_by) == ("draft", "Ben", None)
    assert copy.citations == ["9", "10"] and copy.intervention == original.intervention
    assert copy.effect == original.effect and copy.extensions == original.extensions
    assert [r.endpoint for r in rows] == [e for e in endpoints(before)[:2]] + endpoints(before)[1:]
    assert acceptance_rows(stored_in(db))["r1"] == (CMP, 1)  # acceptances stay with the original
    assert acceptance_rows(stored_in(db))["r2"] == (CMP, 4)


def test_duplicate_row_refuses_a_missing_row(db: Database) -> None:
    refused(
        db,
        "row 8 of pime-vs-tcs: cannot duplicate the row: the comparison has rows 1 to 4",
        lambda session: duplicate_row(session, CMP, 7, "Ben"),
    )


@pytest.mark.parametrize(
    ("position", "to", "order", "r1", "r2"),
    [
        (1, 3, [0, 2, 3, 1], 3, 2),  # down: rows 2..3 move up
        (3, 0, [3, 0, 1, 2], 2, 0),  # up: rows 0..2 move down
        (2, 2, [0, 1, 2, 3], 1, 3),  # nowhere
    ],
)
def test_move_row_reorders_rows_and_their_acceptances(
    db: Database, position: int, to: int, order: list[int], r1: int, r2: int
) -> None:
    before = stored_in(db)
    with db.session() as session:
        move_row(session, CMP, position, to, "Ben")
    after = stored_in(db)
    assert after.comparisons[0].rows == [before.comparisons[0].rows[i] for i in order]
    assert acceptance_rows(after)["r1"] == (CMP, r1) and acceptance_rows(after)["r2"] == (CMP, r2)
    with db.session() as session:
        move_row(session, CMP, to, position, "Ben")
    assert stored_in(db) == before


def test_move_row_audits_the_move(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        move_row(session, CMP, 3, 1, "Ben")
    log = audit_since(db, start)
    assert ("Ben", "update endpoint_row", "position", f"{CMP}[3]", f"{CMP}[1]") in log
    assert ("Ben", "update endpoint_row", "position", f"{CMP}[1..2]", f"{CMP}[2..3]") in log
    assert ("Ben", "update accepted_finding", "row", "1", "2") in log
    assert ("Ben", "update accepted_finding", "row", "3", "1") in log


@pytest.mark.parametrize(
    ("position", "to", "message"),
    [
        (
            1,
            4,
            "row 2 (Days on TCS (Median)) of pime-vs-tcs: cannot move the row to row 5: the comparison has rows 1 to 4",
        ),
        (
            1,
            -1,
            "row 2 (Days on TCS (Median)) of pime-vs-tcs: cannot move the row to row 0: the comparison has rows 1 to 4",
        ),
        (4, 0, "row 5 of pime-vs-tcs: cannot move the row: the comparison has rows 1 to 4"),
    ],
)
def test_move_row_refuses_positions_out_of_range(db: Database, position: int, to: int, message: str) -> None:
    refused(db, message, lambda session: move_row(session, CMP, position, to, "Ben"))


def test_row_changes_take_the_same_statements_whatever_the_size_of_the_comparison(tmp_path: Path) -> None:
    """Positions shift with one UPDATE, not one per row."""

    def statements(rows: int) -> list[str]:
        review = Review(comparisons=[demo_review().comparisons[0]])
        review.comparisons[0].rows = [
            Row(endpoint=f"E{i}", intervention=Arm(value=parse_reported("1"))) for i in range(rows)
        ]
        database = open_database(tmp_path / f"{rows}.sqlite")
        with database.session() as session:
            add_content(session, review, "Ana")
        seen: list[str] = []
        event.listen(database.engine, "before_cursor_execute", lambda *args: seen.append(args[2].split()[0]))
        with database.session() as session:
            insert_row(session, CMP, 0, new_row("Ben"), "Ben")
            move_row(session, CMP, rows, 0, "Ben")
            duplicate_row(session, CMP, 0, "Ben")
            delete_row(session, CMP, 0, "Ben")
        database.close()
        return seen

    few, many = statements(3), statements(300)
    assert few == many
    assert few.count("UPDATE") < 12


# -- comparisons -------------------------------------------------------------


def test_new_comparison_is_added_at_the_end_or_at_a_position(db: Database) -> None:
    with db.session() as session:
        new_comparison(session, "pime-vs-veh", "Pimecrolimus vs Vehicle", "Pimecrolimus 1%", "Vehicle", "Ben")
        new_comparison(session, "first", "First", "A", "B", "Ben", position=0)
    review = stored_in(db)
    assert [c.key for c in review.comparisons] == ["first", CMP, "pime-vs-tac", "pime-vs-veh"]
    added = review.comparisons[3]
    assert (added.title, added.intervention, added.comparator, added.note, added.rows) == (
        "Pimecrolimus vs Vehicle",
        "Pimecrolimus 1%",
        "Vehicle",
        None,
        [],
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", "T", "A", "B"), 'new comparison, Key: "" is empty; Key is required'),
        ((CMP, "T", "A", "B"), 'comparison pime-vs-tcs, Key: "pime-vs-tcs" is already a comparison of the review'),
        (("new", " ", "A", "B"), 'comparison new, Title: " " is empty; Title is required'),
        (
            ("new", "T", "", "B"),
            'comparison new, Intervention arm label: "" is empty; Intervention arm label is required',
        ),
        (("new", "T", "A", ""), 'comparison new, Comparator arm label: "" is empty; Comparator arm label is required'),
        (("new ", "T", "A", "B"), 'comparison new , Key: "new " begins or ends with white space'),
    ],
)
def test_new_comparison_refuses_bad_fields(db: Database, args: tuple[str, str, str, str], message: str) -> None:
    refused(db, message, lambda session: new_comparison(session, *args, "Ben"))


def test_new_comparison_refuses_a_position_out_of_range(db: Database) -> None:
    refused(
        db,
        "comparison new: cannot add a comparison as number 4: the review has 2 comparisons (a new one goes at 1 to 3)",
        lambda session: new_comparison(session, "new", "T", "A", "B", "Ben", position=3),
    )


def test_set_comparison_field_sets_text_as_typed_and_audits_it(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        set_comparison_field(session, CMP, "title", "Pimecrolimus vs TCS ", "Ben")
        set_comparison_field(session, CMP, "note", "from table 1", "Ben")
        set_comparison_field(session, CMP, "intervention", "Pimecrolimus Group", "Ben")  # unchanged: no entry
    comparison = stored_in(db).comparisons[0]
    assert (comparison.title, comparison.note) == ("Pimecrolimus vs TCS ", "from table 1")
    assert audit_since(db, start) == [
        ("Ben", "update comparison", "title", "Pimecrolimus vs Topical Corticosteroids (TCS)", "Pimecrolimus vs TCS "),
        ("Ben", "update comparison", "note", None, "from table 1"),
    ]
    with db.session() as session:
        set_comparison_field(session, CMP, "note", "  ", "Ben")
    assert stored_in(db).comparisons[0].note is None


def test_renaming_a_comparison_keeps_its_acceptances_pointing_to_it(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        set_comparison_field(session, CMP, "key", "pime-vs-steroids", "Ben")
    review = stored_in(db)
    assert [c.key for c in review.comparisons] == ["pime-vs-steroids", "pime-vs-tac"]
    assert acceptance_rows(review) == {
        "r1": ("pime-vs-steroids", 1),
        "r2": ("pime-vs-steroids", 3),
        "r3": ("pime-vs-tac", 1),
        "r4": ("pime-vs-steroids", None),
        "r5": (None, None),
    }
    log = audit_since(db, start)
    assert ("Ben", "update comparison", "key", CMP, "pime-vs-steroids") in log
    assert [entry[1] for entry in log].count("update accepted_finding") == 3


@pytest.mark.parametrize(
    ("key", "name", "text", "message"),
    [
        (CMP, "key", "pime-vs-tac", 'comparison pime-vs-tcs, Key: "pime-vs-tac" is already a comparison of the review'),
        (CMP, "key", "", 'comparison pime-vs-tcs, Key: "" is empty; Key is required'),
        (CMP, "title", "", 'comparison pime-vs-tcs, Title: "" is empty; Title is required'),
        (CMP, "rows", "x", 'comparison pime-vs-tcs, rows: "rows" is not a field of a comparison '
         "(key, title, intervention, comparator, note)"),
        ("nope", "title", "x", 'comparison "nope": the review has no such comparison'),
    ],
)  # fmt: skip
def test_set_comparison_field_refuses_bad_text(db: Database, key: str, name: str, text: str, message: str) -> None:
    refused(db, message, lambda session: set_comparison_field(session, key, name, text, "Ben"))


def test_delete_comparison_and_restore_bring_back_the_same_review(db: Database) -> None:
    before = stored_in(db)
    with db.session() as session:
        acceptances = acceptances_of(session, CMP)
        position, comparison = delete_comparison(session, CMP, "Ben")
    assert position == 0 and comparison == before.comparisons[0]
    assert [a.rule for a in acceptances] == ["r1", "r2", "r4"]
    middle = stored_in(db)
    assert [c.key for c in middle.comparisons] == ["pime-vs-tac"]
    assert acceptance_rows(middle) == {"r3": ("pime-vs-tac", 1), "r5": (None, None)}
    conn = raw(db)
    assert conn.execute("SELECT count(*) FROM citation").fetchone() == (4,)  # the other comparison's
    assert conn.execute("SELECT position FROM comparison").fetchall() == [(0,)]
    conn.close()
    with db.session() as session:
        restore_comparison(session, position, comparison, "Ben", acceptances=acceptances)
    after = stored_in(db)
    assert after.comparisons == before.comparisons
    assert sorted(after.accepted_findings, key=lambda a: a.rule) == before.accepted_findings


def test_delete_comparison_is_audited_row_by_row(db: Database) -> None:
    start = audit_count(db)
    with db.session() as session:
        delete_comparison(session, CMP, "Ben")
    actions = [entry[1] for entry in audit_since(db, start)]
    assert actions.count("delete endpoint_row") == 4
    assert actions.count("delete comparison") == 1
    assert actions.count("delete accepted_finding") == 3
    assert ("Ben", "update comparison", "position", "1..1", "0..0") in audit_since(db, start)


def test_delete_and_restore_refuse_what_cannot_be(db: Database) -> None:
    refused(db, 'comparison "nope": the review has no such comparison', lambda s: delete_comparison(s, "nope", "Ben"))
    comparison = demo_review().comparisons[0]
    refused(
        db,
        'comparison pime-vs-tcs, Key: "pime-vs-tcs" is already a comparison of the review',
        lambda s: restore_comparison(s, 0, comparison, "Ben"),
    )
