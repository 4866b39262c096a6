"""The row form's fields as the row's measure needs them.

A ``mean`` row's arms show mean, SD, SE, n, the mean's CI and the range; a
``median`` row's the median, IQR (Q1 to Q3) and range; a ``percent`` row's
the value, events and n (:mod:`curator.measure_fields` says which). An arm's
CI, IQR and range are one line each, the two numbers side by side as a
paper prints them. Choosing another measure shows its fields at once; a
field that holds a value stays in sight whatever the measure, its label in
italics with a tooltip saying the measure does not use it, so no typed
value is ever hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from curator.measure_fields import measure_words, needed, unused_by, value_label

__all__ = ["PAIRS", "MeasureFields", "PairEdit", "pair_line"]

#: An arm's fields shown two on a line: first -> (second, the line's label, the first's and second's own labels).
PAIRS: Final[dict[str, tuple[str, str, str, str]]] = {
    "ci_low": ("ci_high", "CI", "Low", "High"),
    "q1": ("q3", "IQR", "Q1", "Q3"),
    "min": ("max", "Range", "Min", "Max"),
}
_ARM_VALUES: Final = ("intervention.value", "comparator.value")


class PairEdit(QLineEdit):
    """One of two fields on a line: it asks for half a line's width, so the pair asks no more room of the
    form than a field alone does (History beside the table leaves the form just that)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(min(hint.width(), 64), hint.height())


def pair_line(first: QLabel, first_edit: QLineEdit, second: QLabel, second_edit: QLineEdit) -> QWidget:
    """Two fields on one line of the form: ``Q1 [   ]  Q3 [   ]`` (Tab goes from the first to the second)."""
    line = QHBoxLayout()
    line.setContentsMargins(0, 0, 0, 0)
    for widget in (first, first_edit, second, second_edit):
        line.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    holder = QWidget()
    holder.setLayout(line)
    return holder


class MeasureFields:
    """Which lines of the row form are shown, for the row's measure and the values it holds."""

    def __init__(self, form: QFormLayout, lines: Mapping[str, QWidget], labels: Mapping[str, QLabel]) -> None:
        #: field -> the widget of its line in ``form`` (the two fields of a pair share one)
        self.form, self.lines, self.labels = form, lines, labels
        self.measure: str | None = None
        #: the fields shown only because they hold a value: field -> why it is marked
        self.notes: dict[str, str] = {}
        #: each line's widget, once, and whether it is shown (changed only when that changes: a relayout)
        self._lines = list({id(w): w for w in lines.values()}.values())
        self._shown: dict[int, bool] = {}

    def show(self, measure: str | None, texts: Mapping[str, str]) -> None:
        """Show the lines ``measure`` needs and those holding a value (``texts``: field -> text shown)."""
        self.measure = measure or None
        unused = unused_by(self.measure, texts)
        visible = needed(self.measure) | set(unused)
        shown_lines: dict[int, bool] = {}
        for name, line in self.lines.items():
            shown_lines[id(line)] = shown_lines.get(id(line), False) or name in visible
        for line in self._lines:
            on = shown_lines[id(line)]
            if self._shown.get(id(line)) != on:
                self.form.setRowVisible(line, on)
                self._shown[id(line)] = on
        words = measure_words(self.measure)
        note = (
            f"Not used by {words}: shown because it holds a value (clear it if the paper does not give it, "
            "or choose the measure that uses it)"
        )
        self.notes = dict.fromkeys(unused, note)
        for name, label in self.labels.items():
            font = label.font()
            if font.italic() != (name in self.notes):
                font.setItalic(name in self.notes)
                label.setFont(font)
        value_words = value_label(self.measure)
        for name in _ARM_VALUES:
            value = self.labels.get(name)
            if value is not None:  # "Mean", keeping a verification mark after the word
                mark = value.text()[-1:] if value.text()[-1:] in ("✓", "✗", "≠") else ""
                value.setProperty("plain", value_words)
                if value.text() != (text := f"{value_words} {mark}" if mark else value_words):
                    value.setText(text)

    def is_shown(self, name: str) -> bool:
        """Whether field ``name``'s line is shown (for the measure, or because it holds a value)."""
        line = self.lines.get(name)
        return line is not None and self.form.isRowVisible(line)

    def reveal(self, name: str) -> None:
        """Show field ``name``'s line whatever the measure (the keyboard or a finding asks for it)."""
        line = self.lines.get(name)
        if line is not None:
            self.form.setRowVisible(line, True)
            self._shown[id(line)] = True
