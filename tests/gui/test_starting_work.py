"""Starting work in the window (issue #12, item 8), by keys as a new reviewer does.

Found: a new comparison took four small dialogs, the first pre-filled with
the demo's key ``pime-vs-tcs`` even in an empty review; an empty review said
nothing about where to begin; New review offered the open file and then
refused it; nothing set a review's title after it was made.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from curator.gui.app import MainWindow
from curator.gui.new_comparison import NewComparisonDialog
from curator.gui.review_properties import PropertiesDialog
from curator.services import ReviewService
from tests.helpers import stored

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def empty_window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on a new, empty review, as File > New review leaves it."""
    path = tmp_path / "review.sqlite"
    ReviewService.create(path, "Tacrolimus review", "Ben")
    win = MainWindow(path, "Ben")
    qtbot.addWidget(win)
    win.show()
    return win


def open_new_comparison(qtbot, window: MainWindow) -> NewComparisonDialog:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_C, CTRL_SHIFT)  # Ctrl+Shift+C
    dialog = window.findChild(NewComparisonDialog)
    assert isinstance(dialog, NewComparisonDialog) and dialog.isVisible()
    assert dialog.focusWidget() is dialog.title_edit  # typing starts with the title
    return dialog


def audit_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


def test_an_empty_review_says_where_to_begin_and_one_dialog_adds_a_comparison(  # type: ignore[no-untyped-def]
    qtbot, empty_window: MainWindow
) -> None:
    window = empty_window
    hint = window.empty_hint
    assert "No comparisons yet." in hint.text()
    assert (
        "Ctrl+Shift+C" in hint.text() and "<b>File &gt; Import…</b> (Ctrl+I)" in hint.text() and "Ctrl+I" in hint.text()
    )

    dialog = open_new_comparison(qtbot, window)
    assert dialog.key_edit.text() == ""  # no demo key in an empty review
    assert not dialog.ok_button.isEnabled() and dialog.reason.text() == "Give the comparison a title."
    qtbot.keyClicks(dialog.title_edit, "Tacrolimus vs TCS (children)")
    assert dialog.key_edit.text() == "tacrolimus-vs-tcs-children"  # derived as it is typed
    assert not dialog.ok_button.isEnabled()
    assert dialog.reason.text() == "Name the intervention arm (the first arm of the table)."
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.intervention_edit, "Tacrolimus 0.03%")
    assert dialog.reason.text() == "Name the comparator arm (the second arm of the table)."
    qtbot.keyClick(dialog.intervention_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.comparator_edit, "Topical corticosteroids")
    assert dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.comparator_edit, Qt.Key.Key_Return)

    assert not dialog.isVisible()
    (comparison,) = stored(window.path).comparisons
    assert (comparison.key, comparison.title, comparison.intervention, comparison.comparator) == (
        "tacrolimus-vs-tcs-children",
        "Tacrolimus vs TCS (children)",
        "Tacrolimus 0.03%",
        "Topical corticosteroids",
    )
    assert window.rows_model.comparison_key == "tacrolimus-vs-tcs-children"  # shown at once
    assert window.undo_action.text() == "&Undo new comparison tacrolimus-vs-tcs-children"
    assert "No rows in this comparison yet." in hint.text() and "Ctrl+N" in hint.text()

    qtbot.keyClick(window.rows_view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # the first row
    assert window.rows_model.rowCount() == 1
    assert hint.text() == "" and not hint.label.isVisible()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "No rows in this comparison yet." in hint.text()


def test_the_key_is_the_reviewers_once_edited_and_a_taken_key_is_refused_before_saving(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow
) -> None:
    before, logged = stored(window.path), audit_count(window.path)
    dialog = open_new_comparison(qtbot, window)
    qtbot.keyClicks(dialog.title_edit, "Pimecrolimus vs TCS")
    assert dialog.key_edit.text() == "pimecrolimus-vs-tcs"
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.intervention_edit, "Pimecrolimus")
    qtbot.keyClick(dialog.intervention_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.comparator_edit, "TCS")
    qtbot.keyClick(dialog.comparator_edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.key_edit
    dialog.key_edit.selectAll()
    qtbot.keyClicks(dialog.key_edit, "pime-vs-tcs")  # the demo's own key
    assert not dialog.ok_button.isEnabled()
    assert dialog.reason.text() == "The key 'pime-vs-tcs' is already a comparison of this review; choose another."
    assert "F8CBAD" in dialog.key_edit.styleSheet()
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Return)  # OK is disabled: nothing happens
    assert dialog.isVisible() and stored(window.path) == before and audit_count(window.path) == logged
    qtbot.keyClicks(dialog.title_edit, " again")  # an edited key no longer follows the title
    assert dialog.key_edit.text() == "pime-vs-tcs"
    qtbot.keyClicks(dialog.key_edit, "-kids")
    assert dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.key_edit, Qt.Key.Key_Escape)  # cancelled: nothing written
    assert not dialog.isVisible() and stored(window.path) == before and audit_count(window.path) == logged


def test_new_review_proposes_a_fresh_file_and_asks_for_the_title(  # type: ignore[no-untyped-def]
    qtbot, empty_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = empty_window
    assert window.path.name == "review.sqlite"
    (window.path.parent / "review-2.sqlite").write_bytes(b"someone else's file")
    proposed: list[str] = []
    asked: list[str] = []

    def save_name(_parent, _caption, directory, _filter):  # type: ignore[no-untyped-def]
        proposed.append(directory)
        return directory, ""

    def title(_parent, _caption, label):  # type: ignore[no-untyped-def]
        asked.append(label)
        return "Pimecrolimus, second look", True

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QInputDialog, "getText", title)
    window.new_review_action.trigger()  # Ctrl+Shift+N
    assert proposed == [str(window.path.parent / "review-3.sqlite")]  # neither the open file nor another
    assert asked and asked[0].startswith("Title of the review")
    assert window.path.name == "review-3.sqlite"
    assert window.windowTitle() == "Curator — Pimecrolimus, second look"


def test_new_review_refuses_an_existing_file_with_a_message(  # type: ignore[no-untyped-def]
    qtbot, empty_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = empty_window
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    before = window.path.read_bytes()
    assert not window.files.new_review(window.path, "x")
    assert shown == [
        f"{window.path}: already exists; a new review goes into a new file. Choose another name "
        "(or File > Open… to open that file)."
    ]
    assert window.path.read_bytes() == before


def test_properties_set_the_title_shown_in_the_window_and_are_audited(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.windowTitle() == f"Curator — {stored(window.path).title}"
    window.properties_action.trigger()  # File > Properties…
    dialog = window.findChild(PropertiesDialog)
    assert isinstance(dialog, PropertiesDialog) and dialog.isVisible()
    dialog.title_edit.setFocus()
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Pimecrolimus: 2026 update")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.description_edit
    qtbot.keyClicks(dialog.description_edit, "Second look at the steroid-sparing trials.")
    qtbot.keyClick(dialog.description_edit, Qt.Key.Key_Tab)  # to the buttons: Save
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    assert not dialog.isVisible()
    assert window.windowTitle() == "Curator — Pimecrolimus: 2026 update"
    assert stored(window.path).title == "Pimecrolimus: 2026 update"
    with ReviewService.open(window.path, "Ben") as review:
        assert review.properties() == ("Pimecrolimus: 2026 update", "Second look at the steroid-sparing trials.")
    conn = sqlite3.connect(window.path)
    logged = conn.execute(
        "SELECT who, field, new FROM audit_log WHERE table_name = 'review' AND action = 'update' ORDER BY id"
    ).fetchall()
    conn.close()
    assert logged == [
        ("Ben", "title", "Pimecrolimus: 2026 update"),
        ("Ben", "description", "Second look at the steroid-sparing trials."),
    ]


def test_an_empty_reference_list_says_where_to_begin(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The References tab of a new review says how to add one or bring a library in; once a reference
    is there the hint goes, and a search that matches none says so."""
    window = empty_window
    view = window.references_view
    window.tabs.setCurrentWidget(view)
    hint = view.empty_hint.text()
    assert "No references yet." in hint and "<b>Add</b> (Insert)" in hint
    assert "<b>File &gt; Import…</b> (Ctrl+I)" in hint
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.empty_hint.text() == ""
    qtbot.keyClicks(view.search, "no such words")
    assert "No reference matches the search." in view.empty_hint.text()
    view.search.clear()
    assert view.empty_hint.text() == ""
