"""The paper beside the form (issue 14, item 2): the row's cited paper, its pages on demand, zoom,
page keys, find (Ctrl+Shift+F) and text selection, driven with keys and the mouse as a reviewer does."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from curator.gui.app import MainWindow
from curator.services import ReviewService
from tests.documents.pdfs import scan, trial_paper
from tests.helpers import stored_demo


def _review_with_paper(tmp_path: Path, data: bytes | None = None, reference: str = "7") -> Path:
    review = stored_demo(tmp_path / "r.sqlite")
    pdf = tmp_path / "wahn-2002.pdf"
    pdf.write_bytes(data if data is not None else trial_paper())
    with ReviewService.open(review, "Ana") as service:
        service.documents.attach(reference, pdf)
    return review


def _window(qtbot, review: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(review, "Ben")
    qtbot.addWidget(window)
    window.resize(1500, 860)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """The demo review with the trial report attached to reference [7], which row 1 cites."""
    win = _window(qtbot, _review_with_paper(tmp_path))
    win.select_row("pime-vs-tcs", 0)
    return win


def _into_value(qtbot, window: MainWindow, name: str = "intervention.value") -> None:  # type: ignore[no-untyped-def]
    """Put the keyboard in a field of the form, as F6 and Tab would."""
    assert window.row_form.focus_field(name)
    qtbot.waitUntil(lambda: window.row_form.chosen == name)


def _point(view, box: tuple[float, float, float, float]) -> QPoint:  # type: ignore[no-untyped-def]
    """The pixel in the page view at the middle of a box in points."""
    x0, y0, x1, y1 = box
    return QPoint(int((x0 + x1) / 2 * view.scale), int((y0 + y1) / 2 * view.scale))


def test_the_row_s_cited_paper_is_shown_beside_the_form(window: MainWindow) -> None:
    pane = window.paper_pane
    assert pane.isVisible()
    assert pane.document is not None and pane.document.file == "wahn-2002.pdf"
    assert pane.page_label.text() == "p. 1 of 3"
    assert "[7]" in pane.heading.text()
    assert pane.view.image is not None and pane.view.width() > 300
    # The form and the paper stand side by side.
    assert window.row_form.geometry().right() < pane.geometry().left()


def test_a_row_citing_another_reference_says_it_has_no_paper(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.select_row("pime-vs-tcs", 3)  # cites [8], which has no paper
    pane = window.paper_pane
    assert pane.document is None and pane.view.image is None
    assert "No paper attached to [8]" in pane.message.text()
    assert "File > Attach paper" in pane.message.text()
    window.select_row("pime-vs-tcs", 0)
    assert pane.document is not None


def test_a_review_without_papers_shows_no_pane(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, stored_demo(tmp_path / "r.sqlite"))
    window.select_row("pime-vs-tcs", 0)
    assert not window.paper_pane.isVisible()


def test_page_keys_turn_the_pages(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.paper_pane
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)
    assert pane.page_label.text() == "p. 2 of 3"
    qtbot.keyClick(pane.view, Qt.Key.Key_End)
    assert pane.page == 3 and not pane.next_button.isEnabled()
    qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)  # no page after the last
    assert pane.page == 3
    qtbot.keyClick(pane.view, Qt.Key.Key_PageUp)
    assert pane.page == 2
    qtbot.keyClick(pane.view, Qt.Key.Key_Home)
    assert pane.page == 1 and not pane.previous_button.isEnabled()


def test_zoom_keys_draw_the_page_larger_and_smaller(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.paper_pane
    pane.view.setFocus()
    fitted = pane.view.width()
    qtbot.keyClick(pane.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    larger = pane.view.width()
    assert larger > fitted
    qtbot.keyClick(pane.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(pane.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert pane.view.width() < larger
    qtbot.keyClick(pane.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert pane.zoom is None and abs(pane.view.width() - fitted) <= 2


def test_find_goes_to_every_place_a_number_stands_over_all_pages(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.paper_pane
    window.rows_view.setFocus()
    qtbot.keyClick(
        window.rows_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert pane.find_edit.hasFocus()
    qtbot.keyClicks(pane.find_edit, "68.4%")
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(pane.found) == 3)  # the abstract, Table 2 and the discussion
    assert [hit.page for hit in pane.found] == [1, 2, 3]
    assert pane.page == 1 and pane.find_label.text().startswith("1 of 3")
    assert pane.selected() is not None and pane.selected().text == "68.4%"  # type: ignore[union-attr]
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return)
    assert pane.page == 2 and pane.find_label.text().startswith("2 of 3")
    hit = pane.current_found
    assert hit is not None and hit.page == 2
    # The place found is marked where the text stands (Table 2's comparator column, x = 380 pt).
    ((x0, _y0, x1, _y1),) = hit.boxes
    assert 378 <= x0 < 382 and x1 > x0
    assert list(pane.view.marks.current) == list(hit.boxes)
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.page == 1
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Escape)
    assert not pane.find_box.isVisible() and pane.view.marks.found == []


def test_find_says_when_a_text_is_not_in_the_paper(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.paper_pane
    pane.start_find()
    qtbot.keyClicks(pane.find_edit, "77.7")
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.find_label.text() == "not found")
    assert pane.page == 1


def test_dragging_the_mouse_selects_the_text_under_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.paper_pane
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)
    text = pane.page_text()
    assert text is not None
    start = text.text.index("95/267")
    end = text.text.index("(35.6%)") + len("(35.6%)") - 1
    view = pane.view
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=_point(view, text.boxes[start]))
    qtbot.mouseMove(view, _point(view, text.boxes[end]))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=_point(view, text.boxes[end]))
    picked = pane.selected()
    assert picked is not None
    assert picked.text == "95/267 (35.6%)" and picked.page == 2
    assert picked.document.file == "wahn-2002.pdf"
    ((x0, y0, x1, y1),) = picked.boxes  # one line: one box, around the characters
    assert 259 <= x0 <= 261 and 320 < x1 < 340 and y1 > y0
    assert "95/267 (35.6%)" in pane.selection_label.text()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert pane.selected() is None


def test_a_double_click_selects_a_whole_number(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pane = window.paper_pane
    pane.go(2)
    text = pane.page_text()
    assert text is not None
    at = text.text.index("42.6%") + 2
    qtbot.mouseDClick(pane.view, Qt.MouseButton.LeftButton, pos=_point(pane.view, text.boxes[at]))
    assert pane.selected() is not None and pane.selected().text == "42.6%"  # type: ignore[union-attr]


def test_a_value_without_evidence_shows_where_it_stands_in_the_paper(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Locate in the window: the keyboard in Pimecrolimus: value (42.6, typed from the guide) marks
    the places "42.6" stands, and says the value has no evidence yet."""
    _into_value(qtbot, window)
    pane = window.paper_pane
    qtbot.waitUntil(lambda: len(pane.found) == 3)
    assert sorted(hit.page for hit in pane.found) == [1, 2, 3]
    assert "has no evidence yet" in pane.message.text() and "p. 1, 2, 3" in pane.message.text()
    assert pane.view.marks.found  # marked on the page shown
    pane.start_find()  # a find of something else: Locate's words about its places go
    qtbot.keyClicks(pane.find_edit, "50.8")
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return)
    assert "has no evidence yet" not in pane.message.text()


def test_a_scan_is_shown_and_find_says_it_has_no_text(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, _review_with_paper(tmp_path, scan()))
    window.select_row("pime-vs-tcs", 0)
    pane = window.paper_pane
    assert pane.view.image is not None and pane.page_label.text() == "p. 1 of 1"
    assert pane.scanned and "is a scan (no text layer)" in pane.message.text()
    _into_value(qtbot, window, "intervention.n")
    assert "is a scan (no text layer)" in pane.message.text()
    qtbot.keyClick(window.row_form.edits["intervention.n"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "type the value" in window.statusBar().currentMessage()
    qtbot.keyClicks(window.row_form.edits["intervention.n"], "474")  # typed by hand, as from any paper
    qtbot.keyClick(window.row_form.edits["intervention.n"], Qt.Key.Key_Return)
    from tests.helpers import stored

    assert stored(window.path).comparisons[0].rows[0].intervention.n.text == "474"
    pane.start_find()
    qtbot.keyClicks(pane.find_edit, "42.6")
    qtbot.keyClick(pane.find_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: pane.find_label.text() == "a scan: no text to find")


def test_the_pane_keeps_only_a_few_pages_drawn(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.documents.pdfs import paper

    many = paper([[(72, 100, f"page {i}")] for i in range(1, 41)])
    window = _window(qtbot, _review_with_paper(tmp_path, many))
    window.select_row("pime-vs-tcs", 0)
    pane = window.paper_pane
    pane.view.setFocus()
    for _ in range(39):
        qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)
    assert pane.page == 40
    assert len(pane._pictures) <= 6 and len(pane._texts) <= 6
    QApplication.processEvents()


# -- capture and accept (items 3 and 4) ----------------------------------------------------------


def _stored_row(window: MainWindow, position: int = 0):  # type: ignore[no-untyped-def]
    from tests.helpers import stored

    return stored(window.path).comparisons[0].rows[position]


def _double_click(qtbot, pane, text: str, page: int) -> None:  # type: ignore[no-untyped-def]
    pane.go(page)
    chars = pane.page_text()
    at = chars.text.index(text) + 1
    qtbot.mouseDClick(pane.view, Qt.MouseButton.LeftButton, pos=_point(pane.view, chars.boxes[at]))


def _drag_over(qtbot, pane, text: str, page: int) -> None:  # type: ignore[no-untyped-def]
    pane.go(page)
    chars = pane.page_text()
    start = chars.text.index(text)
    end = start + len(text) - 1
    view = pane.view
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=_point(view, chars.boxes[start]))
    qtbot.mouseMove(view, _point(view, chars.boxes[end]))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=_point(view, chars.boxes[end]))


def test_capture_fills_the_chosen_field_and_its_evidence_in_one_undoable_step(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Comparator: value chosen in the form; "95/267 (35.6%)" selected on p. 2; Ctrl+Return fills the
    arm's events, n and value at once, each read from p. 2; Ctrl+Z puts all back."""
    _into_value(qtbot, window, "comparator.value")
    pane = window.paper_pane
    _drag_over(qtbot, pane, "95/267 (35.6%)", 2)
    qtbot.keyClick(window.row_form.edits["comparator.value"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    row = _stored_row(window)
    arm = row.comparator
    assert (arm.events.text, arm.n.text, arm.value.text) == ("95", "267", "35.6")
    for name in ("comparator.events", "comparator.n", "comparator.value"):
        evidence = row.evidence[name]
        assert evidence.page == 2 and evidence.text == "95/267 (35.6%)"
        assert evidence.document == pane.document.sha256  # type: ignore[union-attr]
        ((x0, _y0, x1, _y1),) = evidence.boxes
        assert 259 <= x0 <= 261 and x1 > x0
    # The form shows the new values, and the paper frames where the value was read.
    assert window.row_form.edits["comparator.n"].text() == "267"
    assert window.row_form.evidence_mark("comparator.n") == "Read from p. 2: “95/267 (35.6%)”"
    assert window.row_form.evidence_mark("intervention.value") == ""
    assert pane.view.marks.evidence and pane.page == 2
    assert "read from p. 2" in pane.message.text()
    window.undo_stack.undo()
    row = _stored_row(window)
    assert row.comparator.value.text == "68.4" and row.comparator.n is None and not row.evidence
    assert window.row_form.evidence_mark("comparator.n") == ""


def test_enter_on_the_page_captures_a_double_clicked_number_as_printed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _into_value(qtbot, window, "intervention.value")
    pane = window.paper_pane
    _double_click(qtbot, pane, "42.6%", 2)
    assert pane.selected().text == "42.6%"  # type: ignore[union-attr]
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    row = _stored_row(window)
    assert row.intervention.value.text == "42.6"  # the % is the unit's, not the number's
    assert row.evidence["intervention.value"].page == 2
    assert row.evidence["intervention.value"].text == "42.6%"
    # The table's cell says so too, in its tooltip.
    model = window.rows_model
    column = next(
        c for c in range(model.columnCount()) if model.index(0, c).data(model.FieldRole) == "intervention.value"
    )
    tip = model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("Read from p. 2: “42.6%”"), tip


def test_a_selection_holding_no_number_is_refused_and_nothing_is_written(
    qtbot, window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: said.append(text))
    before = _stored_row(window)
    _into_value(qtbot, window, "intervention.n")
    pane = window.paper_pane
    _drag_over(qtbot, pane, "Outcome", 2)
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert len(said) == 1 and "Outcome" in said[0] and "no number" in said[0], said
    assert "Pimecrolimus" in said[0] and "n" in said[0]  # the field in people's words
    assert _stored_row(window) == before
    assert not window.undo_stack.canUndo()


def test_capture_without_a_selection_or_a_field_says_what_to_do(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Choose the field to fill first" in window.statusBar().currentMessage()
    _into_value(qtbot, window, "intervention.n")  # empty: nothing located, nothing selected
    assert window.paper_pane.selected() is None
    qtbot.keyClick(window.row_form.edits["intervention.n"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Select the value in the paper first" in window.statusBar().currentMessage()


def test_a_selection_dropped_on_a_field_fills_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QByteArray, QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    from curator.gui.page_view import SELECTION_MIME

    pane = window.paper_pane
    _drag_over(qtbot, pane, "50.8%", 2)
    data = QMimeData()
    data.setText("50.8%")
    data.setData(SELECTION_MIME, QByteArray(b"50.8%"))
    edit = window.row_form.edits["comparator.value"]
    drop = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    # Qt delivers a drop only while it runs the drag itself, which a test cannot: the drop goes to the
    # form's handler of its fields' drops directly, as Qt would hand it over.
    assert window.row_form.eventFilter(edit, drop)
    row = _stored_row(window)
    assert row.comparator.value.text == "50.8" and row.evidence["comparator.value"].page == 2


def test_one_key_takes_a_located_place_as_the_evidence(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Locate: 42.6 stands on p. 1, 2 and 3; F3 goes to the second place; Ctrl+Shift+L records it."""
    _into_value(qtbot, window)
    pane = window.paper_pane
    qtbot.waitUntil(lambda: len(pane.found) == 3 and "Ctrl+Shift+L" in pane.message.text())
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_F3)
    assert pane.current_found is not None and pane.current_found.page == 2
    qtbot.keyClick(pane.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    row = _stored_row(window)
    assert row.intervention.value.text == "42.6"  # the value stays as it was
    evidence = row.evidence["intervention.value"]
    assert evidence.page == 2 and evidence.text == "42.6"
    assert list(evidence.boxes[0]) == list(pane.found[1].boxes[0]) if pane.found else True
    window.undo_stack.undo()
    assert "intervention.value" not in _stored_row(window).evidence


def test_the_form_with_the_paper_beside_it_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """docs/paper-beside-form.png: row 1's Pimecrolimus value captured from Table 2 on p. 2, framed where
    it was read; the comparator's value not yet, its places in the paper marked by Locate."""
    import os

    from tests.gui.test_screenshots import DOCS

    window.resize(1600, 900)
    window.splitter.setSizes([230, 1370])
    window.table_and_form.setSizes([430, 420, 520])
    _into_value(qtbot, window, "intervention.value")
    pane = window.paper_pane
    _double_click(qtbot, pane, "42.6%", 2)
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert _stored_row(window).evidence["intervention.value"].page == 2
    qtbot.waitUntil(lambda: "read from p. 2" in pane.message.text())
    assert pane.view.marks.evidence
    pane.view.setFocus()
    for _ in range(2):
        qtbot.keyClick(pane.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    target = DOCS / "paper-beside-form.png" if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path / "p.png"
    QApplication.processEvents()
    assert window.grab().save(str(target))


def test_fitting_a_narrow_pane_keeps_the_text_readable(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """A pane narrower than a readable page (0.75 pixels a point: 446 pixels for A4) scrolls sideways
    rather than drawing the text too small to read."""
    pane = window.paper_pane
    sizes = window.table_and_form.sizes()
    window.table_and_form.setSizes([sizes[0] + sizes[2] - 260, sizes[1], 260])
    qtbot.waitUntil(lambda: pane.width() <= 270)
    pane.fit_width()
    assert pane.view.scale >= 0.75 and pane.view.width() >= 440
    assert pane.scroll_area.horizontalScrollBar().maximum() > 0
