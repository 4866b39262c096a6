"""Merging two references is compare-and-set too (issue 16): a merge of references one of which was changed
meanwhile is refused (StaleWrite, nothing written), through the service on SQLite and on the server, through
``curator merge-references --expect KEY.FIELD=TEXT``, and in the References tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from curator.errors import CuratorError, StaleWrite
from curator.services import ReviewService
from tests.backends import as_reviewer
from tests.doublecheck import audit_count, stored_by, table
from tests.helpers import run

KEEP, DROP = "9", "10"  # both cited by row 2 of pime-vs-tcs


@pytest.fixture
def db(review_target: Path | str) -> Path | str:
    return stored_by(review_target, "Ana")


def title(review: ReviewService, key: str) -> str:
    return next(r.title for r in review.reference_list() if r.key == key) or ""


def ana_retitles(db: Path | str, key: str, new: str) -> None:
    with ReviewService.open(as_reviewer(db, "Ana"), "Ana") as other:
        other.references.set_field(key, "title", new, expected=title(other, key))


def test_merging_a_reference_changed_meanwhile_is_refused_naming_it(db: Path | str) -> None:
    with ReviewService.open(as_reviewer(db, "Ben"), "Ben") as review:
        shown = {r.key: r for r in review.reference_list() if r.key in (KEEP, DROP)}
        was = shown[DROP].title
        ana_retitles(db, DROP, "Consensus, retitled")
        before = audit_count(db)  # type: ignore[arg-type]

        with pytest.raises(StaleWrite) as refused:
            review.references.merge(KEEP, DROP, expected=shown)

        assert str(refused.value).startswith(
            f"reference 10, title: not merged: it is now 'Consensus, retitled', not {was!r} as this change expected"
        )
        assert (refused.value.reference, refused.value.theirs) == (DROP, "Consensus, retitled")
        assert audit_count(db) == before  # type: ignore[arg-type]
        assert {KEEP, DROP} <= {r.key for r in review.reference_list()}
        counts = review.references.merge(KEEP, DROP, expected={DROP: {"title": "Consensus, retitled"}})
        assert counts["citations_dropped"] == 1
        assert DROP not in {r.key for r in review.reference_list()}


def test_an_expected_field_of_another_reference_or_no_field_is_refused(db: Path | str) -> None:
    with ReviewService.open(as_reviewer(db, "Ben"), "Ben") as review:
        with pytest.raises(CuratorError, match=r"reference '7': not one of the two merged \('9', '10'\)"):
            review.references.merge(KEEP, DROP, expected={"7": {"title": ""}})
        with pytest.raises(CuratorError, match="reference 9: no field 'colour'"):
            review.references.merge(KEEP, DROP, expected={KEEP: {"colour": "red"}})
        assert {KEEP, DROP} <= {r.key for r in review.reference_list()}


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_by(tmp_path / "ana.sqlite", "Ana")


def test_merge_references_expect_refuses_a_changed_field_with_exit_2(
    review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ana_retitles(review, DROP, "Consensus, retitled")
    before = audit_count(review)
    code, out, err = run(capsys, "merge-references", str(review), KEEP, DROP, "--expect", "10.title=Consensus")
    assert (code, out) == (2, "") and "Traceback" not in err
    assert err == (
        "curator: reference 10, title: not merged: it is now 'Consensus, retitled', not 'Consensus' as this change "
        "expected (it was changed meanwhile: another window or reviewer); nothing was written\n"
    )
    assert audit_count(review) == before

    code, _, err = run(capsys, "merge-references", str(review), KEEP, DROP, "--expect", "title=Consensus")
    assert code == 2 and "--expect 'title=Consensus': give a reference's field as you read it, KEY.FIELD=TEXT" in err

    code, out, err = run(
        capsys, "merge-references", str(review), KEEP, DROP, "--expect", "10.title=Consensus, retitled"
    )
    assert (code, err) == (0, "") and out.startswith("Merged reference '10' into '9'")
    assert table(review, "SELECT count(*) FROM reference WHERE key = '10'") == [(0,)]


def test_the_references_tab_does_not_merge_a_reference_changed_since_it_was_shown(
    qtbot, review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from curator.gui.app import MainWindow

    window = MainWindow(review, "Ben")
    qtbot.addWidget(window)
    window.live.timer.stop()  # Ben merges what he sees, before Ana's change shows
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: said.append(text))
    view = window.references_view
    view.table.selectRow(8)  # [9]
    flags = view.table.selectionModel().SelectionFlag
    view.table.selectionModel().select(view.model.index(9, 0), flags.Select | flags.Rows)  # and [10]
    ana_retitles(review, DROP, "Consensus, retitled")
    before = audit_count(review)

    assert view.merge_selected() is False

    assert len(said) == 1 and said[0].startswith("reference 10, title: not merged: it is now 'Consensus, retitled'")
    assert "The references are shown as they are now" in said[0]
    assert audit_count(review) == before
    assert next(r for r in window.references if r.key == DROP).title == "Consensus, retitled"  # read again
