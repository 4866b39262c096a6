"""Verify mode's fields table: the fields of the row shown, what a verifier said of each, and its keys.

:class:`FieldStatesModel` holds every field of one row that has a value (or
that a finding points at), named as the form names it, with its value, its
state in words (:func:`state_text`) and the page it was read from; one is
current. :class:`FieldsView` shows it and turns Enter, F, D, Page Down and
Page Up into verify mode's actions (:class:`~curator.gui.verify_view.VerifyDialog`
connects them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from curator.checks import Finding
from curator.gui.finding_marks import brush, icon, worst
from curator.naming import value_words
from curator.services import FieldState
from curator.services.story import field_words

__all__ = ["FieldStatesModel", "FieldsView", "state_text", "TO_DECIDE", "PENDING"]

Index = QModelIndex | QPersistentModelIndex

#: States of a field still to decide in verify mode (confirm, fix or dispute): never checked, changed since
#: it was verified, or disputed (a dispute waits for someone to confirm or fix the value).
TO_DECIDE = ("unverified", "changed", "disputed")
#: The old name of :data:`TO_DECIDE` without disputes (kept for callers that count unchecked fields).
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
    """The fields of one row that have a value (or that a finding points at): field, value, state, and the
    page its value was read from (shown when the review holds papers); one is current. Fields are named by
    their labels (an arm's after its label), marked when a finding points at them."""

    COLUMNS = ("Field", "Value", "State", "Read from")
    StateRole = Qt.ItemDataRole.UserRole + 1
    FindingsRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.states: list[FieldState] = []
        self.current = -1
        self.arms: tuple[str, str] = ("", "")
        self.findings: dict[str, list[Finding]] = {}
        #: Where each field's value was read (``p. 2``), by field; a field not in it has no located source.
        self.pages: dict[str, str] = {}

    def set_pages(self, pages: dict[str, str]) -> None:
        """Where the fields' values were read (the same fields)."""
        self.pages = dict(pages)
        if self.states:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.states) - 1, 3))

    def set_states(
        self,
        states: Sequence[FieldState],
        current: int = 0,
        *,
        arms: tuple[str, str] = ("", ""),
        findings: dict[str, list[Finding]] | None = None,
    ) -> None:
        self.beginResetModel()
        self.states = list(states)
        self.current = current if self.states else -1
        self.arms = arms
        self.findings = dict(findings or {})
        self.endResetModel()

    def set_findings(self, findings: dict[str, list[Finding]]) -> None:
        """The findings by field changed (the same fields)."""
        self.findings = dict(findings)
        if self.states:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.states) - 1, len(self.COLUMNS) - 1))

    def set_current(self, row: int) -> None:
        old, self.current = self.current, row
        for changed in {old, row}:
            if 0 <= changed < len(self.states):
                self.dataChanged.emit(self.index(changed, 0), self.index(changed, len(self.COLUMNS) - 1))

    def current_state(self) -> FieldState | None:
        """The current field (None when none)."""
        return self.states[self.current] if 0 <= self.current < len(self.states) else None

    def row_of(self, field: str) -> int:
        return next((i for i, s in enumerate(self.states) if s.field == field), -1)

    def label(self, field: str) -> str:
        """The field as the form names it."""
        return field_words(field, self.arms)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.states)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.states):
            return None
        state = self.states[index.row()]
        column = index.column()
        found = self.findings.get(state.field, [])
        severity = worst(found)
        if role == self.StateRole:
            return state
        if role == self.FindingsRole:
            return found
        if role == Qt.ItemDataRole.DisplayRole:
            value = (value_words(state.field, state.value) or "") if state.value is not None else "(empty)"
            value = value.replace("\t", "  │  ")  # a quote's table cells, as the source box shows them
            read = self.pages.get(state.field, "—" if state.value is not None else "")
            return (self.label(state.field), value, state_text(state), read)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 3:
                if state.value is None:
                    return None
                read_from = self.pages.get(state.field)
                return f"Read from {read_from}" if read_from else "No located source: read it in the paper"
            if found and column < 2:
                return "\n".join(f"{f.severity.upper()}: {f.message}" for f in found)
            return state_text(state) if column == 2 else (state.value if column == 1 else state.field)
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and severity is not None:
            return icon(severity)
        if role == Qt.ItemDataRole.BackgroundRole:
            if severity is not None and column == 1:
                return brush(severity)
            if index.row() == self.current:
                return QBrush(_CURRENT)
            colour = _STATE_COLOURS.get(state.state)
            return QBrush(QColor(colour)) if colour and column == 2 else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and state.field not in self.pages:
            return QBrush(QColor("#7F4F00"))
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

    def __init__(self, model: FieldStatesModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(2, 260)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def beside_paper(self) -> None:
        """Narrower, beside the paper: long arm names give way (their end, "arm: value", kept)."""
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.setColumnWidth(0, 270)
        self.setColumnWidth(2, 150)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)

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
