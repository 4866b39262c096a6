"""A second look at issue #12 on the merged app: what a careful reviewer still met, by keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from curator.gui.app import MainWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_a_new_review_shows_nothing_of_the_review_left(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Found: after File > New review the row form still named the demo's arm
    ("Intervention arm: Pimecrolimus Group") and its row's extractor and status."""
    assert "Pimecrolimus" in window.row_form.sections["Intervention arm"].text()
    assert window.row_form.provenance.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "fresh.sqlite"), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a: ("Tacrolimus review", True))
    window.activateWindow()
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_N, CTRL_SHIFT)  # File > New review
    qtbot.waitUntil(lambda: window.path.name == "fresh.sqlite")
    assert window.row_form.sections["Intervention arm"].text() == "<b>Intervention arm</b>"
    assert window.row_form.sections["Comparator arm"].text() == "<b>Comparator arm</b>"
    assert window.row_form.provenance.text() == ""
    assert not window.row_form.isEnabled()


def test_a_refused_value_s_message_fits_beside_the_counts_cut_between_words(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Found: at 1280 pixels (the Xvfb screen) the status bar still drew
    'Not saved: ... "35,6" is not a' under the findings link: its width was left out."""
    from tests.gui.test_form_keys import ARM, FLARE_FREE, type_in_cell

    window.resize(1280, 760)
    window.rows_view.setCurrentIndex(window.rows_model.index(FLARE_FREE, ARM))
    type_in_cell(qtbot, window, ARM, "35,6")
    bar = window.statusBar()
    shown, whole = bar.currentMessage(), bar.toolTip()
    assert whole.startswith("Not saved: Pimecrolimus Group: value in row 3") and whole.endswith("decimal comma)")
    assert shown == whole or (shown.endswith(" …") and whole.startswith(shown[:-2] + " "))
    link = window.finding_nav.count_button
    assert link.isVisible()
    drawn_up_to = bar.fontMetrics().horizontalAdvance(shown) + 12  # the message area's margin
    assert drawn_up_to < min(w.geometry().left() for w in (window.status_who, link))


def cited_by(window: MainWindow, key: str) -> object:
    model = window.references_view.model
    column = model.COLUMNS.index("Cited by")
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)) == key:
            return model.data(model.index(row, column))
    raise AssertionError(f"no reference {key}")


def test_cited_by_follows_a_row_s_citations_typed_in_the_form(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Found: a row made to cite reference 1 in the form; the References tab
    still said 'Cited by 0' (until a rename re-read the list)."""
    tab_bar = window.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    before = cited_by(window, "17")
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(0).center())
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 0))
    citations = window.row_form.edits["citations"]
    assert "17" not in citations.text().split("; ")
    citations.setFocus()
    qtbot.keyClick(citations, Qt.Key.Key_End)
    qtbot.keyClicks(citations, "; 17")
    qtbot.keyClick(citations, Qt.Key.Key_Return)
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    assert window.tabs.currentIndex() == 1
    assert cited_by(window, "17") == before + 1  # type: ignore[operator]
    window.tabs.setCurrentIndex(0)
    qtbot.keyClick(window.rows_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Undo, from the table
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())
    assert cited_by(window, "17") == before


def test_no_menu_tip_ends_in_half_a_word(window: MainWindow) -> None:
    """Found: Help > Keyboard shortcuts said 'Every shortcut of the w' in the status bar."""
    from PySide6.QtGui import QAction

    tips = {a.text(): a.statusTip() for a in window.findChildren(QAction) if a.statusTip()}
    assert tips["&Keyboard shortcuts"] == "Every shortcut of the window"
    assert not [tip for tip in tips.values() if len(tip.split()[-1]) == 1], tips


def test_file_import_takes_a_bibtex_library_and_a_second_import_adds_nothing(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Found: File > Import (Ctrl+I) listed no .bib and refused one as 'not a review'; a library came in
    only by dragging it onto the References tab, which the keyboard cannot do."""
    from curator.services import ReviewService
    from tests.helpers import stored
    from tests.test_cli_references import CERTAIN, DOI7

    with ReviewService.open(window.path, "Ana") as ana:  # reference 7 has its DOI, as a reviewer typed it
        ana.references.set_field("7", "doi", DOI7)
    library = tmp_path / "library.bib"
    library.write_text(CERTAIN, encoding="utf-8")
    offered: list[str] = []

    def choose(_parent, _caption, _folder, filters):  # type: ignore[no-untyped-def]
        offered.append(filters)
        return str(library), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    window.activateWindow()
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # File > Import
    assert "*.bib" in offered[0].split(";;")[0]
    assert window.tabs.currentIndex() == 1  # the references are shown
    keys = [r.key for r in stored(window.path).references]
    assert keys[17:] == ["18"]  # the new work; the other shares reference 7's DOI: merged
    assert window.statusBar().toolTip().startswith("Imported 1 reference")
    window.rows_view.setFocus()
    qtbot.keyClick(window.rows_view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # the same file again
    assert [r.key for r in stored(window.path).references] == keys
    assert window.statusBar().toolTip().startswith("Imported 0 references")


def test_the_end_of_a_verify_walk_shows_no_row_s_source_and_offers_no_confirm(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found: at 'End of the walk' verify mode still showed a Source box saying '(the row names no
    source location)' and enabled Confirm/Fix/Dispute buttons, with no row on show."""
    from tests.doublecheck import stored_by
    from tests.gui.reviewers import window_as
    from tests.gui.test_verify_view import _all_but_one_verified_by_cleo, _open

    review = stored_by(tmp_path / "ana.sqlite", "Ana")
    _all_but_one_verified_by_cleo(review)
    dialog = _open(qtbot, window_as(qtbot, review, "Ben"), "pime-vs-tcs", 1)
    buttons = (dialog.confirm_button, dialog.fix_button, dialog.dispute_button)
    assert dialog.source.isVisible() and all(b.isEnabled() for b in buttons)
    qtbot.keyClick(dialog.view, Qt.Key.Key_D)
    qtbot.keyClicks(dialog.editor, "agreed: days")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    assert dialog.message.text().startswith("End of the walk")
    assert not dialog.source.isVisible()
    assert not any(b.isEnabled() for b in buttons)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)  # back to the row
    assert dialog.current_row == ("pime-vs-tcs", 1)
    assert dialog.source.isVisible() and all(b.isEnabled() for b in buttons)


def test_each_menu_s_underlined_letters_differ(window: MainWindow) -> None:
    """Found: Alt+F then R went to 'Open recent', never 'Properties' (both were underlined R); the Edit
    menu underlined U, R and F twice or three times, so those letters only cycled between items."""
    import re

    from PySide6.QtWidgets import QMenu

    for menu in window.menuBar().findChildren(QMenu):
        letters = [
            m.group(1).casefold()
            for a in menu.actions()
            if (m := re.search(r"&([^&])", a.text().replace("&&", ""))) is not None
        ]
        assert len(letters) == len(set(letters)), (menu.title(), [a.text() for a in menu.actions()])


def test_citations_typed_with_a_comma_are_told_how_to_name_two(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Found: '7, 17' typed in the form's citations was one key '7, 17'; the finding said only that no
    reference has that key. The empty field shows how keys are written; the finding says it too."""
    window.rows_view.setCurrentIndex(window.rows_model.index(0, 0))
    citations = window.row_form.edits["citations"]
    assert citations.placeholderText() == "keys, e.g. 7; 9"
    citations.setFocus()
    qtbot.keyClick(citations, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(citations, "7, 17")
    qtbot.keyClick(citations, Qt.Key.Key_Return)

    def dangling() -> list[str]:
        return [f.message for f in window.findings if f.rule == "citation-dangling"]

    qtbot.waitUntil(lambda: bool(dangling()))
    assert dangling() == [
        "the row cites '7, 17', but the review has no such reference (keys are separated by ';': 7; 17)"
    ]
    shown = [window.row_form.findings.item(i).text() for i in range(window.row_form.findings.count())]
    assert any("keys are separated by ';': 7; 17" in line for line in shown), shown


@pytest.mark.parametrize("back", [Qt.Key.Key_Escape, Qt.Key.Key_F6])
def test_the_form_s_key_help_goes_when_the_keyboard_is_back_in_the_table(
    qtbot, window: MainWindow, back: Qt.Key
) -> None:  # type: ignore[no-untyped-def]
    """Found: 'Row form: Tab to the next field, Enter saves, Esc or F6 back to the table' stayed in the
    status bar for ten seconds after Esc or F6 had put the keyboard back in the table."""
    view = window.rows_view
    view.setCurrentIndex(window.rows_model.index(2, 1))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)  # into the form
    assert window.statusBar().currentMessage().startswith("Row form: Tab to the next field")
    field = window.focusWidget()
    assert field is not None and window.row_form.isAncestorOf(field)
    if back == Qt.Key.Key_F6:
        window.form_action.trigger()  # F6 (the offscreen platform gives no window the focus a shortcut needs)
    else:
        qtbot.keyClick(field, back)
    qtbot.waitUntil(lambda: window.focusWidget() is view)
    assert window.statusBar().currentMessage() == ""


def _form_labels(widget) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFormLayout, QLabel

    out = []
    for layout in widget.findChildren(QFormLayout):
        for row in range(layout.rowCount()):
            item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                out.append(item.widget().text())
    return out


def test_the_row_form_and_blind_entry_name_fields_by_their_labels(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found: the row form and the blind double entry labelled fields with their internal names, lower
    case ('ci low', 'higher is better', 'extracted by', 'location'), where verify mode and History said
    'Effect: CI low'."""
    from tests.doublecheck import stored_by
    from tests.gui.reviewers import window_as
    from tests.gui.test_double_entry_view import _open

    window = window_as(qtbot, stored_by(tmp_path / "ana.sqlite", "Ana"), "Ben")
    window.select_row("pime-vs-tcs", 0)
    form = _form_labels(window.row_form)
    for label in ("Higher is better", "Value", "n", "Events", "SD", "CI low", "CI level", "p", "Location"):
        assert label in form, form
    assert "Extracted by" in form and "ci low" not in form
    assert not [t for t in form if "_" in t or (len(t) > 1 and t[0].islower())], form
    dialog = _open(window, "pime-vs-tcs", 0)
    entry = [t for t in _form_labels(dialog) if not t.startswith("<b>")]
    assert "CI low" in entry and "Higher is better" in entry, entry
    assert not [t for t in entry if "_" in t or (len(t) > 1 and t[0].islower())], entry
