"""The History panel tells the current row's story, newest first, and follows the window."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt

from curator.gui.history_view import HistoryEntry, HistoryModel, HistoryPanel
from curator.gui.verify_view import VerifyDialog
from curator.services.sources import open_review
from curator.store.adjudication import decide
from tests.doublecheck import stored_by
from tests.gui.reviewers import controls, window_as
from tests.gui.test_adjudication_view import ben_enters_blind


def _story(panel: HistoryPanel) -> list[tuple[str, str]]:
    model = panel.model
    return [(model.data(model.index(r, 1)), model.data(model.index(r, 2))) for r in range(model.rowCount())]


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
    assert panel.label.text() == "<b>row 3 of pime-vs-tcs</b>: 10 changes, newest first"
    assert _story(panel) == [
        ("Cleo", "verified pime-vs-tcs[2] intervention.value = '58.0'"),
        ("Cleo", "update endpoint_row 3 (pime-vs-tcs[2]) status: 'disputed' -> 'extracted'"),
        ("Cleo", "un-verified pime-vs-tcs[2] intervention.value: its value changed from '50.8' to '58.0'"),
        ("Cleo", "update endpoint_row 3 (pime-vs-tcs[2]) intervention.value: '50.8' -> '58.0'"),
        ("Cleo", "decided adjudication item 1 on pime-vs-tcs[2] intervention.value: b, '58.0': Figure 2 reads 58.0"),
        ("Ben", "update endpoint_row 3 (pime-vs-tcs[2]) status: 'extracted' -> 'disputed'"),
        ("Ben", "disputed pime-vs-tcs[2] intervention.value = '50.8': Ben entered '58.0' (double-entry)"),
        (
            "Ben",
            "opened adjudication item 1 on pime-vs-tcs[2] intervention.value: A '50.8' (Ana) | B '58.0' (Ben), from double-entry",
        ),
        ("Ben", "entered pime-vs-tcs[2] blind: intervention.value='58.0'"),
        ("Ana", "insert endpoint_row 3 (pime-vs-tcs[2])"),
    ]
    when = panel.model.data(panel.model.index(0, 0))
    assert len(when) == 19 and when[4] == "-" and when[13] == ":"

    # Another row: its own story.
    window.select_row("pime-vs-tcs", 0)
    qtbot.waitUntil(lambda: panel.place == ("pime-vs-tcs", 0))
    assert _story(panel) == [("Ana", "insert endpoint_row 1 (pime-vs-tcs[0])")]

    # An edit in the window: the panel reads the log again.
    form = window.row_form
    edit = form.edits["unit"]
    edit.selectAll()
    qtbot.keyClicks(edit, "percent of patients")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert _story(panel)[0] == ("Ben", "update endpoint_row 1 (pime-vs-tcs[0]) unit: '%' -> 'percent of patients'")

    # Verify mode: when it closes, the panel shows what was done.
    controls(window).verify_action.trigger()
    dialog = window.findChild(VerifyDialog)
    assert isinstance(dialog, VerifyDialog)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _story(panel)[0][1] == "verified pime-vs-tcs[0] endpoint = 'Patients Requiring TCS'")

    controls(window).history_action.trigger()
    assert not panel.isVisible()


def test_history_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HistoryModel()
    at = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    model.set_entries([HistoryEntry(at, "Ben", "verified c[0] endpoint = 'Itch'"), HistoryEntry(at, "Ana", "insert")])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "verified c[0] endpoint = 'Itch'"
    assert model.data(model.index(1, 0)) == at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
