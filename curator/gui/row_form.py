"""The selected row's every field, editable, validated as you type.

Free fields are line edits holding the value as printed; fields with a
fixed set of values (measure, status, favours, effect measure and
direction, higher is better) are drop-down lists. What is typed goes
through :func:`curator.formats.flat.parse_field` (the path a spreadsheet
cell takes) on every keystroke; an arm's value also takes what the arm's
cell takes (``95/267``, ``35.6% (95/267)``, :mod:`curator.arm_entry`). A
value that does not fit is marked, with the reason in full below the form,
and is kept, never dropped or rounded: a pending value
(:class:`~curator.gui.state.PendingValues`), which the table's cell shows
alike. Enter (or leaving the field) asks for the change to be saved; the
window does that through an undoable command. Escape puts back the stored
value of a field not saved; on a field as stored it asks to go back to the
table (``leave_requested``); :meth:`RowForm.focus_field` is the way in.
Citations can be typed ("7; 9") or picked from the review's references. The row's findings are
listed under the form, where one can be accepted with a reason, and one that offers a one-step fix
(:mod:`curator.gui.remedies`: Move SDs to SE) offers it there.

The arms show the fields the row's measure needs (:mod:`curator.gui.measure_view`: a mean row's
mean, n, SD, SE, CI and range; a median row's median, IQR and range...), an arm's CI, IQR and range
two fields on one line; choosing another measure shows its fields at once, and a field that holds a
value is never hidden (its label in italics when the measure does not use it).

Status and verified by are shown but never typed (greyed, read-only): they
follow the verifications of the row's fields (the edit use case
refuses them too). A key typed into them, or a status chosen from the list,
changes nothing and says so below the form. A status a file claims is shown
as that claim, with the file and who imported it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QColor, QDropEvent, QIcon, QKeyEvent, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from curator.arm_entry import typed_fields
from curator.checks import Finding
from curator.fields import row_field
from curator.fields import texts as field_texts
from curator.formats.fields import Boolean, Choice
from curator.formats.flat import ROW_COLUMNS
from curator.gui.measure_view import PAIRS, MeasureFields, PairEdit, pair_line
from curator.gui.page_view import SELECTION_MIME
from curator.gui.remedies import remedy_words
from curator.gui.state import PendingValues, mark_invalid
from curator.naming import Arms, field_label
from curator.review import Evidence, Reference, Row
from curator.services import DERIVED_FIELDS, FieldState

__all__ = ["RowForm", "CitationPicker"]

_READ_ONLY = "background: #EDEDED; color: #404040;"
_DERIVED_MESSAGE = (
    "follows the verifications of the row's fields; verify the row's fields instead (Review > Verify mode)"
)
_DERIVED_TIP = f"Not typed: {_DERIVED_MESSAGE}, as a reviewer other than its extractor"
_CHANGING_KEYS = (
    Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End,
    Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space,
)  # fmt: skip
#: The form's sections, by the first part of a field's dotted name.
_SECTION = {
    "intervention": "Intervention arm",
    "comparator": "Comparator arm",
    "effect": "Effect estimate",
    "source": "Source",
    "citations": "Source",
    "status": "Review",
    "extracted_by": "Review",
    "verified_by": "Review",
    "note": "Review",
}


class CitationPicker(QDialog):
    """Tick the references a row cites; keeps the order they were cited in."""

    def __init__(self, references: Sequence[Reference], chosen: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from curator.formats.references.vancouver import format_vancouver

        self.setWindowTitle("Citations")
        self.list = QListWidget()
        known = {r.key for r in references}
        for key in [*(k for k in chosen if k not in known)]:  # dangling keys stay visible
            item = QListWidgetItem(f"[{key}]  (no such reference)")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        for ref in references:
            item = QListWidgetItem(f"[{ref.key}]  {format_vancouver(ref)}")
            item.setData(Qt.ItemDataRole.UserRole, ref.key)
            item.setCheckState(Qt.CheckState.Checked if ref.key in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setWordWrap(True)
        self._order = list(chosen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("References this row cites:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def keys(self) -> list[str]:
        """The ticked keys: those cited before keep their order, new ones follow in list order."""
        ticked = [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        return [k for k in self._order if k in ticked] + [k for k in ticked if k not in self._order]


def form_label(name: str) -> str:
    """A field's label in the form, under its section's heading: its label in :mod:`curator.fields` less
    the section's word ("Intervention events" under "Intervention arm" is "Events", "Intervention n" is
    "n", "Effect measure" under "Effect estimate" is "Measure", "CI low" stays), never its internal name
    ("ci low", "higher is better")."""
    field = row_field(name)
    label = field.label
    if field.part in ("intervention", "comparator", "effect", "source") and label.casefold().startswith(
        field.part + " "
    ):
        tail = label.split(" ", 1)[1]
        return tail if len(tail) == 1 else tail[:1].upper() + tail[1:]  # "n" and "p" as statistics write them
    return label


def _page_icon() -> QIcon:
    """A small green page: the sign of a value read from the paper."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#1E7B34"), 1.2))
    painter.setBrush(QColor("#E8F5EC"))
    painter.drawPolygon([QPoint(3, 1), QPoint(10, 1), QPoint(13, 4), QPoint(13, 15), QPoint(3, 15)])
    for y in (6, 9, 12):
        painter.drawLine(5, y, 11, y)
    painter.end()
    return QIcon(pixmap)


class RowForm(QWidget):
    """Every field of one row; emits ``edit_requested`` for a valid change."""

    #: comparison key, row position, field name, old text, new text
    edit_requested = Signal(str, int, str, str, str)
    #: comparison key, row position, {field: (old text, new text)}: one typing that sets several fields
    edits_requested = Signal(str, int, object)
    #: Escape on a field as stored: back to the table, on the column of this field
    leave_requested = Signal(str)
    #: a finding the reviewer wants to accept
    accept_requested = Signal(object)
    #: a finding whose one-step fix (its remedy: move the SDs to the SE fields) the reviewer asks for
    remedy_requested = Signal(object)
    #: the keyboard went into a field (its name): the field the paper beside fills (curator.gui.papers)
    field_chosen = Signal(str)
    #: text selected in the paper was dropped on a field (its name): capture it there
    capture_dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None, pending: PendingValues | None = None) -> None:
        super().__init__(parent)
        #: Typed text that does not fit, shared with the table.
        self.pending = pending if pending is not None else PendingValues(self)
        self.pending.changed.connect(self._pending_changed)
        self.comparison: str | None = None
        self.position = -1
        #: the field the keyboard was last in (None before any): a selection in the paper fills it
        self.chosen: str | None = None
        #: the page sign at the end of each field read from the paper
        self._evidence_marks: dict[str, QAction] = {}
        self.references: Sequence[Reference] = ()
        #: The comparison's arm labels, shown in the arm sections' headings.
        self.arm_labels: tuple[str, str] = ("", "")
        self._shown: dict[str, str] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.choices: dict[str, QComboBox] = {}
        #: field -> the widget of its line in the form (an arm's CI, IQR and range: two fields on a line)
        self.lines: dict[str, QWidget] = {}
        #: what a verifier said about each field, as its label's tooltip
        self._state_tips: dict[str, str] = {}
        #: True while :meth:`show_row` fills the fields (the measure's fields are shown once, at the end)
        self._filling = False
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sections: dict[str, QLabel] = {}
        for column in ROW_COLUMNS:
            name = column.name
            section = _SECTION.get(name.split(".")[0], "Row")
            if section not in self.sections:
                header = QLabel(f"<b>{section}</b>")
                header.setWordWrap(True)
                header.setMinimumWidth(40)
                header.setContentsMargins(0, 6 if self.sections else 0, 0, 0)
                form.addRow(header)
                self.sections[section] = header
            label = form_label(name)
            if isinstance(column.kind, Choice | Boolean):
                combo = QComboBox()
                combo.setObjectName(name)
                combo.setMinimumWidth(80)
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.addItem("", "")
                for word, value in column.kind.options():  # people's words; the stored text stays the value
                    combo.addItem(word, value)
                combo.activated.connect(lambda _i, name=name: self._finish(name))
                combo.setToolTip(_DERIVED_TIP if name in DERIVED_FIELDS else field_label(name))
                form.addRow(self._label(name, label), combo)
                self.choices[name] = combo
                self.lines[name] = combo
                if name == "measure":  # its fields shown at once, before the change is saved
                    combo.currentIndexChanged.connect(self._measure_chosen)
                continue
            if name in self.edits:  # the second of a pair, made with the first
                continue
            paired = column.name.partition(".")[0] in ("intervention", "comparator") and _tail(name) in PAIRS
            edit = PairEdit() if paired else QLineEdit()
            edit.setObjectName(name)
            edit.setMinimumWidth(80)
            edit.textEdited.connect(lambda text, name=name: self._validate(name, text))
            edit.editingFinished.connect(lambda name=name: self._finish(name))
            if name == "citations":
                edit.setPlaceholderText("keys, e.g. 7; 9")  # "7, 9" would be one key
                pick = QPushButton("Pick…")
                pick.setToolTip("Choose the cited references from the review's list")
                pick.clicked.connect(self.pick_citations)
                self.pick_button = pick
                line = QHBoxLayout()
                line.setContentsMargins(0, 0, 0, 0)
                line.addWidget(edit)
                line.addWidget(pick)
                holder = QWidget()
                holder.setLayout(line)
                form.addRow(self._label(name, label), holder)
                self.lines[name] = holder
            elif paired:
                self.lines[name] = self._pair(form, name, edit)
            else:
                form.addRow(self._label(name, label), edit)
                self.lines[name] = edit
            edit.setToolTip(_DERIVED_TIP if name in DERIVED_FIELDS else field_label(name))
            self.edits[name] = edit
        self.measure_fields = MeasureFields(form, self.lines, self.labels)
        inner = QWidget()
        inner.setLayout(form)
        scroll = self.fields_area = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Never narrower than its fields (with no sideways scroll bar they would be cut off): a splitter
        # sharing a small window with the paper beside the form takes the room from the others instead.
        scroll.setMinimumWidth(
            inner.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth()
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #9C0006;")
        self.provenance = QLabel()
        self.provenance.setWordWrap(True)
        self.provenance.setStyleSheet("color: #404040;")
        self.findings_label = QLabel("<b>Findings on this row</b>")
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.setMaximumHeight(130)
        self.accept_button = QPushButton("Accept finding…")
        self.accept_button.setToolTip("Accept the selected finding with a reason (it stops counting as open)")
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self._accept_clicked)
        self.remedy_button = QPushButton()
        self.remedy_button.setVisible(False)
        self.remedy_button.clicked.connect(self._remedy_clicked)
        self.findings.currentItemChanged.connect(lambda item, _old: self._finding_chosen(item))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.provenance)
        layout.addWidget(self.message)
        layout.addWidget(self.findings_label)
        layout.addWidget(self.findings)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remedy_button)
        buttons.addWidget(self.accept_button)
        layout.addLayout(buttons)
        for name in DERIVED_FIELDS:  # shown, never typed: they follow the fields' verifications
            widget = self.choices[name] if name in self.choices else self.edits[name]
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(True)
            widget.setStyleSheet(_READ_ONLY)
            widget.installEventFilter(self)
            self.labels[name].setToolTip(_DERIVED_TIP)
        for chosen in [*self.edits.values(), *self.choices.values()]:
            chosen.installEventFilter(self)
        self.setEnabled(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A key typed into status or verified by changes nothing and says why."""
        name = watched.objectName()
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and name in self.edits:
            assert isinstance(event, QDropEvent)
            if not event.mimeData().hasFormat(SELECTION_MIME) or name in DERIVED_FIELDS:
                return False  # text from elsewhere: the line edit's own drop
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:  # the field is chosen by the drop, and filled at once
                self.chosen = name
                self.capture_dropped.emit(name)
            return True
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and name in self.edits
            and self._undo_is_the_windows(name, event)
        ):
            return True  # not taken by the line edit: the window's Undo/Redo (Edit menu) gets the key
        if event.type() == QEvent.Type.FocusIn and (name in self.edits or name in self.choices):
            if name != self.chosen:
                self.chosen = name
                self.field_chosen.emit(name)
            return False
        if name in DERIVED_FIELDS and event.type() == QEvent.Type.Wheel:
            return True  # the wheel does not pick a status either
        if name in DERIVED_FIELDS and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            shortcut = event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
            )  # copying, undoing, the menus' keys: theirs
            if not shortcut and (event.text().strip() or event.key() in _CHANGING_KEYS):
                self._refuse(name)
                return True
        return super().eventFilter(watched, event)

    def _undo_is_the_windows(self, name: str, event: QEvent) -> bool:
        """Whether Ctrl+Z (or Ctrl+Shift+Z) in field ``name`` undoes the review's last step rather than the
        typing: so when the field shows what is stored (nothing typed to take back), as after a value was
        taken from the paper with the keyboard still in its field."""
        assert isinstance(event, QKeyEvent)
        if not (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)):
            return False
        return self.edits[name].text() == self._shown.get(name, "")

    def _refuse(self, name: str) -> None:
        self.message.setText(f"{self.label_of(name)}: {_DERIVED_MESSAGE}")
        if name in self.choices:  # put back what is stored
            combo = self.choices[name]
            combo.setCurrentIndex(max(combo.findData(self._shown.get(name, "")), 0))

    def label_of(self, name: str) -> str:
        """A field named for people, with the comparison's arm labels (``Pimecrolimus arm: n``)."""
        return field_label(name, Arms(*self.arm_labels))

    def _label(self, name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setProperty("plain", text)
        self.labels[name] = label
        return label

    def _pair(self, form: QFormLayout, name: str, edit: QLineEdit) -> QWidget:
        """An arm's CI, IQR or range on one line: the first field's ``edit`` and the second's, each with its
        own label (its verification mark), under the line's label ("IQR: Q1 [ ] Q3 [ ]")."""
        part = name.partition(".")[0]
        second_field, title, first_label, second_label = PAIRS[_tail(name)]
        other = f"{part}.{second_field}"
        second = PairEdit()
        second.setObjectName(other)
        second.setMinimumWidth(50)
        edit.setMinimumWidth(50)
        second.textEdited.connect(lambda text, name=other: self._validate(name, text))
        second.editingFinished.connect(lambda name=other: self._finish(name))
        second.setToolTip(field_label(other))
        self.edits[other] = second
        holder = pair_line(self._label(name, first_label), edit, self._label(other, second_label), second)
        form.addRow(QLabel(title), holder)
        self.lines[other] = holder
        return holder

    def _measure_chosen(self, _index: int) -> None:
        if not self._filling:  # a row being shown: its fields are shown once, when it is all there
            self._show_measure()

    def _show_measure(self) -> None:
        """Show the fields the measure chosen needs, and every field holding a value (marked when the measure
        does not use it); an arm's value is called Mean or Median as the measure says."""
        texts = {name: edit.text() for name, edit in self.edits.items()}
        self.measure_fields.show(self.text_of("measure") or None, texts)
        for name in self.labels:
            self._show_label(name)

    def _show_label(self, name: str) -> None:
        """A field's label: its words, the verification mark, and the tooltip saying both and any note."""
        label = self.labels[name]
        mark = self.state_of(name)
        text = label.property("plain") + (f" {mark}" if mark else "")
        if label.text() != text:
            label.setText(text)
        note = self.measure_fields.notes.get(name, "")
        tip = "\n".join(t for t in (self._state_tips.get(name, ""), note) if t)
        if label.toolTip() != tip:
            label.setToolTip(tip)

    def is_shown(self, name: str) -> bool:
        """Whether field ``name`` is on show (its measure needs it, or it holds a value)."""
        return self.measure_fields.is_shown(name)

    def show_states(self, states: Mapping[str, FieldState]) -> None:
        """Mark each field's label with what a verifier said about its value:
        ✓ verified, ✗ disputed, ≠ changed since it was verified."""
        for name, label in self.labels.items():
            plain = label.property("plain")
            state = states.get(name)
            if state is None or state.state == "unverified":
                label.setText(plain)
                label.setStyleSheet("")
                self._state_tips[name] = "not verified yet" if state is not None and state.value is not None else ""
                self._show_label(name)
                continue
            when = f" on {state.at:%Y-%m-%d %H:%M}" if state.at is not None else ""
            mark, colour, tip = {
                "verified": ("✓", "#1E7B34", f"verified by {state.by}{when}"),
                "disputed": ("✗", "#B34700", f"disputed by {state.by}{when}: {state.comment or ''}"),
                "changed": (
                    "≠",
                    "#7030A0",
                    f"changed since {state.by} verified {state.checked!r}{when}: not verified any more",
                ),
            }[state.state]
            label.setText(f"{plain} {mark}")
            label.setStyleSheet(f"color: {colour};")
            self._state_tips[name] = tip
            self._show_label(name)

    def state_of(self, name: str) -> str:
        """The mark shown beside a field ("" when none)."""
        text = self.labels[name].text()
        return text[-1] if text and text[-1] in "✓✗≠" else ""

    def text_of(self, name: str) -> str:
        """What the field shows now (typed or chosen)."""
        if name in self.choices:  # the stored text of the choice (TRUE for "yes")
            combo = self.choices[name]
            data = combo.currentData()
            return data if isinstance(data, str) else combo.currentText()
        return self.edits[name].text()

    def show_row(
        self, comparison: str | None, position: int, row: Row | None, findings: Sequence[Finding] = ()
    ) -> None:
        """Fill the form with a row (or empty it), and list its findings."""
        self.comparison, self.position = comparison, position
        texts = field_texts(row) if row is not None else {}
        if row is None:  # nothing of another row (or another review) stays on show
            self.arm_labels = ("", "")
            self.show_states({})
            self.show_provenance(None, None)
        for part, label in (("intervention", self.arm_labels[0]), ("comparator", self.arm_labels[1])):
            title = _SECTION[part]
            self.sections[title].setText(f"<b>{title}</b>" + (f": {label}" if label else ""))
        self._shown = {}
        self._filling = True
        try:
            self._fill(comparison, position, texts, row is not None)
        finally:
            self._filling = False
        self._show_measure()
        self._show_reasons()
        self.show_evidence(row.evidence if row is not None else {})
        self.show_findings(findings)
        self.setEnabled(row is not None)

    def show_evidence(self, evidence: Mapping[str, Evidence]) -> None:
        """Mark each field read from the paper with a page sign at its end (its tooltip: the page and the
        text as printed; a click goes there in the paper beside)."""
        for name, action in list(self._evidence_marks.items()):
            self.edits[name].removeAction(action)
            del self._evidence_marks[name]
        for name, place in evidence.items():
            edit = self.edits.get(name)
            if edit is None:
                continue
            quoted = f": “{place.text}”" if place.text else ""
            action = edit.addAction(_page_icon(), QLineEdit.ActionPosition.TrailingPosition)
            action.setToolTip(f"Read from p. {place.page}{quoted}")
            action.triggered.connect(lambda _checked=False, name=name: self._evidence_clicked(name))
            self._evidence_marks[name] = action

    def evidence_mark(self, name: str) -> str:
        """The tooltip of field ``name``'s page sign ("" when the value was not read from the paper)."""
        action = self._evidence_marks.get(name)
        return action.toolTip() if action is not None else ""

    def _evidence_clicked(self, name: str) -> None:
        self.edits[name].setFocus(Qt.FocusReason.MouseFocusReason)
        self.chosen = name
        self.field_chosen.emit(name)

    def _fill(self, comparison: str | None, position: int, texts: Mapping[str, str], has_row: bool) -> None:
        for column in ROW_COLUMNS:
            text = texts.get(column.name, "")
            self._shown[column.name] = text
            if column.name in self.choices:
                combo = self.choices[column.name]
                found = combo.findData(text)
                if found < 0:  # a value the list does not have: show it as it is
                    combo.addItem(text, text)
                    found = combo.count() - 1
                combo.setCurrentIndex(found)
                continue
            edit = self.edits[column.name]
            pending = self.pending.get(comparison, position, column.name) if has_row else None
            edit.setText(text if pending is None else pending[0])
            edit.setCursorPosition(0)
            mark_invalid(edit, None if pending is None else pending[1])

    def show_provenance(self, row: Row | None, entered: tuple[str, datetime] | None, claim: str | None = None) -> None:
        """Who extracted the row and when it was entered; who verified it, or
        what the file it came from claims (``claim``, see
        :meth:`curator.services.ReviewService.row_provenance`)."""
        if row is None:
            self.provenance.clear()
            return
        parts = [f"Extracted by {row.extracted_by}" if row.extracted_by else "No extractor named"]
        if entered is not None:
            who, at = entered
            local = at.astimezone() if at.tzinfo is not None else at
            parts[0] += f", entered {local:%Y-%m-%d %H:%M}" + (f" by {who}" if who != row.extracted_by else "")
        if claim:
            parts.append(f"status {claim}")
            self.provenance.setText("; ".join(parts))
            return
        if row.verified_by:
            parts.append(f"verified by {row.verified_by}")
        self.provenance.setText("; ".join(parts) + f" · status {row.status}")

    def show_findings(self, findings: Sequence[Finding]) -> None:
        self.findings.clear()
        for finding in findings:
            about = self.label_of(finding.field) if finding.field else "row"
            item = QListWidgetItem(f"{finding.severity.upper()}  {about}: {finding.message}")
            item.setData(Qt.ItemDataRole.UserRole, finding)
            item.setToolTip(finding.locator)
            self.findings.addItem(item)
        self.findings_label.setText(f"<b>Findings on this row:</b> {len(findings) or 'none'}")
        self._finding_chosen(None)

    def _finding_chosen(self, item: QListWidgetItem | None) -> None:
        """A finding selected under the form can be accepted; a finding of the row that offers a one-step
        fix has it offered (the selected one's, else the first such: one press from the row)."""
        self.accept_button.setEnabled(item is not None)
        target = self.remedy_target()
        words = remedy_words(target)
        self.remedy_button.setVisible(words is not None)
        if words is not None:
            self.remedy_button.setText(words[0])
            self.remedy_button.setToolTip(words[1])

    def remedy_target(self) -> Finding | None:
        """The finding whose fix the fix button applies: the selected one if it offers one, else the first
        of the row's findings that does; None when none does."""
        listed = [self.findings.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.findings.count())]
        current = self.findings.currentItem()
        chosen = None if current is None else current.data(Qt.ItemDataRole.UserRole)
        for finding in (chosen, *listed):
            if remedy_words(finding) is not None:
                assert isinstance(finding, Finding)
                return finding
        return None

    def _accept_clicked(self) -> None:
        item = self.findings.currentItem()
        if item is not None:
            self.accept_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    def _remedy_clicked(self) -> None:
        target = self.remedy_target()
        if target is not None:
            self.remedy_requested.emit(target)

    def changes_of(self, name: str, text: str) -> dict[str, tuple[str, str]]:
        """The fields ``text`` typed into field ``name`` sets: name -> (old text, new text).
        ``ValueError`` with the reason (naming the field) when it does not fit."""
        try:
            typed = typed_fields(
                name, text, measure=self._shown.get("measure") or None, unit=self._shown.get("unit") or None
            )
        except ValueError as exc:
            raise ValueError(f"{self.label_of(name)}: {exc}") from None
        return {field: (self._shown.get(field, ""), new) for field, new in typed.items()}

    def error_of(self, name: str, text: str) -> str | None:
        try:
            self.changes_of(name, text)
        except ValueError as exc:
            return str(exc)
        return None

    def _show_reasons(self, typing: str | None = None, error: str | None = None) -> None:
        """Below the form, in full: why each pending value of the row does not fit (for the field being
        typed into, why what it holds now does not)."""
        pending = self.pending.of_row(self.comparison, self.position)
        reasons = []
        for column in ROW_COLUMNS:
            if column.name == typing:
                reasons.append(error or "")
            elif column.name in pending:
                reasons.append(pending[column.name][1])
        self.message.setText("\n".join(r for r in reasons if r))

    def _pending_changed(self, comparison: str, position: int, name: str) -> None:
        """A pending value came or went (typed here or in the table's cell): show it alike."""
        if comparison != self.comparison or position != self.position:
            return
        edit = self.edits.get(name)
        if edit is not None:
            pending = self.pending.get(comparison, position, name)
            text = self._shown.get(name, "") if pending is None else pending[0]
            if edit.text() != text:
                edit.setText(text)
                edit.setCursorPosition(0)
            mark_invalid(edit, None if pending is None else pending[1])
        self._show_reasons()

    def _validate(self, name: str, text: str) -> bool:
        error = self.error_of(name, text)
        if name in self.edits:
            mark_invalid(self.edits[name], error)
        self._show_reasons(name, error)
        return error is None

    def _finish(self, name: str) -> None:
        if self.comparison is None:
            return
        text = self.text_of(name)
        if name in DERIVED_FIELDS:
            if text != self._shown.get(name):
                self._refuse(name)
            return
        try:
            changes = self.changes_of(name, text)
        except ValueError as exc:
            if text != self._shown.get(name):  # kept as typed, pending, with its reason shown
                self.pending.set(self.comparison, self.position, name, text, str(exc))
            return
        self.pending.clear(self.comparison, self.position, name)
        changed = {field: (old, new) for field, (old, new) in changes.items() if old != new}
        for field, (_old, new) in changed.items():
            self._shown[field] = new
        if set(changed) == {name}:
            old, new = changed[name]
            self.edit_requested.emit(self.comparison, self.position, name, old, new)
        elif changed:
            self.edits_requested.emit(self.comparison, self.position, changed)

    # -- the keyboard's way in and out -------------------------------------------------------

    def focus_field(self, name: str) -> bool:
        """Put the keyboard in field ``name`` (its text selected, ready to be typed over); False when the
        form shows no row."""
        widget: QWidget | None = self.edits.get(name) or self.choices.get(name)
        if widget is None or not self.isEnabled():
            return False
        self.measure_fields.reveal(name)  # asked for by name: shown, whatever the measure
        self.fields_area.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()
        return True

    def focused_field(self) -> str | None:
        """The field the keyboard is in, None when it is not in a field of the form."""
        widget: QWidget | None = self.focusWidget()
        while widget is not None and widget is not self:
            if widget.objectName() in self.edits or widget.objectName() in self.choices:
                return widget.objectName()
            widget = widget.parentWidget()
        return None

    def editing(self) -> tuple[str, str, str, int] | None:
        """The field being typed into, not saved yet: its name, the text typed, the stored text it was typed
        over and the cursor's place (None when the keyboard is in no field, or it holds the stored text)."""
        name = self.focused_field()
        edit = None if name is None else self.edits.get(name)
        if name is None or edit is None or edit.text() == self._shown.get(name, ""):
            return None
        return name, edit.text(), self._shown.get(name, ""), edit.cursorPosition()

    def keep_editing(self, kept: tuple[str, str, str, int] | None) -> None:
        """Put back what :meth:`editing` gave after the row was shown again as someone else left it: the text
        typed stays, and so does the value it was typed over, so that saving it compares against that (a
        stale write, with theirs and yours, if they changed this very field)."""
        if kept is None or kept[0] not in self.edits:
            return
        name, text, over, cursor = kept
        self._filling = True
        try:
            self.edits[name].setText(text)
            self.edits[name].setCursorPosition(cursor)
        finally:
            self._filling = False
        self._shown[name] = over

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Escape: put back the stored value of a field not saved; on a field as stored, back to the table."""
        if event.key() != Qt.Key.Key_Escape or event.modifiers() != Qt.KeyboardModifier.NoModifier:
            super().keyPressEvent(event)
            return
        name = self.focused_field()
        edit = self.edits.get(name or "")
        if name is not None and edit is not None and edit.text() != self._shown.get(name, ""):
            self.pending.clear(self.comparison, self.position, name)
            edit.setText(self._shown.get(name, ""))
            edit.selectAll()
            mark_invalid(edit, None)
            self._show_reasons()
            return
        self.leave_requested.emit(name or "")

    def pick_citations(self) -> None:
        """Choose the row's citations from the references."""
        edit = self.edits["citations"]
        current = [k.strip() for k in edit.text().split(";") if k.strip()]
        picker = CitationPicker(self.references, current, self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            edit.setText("; ".join(picker.keys()))
            self._finish("citations")


def _tail(name: str) -> str:
    """A field's name in its object (``q1`` of ``intervention.q1``)."""
    return name.rpartition(".")[2]
