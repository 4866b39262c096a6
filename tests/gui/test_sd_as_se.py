"""SDs that are standard errors, fixed in one step from the finding that says so.

The reviewer typed the arms' SEs (0.96, 0.98) into the SD fields; ``md-precision``
says the SDs look like standard errors and offers "Move SDs to SE". One press
moves them (one undoable step, audited, compare-and-set), and the finding is
gone. The row is the Cochrane Handbook's worked example (tests/continuous.py),
on which the real rule fires.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from curator.gui.app import MainWindow
from curator.services import ReviewService
from tests.continuous import COMPARISON, POSITION, ses_typed_as_sds
from tests.doublecheck import audit_count
from tests.helpers import stored


@pytest.fixture
def window_with_ses_as_sds(window: MainWindow) -> MainWindow:
    window.service.rows.insert_row(COMPARISON, POSITION, ses_typed_as_sds())
    window.reload()
    return window


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    return shown


def focus(window: MainWindow) -> QWidget | None:
    return QApplication.focusWidget() or window.focusWidget()


def precision_findings(window: MainWindow) -> list[object]:
    return [f for f in window.findings if f.rule == "md-precision" and f.row == POSITION]


def form_arms(window: MainWindow) -> list[str]:
    edits = window.row_form.edits
    return [edits[f"{arm}.{name}"].text() for arm in ("intervention", "comparator") for name in ("sd", "se")]


def stored_arms(window: MainWindow) -> list[str | None]:
    row = stored(window.path).comparisons[0].rows[POSITION]
    return [
        None if value is None else value.text
        for arm in (row.intervention, row.comparator)
        for value in (arm.sd, arm.se)  # type: ignore[union-attr]
    ]


def choose_precision_finding_in_the_form(qtbot, window: MainWindow) -> QPushButton:  # type: ignore[no-untyped-def]
    """From the table, by keys: to the row form's findings, down to the md-precision one, Tab to its fix."""
    window.select_row(COMPARISON, POSITION)
    listed = window.row_form.findings
    listed.setFocus()
    rules = [listed.item(i).data(Qt.ItemDataRole.UserRole).rule for i in range(listed.count())]
    assert "md-precision" in rules, rules
    qtbot.keyClick(listed, Qt.Key.Key_Home)
    for _ in range(rules.index("md-precision")):
        qtbot.keyClick(listed, Qt.Key.Key_Down)
    assert listed.currentItem().data(Qt.ItemDataRole.UserRole).remedy == "sd-as-se"
    qtbot.keyClick(listed, Qt.Key.Key_Tab)
    button = focus(window)
    assert isinstance(button, QPushButton)
    return button


def test_the_finding_offers_to_move_the_sds_and_one_press_does_it(qtbot, window_with_ses_as_sds: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window = window_with_ses_as_sds
    assert len(precision_findings(window)) == 1
    form = window.row_form
    button = choose_precision_finding_in_the_form(qtbot, window)
    assert form_arms(window) == ["0.96", "", "0.98", ""]
    assert button is form.remedy_button and button.isVisible() and button.text() == "Move SDs to SE"
    assert "look like standard errors" in button.toolTip()
    before = window.undo_stack.count()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    # What the reviewer sees: the SEs where they belong, the SDs empty, the finding gone, one step to undo.
    assert form_arms(window) == ["", "0.96", "", "0.98"]
    assert stored_arms(window) == [None, "0.96", None, "0.98"]
    assert not precision_findings(window)
    assert all(
        form.findings.item(i).data(Qt.ItemDataRole.UserRole).rule != "md-precision"
        for i in range(form.findings.count())
    )
    assert not form.remedy_button.isVisible()
    window.checks.check_all()  # the whole review's checks, a moment later: still gone
    assert not precision_findings(window)
    assert window.undo_stack.count() == before + 1
    assert window.undo_action.text() == "&Undo move SDs to SE in row 5 of pime-vs-tcs"
    window.undo_action.trigger()
    assert form_arms(window) == ["0.96", "", "0.98", ""]
    assert stored_arms(window) == ["0.96", None, "0.98", None]
    window.checks.check_all()
    assert len(precision_findings(window)) == 1
    window.redo_action.trigger()
    assert stored_arms(window) == [None, "0.96", None, "0.98"]


def test_from_the_list_of_every_open_finding(qtbot, window_with_ses_as_sds: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window = window_with_ses_as_sds
    window.select_row("pime-vs-tac", 0)  # elsewhere in the review
    window.findings_list_action.trigger()  # F8
    view = window.finding_nav.view
    table = view.table
    assert focus(window) is table
    rules = [view.model.finding(r).rule for r in range(view.model.rowCount())]  # type: ignore[union-attr]
    qtbot.keyClick(table, Qt.Key.Key_Home)
    for _ in range(rules.index("md-precision")):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert view.remedy_button.isVisible() and view.remedy_button.text() == "Move SDs to SE"
    qtbot.keyClick(table, Qt.Key.Key_Tab)  # Go to
    qtbot.keyClick(focus(window), Qt.Key.Key_Tab)
    assert focus(window) is view.remedy_button
    qtbot.keyClick(view.remedy_button, Qt.Key.Key_Space)
    assert stored_arms(window) == [None, "0.96", None, "0.98"]
    assert (window.comparison_key(), window.current_position()) == (COMPARISON, POSITION)  # shown where it changed
    assert window.row_form.edits["intervention.se"].text() == "0.96"
    assert "md-precision" not in [view.model.finding(r).rule for r in range(view.model.rowCount())]  # type: ignore[union-attr]


def test_the_fix_is_offered_as_soon_as_the_row_is_shown(qtbot, window_with_ses_as_sds: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """One press from the row: the button is there before any finding is chosen; Tab from the findings
    reaches it."""
    window = window_with_ses_as_sds
    window.select_row(COMPARISON, POSITION)
    form = window.row_form
    assert form.findings.currentItem() is None
    assert form.remedy_button.isVisible() and form.remedy_button.text() == "Move SDs to SE"
    form.findings.setFocus()
    qtbot.keyClick(form.findings, Qt.Key.Key_Tab)
    assert focus(window) is form.remedy_button
    qtbot.keyClick(form.remedy_button, Qt.Key.Key_Space)
    assert stored_arms(window) == [None, "0.96", None, "0.98"]
    assert not form.remedy_button.isVisible()


def test_other_findings_offer_no_such_button(qtbot, window_with_ses_as_sds: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window = window_with_ses_as_sds
    window.select_row(COMPARISON, 0)  # Patients Requiring TCS: findings about n, none with a fix
    listed = window.row_form.findings
    assert listed.count() > 0
    listed.setFocus()
    qtbot.keyClick(listed, Qt.Key.Key_Home)
    assert window.row_form.accept_button.isEnabled() and not window.row_form.remedy_button.isVisible()


def test_refused_when_the_sds_changed_in_another_window_and_nothing_is_written(  # type: ignore[no-untyped-def]
    qtbot, window_with_ses_as_sds: MainWindow, warnings: list[str]
) -> None:
    window = window_with_ses_as_sds
    button = choose_precision_finding_in_the_form(qtbot, window)
    with ReviewService.open(window.path, "Cleo") as cleo:  # another window fixes one SD meanwhile
        cleo.rows.edit_field(COMPARISON, POSITION, "comparator.sd", "4.6")
    before, steps = audit_count(window.path), window.undo_stack.count()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert warnings == [
        "Control (Conventional Treatment/Vehicle + TCS for flares) arm: SD in row 5 (EASI at week 6) of pime-vs-tcs: "
        "the SDs were not moved: it is now '4.6', not '0.98' as this change expected (it was changed meanwhile: "
        "a verification, a merge or another window); nothing was written"
    ]
    assert audit_count(window.path) == before and window.undo_stack.count() == steps
    assert stored_arms(window) == ["0.96", None, "4.6", None]
