"""The main window and its comparisons model, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.demo import demo_review
from curator.gui.app import MainWindow
from curator.gui.comparisons_model import ComparisonsModel
from curator.store.browse import ComparisonSummary
from tests.helpers import stored_demo


def test_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ComparisonsModel([ComparisonSummary.of(c) for c in demo_review().comparisons])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, 0)) == "Pimecrolimus vs Topical Corticosteroids (TCS)"
    assert model.data(model.index(1, 1)) == 4
    assert model.data(model.index(1, 0), ComparisonsModel.ObjectRole).key == "pime-vs-tac"
    model.set_comparisons([])
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_window_shows_title_comparisons_and_counts(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    review = demo_review()
    window = MainWindow(stored_demo(tmp_path / "r.sqlite"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.windowTitle() == f"Curator — {review.title}"
    view = window.comparisons_view
    assert view.model().rowCount() == 2
    assert window.rows_model.rowCount() == 4  # the first comparison, in its own order
    assert window.rows_model.data(window.rows_model.index(0, 0)) == "Patients Requiring TCS"
    # Click the second comparison as a user would: its table and findings show.
    rect = view.visualRect(view.model().index(1, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentIndex().row() == 1
    assert window.rows_model.headerData(2, Qt.Orientation.Horizontal) == "Tacrolimus Ointment (0.03% or 0.1%)"
    assert window.findings_label.text().endswith(": 3")
    # Ctrl+F, type: the table filters.
    # (The offscreen platform drops window activation after a click, so the
    # key press cannot reach the shortcut map here: fire the shortcut itself.)
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    window.find_action.trigger()
    assert window.focusWidget() is window.filter_edit
    qtbot.keyClicks(window.filter_edit, "EASI")
    assert window.rows_model.rowCount() == 1
    # Clicking a finding lands on its cell, clearing a filter that hides it.
    item = window.findings_list.item(0)
    assert "vehicle" in item.text()
    rect = window.findings_list.visualItemRect(item)
    qtbot.mouseClick(window.findings_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    current = window.rows_view.currentIndex()
    assert window.filter_edit.text() == ""
    assert (current.row(), current.column()) == (0, 3)  # Effect of row 0
    assert window.status_counts.text() == "2 comparisons · 8 rows (0 verified here) · 17 references ·"
    assert window.finding_nav.count_button.text() == "34 open findings"
    assert window.status_who.text() == "Reviewer: curator"
    assert window.status_file.text() == "r.sqlite"
    assert window.status_file.toolTip() == str(window.path)
    png = tmp_path / "w.png"
    assert window.grab().save(str(png))
    assert png.stat().st_size > 1000


def test_untitled_review_has_a_title(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from curator.store.database import open_database

    open_database(tmp_path / "r.sqlite").close()
    window = MainWindow(tmp_path / "r.sqlite")
    qtbot.addWidget(window)
    assert window.windowTitle() == "Curator — Untitled review"


def test_pyside_is_pinned_below_the_crashing_release() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), "PySide6 6.12.0 crashes in setItem on Python 3.11; keep the pin"


@pytest.mark.parametrize("calls", [20_000])
def test_set_item_many_times_does_not_crash(qapp, calls: int) -> None:  # type: ignore[no-untyped-def]
    """Regression: PySide6 6.12.0 drops a reference to None in every setItem
    and the process dies with 'Fatal Python error: none_dealloc'."""
    import gc
    import sys

    from PySide6.QtGui import QStandardItem, QStandardItemModel

    model = QStandardItemModel(calls // 100, 100)
    gc.collect()
    gc.disable()  # so that no unrelated garbage frees references to None meanwhile
    try:
        before = sys.getrefcount(None)
        for i in range(calls):
            model.setItem(i // 100, i % 100, QStandardItem(str(i)))
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    assert model.item(calls // 100 - 1, 99).text() == str(calls - 1)
    # The bug drops one reference per call: a fall of ~calls here.
    assert after > before - calls // 2


def test_references_are_listed_on_the_left_and_open_on_their_tab(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(stored_demo(tmp_path / "r.sqlite"))
    qtbot.addWidget(window)
    assert window.references_list.count() == 17
    assert window.references_label.text() == "<b>References</b> (17)"
    item = window.references_list.item(6)
    assert item.text().startswith("[7] ")
    window.references_list.itemActivated.emit(item)
    assert window.tabs.currentIndex() == 1
    current = window.references_view.current_reference()
    assert current is not None and current.key == "7"


def test_comparison_titles_get_the_room_of_the_list(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The counts' headers take two lines, so a title's longest word ("Pimecrolimus") is not cut to
    "Pimecroli…" in the list's default width; each count's header says what it counts."""
    window = MainWindow(stored_demo(tmp_path / "r.sqlite"))
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    view = window.comparisons_view
    model = view.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Comparison",
        "Rows",
        "Verified\nhere",
        "Findings",
    ]
    assert "second reviewer" in model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    longest = view.fontMetrics().horizontalAdvance("Pimecrolimus")
    assert view.columnWidth(0) > longest + 8  # the cell's margins
