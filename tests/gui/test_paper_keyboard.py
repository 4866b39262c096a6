"""The paper beside the form used from the keyboard, as a reviewer walking the workflow found it (issue 14):
F7 puts the keyboard on the page and back, find + Ctrl+Return takes a number without the mouse, F3 steps
through Locate's places from the form, Ctrl+Z in a field undoes what was taken from the paper, and the
pane and the form stay usable in a small window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from curator.gui.app import MainWindow
from tests.gui.test_paper_pane import _into_value, _review_with_paper, _stored_row, _window

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _active(qtbot, win: MainWindow) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window active, as its menu shortcuts (F7, F3, Ctrl+Z…) need."""
    if QApplication.activeWindow() is not win:
        with qtbot.waitActive(win):
            win.activateWindow()
    return win


@pytest.fixture
def window(qtbot, tmp_path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The demo review with the trial report attached to reference [7]; row 1 (citing it) chosen."""
    win = _window(qtbot, _review_with_paper(tmp_path))
    win.select_row("pime-vs-tcs", 0)
    return _active(qtbot, win)


def test_f7_puts_the_keyboard_on_the_page_find_and_ctrl_return_take_a_number_f7_goes_back(
    qtbot,
    window: MainWindow,
) -> None:  # type: ignore[no-untyped-def]
    _into_value(qtbot, window, "intervention.n")
    edit = window.row_form.edits["intervention.n"]
    pane = window.paper_pane
    qtbot.keyClick(edit, Qt.Key.Key_F7)
    assert QApplication.focusWidget() is pane.view
    assert "Enter takes the selection into Pimecrolimus Group: n" in window.statusBar().currentMessage()
    assert "palette(highlight)" in pane.scroll_area.styleSheet()  # the page is framed: the keyboard is there
    qtbot.keyClick(pane.view, Qt.Key.Key_F, CTRL | SHIFT)
    assert QApplication.focusWidget() is pane.find_edit
    qtbot.keyClicks(pane.find_edit, "474")
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.selected() is not None)
    assert pane.selected().text == "474" and pane.selected().page == 1  # type: ignore[union-attr]
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return, CTRL)
    row = _stored_row(window)
    assert row.intervention.n is not None and row.intervention.n.text == "474"
    assert row.evidence["intervention.n"].page == 1
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_F7)  # back to the field it filled
    assert QApplication.focusWidget() is edit and edit.text() == "474"
    assert not window.statusBar().currentMessage().startswith("Paper:")
    assert pane.scroll_area.styleSheet() == ""


def test_f7_without_a_paper_says_why(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.select_row("pime-vs-tcs", 3)  # cites [8], which has no paper
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_F7)
    assert "No paper beside the form" in window.statusBar().currentMessage()
    assert QApplication.focusWidget() is window.rows_view


def test_f7_in_a_review_without_papers_says_how_to_add_one(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import stored_demo

    win = _window(qtbot, stored_demo(tmp_path / "r.sqlite"))
    win.select_row("pime-vs-tcs", 0)
    _active(qtbot, win)
    win.rows_view.setFocus()
    qtbot.keyClick(win.rows_view, Qt.Key.Key_F7)
    assert win.statusBar().toolTip() == "The review holds no paper yet: File > Attach paper… adds a reference's PDF."
    assert QApplication.focusWidget() is win.rows_view


def test_f3_from_the_form_goes_to_the_next_located_place(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Locate's message says "F3 for the next": it works with the keyboard still in the field."""
    _into_value(qtbot, window)
    pane = window.paper_pane
    qtbot.waitUntil(lambda: len(pane.found) == 3 and "F3" in pane.message.text())
    edit = window.row_form.edits["intervention.value"]
    qtbot.keyClick(edit, Qt.Key.Key_F3)
    assert pane.current_found is not None and pane.current_found.page == 2 and pane.page == 2
    qtbot.keyClick(edit, Qt.Key.Key_F3, SHIFT)
    assert pane.current_found is not None and pane.current_found.page == 1
    assert QApplication.focusWidget() is edit


def test_ctrl_z_in_the_field_undoes_the_place_taken_and_ctrl_shift_z_redoes_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _into_value(qtbot, window)
    pane = window.paper_pane
    qtbot.waitUntil(lambda: len(pane.found) == 3)
    edit = window.row_form.edits["intervention.value"]
    qtbot.keyClick(edit, Qt.Key.Key_L, CTRL | SHIFT)
    assert _stored_row(window).evidence["intervention.value"].page == 1
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)  # the field shows what is stored: the window's Undo
    assert "intervention.value" not in _stored_row(window).evidence
    assert not pane.view.marks.evidence
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _stored_row(window).evidence["intervention.value"].page == 1
    assert "read from p. 1" in pane.message.text()
    # While typing, Ctrl+Z takes back the typing, as in any text box, and the review is untouched.
    qtbot.keyClicks(edit, "9")
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)
    assert edit.text() == "42.6"
    assert _stored_row(window).evidence["intervention.value"].page == 1


def test_the_shortcuts_list_names_the_paper_s_keys(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = window.show_shortcuts()  # Help > Keyboard shortcuts (F1)
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Go to the paper (and back to the form)"] == "F7"
    assert rows["Next place in the paper"] == "F3"
    assert rows["Previous place in the paper"] == "Shift+F3"
    assert rows["Paper (F7 to it): turn the page / go to the first or last page"] == "Page Down, Page Up / Home, End"
    assert rows["Paper: clear the selection"] == "Esc on the page"
    assert not any(keys == "F3 / Shift+F3" for keys in rows.values())  # once, as the menu's actions
    dialog.close()


def test_a_reference_known_only_by_its_key_is_named_once_and_no_empty_page_is_shown(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.select_row("pime-vs-tac", 0)  # cites [15], which has neither authors nor a title
    pane = window.paper_pane
    assert "No paper attached to [15]:" in pane.message.text()
    assert "[15] [15]" not in pane.message.text()
    assert not pane.scroll_area.isVisible()
    window.select_row("pime-vs-tcs", 0)
    assert pane.scroll_area.isVisible()


def test_at_1280_by_800_the_form_s_fields_are_not_cut_off(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win = _window(qtbot, _review_with_paper(tmp_path))
    win.resize(1280, 800)
    win.select_row("pime-vs-tcs", 0)
    qtbot.waitUntil(lambda: win.paper_pane.isVisible())
    area = win.row_form.fields_area
    inner = area.widget()
    assert area.viewport().width() >= inner.minimumSizeHint().width()
    edit = win.row_form.edits["endpoint"]
    right = edit.mapTo(area.viewport(), edit.rect().topRight()).x()
    assert right <= area.viewport().width()
    assert win.paper_pane.view.width() > 200 and win.rows_view.width() > 250
    # With the History open too (Ctrl+H), the table keeps a usable width (it was squeezed to a sliver).
    _active(qtbot, win)
    win.rows_view.setFocus()
    qtbot.keyClick(win.rows_view, Qt.Key.Key_H, CTRL)
    from curator.gui.double_checking import DoubleChecking

    checking = win.findChild(DoubleChecking, "double_checking")
    qtbot.waitUntil(lambda: checking.history.isVisible())
    QApplication.processEvents()
    assert win.rows_view.width() >= 195
    assert area.viewport().width() >= inner.minimumSizeHint().width()


def test_locate_over_a_long_paper_names_a_few_pages_not_all(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A number on every page of a long paper: the message names the first pages and how many, and the
    page stays in view (listing 300 page numbers pushed it out of the pane)."""
    from tests.documents.pdfs import paper

    data = paper([[(60, 100, f"Page {p}: 28% of study days")] for p in range(1, 31)])
    win = _window(qtbot, _review_with_paper(tmp_path, data, reference="8"))
    win.select_row("pime-vs-tcs", 3)  # Days on TCS (Severe AD): 28% vs 45%, citing [8]
    _into_value(qtbot, win)
    pane = win.paper_pane
    qtbot.waitUntil(lambda: "places" in pane.message.text())
    text = pane.message.text()
    assert "p. 1, 2, 3, 4, 5, 6, 7, 8 and 22 more pages (31 places" in text, text
    assert " 29" not in text
    assert pane.scroll_area.height() > pane.message.height() * 2


def test_locate_marks_the_place_on_the_page_being_read_rather_than_going_back_to_the_first(
    qtbot,
    window: MainWindow,
) -> None:  # type: ignore[no-untyped-def]
    """Filling fields from the results table on p. 2: choosing a value that also stands in the abstract
    (p. 1) keeps the pane on p. 2 with that place current, so Ctrl+Shift+L takes the table's."""
    pane = window.paper_pane
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)
    assert pane.page == 2
    _into_value(qtbot, window, "intervention.value")  # 42.6 stands on p. 1, 2 and 3
    qtbot.waitUntil(lambda: len(pane.found) == 3 and "F3" in pane.message.text())
    assert pane.page == 2 and pane.current_found is not None and pane.current_found.page == 2
    edit = window.row_form.edits["intervention.value"]
    qtbot.keyClick(edit, Qt.Key.Key_L, CTRL | SHIFT)
    assert _stored_row(window).evidence["intervention.value"].page == 2
    # From p. 3, a value standing only on p. 1 and 2 goes to its first place, as before.
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_End)
    assert pane.page == 3
    _into_value(qtbot, window, "comparator.value")  # 68.4: p. 1, 2 and 3
    qtbot.waitUntil(lambda: len(pane.found) == 3)
    assert pane.page == 3 and pane.current_found is not None and pane.current_found.page == 3
    _into_value(qtbot, window, "intervention.n")  # empty: nothing to look for
    pane.go(3)
    _into_value(qtbot, window, "endpoint")  # "Patients Requiring TCS" stands on p. 2 only
    qtbot.waitUntil(lambda: "places" in pane.message.text() or "1 place" in pane.message.text())
    assert pane.page == 2 and pane.current_found is not None and pane.current_found.page == 2


def test_ctrl_return_with_a_place_marked_but_nothing_selected_names_the_key_that_takes_it(
    qtbot,
    window: MainWindow,
) -> None:  # type: ignore[no-untyped-def]
    _into_value(qtbot, window)
    pane = window.paper_pane
    qtbot.waitUntil(lambda: len(pane.found) == 3 and pane.current_found is not None)
    edit = window.row_form.edits["intervention.value"]
    qtbot.keyClick(edit, Qt.Key.Key_Return, CTRL)
    said = window.statusBar().toolTip()  # the status line's whole text
    assert said.startswith("Select the value in the paper first") and "Ctrl+Shift+L takes the marked place" in said
    assert "intervention.value" not in _stored_row(window).evidence


def test_at_a_high_zoom_the_place_located_is_in_view_whole(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Zoomed in, scrolled to the right: "Patients requiring TCS" located was cut at the pane's left edge."""
    from PySide6.QtCore import QRect

    pane = window.paper_pane
    pane.view.setFocus()
    for _ in range(6):
        qtbot.keyClick(pane.view, Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)
    bar = pane.scroll_area.horizontalScrollBar()
    bar.setValue(bar.maximum())
    _into_value(qtbot, window, "endpoint")  # stands on p. 2 only, at the table's left
    qtbot.waitUntil(lambda: pane.current_found is not None)
    hit = pane.current_found
    assert hit is not None and pane.page == 2
    x0, y0, x1, y1 = hit.boxes[0]
    s = pane.view.scale
    corner = pane.view.mapTo(pane.scroll_area.viewport(), pane.view.rect().topLeft())
    shown = QRect(int(x0 * s) + corner.x(), int(y0 * s) + corner.y(), int((x1 - x0) * s), int((y1 - y0) * s))
    assert pane.scroll_area.viewport().rect().contains(shown), (shown, pane.scroll_area.viewport().rect())


def test_a_row_citing_two_papers_offers_each_named_by_its_reference(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from curator.services import ReviewService
    from tests.documents.pdfs import paper, scan

    review = _review_with_paper(tmp_path, scan(), reference="9")  # row 2 cites [9] and [10]
    other = tmp_path / "consensus.pdf"
    other.write_bytes(paper([[(60, 100, "7 days")], [(60, 100, "178 days")]]))
    with ReviewService.open(review, "Ana") as service:
        service.documents.attach("10", other)
    win = _window(qtbot, review)
    win.select_row("pime-vs-tcs", 1)
    choice = win.paper_pane.choice
    assert choice.isVisible()
    assert [choice.itemText(i) for i in range(choice.count())] == [
        "[9] wahn-2002.pdf, 1 page",
        "[10] consensus.pdf, 2 pages",
    ]


def test_the_selection_says_which_field_ctrl_return_fills(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.test_paper_pane import _double_click

    pane = window.paper_pane
    _double_click(qtbot, pane, "50.8%", 2)  # no field chosen yet
    assert pane.selection_label.text() == "Selected on p. 2: “50.8%” — choose the field to fill in the form"
    _into_value(qtbot, window, "comparator.value")
    assert pane.selection_label.text().endswith(
        "— Ctrl+Return fills Control (Conventional Treatment/Vehicle + TCS for flares) arm: value"
    )
    _double_click(qtbot, pane, "28.3%", 2)
    assert pane.selection_label.text().startswith("Selected on p. 2: “28.3%” — Ctrl+Return fills Control")
