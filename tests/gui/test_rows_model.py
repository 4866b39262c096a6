"""The rows model: filter and sort in the model, checked without widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt

from curator.checks import run_checks
from curator.demo import demo_review
from curator.gui.rows_model import RowsModel
from curator.numbers import parse_reported as P


def model_for(index: int = 0) -> RowsModel:
    review = demo_review()
    model = RowsModel()
    model.set_comparison(review.comparisons[index], run_checks(review))
    return model


def column(model: RowsModel, col: int) -> list[str]:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = model_for()
    qtmodeltester.check(model)
    model.set_filter("children")
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_comparison(None)
    qtmodeltester.check(model)


def test_shows_the_seed_table() -> None:
    model = model_for()
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Pimecrolimus Group"
    assert column(model, 0) == [
        "Patients Requiring TCS",
        "Days on TCS (Median)",
        "Flare-Free Patients",
        "Days on TCS (Severe AD)",
    ]
    assert column(model, 1) == ["42.6%", "7 days", "50.8%", "28% of study days"]
    assert column(model, 7) == ["[7]", "[9] [10]", "[7]", "[8]"]


def test_filter_on_endpoint_population_citation_and_status() -> None:
    model = model_for()
    model.set_filter("tcs")
    assert model.rowCount() == 3
    model.set_filter("infants")
    assert column(model, 0) == ["Days on TCS (Median)"]
    model.set_filter("[7]")
    assert column(model, 0) == ["Patients Requiring TCS", "Flare-Free Patients"]
    model.set_filter("  Children   [8] ")
    assert column(model, 0) == ["Days on TCS (Severe AD)"]
    assert model.position(0) == 3 and model.view_row(3) == 0 and model.view_row(0) is None
    model.set_filter("")
    assert model.rowCount() == 4


def test_sort_numbers_as_numbers_and_citations_naturally() -> None:
    review = demo_review()
    rows = review.comparisons[0].rows
    assert rows[0].intervention is not None
    rows[0].intervention.value = P("9.5")  # 9.5 < 28 < 50.8 numerically, not as text
    model = RowsModel()
    model.set_comparison(review.comparisons[0])
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert column(model, 1) == ["7 days", "9.5%", "28% of study days", "50.8%"]
    model.sort(7, Qt.SortOrder.DescendingOrder)
    assert column(model, 7)[0] == "[9] [10]"


def test_sort_keeps_persistent_indexes_on_their_rows() -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = model_for()
    flare = QPersistentModelIndex(model.index(2, 0))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.data(flare) == "Flare-Free Patients"


def test_findings_are_in_tooltips_and_a_role() -> None:
    model = model_for(1)
    tip = model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    assert "versus 'vehicle'" in tip
    rules = {f.rule for f in model.data(model.index(0, 0), RowsModel.FindingsRole)}
    assert rules == {"versus-mismatch", "missing-denominator"}


def test_sort_column_minus_one_restores_the_table_order() -> None:
    model = model_for()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert column(model, 0)[0] == "Patients Requiring TCS" and column(model, 0)[1] == "Flare-Free Patients"
    model.sort(-1)
    assert column(model, 0) == [
        "Patients Requiring TCS",
        "Days on TCS (Median)",
        "Flare-Free Patients",
        "Days on TCS (Severe AD)",
    ]


def test_cells_with_findings_are_coloured_by_severity() -> None:
    model = model_for(1)
    assert model.data(model.index(0, 3), Qt.ItemDataRole.BackgroundRole).color().name() == "#ffe699"  # warning
    assert model.data(model.index(0, 1), Qt.ItemDataRole.BackgroundRole).color().name() == "#ddebf7"  # info
    assert model.data(model.index(1, 1), Qt.ItemDataRole.BackgroundRole) is None
