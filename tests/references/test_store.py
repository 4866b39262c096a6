"""Writing imports and merges to the database: positions, citations, the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from curator.errors import CuratorError
from curator.formats.references import read_reference_file
from curator.references import plan_import
from curator.review import Comparison, Reference, Review, Row
from curator.store.database import open_database
from curator.store.references import apply_reference_import, merge_references
from curator.store.repository import add_content, load_review

FIXTURES = Path(__file__).parent / "fixtures"


def _review() -> Review:
    refs = [
        Reference("1", title="Kept", doi="10.1/a"),
        Reference("2", title="Dropped", doi="10.1/A", journal="BMJ", year=2001, extensions={"x-a": 1}),
        Reference("3", title="Other"),
    ]
    rows = [
        Row("cites drop", citations=["2"]),
        Row("cites both", citations=["2", "3", "1"]),
        Row("cites keep first", citations=["1", "2"]),
        Row("cites other", citations=["3"]),
    ]
    return Review(title="R", references=refs, comparisons=[Comparison("c", "C", "A", "B", rows=rows)])


def _audit(session, since: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    sql = "SELECT action, table_name, field, old, new, who FROM audit_log WHERE id > :n ORDER BY id"
    return [tuple(r) for r in session.execute(text(sql), {"n": since})]


def _last_audit(session) -> int:  # type: ignore[no-untyped-def]
    return session.execute(text("SELECT coalesce(max(id), 0) FROM audit_log")).scalar_one()


def test_merge_repoints_citations_and_is_audited(tmp_path: Path) -> None:
    with open_database(tmp_path / "r.sqlite") as db:
        with db.session() as session:
            add_content(session, _review(), "tester")
        with db.session() as session:
            since = _last_audit(session)
            counts = merge_references(session, "1", "2", "merger")
            log = _audit(session, since)
        with db.session(write=False) as session:
            review = load_review(session)
    assert counts == {"fields_filled": 2, "citations_repointed": 2, "citations_dropped": 2}
    assert [r.key for r in review.references] == ["1", "3"]
    kept = review.references[0]
    assert (kept.title, kept.journal, kept.year, kept.extensions) == ("Kept", "BMJ", 2001, {"x-a": 1})
    assert [r.citations for r in review.comparisons[0].rows] == [["1"], ["1", "3"], ["1"], ["3"]]
    assert [(a, t, f) for a, t, f, *_ in log] == [
        ("update", "reference", "journal"),
        ("update", "reference", "year"),
        ("update", "reference", "extensions"),
        ("update", "citation", "reference_key"),
        ("update", "citation", "reference_key"),
        ("delete", "citation", None),
        ("delete", "citation", None),
        ("delete", "reference", None),
    ]
    assert log[0][3:] == (None, "BMJ", "merger")
    assert log[3][3:5] == ("2", "1")


@pytest.mark.parametrize(("keep", "drop", "message"), [("1", "9", "no reference '9'"), ("1", "1", "itself")])
def test_merge_refuses(tmp_path: Path, keep: str, drop: str, message: str) -> None:
    with open_database(tmp_path / "r.sqlite") as db:
        with db.session() as session:
            add_content(session, _review(), "tester")
        with pytest.raises(CuratorError, match=message), db.session() as session:
            merge_references(session, keep, drop, "x")


def test_apply_import_then_again_adds_nothing(tmp_path: Path) -> None:
    rf = read_reference_file(FIXTURES / "zotero.ris")
    with open_database(tmp_path / "r.sqlite") as db:
        with db.session() as session:
            add_content(session, Review(references=[Reference("1", title="Old", pmid="1")]), "tester")
        with db.session() as session:
            plan = plan_import(load_review(session).references, rf.references)
            with pytest.raises(CuratorError, match="no decision"):
                apply_reference_import(session, plan, "importer")
            plan.decide_all("merge")
            since = _last_audit(session)
            counts = apply_reference_import(session, plan, "importer")
            log = _audit(session, since)
        assert counts == {"added": 3, "merged": 0, "fields_filled": 0}
        assert [(a, t) for a, t, *_ in log] == [("insert", "reference")] * 3
        with db.session() as session:
            existing = load_review(session).references
            assert [r.key for r in existing] == ["1", "2", "3", "4"]
            again = plan_import(existing, rf.references)
            again.decide_all("merge")
            assert apply_reference_import(session, again, "importer") == {"added": 0, "merged": 0, "fields_filled": 0}
            assert len(load_review(session).references) == 4


def test_apply_import_fills_fields_with_audit(tmp_path: Path) -> None:
    with open_database(tmp_path / "r.sqlite") as db:
        with db.session() as session:
            add_content(session, Review(references=[Reference("1", title="Old", doi="10.1/x")]), "tester")
        with db.session() as session:
            incoming = [Reference("", title="Old", doi="10.1/X", authors=["Doe, J"], year=2001)]
            plan = plan_import(load_review(session).references, incoming)
            plan.decide_all("merge")
            since = _last_audit(session)
            assert apply_reference_import(session, plan, "me") == {"added": 0, "merged": 1, "fields_filled": 2}
            log = _audit(session, since)
            ref = load_review(session).references[0]
    assert (ref.authors, ref.year) == (["Doe, J"], 2001)
    assert log == [
        ("update", "reference", "authors", "[]", '["Doe, J"]', "me"),
        ("update", "reference", "year", None, "2001", "me"),
    ]


def test_apply_refuses_a_stale_plan(tmp_path: Path) -> None:
    with open_database(tmp_path / "r.sqlite") as db:
        with db.session() as session:
            plan = plan_import([], [Reference("", title="New")])
            add_content(session, Review(references=[Reference("1", title="Meanwhile")]), "tester")
            with pytest.raises(CuratorError, match="already in the review"):
                apply_reference_import(session, plan, "x")
