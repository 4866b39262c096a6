"""The History panel: the current row's story from the audit log, newest first, in the words of the form.

A dock beside the table (below it when the window has no room beside it:
see :meth:`curator.gui.double_checking.DoubleChecking.place_history`). It
follows the window's current row (``rows_view``'s current index) and is
read again after every change the window makes (the undo stack moves, the
rows are shown again). Each line is one audit entry: when (local time) and
a sentence told by :func:`curator.services.story.tell`, the words
``curator log`` prints ("Ana entered Pimecrolimus arm: n: 267", "Ben
confirmed Endpoint: Itch", "Cleo decided …", "Ana changed Endpoint from
'x' to 'y'"). Newest first: the latest change is the one a reviewer looks
for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from curator.services import HistoryEntry
from curator.services.story import row_words

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from curator.gui.edit_actions import TablePlace
    from curator.gui.state import ReviewState

__all__ = ["HistoryEntry", "HistoryModel", "HistoryPanel"]

Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    """A row's history: when, and what happened (a sentence that starts with who did it)."""

    COLUMNS = ("When", "What happened")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[HistoryEntry] = []

    def set_entries(self, entries: Sequence[HistoryEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (entry.when, entry.what)[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None


class HistoryPanel(QDockWidget):
    """The current row's history, kept up to date while shown."""

    def __init__(
        self, state: ReviewState, place: TablePlace, follow: Sequence[SignalInstance], parent: QWidget | None = None
    ) -> None:
        """``place`` tells the current row; each of the ``follow`` signals means it (or its history) may have
        changed."""
        super().__init__("History", parent)
        self.setObjectName("history")
        self.state, self.where = state, place
        self.place: tuple[str, int] | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setMinimumHeight(2 * self.label.fontMetrics().lineSpacing() + 2)  # the row, then its count
        self.model = HistoryModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.view)
        self.setWidget(body)
        self.setMinimumWidth(240)  # the sentences wrap; the width it gets is chosen when it is shown

        # Several signals may fire for one change: read the log once, after them.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        for signal in follow:
            signal.connect(self._soon)
        self.visibilityChanged.connect(lambda visible: self._soon() if visible else None)

    def _soon(self, *_args: Any) -> None:
        self._timer.start()

    def refresh(self) -> None:
        """Read the current row's history again (only while the panel is shown)."""
        if not self.isVisible():
            return
        key, position = self.where.comparison_key(), self.where.current_position()
        if key is None or position is None:
            self.place = None
            self.label.setText("Select a row to see its history.")
            self.model.set_entries([])
            return
        self.place = (key, position)
        entries = self.state.service.row_history(key, position)
        try:
            endpoint = self.where.row_at(position).endpoint
        except (IndexError, KeyError, ValueError):
            endpoint = ""
        what = (
            f"<b>{_html(endpoint)}</b> ({_html(row_words(key, position))})"
            if endpoint
            else f"<b>{_html(row_words(key, position))}</b>"
        )
        count = f"{len(entries)} change" + ("" if len(entries) == 1 else "s")
        self.label.setText(f"{what}<br>{count}, newest first")
        self.model.set_entries(entries)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
