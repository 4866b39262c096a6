"""Every open finding can be seen: reference findings on the References tab,
and the status bar's count opening the review's every open finding.

On the demo the status bar counts 34 open findings: 7 about rows, 27 about
references (10 cited by no row, 17 with no DOI, PMID, PMCID or URL).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from curator.checks import Finding
from curator.gui.app import MainWindow
from curator.gui.finding_marks import has_dot
from curator.gui.findings_list import FindingsListModel, Places
from curator.gui.references_model import ReferencesModel
from curator.review import Review
from tests.gui.test_form_keys import ARM, FLARE_FREE, type_in_cell
from tests.helpers import stored


def _press(qtbot, window: MainWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A key pressed where the cursor is."""
    widget = QApplication.focusWidget() or window
    qtbot.keyClick(widget, key, modifier)


def _open_list_with_f8(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.rows_view.setFocus()
    _press(qtbot, window, Qt.Key.Key_F8)
    assert window.finding_nav.dock.isVisible()
    assert QApplication.focusWidget() is window.finding_nav.view.table


def _shown(window: MainWindow) -> list[Finding]:
    model = window.finding_nav.view.model
    return [model.finding(row) for row in range(model.rowCount())]  # type: ignore[misc]


def _answer_reason(qtbot, reason: str, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
    """When the reason is asked, type it and press Enter."""

    def respond() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        seen.append(dialog.labelText())
        edit = dialog.findChild(QLineEdit)
        qtbot.keyClicks(edit, reason)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, respond)


def _status_count(window: MainWindow) -> int:
    text = window.finding_nav.count_button.text()
    assert text.endswith(("open findings", "open finding")), text
    return int(text.split()[0].replace(",", ""))


def test_the_status_count_opens_every_open_finding(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.finding_nav.count_button.text() == "34 open findings"
    assert not window.finding_nav.dock.isVisible()
    qtbot.mouseClick(window.finding_nav.count_button, Qt.MouseButton.LeftButton)
    assert window.finding_nav.dock.isVisible()
    shown = _shown(window)
    # The count and the unfiltered list agree, and hold the live checks' own findings.
    assert len(shown) == _status_count(window) == 34
    assert Counter(shown) == Counter(window.checks.findings)
    assert window.finding_nav.view.count_label.text() == "34 open findings"
    # Rows first (in the comparisons' order), then the references.
    kinds = ["row" if f.comparison else "reference" for f in shown]
    assert kinds == ["row"] * 7 + ["reference"] * 27
    model = window.finding_nav.view.model
    texts = [model.data(model.index(0, col)) for col in range(model.columnCount())]
    assert texts == [
        "Info",
        "Pimecrolimus vs Topical Corticosteroids (TCS)",
        "1 · Patients Requiring TCS",
        "Pimecrolimus Group: n",  # as the form, the messages and the workbook name it
        "42.6% has no n: it cannot be checked against a count of patients",
        "missing-denominator",
    ]
    last = [model.data(model.index(33, col)) for col in range(model.columnCount())]
    assert last[:2] == ["Warning", "Reference [17]"]
    assert last[4] == "reference '17' has no DOI, PMID, PMCID or URL: it cannot be looked up"


def test_f8_filter_by_rule_then_enter_lands_on_the_reference(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_list_with_f8(qtbot, window)
    view = window.finding_nav.view
    # Shift+Tab to the rule filter, type the rule's name.
    _press(qtbot, window, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is view.rule_box
    qtbot.keyClicks(view.rule_box, "reference-unused")
    assert view.rule_box.currentText() == "reference-unused (10)"
    assert {f.rule for f in _shown(window)} == {"reference-unused"}
    assert view.count_label.text() == "10 of 34 open findings shown"
    # Tab back into the table, down to the third, Enter.
    _press(qtbot, window, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.table
    _press(qtbot, window, Qt.Key.Key_Down)
    _press(qtbot, window, Qt.Key.Key_Down)
    finding = view.current()
    assert finding is not None and finding.reference == "3"
    _press(qtbot, window, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == 1  # the References tab
    references = window.references_view
    assert references.current_reference().key == "3"  # type: ignore[union-attr]
    assert QApplication.focusWidget() is references.table
    assert references.findings_box.current() == finding  # ready for Accept
    assert references.form.edits["key"].text() == "3"
    # Back to the list, and Escape closes it.
    _press(qtbot, window, Qt.Key.Key_F8)
    assert QApplication.focusWidget() is view.table and view.current() == finding
    _press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.finding_nav.dock.isVisible()
    assert QApplication.focusWidget() is references.table


def test_filter_by_severity(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_list_with_f8(qtbot, window)
    view = window.finding_nav.view
    _press(qtbot, window, Qt.Key.Key_Backtab)
    _press(qtbot, window, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is view.severity_box
    assert [view.severity_box.itemText(i) for i in range(view.severity_box.count())] == [
        "All severities",
        "Error (0)",
        "Warning (18)",
        "Info (16)",
    ]
    qtbot.keyClicks(view.severity_box, "W")
    assert {f.severity for f in _shown(window)} == {"warning"}
    assert len(_shown(window)) == 18
    # Both filters at once.
    view.rule_box.setFocus()
    qtbot.keyClicks(view.rule_box, "versus")
    assert [f.rule for f in _shown(window)] == ["versus-mismatch"]


def test_enter_on_a_row_finding_lands_on_its_cell(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.tabs.setCurrentIndex(1)  # wherever the reviewer was
    _open_list_with_f8(qtbot, window)
    view = window.finding_nav.view
    view.rule_box.setFocus()
    qtbot.keyClicks(view.rule_box, "versus-mismatch")
    _press(qtbot, window, Qt.Key.Key_Tab)
    finding = view.current()
    assert finding is not None and finding.comparison == "pime-vs-tac" and finding.field == "effect.versus"
    _press(qtbot, window, Qt.Key.Key_Return)
    assert window.tabs.currentIndex() == 0
    assert window.comparisons_view.currentIndex().row() == 1  # Pimecrolimus vs Tacrolimus
    current = window.rows_view.currentIndex()
    assert (current.row(), current.column()) == (0, 3)  # row 1, the Effect column
    assert QApplication.focusWidget() is window.rows_view
    # The form shows the row, the finding selected under it: Ctrl+Shift+A would accept it.
    assert window.row_form.findings.currentItem().data(Qt.ItemDataRole.UserRole) == finding
    assert window.current_finding() == finding
    # The form is scrolled to the field the finding is about.
    assert not window.row_form.edits["effect.versus"].visibleRegion().isEmpty()


def test_accept_a_reference_finding_under_its_form(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.references_list.setFocus()
    window.references_list.setCurrentRow(0)
    _press(qtbot, window, Qt.Key.Key_Return)  # [1] on the References tab
    box = window.references_view.findings_box
    assert window.references_view.current_reference().key == "1"  # type: ignore[union-attr]
    assert box.label.text() == "<b>Findings on this reference:</b> 2"
    assert [box.list.item(i).text() for i in range(box.list.count())] == [
        "INFO  reference '1' is cited by no row",
        "WARNING  reference '1' has no DOI, PMID, PMCID or URL: it cannot be looked up",
    ]
    seen: list[str] = []
    _answer_reason(qtbot, "cited in the guide's discussion, not in a table", seen)
    qtbot.mouseClick(box.accept_button, Qt.MouseButton.LeftButton)
    assert seen == ["INFO  reference '1' is cited by no row\n\nWhy is this acceptable?"]
    # The count drops everywhere at once; the other finding stays.
    assert window.finding_nav.count_button.text() == "33 open findings"
    assert [box.list.item(i).text() for i in range(box.list.count())] == [
        "WARNING  reference '1' has no DOI, PMID, PMCID or URL: it cannot be looked up",
    ]
    model = window.references_view.model
    assert model.data(model.index(0, ReferencesModel.FINDINGS)) == "1"
    assert window.references_list.item(0).toolTip().startswith("1 open finding:\n")
    # Stored as the exchange format keys a reference finding: by the reference, no row.
    accepted = stored(window.path).accepted_findings
    assert [(a.rule, a.reference, a.comparison, a.endpoint, a.row, a.field, a.by) for a in accepted] == [
        ("reference-unused", "1", None, None, None, None, "Ben")
    ]
    assert accepted[0].reason == "cited in the guide's discussion, not in a table"


def test_a_reference_whose_findings_are_all_accepted_loses_its_dot(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert has_dot(window.references_list.item(0).icon())
    window.references_list.setFocus()
    window.references_list.setCurrentRow(0)
    _press(qtbot, window, Qt.Key.Key_Return)  # [1] on the References tab
    box = window.references_view.findings_box
    for reason in ("cited in the guide's discussion", "a book chapter, no identifier"):
        box.list.setCurrentRow(0)
        _answer_reason(qtbot, reason, [])
        qtbot.mouseClick(box.accept_button, Qt.MouseButton.LeftButton)
    assert box.label.text() == "<b>Findings on this reference:</b> none"
    # The left list: [1] has no dot and no tooltip now; its neighbour keeps both.
    assert not has_dot(window.references_list.item(0).icon())
    assert window.references_list.item(0).toolTip() == ""
    assert has_dot(window.references_list.item(1).icon())
    assert window.references_list.item(1).toolTip().startswith("2 open findings:\n")


def test_the_open_list_follows_an_edit(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open_list_with_f8(qtbot, window)
    gone = [f for f in _shown(window) if (f.rule, f.row, f.field) == ("missing-denominator", 2, "intervention.n")]
    assert len(gone) == 1
    # Row 3's pimecrolimus cell gets its counts (50.8% of 250 is 127): the finding goes, while the list is open.
    type_in_cell(qtbot, window, ARM, "127/250")
    assert window.rows_model.data(window.rows_model.index(FLARE_FREE, ARM)) == "50.8% (127/250)"
    listed = window.finding_nav.view
    assert listed.count_label.text() == "33 open findings"
    assert gone[0] not in _shown(window)
    assert Counter(_shown(window)) == Counter(window.checks.findings)
    model = listed.model
    assert model.data(model.index(0, 1)) == "Pimecrolimus vs Topical Corticosteroids (TCS)"


def test_accept_from_the_list_with_ctrl_shift_a(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _open_list_with_f8(qtbot, window)
    view = window.finding_nav.view
    view.rule_box.setFocus()
    qtbot.keyClicks(view.rule_box, "reference-identifier")
    _press(qtbot, window, Qt.Key.Key_Tab)
    _press(qtbot, window, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    finding = view.current()
    assert finding is not None and finding.reference == "17"
    # A blank reason is refused, and nothing is written.
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    _answer_reason(qtbot, "   ", [])
    window.accept_action.trigger()  # Ctrl+Shift+A (offscreen, the key does not reach the shortcut map)
    assert said == ["A reason is needed to accept a finding."]
    assert stored(window.path).accepted_findings == []
    assert window.finding_nav.count_button.text() == "34 open findings"
    # With a reason: accepted, the list and the count drop together.
    view.table.setFocus()  # (offscreen, the closed dialog does not give the focus back)
    _answer_reason(qtbot, "a web page; the guide gives only its name", [])
    window.accept_action.trigger()
    assert window.finding_nav.count_button.text() == "33 open findings"
    assert finding not in _shown(window)
    assert view.rule_box.currentText() == "reference-identifier (16)"  # the filter stays
    view.rule_box.setCurrentIndex(0)
    assert view.model.rowCount() == _status_count(window) == 33
    assert window.accept_action.shortcut().toString() == "Ctrl+Shift+A"


def test_the_acceptance_travels_in_the_exchange_file(window: MainWindow, tmp_path: Path) -> None:
    import json

    from curator.services import ReviewService

    finding = next(f for f in window.findings if f.rule == "reference-unused" and f.reference == "2")
    assert window.edits.accept_finding(finding, "a guideline, cited in the text")
    out = tmp_path / "r.json"
    from curator.cli import main

    assert main(["export", str(window.path), "-o", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))["accepted_findings"]
    assert [(a["rule"], a["reference"], a.get("comparison"), a.get("row")) for a in written] == [
        ("reference-unused", "2", None, None)
    ]
    again = tmp_path / "again.sqlite"
    assert main(["import", str(again), str(out)]) == 0
    with ReviewService.open(again) as review:
        assert finding.locator not in [f.locator for f in review.findings.open()]
        assert len(review.findings.open()) == 33


def test_a_clean_reference_has_no_marker(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    # [7] is cited; give it a DOI and it has nothing left to say.
    window.service.references.set_field("7", "doi", "10.1016/j.jaad.2004.01.001")
    window.reload()
    model = window.references_view.model
    row = model.view_row("7")
    assert row is not None
    index = model.index(row, ReferencesModel.FINDINGS)
    assert model.data(index) == ""
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) is None
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    item = window.references_list.item(6)
    assert item.text().startswith("[7]")
    assert not has_dot(item.icon()) and item.toolTip() == ""
    # Its neighbour, with none of DOI, PMID, PMCID or URL, is marked.
    marked = model.index(model.view_row("8"), ReferencesModel.FINDINGS)  # type: ignore[arg-type]
    assert model.data(marked) == "1"
    assert model.data(marked, Qt.ItemDataRole.ToolTipRole) == (
        "Warning: reference '8' has no DOI, PMID, PMCID or URL: it cannot be looked up"
    )
    assert has_dot(window.references_list.item(7).icon())
    window.tabs.setCurrentIndex(1)
    window.references_view.select_key("7")
    assert window.references_view.findings_box.label.text() == "<b>Findings on this reference:</b> none"
    assert not window.references_view.findings_box.accept_button.isEnabled()
    assert window.finding_nav.count_button.text() == "33 open findings"


def test_f8_is_listed_in_the_shortcuts(window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    assert ("All open findings…", "F8") in dialog.rows
    assert window.findings_list_action.shortcut().toString() == "F8"
    dialog.close()


@pytest.mark.parametrize("filtered", [False, True])
def test_the_models_pass_the_model_tester(qtmodeltester, window: MainWindow, filtered: bool) -> None:  # type: ignore[no-untyped-def]
    places = Places({c.key: (c.title, c.intervention, c.comparator) for c in window.outline}, {})
    model = FindingsListModel()
    model.set_findings(window.findings, places)
    if filtered:
        model.set_filter("warning", "reference-identifier")
    qtmodeltester.check(model)
    references = ReferencesModel()
    references.set_review(Review(references=list(window.references)))
    references.set_findings(window.findings)
    qtmodeltester.check(references)


def _picture(widget, name: str, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Save a picture of ``widget``: to docs/ with CURATOR_SCREENSHOTS=1 (look at it before committing it)."""
    import os

    docs = Path(__file__).parents[2] / "docs"
    target = docs / name if os.environ.get("CURATOR_SCREENSHOTS") else tmp_path / name
    QApplication.processEvents()  # let the layouts take the labels' new sizes
    assert widget.grab().save(str(target))
    return target


def test_findings_list_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.resize(1500, 900)
    qtbot.mouseClick(window.finding_nav.count_button, Qt.MouseButton.LeftButton)
    window.resizeDocks([window.finding_nav.dock], [330], Qt.Orientation.Vertical)
    view = window.finding_nav.view
    view.table.setCurrentIndex(view.model.index(7, 0))  # the first reference's first finding
    assert view.count_label.text() == "34 open findings"
    assert _picture(window, "findings-list.png", tmp_path).stat().st_size > 20_000


def test_reference_findings_picture(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.resize(1500, 820)
    window.service.references.set_field("7", "doi", "10.1016/j.jaad.2004.01.001")
    window.reload()
    window.references_list.setFocus()
    window.references_list.setCurrentRow(0)
    _press(qtbot, window, Qt.Key.Key_Return)
    assert window.references_view.findings_box.label.text() == "<b>Findings on this reference:</b> 2"
    assert _picture(window, "reference-findings.png", tmp_path).stat().st_size > 20_000
