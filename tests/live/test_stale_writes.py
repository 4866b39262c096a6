"""Writes that carry what they read: refused (StaleWrite, nothing written) when it moved meanwhile; on an
SQLite file and on the PostgreSQL server alike (each reviewer a database user there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError, StaleWrite
from curator.services import ReviewService
from tests.backends import as_reviewer
from tests.doublecheck import audit_count, stored_by


@pytest.fixture
def db(review_target: Path | str) -> Path | str:
    return stored_by(review_target, "Ana")


def ben(db: Path | str) -> ReviewService:
    return ReviewService.open(as_reviewer(db, "Ben"), "Ben")


def _ana_changes(db: Path | str, position: int, field: str, old: str, new: str) -> None:
    """Another reviewer's change, committed from another connection."""
    with ReviewService.open(as_reviewer(db, "Ana"), "Ana") as other:
        other.rows.edit("pime-vs-tcs", position, field, new, expected=old)


def test_deleting_a_row_changed_meanwhile_is_refused_naming_the_field(db: Path) -> None:
    with ben(db) as review:
        seen = review.rows.row("pime-vs-tcs", 2)
        _ana_changes(db, 2, "intervention.value", "50.8", "50.3")
        before = audit_count(db)
        with pytest.raises(StaleWrite) as refused:
            review.rows.delete_row("pime-vs-tcs", 2, expected=seen)
        assert str(refused.value).startswith(
            "Pimecrolimus Group: value in row 3 (Flare-Free Patients) of pime-vs-tcs: the row was not deleted: "
            "it is now '50.3', not '50.8' as this change expected"
        )
        assert (refused.value.field, refused.value.theirs, refused.value.expected) == (
            "intervention.value",
            "50.3",
            "50.8",
        )
        assert audit_count(db) == before and len(review.review().comparisons[0].rows) == 4
        review.rows.delete_row("pime-vs-tcs", 2, expected=review.rows.row("pime-vs-tcs", 2))  # as it is now: deleted
        assert len(review.review().comparisons[0].rows) == 3


def test_moving_a_row_changed_meanwhile_is_refused(db: Path) -> None:
    with ben(db) as review:
        seen = review.rows.row("pime-vs-tcs", 1)
        _ana_changes(db, 1, "endpoint", seen.endpoint, "Itch, renamed")
        with pytest.raises(StaleWrite, match=r"Endpoint in row 2 .*: the row was not moved: it is now 'Itch, renamed'"):
            review.rows.move_row("pime-vs-tcs", 1, 0, expected=seen)
        assert review.rows.row("pime-vs-tcs", 1).endpoint == "Itch, renamed"


@pytest.mark.parametrize("verdict", ["verify", "dispute", "fix"])
def test_a_verdict_on_a_value_changed_meanwhile_is_refused(db: Path, verdict: str) -> None:
    with ben(db) as review:
        _ana_changes(db, 2, "intervention.value", "50.8", "50.3")
        before = audit_count(db)
        checking = review.checking
        act = {
            "verify": lambda: checking.verify_field("pime-vs-tcs", 2, "intervention.value", expected="50.8"),
            "dispute": lambda: checking.dispute_field("pime-vs-tcs", 2, "intervention.value", "no", expected="50.8"),
            "fix": lambda: checking.fix_field("pime-vs-tcs", 2, "intervention.value", "51", expected="50.8"),
        }[verdict]
        with pytest.raises(StaleWrite, match="it is now '50.3', not '50.8' as this change expected") as refused:
            act()
        assert refused.value.theirs == "50.3"
        assert refused.value.yours == ("51" if verdict == "fix" else "50.8")
        assert audit_count(db) == before
        assert review.field_states("pime-vs-tcs", 2)["intervention.value"].state == "unverified"


def test_a_reference_field_changed_meanwhile_is_refused(db: Path) -> None:
    with ben(db) as review:
        key = review.reference_list()[0].key
        title = review.reference_list()[0].title or ""
        with ReviewService.open(as_reviewer(db, "Ana"), "Ana") as other:
            other.references.set_field(key, "title", "Theirs", expected=title)
        with pytest.raises(StaleWrite) as refused:
            review.references.set_field(key, "title", "Mine", expected=title)
        assert (refused.value.reference, refused.value.theirs, refused.value.yours) == (key, "Theirs", "Mine")


def test_deleting_a_reference_changed_meanwhile_is_refused(review_target: Path | str) -> None:
    from curator.review import Reference

    with ReviewService.open(as_reviewer(review_target, "Ana"), "Ana", create=True) as review:
        review.references.add(Reference(key="99", title="Uncited"))
        shown = next(r for r in review.reference_list() if r.key == "99")
        with ReviewService.open(as_reviewer(review_target, "Ben"), "Ben") as other:
            other.references.set_field("99", "title", "Uncited, retitled", expected="Uncited")
        with pytest.raises(
            CuratorError, match=r"reference 99, title: not deleted: it is now 'Uncited, retitled', not 'Uncited'"
        ):
            review.references.delete("99", expected=shown)
        assert [r.key for r in review.reference_list()] == ["99"]
        review.references.delete("99", expected=review.reference_list()[0])
        assert review.reference_list() == []


def test_the_review_title_changed_meanwhile_is_not_overwritten(db: Path | str) -> None:
    with ben(db) as review:
        title, description = review.properties()
        with ReviewService.open(as_reviewer(db, "Ana"), "Ana") as other:
            other.set_properties(title, "Ana's description", expected=(title, description))
        with pytest.raises(StaleWrite, match=r"review description: not changed: it is now \"Ana's description\""):
            review.set_properties("Ben's title", description, expected=(title, description))
        assert review.properties() == (title, "Ana's description")
        assert review.set_properties("Ben's title", "Ana's description", expected=review.properties())
        assert review.properties() == ("Ben's title", "Ana's description")


def test_a_comparison_whose_rows_others_changed_since_it_was_shown_is_not_deleted(db: Path | str) -> None:
    with ben(db) as review:
        seen = review.live.head()
        review.rows.edit("pime-vs-tcs", 0, "population", "Children")  # Ben's own change: shown already
        _ana_changes(db, 2, "intervention.value", "50.8", "50.3")
        with pytest.raises(
            StaleWrite,
            match=r"comparison pime-vs-tcs: not deleted: row 3 was changed since this window showed it \(by Ana\)",
        ):
            review.rows.delete_comparison("pime-vs-tcs", seen=seen)
        assert [c.key for c in review.outline()] == ["pime-vs-tcs", "pime-vs-tac"]
        review.rows.delete_comparison("pime-vs-tcs", seen=review.live.head())  # once seen: deleted
        assert [c.key for c in review.outline()] == ["pime-vs-tac"]
