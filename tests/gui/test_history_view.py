"""The History panel tells the current row's story, newest first, and follows the window."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from curator.gui.history_view import HistoryEntry, HistoryModel, HistoryPanel
from curator.gui.verify_view import VerifyDialog
from curator.services.sources import open_review
from curator.store.adjudication import decide
from tests.doublecheck import stored_by
from tests.gui.reviewers import controls, window_as
from tests.gui.test_adjudication_view import ben_enters_blind


def _story(panel: HistoryPanel) -> list[str]:
    model = panel.model
    return [model.data(model.index(r, 1)) for r in range(model.rowCount())]


def _shown(qtbot, window) -> HistoryPanel:  # type: ignore[no-untyped-def]
    action = controls(window).history_action
    assert action.shortcut().toString() == "Ctrl+H" and action in window.review_menu.actions()
    action.trigger()  # the offscreen platform gives no window the focus a shortcut needs
    panel = window.findChild(HistoryPanel)
    assert isinstance(panel, HistoryPanel)
    qtbot.waitUntil(lambda: panel.isVisible() and panel.place is not None)
    return panel


def test_history_shows_the_rows_story_in_words_newest_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    review = stored_by(tmp_path / "ana.sqlite", "Ana")
    ben_enters_blind(review)  # pime-vs-tcs[2] intervention.value: Ana 50.8, Ben 58.0
    with open_review(review, create=False) as db, db.session() as session:
        decide(session, 1, "b", "Cleo", reason="Figure 2 reads 58.0")
    window = window_as(qtbot, review, "Ben")
    window.select_row("pime-vs-tcs", 2)
    panel = _shown(qtbot, window)
    assert panel.label.text() == "<b>Flare-Free Patients</b> (row 3 of pime-vs-tcs)<br>10 changes, newest first"
    assert [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == ["When", "What happened"]
    assert _story(panel) == [
        "Cleo confirmed Pimecrolimus Group: value: 58.0, without a located source",
        "The row is now extracted (was disputed)",
        "Pimecrolimus Group: value needs confirming again: the confirmed value '50.8' became '58.0'",
        "Cleo changed Pimecrolimus Group: value from '50.8' to '58.0'",
        "Cleo decided Pimecrolimus Group: value (item 1): chose B, 58.0: Figure 2 reads 58.0",
        "The row is now disputed (was extracted)",
        "Ben disputed Pimecrolimus Group: value: 50.8, saying: Ben entered '58.0' (double-entry)",
        "Ben sent Pimecrolimus Group: value to adjudication (item 1): A '50.8' (Ana) or B '58.0' (Ben), "
        "from double-entry",
        "Ben entered the row again, blind: Pimecrolimus Group: value: 58.0",
        "Ana entered the row 'Flare-Free Patients' (11 values)",
    ]
    when = panel.model.data(panel.model.index(0, 0))
    assert len(when) == 19 and when[4] == "-" and when[13] == ":"

    # Another row: its own story.
    window.select_row("pime-vs-tcs", 0)
    qtbot.waitUntil(lambda: panel.place == ("pime-vs-tcs", 0))
    assert _story(panel) == ["Ana entered the row 'Patients Requiring TCS' (11 values)"]
    assert panel.label.text() == "<b>Patients Requiring TCS</b> (row 1 of pime-vs-tcs)<br>1 change, newest first"

    # An edit in the window: the panel reads the log again.
    form = window.row_form
    edit = form.edits["unit"]
    edit.selectAll()
    qtbot.keyClicks(edit, "percent of patients")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert _story(panel)[0] == "Ben changed Unit from '%' to 'percent of patients'"

    # Verify mode: when it closes, the panel shows what was done.
    controls(window).verify_action.trigger()
    dialog = window.findChild(VerifyDialog)
    assert isinstance(dialog, VerifyDialog)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: _story(panel)[0] == "Ben confirmed Endpoint: Patients Requiring TCS, without a located source"
    )

    controls(window).history_action.trigger()
    assert not panel.isVisible()


def test_history_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HistoryModel()
    at = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    model.set_entries([HistoryEntry(at, "Ben", "Ben confirmed Endpoint: Itch"), HistoryEntry(at, "Ana", "Ana …")])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "Ben confirmed Endpoint: Itch"
    assert model.data(model.index(1, 0)) == at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize(("width", "area"), [(1360, "right"), (1280, "right"), (1024, "bottom"), (900, "bottom")])
def test_history_takes_room_without_crushing_the_comparison_list(qtbot, tmp_path: Path, width: int, area: str) -> None:  # type: ignore[no-untyped-def]
    """Opened with Ctrl+H, History sits beside the table (below it in a narrow window); the comparison list
    keeps its width, the table at least its minimum, the form the width its fields are read at (beside
    History at 1280 it was left 190 pixels, its values cut: 'Clear or al'), the History dock a readable
    width."""
    window = window_as(qtbot, stored_by(tmp_path / "ana.sqlite", "Ana"), "Ben")
    window.resize(width, 720)
    window.select_row("pime-vs-tcs", 2)
    qtbot.waitUntil(lambda: window.comparisons_view.width() > 0)
    before = window.comparisons_view.width()
    panel = _shown(qtbot, window)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    expected = Qt.DockWidgetArea.RightDockWidgetArea if area == "right" else Qt.DockWidgetArea.BottomDockWidgetArea
    assert window.dockWidgetArea(panel) == expected
    comparisons = window.comparisons_view
    assert comparisons.width() >= max(150, comparisons.minimumSizeHint().width())
    assert comparisons.width() >= before - 2  # not squeezed at all
    assert window.tabs.width() >= window.tabs.minimumSizeHint().width()
    if area == "right":
        assert panel.width() >= 280
        form = window.row_form
        qtbot.waitUntil(lambda: form.width() >= form.sizeHint().width())
        assert window.rows_view.width() >= window.rows_view.minimumSizeHint().width()
    else:
        assert panel.height() >= 150 and panel.width() >= width - 20
    # The story's column has room for its words: at least as wide as the time column.
    assert panel.view.columnWidth(1) >= panel.view.columnWidth(0)


def test_a_comparison_list_left_crushed_gets_its_width_back_with_history(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A session of the old History saved the comparison list squeezed; opening History gives it its width back."""
    window = window_as(qtbot, stored_by(tmp_path / "ana.sqlite", "Ana"), "Ben")
    window.select_row("pime-vs-tcs", 2)
    total = sum(window.splitter.sizes())
    window.splitter.setSizes([40, total - 40])
    qtbot.waitUntil(lambda: window.comparisons_view.width() < 120)  # as narrow as the splitter lets it be
    _shown(qtbot, window)
    qtbot.waitUntil(lambda: window.comparisons_view.width() >= 150)
    assert window.tabs.width() >= window.tabs.minimumSizeHint().width()
