"""The row form shows the fields a row's measure needs, and never hides a value.

A mean row reads mean, SD, SE, n, the CI and the range of each arm; a median
row the median, IQR and range; a percent row the value, events and n. The
row's analysis and the effect's SE, adjusted, contrast and method are always
there. Choosing another measure shows its fields at once; a field holding a
value stays in sight, its label marked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from curator.fields import value_at
from curator.gui.app import MainWindow
from curator.gui.row_form import RowForm
from tests.continuous import COMPARISON, POSITION, easi_row
from tests.helpers import stored

ARM = ("value", "text", "n", "events", "sd", "se", "ci_low", "ci_high", "q1", "q3", "min", "max")
MEDIAN_ROW = 1  # Days on TCS (Median) in the demo
PERCENT_ROW = 2  # Flare-Free Patients


def shown_arm_fields(form: RowForm, part: str = "intervention") -> list[str]:
    return [name for name in ARM if form.is_shown(f"{part}.{name}")]


def visible_label(form: RowForm, name: str) -> str:
    return form.labels[name].text()


def focus(window: MainWindow) -> QWidget | None:
    return QApplication.focusWidget() or window.focusWidget()


def type_printed(qtbot, widget: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` key by key: QTest types ASCII only, so a middle dot or a minus sign (U+2212) is sent
    as the key event a keyboard layout that has it sends (no key code of its own, the character as text)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


@pytest.fixture
def mean_row(window: MainWindow) -> MainWindow:
    """The demo window with a mean row added to pime-vs-tcs (row 5) and selected."""
    window.service.rows.insert_row(COMPARISON, POSITION, easi_row())
    window.reload()
    window.select_row(COMPARISON, POSITION)
    return window


def test_a_mean_row_shows_mean_sd_se_n_ci_and_range(mean_row: MainWindow) -> None:
    form = mean_row.row_form
    for part in ("intervention", "comparator"):
        assert shown_arm_fields(form, part) == ["value", "n", "sd", "se", "ci_low", "ci_high", "min", "max"]
    assert visible_label(form, "intervention.value") == "Mean"
    assert [visible_label(form, f"intervention.{f}") for f in ("sd", "se", "min", "max", "ci_low", "ci_high")] == [
        "SD",
        "SE",
        "Min",
        "Max",
        "Low",
        "High",
    ]
    assert form.edits["intervention.sd"].text() == "4.8" and form.edits["comparator.max"].text() == "21.9"
    # the row's analysis and integer items, the effect's SE, adjusted, contrast and method
    for name in ("analysis", "integer_items", "effect.se", "effect.adjusted", "effect.contrast", "effect.method"):
        assert form.is_shown(name), name
    assert [visible_label(form, n) for n in ("integer_items", "effect.se", "effect.adjusted", "effect.contrast")] == [
        "Integer items",
        "SE",
        "Adjusted",
        "Contrast",
    ]
    assert form.edits["effect.method"].text() == "t test"
    assert form.choices["effect.contrast"].currentText() == ""  # absent: arms
    assert [form.choices["effect.adjusted"].itemText(i) for i in range(3)] == ["", "yes", "no"]


def test_a_median_row_shows_median_iqr_and_range_and_a_percent_row_value_events_n(window: MainWindow) -> None:
    form = window.row_form
    window.select_row(COMPARISON, MEDIAN_ROW)
    assert shown_arm_fields(form) == ["value", "n", "q1", "q3", "min", "max"]
    assert visible_label(form, "intervention.value") == "Median"
    assert not form.is_shown("integer_items")  # a mean row's only
    line = form.lines["intervention.q1"]
    assert line is form.lines["intervention.q3"]  # Q1 and Q3 on one line, headed IQR
    heading = form.measure_fields.form.labelForField(line)
    assert isinstance(heading, QLabel) and heading.text() == "IQR"
    window.select_row(COMPARISON, PERCENT_ROW)
    assert shown_arm_fields(form) == ["value", "text", "n", "events", "ci_low", "ci_high"]
    assert visible_label(form, "intervention.value") == "Value"
    assert form.is_shown("analysis") and form.is_shown("effect.adjusted")


def test_choosing_another_measure_shows_its_fields_at_once_and_keeps_every_value_in_sight(  # type: ignore[no-untyped-def]
    qtbot, mean_row: MainWindow
) -> None:
    form = mean_row.row_form
    measure = form.choices["measure"]
    measure.setFocus()
    qtbot.keyClick(measure, Qt.Key.Key_Up)  # mean -> percent, as a keyboard user changes a drop-down
    assert measure.currentText() == "percent"
    assert stored(mean_row.path).comparisons[0].rows[POSITION].measure == "percent"
    # events appear; the SD and the range hold values, so they stay, marked; the empty SE goes
    assert shown_arm_fields(form) == ["value", "text", "n", "events", "sd", "ci_low", "ci_high", "min", "max"]
    assert form.edits["intervention.sd"].text() == "4.8"  # nothing typed is lost
    assert visible_label(form, "intervention.value") == "Value"
    sd = form.labels["intervention.sd"]
    assert sd.font().italic() and not form.labels["intervention.events"].font().italic()
    assert "Not used by a percent row: shown because it holds a value" in sd.toolTip()
    assert not form.is_shown("integer_items")
    qtbot.keyClick(measure, Qt.Key.Key_Down)  # back to mean: nothing marked any more
    assert measure.currentText() == "mean"
    assert not sd.font().italic() and sd.toolTip() == "not verified yet"
    assert shown_arm_fields(form) == ["value", "n", "sd", "se", "ci_low", "ci_high", "min", "max"]


def test_a_value_not_saved_yet_is_not_hidden_by_a_measure_change(qtbot, mean_row: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = mean_row.row_form
    se = form.edits["comparator.se"]
    se.setFocus()
    qtbot.keyClicks(se, "0,98")  # a decimal comma: refused, kept as typed
    qtbot.keyClick(se, Qt.Key.Key_Return)
    assert se.text() == "0,98" and "comma" in form.message.text()
    form.choices["measure"].setCurrentIndex(form.choices["measure"].findData("median"))
    assert form.is_shown("comparator.se") and form.labels["comparator.se"].font().italic()
    assert se.text() == "0,98"


def test_tab_goes_down_the_fields_on_show(qtbot, mean_row: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = mean_row.row_form
    assert form.focus_field("intervention.value")
    walked = []
    for _ in range(9):
        qtbot.keyClick(focus(mean_row), Qt.Key.Key_Tab)
        walked.append(focus(mean_row).objectName())  # type: ignore[union-attr]
    assert walked == [
        "intervention.n",
        "intervention.sd",
        "intervention.se",
        "intervention.ci_low",
        "intervention.ci_high",
        "intervention.min",
        "intervention.max",
        "comparator.value",
        "comparator.n",
    ]


def test_printed_numbers_are_typed_as_the_paper_prints_them(qtbot, mean_row: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = mean_row.row_form
    typed = {
        "intervention.se": "0·55",  # the Lancet's middle dot
        "intervention.n": "3,145",  # grouped thousands in a count
        "comparator.value": "− 4.6",  # a minus sign and a space (an arm's value, as its cell takes it)
        "effect.value": "−3.8",  # U+2212
        "comparator.se": "NR",  # looked for, not reported
        "comparator.min": "nr",  # any case
    }
    for name, text in typed.items():
        edit = form.edits[name]
        edit.setFocus()
        edit.selectAll()
        type_printed(qtbot, edit, text)
        assert form.message.text() == "", (name, form.message.text())
        assert "F8CBAD" not in edit.styleSheet()  # not marked as a value that does not fit
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert form.edits[name].text() == text
    assert mean_row.undo_stack.count() == len(typed)
    row = stored(mean_row.path).comparisons[0].rows[POSITION]
    stored_values = {name: value_at(row, name) for name in typed}
    assert {name: value.text for name, value in stored_values.items()} == typed  # kept as printed
    assert [str(stored_values[name].value) for name in ("intervention.se", "intervention.n", "comparator.value")] == [
        "0.55",
        "3145",
        "-4.6",
    ]
    assert float(stored_values["effect.value"].value) == -3.8
    assert stored_values["comparator.se"].not_reported and stored_values["comparator.min"].not_reported
    mean_row.select_row(COMPARISON, 0)
    mean_row.select_row(COMPARISON, POSITION)  # read again, shown as printed
    assert {name: form.edits[name].text() for name in typed} == typed


def test_the_picture_of_a_continuous_row(qtbot, mean_row: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.test_screenshots import _save

    mean_row.resize(1500, 1000)
    mean_row.splitter.setSizes([250, 1250])
    mean_row.table_and_form.setSizes([830, 420])
    mean_row.table_and_findings.setSizes([860, 90])
    mean_row.select_row(COMPARISON, POSITION, 1)
    QApplication.processEvents()
    form = mean_row.row_form
    heading = form.sections["Intervention arm"]
    form.fields_area.verticalScrollBar().setValue(heading.y() - 4)  # the arms and the effect in sight
    assert shown_arm_fields(form, "comparator") == ["value", "n", "sd", "se", "ci_low", "ci_high", "min", "max"]
    picture = _save(mean_row, "continuous-row.png", tmp_path)
    assert picture.stat().st_size > 20_000


def test_blind_double_entry_shows_the_fields_of_the_measure_typed_there(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Blind: the dialog follows the measure the second reviewer types, never the stored one."""
    from tests.doublecheck import stored_by
    from tests.gui.reviewers import window_as
    from tests.gui.test_double_entry_view import _open

    window = window_as(qtbot, stored_by(tmp_path / "ana.sqlite", "Ana"), "Ben")
    dialog = _open(window, "pime-vs-tcs", 1)  # a median row, stored
    fields = dialog.measure_fields

    def shown() -> list[str]:
        return [name for name in ARM if fields.is_shown(f"comparator.{name}")]

    assert shown() == ["value", "text", "n", "events", "sd"]  # no measure typed yet: the fields of 1.0
    qtbot.keyClicks(dialog.edits["comparator.sd"], "4.6")
    measure = dialog.choices["measure"]
    measure.setFocus()
    qtbot.keyClicks(measure, "mean")
    assert measure.currentText() == "mean"
    assert shown() == ["value", "n", "sd", "se", "ci_low", "ci_high", "min", "max"]
    assert fields.labels["comparator.value"].text() == "Mean"
    qtbot.keyClick(measure, Qt.Key.Key_Down)  # mean -> median
    assert measure.currentText() == "median"
    assert shown() == ["value", "n", "sd", "q1", "q3", "min", "max"]  # the typed SD stays, marked
    assert fields.labels["comparator.sd"].font().italic()
    assert dialog.edits["comparator.sd"].text() == "4.6"


def test_the_choice_lists_read_in_peoples_words_and_store_the_formats_values(qtbot, mean_row: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = mean_row.row_form

    def items(name: str) -> list[str]:
        combo = form.choices[name]
        return [combo.itemText(i) for i in range(combo.count())]

    assert items("analysis") == ["", "crude", "adjusted", "Kaplan–Meier"]  # not kaplan_meier
    assert items("effect.contrast") == ["", "the arms", "change from baseline", "other"]
    assert items("effect.direction") == ["", "intervention vs comparator", "comparator vs intervention"]
    analysis = form.choices["analysis"]
    analysis.setFocus()
    qtbot.keyClick(analysis, Qt.Key.Key_K)  # a keyboard user types the first letter of what they read
    assert analysis.currentText() == "Kaplan–Meier"
    contrast = form.choices["effect.contrast"]
    contrast.setFocus()
    qtbot.keyClick(contrast, Qt.Key.Key_C)
    assert contrast.currentText() == "change from baseline"
    row = stored(mean_row.path).comparisons[0].rows[POSITION]
    assert (row.analysis, row.effect.contrast) == ("kaplan_meier", "change")  # the format's values are stored
    mean_row.select_row(COMPARISON, 0)
    mean_row.select_row(COMPARISON, POSITION)  # read back in people's words
    assert (analysis.currentText(), contrast.currentText()) == ("Kaplan–Meier", "change from baseline")


@pytest.mark.parametrize(
    ("typed", "shown", "fields"),
    [
        # what the cell shows on this row measured in points, typed back with new numbers
        (
            "12.1 points (SD 4.0; range 2.6–21.9), n = 50",
            "12.1 points (SD 4.0; range 2.6–21.9), n = 50",
            {"value": "12.1", "sd": "4.0", "n": "50"},
        ),
        (
            "0·55 (SE 0·06), n = 3,145",
            "0·55 points (SD 4.6; SE 0·06; range 2.6–21.9), n = 3,145",
            {"se": "0·06", "n": "3,145"},
        ),
        ("− 4.6", "− 4.6 points (SD 4.6; range 2.6–21.9), n = 22", {"value": "− 4.6"}),
        ("NR (NR)", "NR (SD NR; range 2.6–21.9), n = 22", {"value": "NR", "sd": "NR"}),
    ],
)
def test_a_mean_arms_cell_is_typed_as_the_paper_prints_it(  # type: ignore[no-untyped-def]
    qtbot, mean_row: MainWindow, typed: str, shown: str, fields: dict[str, str]
) -> None:
    view, model = mean_row.rows_view, mean_row.rows_model
    index = model.index(POSITION, 2)  # the comparator's cell of the mean row
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = focus(mean_row)
    assert editor is not None and view.isAncestorOf(editor)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_printed(qtbot, editor, typed)
    assert editor.text() == typed  # type: ignore[attr-defined]
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focus(mean_row) is view)
    assert mean_row.statusBar().currentMessage() == ""
    assert model.data(index) == shown
    arm = stored(mean_row.path).comparisons[0].rows[POSITION].comparator
    assert {name: getattr(arm, name).text for name in fields} == fields  # kept as printed
