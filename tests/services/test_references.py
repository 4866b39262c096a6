"""Importing references through the service: the reviewer decides outside the transaction, the import checks
inside it that the decision still holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.errors import CuratorError
from curator.references import ImportPlan
from curator.services import ReviewService
from curator.services.references import read_reference_files
from tests.backends import as_reviewer, stored_state
from tests.doublecheck import table
from tests.helpers import REFERENCE_FIXTURES as FIXTURES
from tests.helpers import stored, stored_demo


def test_the_decision_is_asked_outside_the_write_and_applied_inside_it(review_target: Path | str) -> None:
    path = stored_demo(review_target)
    files = read_reference_files([FIXTURES / "pubmed.nbib"])
    asked: list[list[str]] = []

    def decide(plan: ImportPlan) -> bool:
        asked.append([pair.existing.key for pair in plan.undecided])
        # The review is not locked while the reviewer decides: another reviewer can write.
        with ReviewService.open(as_reviewer(path, "Cleo"), "Cleo") as cleo:
            cleo.references.set_field("1", "note", "read while Ana decided")
        plan.decide_all("merge")
        return True

    with ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana:
        done = ana.references.import_files(files, decide=decide)
    assert asked == [["7"]]
    assert done.counts["references_merged"] == 1
    review = stored(path)
    assert review.references[6].pmid and review.references[0].note == "read while Ana decided"


def test_references_changed_under_the_decision_import_nothing_and_say_why(review_target: Path | str) -> None:
    path = stored_demo(review_target)
    files = read_reference_files([FIXTURES / "pubmed.nbib"])

    def decide(plan: ImportPlan) -> bool:
        with ReviewService.open(
            as_reviewer(path, "Cleo"), "Cleo"
        ) as cleo:  # the matched reference gets another key meanwhile
            cleo.references.set_field("7", "key", "7a")
        plan.decide_all("merge")
        return True

    with ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana:
        before = table(path, "SELECT count(*) FROM audit_log WHERE who = 'Ana'")
        with pytest.raises(CuratorError, match="references changed while the duplicates were decided"):
            ana.references.import_files(files, decide=decide)
    assert table(path, "SELECT count(*) FROM audit_log WHERE who = 'Ana'") == before  # only Cleo's rename
    review = stored(path)
    assert len(review.references) == 17 and review.references[6].key == "7a" and not review.references[6].pmid


def test_a_declined_decision_imports_nothing(review_target: Path | str) -> None:
    path = stored_demo(review_target)
    before = stored_state(path)
    with (
        ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana,
        pytest.raises(CuratorError, match="import abandoned"),
    ):
        ana.references.import_files(read_reference_files([FIXTURES / "pubmed.nbib"]), decide=lambda plan: False)
    assert stored_state(path) == before


def test_a_rename_says_how_many_rows_it_re_points_and_is_refused_when_that_changed(review_target: Path | str) -> None:
    path = stored_demo(review_target)
    with ReviewService.open(as_reviewer(path, "Ana"), "Ana") as ana:
        assert ana.references.rows_citing("7") == 2 and ana.references.rows_citing("1") == 0
        with pytest.raises(CuratorError, match="2 rows cite it now, not 1 as this change expected"):
            ana.references.set_field("7", "key", "Eichenfield2002", expected="7", citing=1)
        assert ana.references.set_field("7", "key", "Eichenfield2002", expected="7", citing=2) == "Eichenfield2002"
        assert ana.references.rows_citing("Eichenfield2002") == 2 and ana.references.rows_citing("7") == 0
