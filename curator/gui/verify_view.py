"""Verify mode: a second reviewer walks the unverified rows field by field, from the keyboard.

The dialog shows one row at a time: its comparison and endpoint, the source
location and verbatim quote, and every field that has a value with what a
verifier said about it (unverified, verified by X, disputed by X...). The
current field is highlighted. Per field:

* **Enter** confirms it (:func:`~curator.services.verify_field`)
  and moves to the next field still to check; when none is left, to the
  next row;
* **F** fixes it: type the value as the source prints it, validated as
  typed by :func:`~curator.formats.flat.parse_field` (a value that does not
  fit is kept, marked, with the reason, and not saved); Enter saves it
  through :func:`~curator.services.correct_field` (the audit log
  keeps the old and the new value);
* **D** disputes it with a comment
  (:func:`~curator.services.dispute_field`);
* Page Down / Page Up go to the next / previous row; Escape cancels a fix or
  dispute being typed, else closes.

Each action is one write transaction; a refusal of the core (verifying a row
you extracted, an empty comment) is shown in the dialog and nothing is
written. The walk starts at the window's current row and follows the rows
the verifier may verify and that are not verified
(:func:`~curator.services.rows_to_verify`), in table order; a row
with disputed fields is put at the end of the walk the first time it comes
up, so the plain rows come first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.errors import CuratorError
from curator.fields import parse as parse_field
from curator.gui.state import ReviewState, mark_invalid
from curator.naming import Arms, field_label, row_place
from curator.services import FieldState

__all__ = ["FieldStatesModel", "FieldsView", "VerifyDialog", "state_text", "PENDING"]

Index = QModelIndex | QPersistentModelIndex

#: States of a field still to be checked in verify mode.
PENDING = ("unverified", "changed")
_CURRENT = QColor("#FFE699")
_STATE_COLOURS = {"verified": "#C6EFCE", "disputed": "#FFC7CE", "changed": "#E4DFEC"}


def state_text(state: FieldState) -> str:
    """A field's state in words: ``verified by Ben``, ``disputed by Ben: why``..."""
    if state.state == "verified":
        return f"verified by {state.by}"
    if state.state == "disputed":
        return f"disputed by {state.by}: {state.comment}" if state.comment else f"disputed by {state.by}"
    if state.state == "changed":
        return f"changed since {state.by} checked {state.checked!r}"
    return "unverified"


class FieldStatesModel(QAbstractTableModel):
    """The fields of one row that have a value: name, value, state; one is current."""

    COLUMNS = ("Field", "Value", "State")
    StateRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.states: list[FieldState] = []
        self.current = -1
        #: The comparison's arm labels: the fields are shown by their labels (``Pimecrolimus arm: n``).
        self.arms = Arms()

    def set_states(self, states: Sequence[FieldState], current: int = 0) -> None:
        self.beginResetModel()
        self.states = list(states)
        self.current = current if self.states else -1
        self.endResetModel()

    def set_current(self, row: int) -> None:
        old, self.current = self.current, row
        for changed in {old, row}:
            if 0 <= changed < len(self.states):
                self.dataChanged.emit(self.index(changed, 0), self.index(changed, len(self.COLUMNS) - 1))

    def row_of(self, field: str) -> int:
        return next((i for i, s in enumerate(self.states) if s.field == field), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.states)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.states):
            return None
        state = self.states[index.row()]
        column = index.column()
        if role == self.StateRole:
            return state
        if role == Qt.ItemDataRole.DisplayRole:
            return (field_label(state.field, self.arms), state.value or "", state_text(state))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return state_text(state) if column == 2 else state.value
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.row() == self.current:
                return QBrush(_CURRENT)
            colour = _STATE_COLOURS.get(state.state)
            return QBrush(QColor(colour)) if colour and column == 2 else None
        if role == Qt.ItemDataRole.FontRole and index.row() == self.current:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class FieldsView(QTableView):
    """The fields table; Enter, F, D, Page Down and Page Up are verify mode's keys."""

    confirm = Signal()
    fix = Signal()
    dispute = Signal()
    next_row = Signal()
    previous_row = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        signals = {
            Qt.Key.Key_Return: self.confirm,
            Qt.Key.Key_Enter: self.confirm,
            Qt.Key.Key_F: self.fix,
            Qt.Key.Key_D: self.dispute,
            Qt.Key.Key_PageDown: self.next_row,
            Qt.Key.Key_PageUp: self.previous_row,
        }
        signal = signals.get(Qt.Key(event.key())) if plain else None
        if signal is None:
            super().keyPressEvent(event)
            return
        signal.emit()
        event.accept()


class VerifyDialog(QDialog):
    """Verify mode over the window's review, as the window's reviewer."""

    def __init__(self, parent: QWidget, state: ReviewState, start: tuple[str, int] | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.who = state.who
        #: Whether anything was written (the window reloads the review then).
        self.changed = False
        self.queue = self._walk(start)
        self.deferred: set[tuple[str, int]] = set()
        self.at = -1
        self.mode: str | None = None  # "fix" or "dispute" while one is typed
        self.setWindowTitle(f"Verify mode — {self.who}")

        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.RichText)
        bigger = self.where.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.15)
        self.where.setFont(bigger)
        self.progress = QLabel()
        self.progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        from curator.gui.source_box import SourceBox

        self.source = SourceBox(self, quote_lines=3)
        self.model = FieldStatesModel(self)
        self.view = FieldsView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(2, 260)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.confirm.connect(self.confirm)
        self.view.fix.connect(self.start_fix)
        self.view.dispute.connect(self.start_dispute)
        self.view.next_row.connect(lambda: self.go(self.at + 1))
        self.view.previous_row.connect(lambda: self.go(self.at - 1, forward=False))
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.model.set_current(cur.row()))

        self.editor_label = QLabel()
        self.editor = QLineEdit()
        self.editor.textEdited.connect(self._validate)
        self.editor.returnPressed.connect(self._save_editor)
        editor_line = QHBoxLayout()
        editor_line.addWidget(self.editor_label)
        editor_line.addWidget(self.editor, 1)
        self.editor_box = QWidget()
        self.editor_box.setLayout(editor_line)
        self.editor_box.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.correct_button = self._button("&Correct (Enter)", self.confirm, "Confirm the value against the source")
        self.fix_button = self._button("&Fix… (F)", self.start_fix, "Type the value the source prints")
        self.dispute_button = self._button("&Dispute… (D)", self.start_dispute, "Say why the value is wrong")
        self.previous_button = self._button("Previous row (PgUp)", lambda: self.go(self.at - 1, forward=False), "")
        self.next_button = self._button("Next row (PgDown)", lambda: self.go(self.at + 1), "")
        close_button = self._button("Close (Esc)", lambda: QDialog.reject(self), "")  # even while typing
        buttons = QHBoxLayout()
        for button in (self.correct_button, self.fix_button, self.dispute_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.previous_button, self.next_button, close_button):
            buttons.addWidget(button)

        top = QHBoxLayout()
        top.addWidget(self.where, 1)
        top.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.source)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.editor_box)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(980, 700)
        self.go(0)

    def _button(self, text: str, slot: Callable[[], object], tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the fields
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- the walk ----------------------------------------------------------------------

    def _walk(self, start: tuple[str, int] | None) -> list[tuple[str, int]]:
        """The rows to verify, from ``start`` on (wrapping round); ``start`` first
        even when the verifier may not verify it, so the core says why."""
        rows = self.state.service.checking.rows_to_verify()
        if start is None:
            return rows
        if start in rows:
            at = rows.index(start)
            return rows[at:] + rows[:at]
        return [start, *rows]

    @property
    def current_row(self) -> tuple[str, int] | None:
        return self.queue[self.at] if 0 <= self.at < len(self.queue) else None

    @property
    def current_field(self) -> FieldState | None:
        row = self.model.current
        return self.model.states[row] if 0 <= row < len(self.model.states) else None

    def go(self, at: int, *, forward: bool = True) -> None:
        """Show the row at place ``at`` of the walk (a disputed row met the first
        time while walking forward goes to the end of the walk)."""
        self._close_editor()
        if not self.queue:
            self._show_nothing("Nothing to verify: every row you may verify is verified.")
            return
        if at >= len(self.queue):
            self._show_nothing(f"All {len(self.queue)} rows of this walk are done. Escape closes verify mode.")
            return
        at = max(at, 0)
        states = self._states(self.queue[at])
        if states is None:
            return
        place = self.queue[at]
        if (
            forward
            and at > 0
            and place not in self.deferred
            and any(s.state == "disputed" for s in states)
            and at < len(self.queue) - 1
        ):
            self.deferred.add(place)
            self.queue.append(self.queue.pop(at))
            self.go(at)
            return
        self.at = at
        self._show(place, states)

    def _states(self, place: tuple[str, int]) -> list[FieldState] | None:
        try:
            return list(self.state.service.field_states(*place).values())
        except CuratorError as exc:
            self._say(str(exc), error=True)
            return None

    def _show(self, place: tuple[str, int], states: list[FieldState], field: str | None = None) -> None:
        comparison, position = place
        by_name = {s.field: s for s in states}
        summary = next((c for c in self.state.service.outline() if c.key == comparison), None)
        title = f" — {summary.title}" if summary is not None and summary.title else ""
        self.model.arms = Arms(summary.intervention, summary.comparator) if summary is not None else Arms()
        endpoint = by_name["endpoint"].value or "(no endpoint)"
        self.where.setText(f"<b>{_html(endpoint)}</b><br>{_html(row_place(comparison, position))}{_html(title)}")
        self.progress.setText(f"row {self.at + 1} of {len(self.queue)}")
        self.source.set_source(by_name["source.location"].value, by_name["source.quote"].value)
        valued = [s for s in states if s.value is not None]
        self.model.set_states(valued)
        row = self.model.row_of(field) if field is not None else -1
        if row < 0:
            row = next((i for i, s in enumerate(valued) if s.state in PENDING), 0)
        self._set_current(row)
        self.message.clear()
        self.view.setFocus()

    def _show_nothing(self, text: str) -> None:
        self.at = len(self.queue)
        self.model.set_states([])
        self.where.setText("<b>Verify mode</b>")
        self.progress.setText(f"{len(self.queue)} rows")
        self.source.set_source(None, None)
        self._say(text)

    def _set_current(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.scrollTo(self.model.index(row, 0))
        self.model.set_current(row)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #9C0006; font-weight: bold;" if error else "color: #375623;")
        self.message.setText(text)

    # -- actions ---------------------------------------------------------------------------

    def _run(self, change: Callable[[], object]) -> bool:
        """One use case of the service; a refusal is shown here and nothing is written."""
        try:
            self.state.run_raising(change)
        except CuratorError as exc:
            self._say(str(exc), error=True)
            return False
        self.changed = True
        return True

    def _after(self, field: str, then_next: bool) -> None:
        """Show the row as stored now; move on to the next field to check (or row)."""
        place = self.current_row
        assert place is not None
        states = self._states(place)
        if states is None:
            return
        self._show(place, states, field)
        if not then_next:
            return
        row = self.model.row_of(field)
        count = self.model.rowCount()
        following = [(row + k) % count for k in range(1, count + 1)]
        pending = [r for r in following if self.model.states[r].state in PENDING]
        if pending:
            self._set_current(pending[0])
        else:
            self.go(self.at + 1)

    def confirm(self) -> None:
        """Enter: confirm the current field (unless verified already) and move on."""
        place, state = self.current_row, self.current_field
        if self.mode is not None or place is None or state is None:
            return
        checking = self.state.service.checking
        if state.state != "verified":
            if not self._run(lambda: checking.verify_field(place[0], place[1], state.field)):
                return
        self._after(state.field, then_next=True)

    def start_fix(self) -> None:
        self._open_editor("fix", "Fix to:", (self.current_field.value or "") if self.current_field else "")

    def start_dispute(self) -> None:
        self._open_editor("dispute", "Why is it wrong?", "")

    def _open_editor(self, mode: str, label: str, text: str) -> None:
        state = self.current_field
        if self.current_row is None or state is None:
            return
        self.mode = mode
        self.editor_label.setText(f"<b>{_html(field_label(state.field, self.model.arms))}</b> — {label}")
        self.editor.setText(text)
        self.editor.selectAll()
        mark_invalid(self.editor, None)
        self.editor.setPlaceholderText(
            "the value as the source prints it (Enter saves, Escape cancels)"
            if mode == "fix"
            else "what the source says instead (Enter saves, Escape cancels)"
        )
        self.editor_box.setVisible(True)
        self.message.clear()
        self.editor.setFocus()

    def _close_editor(self) -> None:
        self.mode = None
        self.editor_box.setVisible(False)
        self.view.setFocus()

    def _validate(self, text: str) -> bool:
        """A fix is checked as it is typed: a value that does not fit is kept, marked, with the reason."""
        state = self.current_field
        if self.mode != "fix" or state is None:
            return True
        try:
            parse_field(state.field, text)
        except ValueError as exc:
            mark_invalid(self.editor, f"{field_label(state.field, self.model.arms)}: {exc}")
            self._say(f"{field_label(state.field, self.model.arms)}: {exc}", error=True)
            return False
        mark_invalid(self.editor, None)
        self.message.clear()
        return True

    def _save_editor(self) -> None:
        place, state, text = self.current_row, self.current_field, self.editor.text()
        if place is None or state is None:
            return
        if self.mode == "fix" and not self._validate(text):
            return  # kept as typed, with its reason
        checking = self.state.service.checking
        if self.mode == "fix":
            ok = self._run(lambda: checking.correct_field(place[0], place[1], state.field, text))
        else:
            ok = self._run(lambda: checking.dispute_field(place[0], place[1], state.field, text))
        if ok:
            self._close_editor()
            self._after(state.field, then_next=True)

    def reject(self) -> None:
        """Escape cancels a fix or dispute being typed; otherwise it closes verify mode."""
        if self.mode is not None:
            self._close_editor()
            self.message.clear()
            return
        super().reject()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
