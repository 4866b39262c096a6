"""Blind double entry: a second reviewer types a row's values again without seeing the first entry.

The dialog names the row (comparison, position, endpoint) and shows its
source location and verbatim quote; every value field starts **empty**, so
the first entry is never shown before the second is submitted. Each text is
validated as it is typed (:func:`~curator.formats.flat.parse_field`; a value
that does not fit is kept and marked with the reason). Submit sends the
fields that were filled in to :func:`~curator.services.double_entry`
(an empty field is not compared), which verifies the fields that agree and
opens an adjudication item for each one that differs; the dialog then lists
both. A refusal (your own row, a bad value) is shown and nothing is written.
The arms show the fields of the measure typed in the dialog (none yet: those
of format 1.0; ``mean``: SD, SE, CI and range...; :mod:`curator.gui.measure_view`),
never the stored measure, and any field typed into stays in sight.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from curator.errors import CuratorError
from curator.fields import parse as parse_field
from curator.formats.fields import Boolean, Choice
from curator.formats.flat import ROW_COLUMNS
from curator.gui.measure_view import MeasureFields
from curator.gui.row_form import form_label
from curator.gui.state import ReviewState, mark_invalid
from curator.naming import Arms, field_label, row_place, value_words
from curator.services import VERIFIABLE_FIELDS, DoubleEntryResult
from curator.words import counted

__all__ = ["DoubleEntryDialog", "ENTERED_FIELDS"]

#: The fields typed again: every verifiable one but the endpoint and the source, which name the row.
ENTERED_FIELDS = tuple(f for f in VERIFIABLE_FIELDS if f not in ("endpoint", "source.location", "source.quote"))
_KINDS = {c.name: c.kind for c in ROW_COLUMNS}
#: The form's two columns: (section title, the first part of the dotted names it holds).
_LEFT = (("Row", ""), ("Intervention arm", "intervention"), ("Comparator arm", "comparator"))
_RIGHT = (("Effect estimate", "effect"), ("Finding and setting", "other"))


def _part(name: str) -> str:
    head = name.split(".")[0] if "." in name else ""
    if head:
        return head
    return "" if name in ("measure", "unit", "higher_is_better") else "other"


class DoubleEntryDialog(QDialog):
    """One row's values typed again, blind, and compared on Submit."""

    def __init__(self, parent: QWidget, state: ReviewState, comparison: str, position: int) -> None:
        super().__init__(parent)
        from curator.gui.source_box import SourceBox

        self.state = state
        self.comparison, self.position = comparison, position
        self.who = state.who
        self.changed = False
        self.result_: DoubleEntryResult | None = None
        states = state.service.field_states(comparison, position)
        summary = next((c for c in state.service.outline() if c.key == comparison), None)
        arms = {"intervention": summary.intervention, "comparator": summary.comparator} if summary else {}
        #: The arm labels, to name fields in messages (``Pimecrolimus arm: n``).
        self.arms = Arms(arms.get("intervention", ""), arms.get("comparator", ""))
        self.setWindowTitle(f"Blind double entry — {row_place(comparison, position)} — {self.who}")

        heading = QLabel()
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setText(f"{states['endpoint'].value or '(no endpoint)'}   ·   {row_place(comparison, position)}")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        hint = QLabel(
            "Type the values as the source prints them. The first entry is not shown; "
            "fields left empty are not compared."
        )
        hint.setWordWrap(True)
        self.source = SourceBox(self, quote_lines=2)
        self.source.set_source(states["source.location"].value, states["source.quote"].value)

        self.edits: dict[str, QLineEdit] = {}
        self.choices: dict[str, QComboBox] = {}
        grid = QGridLayout()
        lines: dict[str, QWidget] = {}
        labels: dict[str, QLabel] = {}
        forms = []
        for column, sections in enumerate((_LEFT, _RIGHT)):
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for title, part in sections:
                label = f"<b>{title}</b>" + (f": {arms[part]}" if arms.get(part) else "")
                form.addRow(QLabel(label))
                for name in (f for f in ENTERED_FIELDS if _part(f) == part):
                    widget, words = self._field(name), QLabel(form_label(name))  # the row form's words
                    form.addRow(words, widget)
                    if column == 0:
                        lines[name], labels[name] = widget, words
            grid.addLayout(form, 0, column)
            forms.append(form)
        #: the row's and the arms' fields, as the measure typed here needs them (the effect's are all shown)
        self.measure_fields = MeasureFields(forms[0], lines, labels)
        self.choices["measure"].currentIndexChanged.connect(lambda _i: self._show_measure())
        self._show_measure()
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #9C0006;")
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QDialogButtonBox()
        self.submit_button = QPushButton("&Submit")
        self.submit_button.setDefault(True)
        self.submit_button.setToolTip("Compare what you typed with the stored values")
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.source)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(900, 640)
        first = self.edits.get("intervention.value")
        if first is not None:
            first.setFocus()

    def _show_measure(self) -> None:
        texts = {name: edit.text() for name, edit in self.edits.items()}
        self.measure_fields.show(self.choices["measure"].currentText() or None, texts)

    def _field(self, name: str) -> QWidget:
        kind = _KINDS[name]
        if isinstance(kind, Choice | Boolean):
            combo = QComboBox()
            combo.setObjectName(name)
            combo.addItem("", "")
            for word, value in kind.options():  # people's words (yes, Kaplan–Meier); typed as the stored value
                combo.addItem(word, value)
            self.choices[name] = combo
            return combo
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.textEdited.connect(lambda text, name=name: self._validate(name, text))
        self.edits[name] = edit
        return edit

    def entered(self) -> dict[str, str]:
        """The fields filled in, as typed."""
        texts = {name: edit.text() for name, edit in self.edits.items()}
        texts.update({name: str(combo.currentData() or "") for name, combo in self.choices.items()})
        return {name: texts[name] for name in ENTERED_FIELDS if texts[name].strip()}

    def _validate(self, name: str, text: str) -> bool:
        try:
            parse_field(name, text)
        except ValueError as exc:
            mark_invalid(self.edits[name], str(exc))
            self.message.setText(f"{field_label(name, self.arms)}: {exc}")
            return False
        mark_invalid(self.edits[name], None)
        self.message.clear()
        return True

    def submit(self) -> DoubleEntryResult | None:
        """Compare the entry with the stored values (one write transaction)."""
        if self.result_ is not None:
            return self.result_
        entered = self.entered()
        for name, text in entered.items():
            if name in self.edits and not self._validate(name, text):
                self.edits[name].setFocus()
                return None
        try:
            result = self.state.run_raising(
                lambda: self.state.service.checking.double_entry(self.comparison, self.position, entered)
            )
        except CuratorError as exc:
            self.message.setText(str(exc))
            return None
        assert isinstance(result, DoubleEntryResult)
        self.result_ = result
        self.changed = True
        self.message.clear()
        self.outcome.setText(_outcome_html(result, self.who, self.arms))
        for widget in (*self.edits.values(), *self.choices.values()):
            widget.setEnabled(False)
        self.submit_button.setEnabled(False)
        self.buttons.removeButton(self.close_button)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.accept)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        return result


def _outcome_html(result: DoubleEntryResult, who: str, arms: Arms | None = None) -> str:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def q(text: str | None) -> str:
        return esc("nothing" if text is None else repr(text))

    matched = esc(", ".join(field_label(name, arms) for name in result.matched)) or "none"
    agree = "agrees" if len(result.matched) == 1 else "agree"
    lines = [f"<b>{counted(len(result.matched), 'field')} {agree}</b>, now verified by {esc(who)}: {matched}"]
    if result.differing:
        lines.append(f"<b>{len(result.differing)} differ</b>, sent to adjudication (Review ▸ Adjudication):")
        lines += [
            f"&nbsp;&nbsp;{esc(field_label(name, arms))}: stored {q(value_words(name, a))}, "
            f"you entered {q(value_words(name, b))} (item {item})"
            for name, a, b, item in result.differing
        ]
    else:
        lines.append("No field differs.")
    lines.append(f"The row is now <b>{result.status}</b>.")
    return "<br>".join(lines)
