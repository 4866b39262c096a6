"""The references as a Qt table model, and the delegate that checks what is typed into it.

The model is a thin adapter over the review's references (key, citation in
Vancouver style, identifiers, how many rows cite each, and the open
findings about each: their count, coloured and marked by the worst, with
the messages as the tooltip); the delegate runs
each keystroke through the view's one validation path and keeps text that
does not fit, marked, with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from curator.checks import Finding
from curator.fields import reference_texts
from curator.formats.references import format_vancouver
from curator.gui.finding_marks import brush, by_reference, icon, tooltip, worst
from curator.gui.state import mark_invalid
from curator.review import Reference, Review

__all__ = ["ReferencesModel", "ValidatingDelegate"]

Index = QModelIndex | QPersistentModelIndex


class ReferencesModel(QAbstractTableModel):
    """Key, Vancouver citation, PMID, DOI, how many rows cite it, its open findings and its paper; filtered
    in the model.

    Key, PMID and DOI can be edited: the model does not save, it emits
    ``edit_requested``. Text refused with a reason is kept in its cell,
    marked, until it is replaced (:meth:`set_pending`)."""

    COLUMNS = ("Key", "Citation", "PMID", "DOI", "Cited by", "Findings", "Paper")
    #: The column of the open findings about each reference.
    FINDINGS = 5
    #: The column of the reference's paper (its PDF kept in the review: file and pages).
    PAPER = 6
    #: The editable columns and the reference field each shows.
    EDITABLE = {0: "key", 2: "pmid", 3: "doi"}
    ReferenceRole = Qt.ItemDataRole.UserRole + 1
    FindingsRole = Qt.ItemDataRole.UserRole + 2  # the reference's open findings
    INVALID = QColor("#F8CBAD")

    #: reference key, field name, typed text
    edit_requested = Signal(str, str, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._refs: list[Reference] = []
        self._texts: list[tuple[str, str, str, str, int]] = []
        self._visible: list[int] = []
        self._filter = ""
        self._pending: dict[tuple[str, str], tuple[str, str]] = {}  # (key, field) -> (text, reason)
        self._findings: dict[str, list[Finding]] = {}  # key -> its open findings
        self._papers: dict[str, str] = {}  # key -> its papers, e.g. "wahn-2002.pdf (12 p.)"

    def set_review(self, review: Review, cited: dict[str, int] | None = None) -> None:
        """Show the review's references; ``cited`` (rows citing each key) is
        counted from the review's rows when not given."""
        if cited is None:
            cited = {}
            for comparison in review.comparisons:
                for row in comparison.rows:
                    for key in set(row.citations):
                        cited[key] = cited.get(key, 0) + 1
        self.beginResetModel()
        self._refs = list(review.references)
        self._texts = [
            (r.key, format_vancouver(r) or (r.note or ""), r.pmid or "", r.doi or "", cited.get(r.key, 0))
            for r in self._refs
        ]
        self._visible = self._compute()
        self.endResetModel()

    def set_findings(self, findings: Sequence[Finding]) -> bool:
        """Mark each reference with its open findings (the review's findings; those about rows are
        ignored). True when they changed."""
        found = by_reference(findings)
        if found == self._findings:
            return False
        self._findings = found
        if self._visible:
            column = self.FINDINGS
            self.dataChanged.emit(self.index(0, column), self.index(len(self._visible) - 1, column))
        return True

    def set_papers(self, papers: dict[str, str]) -> None:
        """Say which references have a paper (key -> its file and pages, shown in the Paper column)."""
        if papers == self._papers:
            return
        self._papers = dict(papers)
        if self._visible:
            self.dataChanged.emit(self.index(0, self.PAPER), self.index(len(self._visible) - 1, self.PAPER))

    def paper_of(self, key: str) -> str:
        """Reference ``key``'s papers as the Paper column shows them ("" when it has none)."""
        return self._papers.get(key, "")

    def findings_of(self, key: str) -> list[Finding]:
        """The open findings about reference ``key``."""
        return list(self._findings.get(key, ()))

    def keys_with_findings(self) -> list[str]:
        """The references that have open findings (their keys)."""
        return list(self._findings)

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = " ".join(text.split()).casefold()
        self._visible = self._compute()
        self.endResetModel()

    def _compute(self) -> list[int]:
        if not self._filter:
            return list(range(len(self._refs)))
        words = self._filter.split()
        return [
            i
            for i, texts in enumerate(self._texts)
            if all(w in " ".join(str(t) for t in texts[:4]).casefold() for w in words)
        ]

    def view_row(self, key: str) -> int | None:
        """The table row showing reference ``key``, or None (absent or filtered out)."""
        for row, i in enumerate(self._visible):
            if self._refs[i].key == key:
                return row
        return None

    def set_pending(self, key: str, field: str, text: str, reason: str) -> None:
        """Keep refused text in its cell, marked, with its reason."""
        self._pending[(key, field)] = (text, reason)
        self._cell_changed(key, field)

    def clear_pending(self, key: str, field: str) -> None:
        if self._pending.pop((key, field), None) is not None:
            self._cell_changed(key, field)

    def _cell_changed(self, key: str, field: str) -> None:
        row = self.view_row(key)
        column = next((c for c, name in self.EDITABLE.items() if name == field), None)
        if row is not None and column is not None:
            index = self.index(row, column)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        i = self._visible[index.row()]
        field = self.EDITABLE.get(index.column())
        pending = self._pending.get((self._refs[i].key, field)) if field is not None else None
        if pending is not None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return pending[0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return pending[1]
            if role == Qt.ItemDataRole.BackgroundRole:
                return self.INVALID
        if role == Qt.ItemDataRole.EditRole and field is not None:
            return reference_texts(self._refs[i])[field]
        if role == self.FindingsRole or (index.column() == self.FINDINGS and role != self.ReferenceRole):
            return self._findings_data(self._findings.get(self._refs[i].key, []), role)
        if index.column() == self.PAPER and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            paper = self._papers.get(self._refs[i].key, "")
            return f"Kept in the review: {paper}" if role == Qt.ItemDataRole.ToolTipRole and paper else paper
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[i][index.column()]
        if role == self.ReferenceRole:
            return self._refs[i]
        return None

    def _findings_data(self, found: list[Finding], role: int) -> Any:
        if role == self.FindingsRole:
            return list(found)
        severity = worst(found)
        if severity is None:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(len(found))
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(found)
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(severity)
        if role == Qt.ItemDataRole.BackgroundRole:
            return brush(severity)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for a typed Key, PMID or DOI to be saved (``edit_requested``)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in self.EDITABLE:
            return False
        ref = self._refs[self._visible[index.row()]]
        self.edit_requested.emit(ref.key, self.EDITABLE[index.column()], "" if value is None else str(value))
        return True


class ValidatingDelegate(QStyledItemDelegate):
    """A cell editor that marks text which does not fit, as it is typed."""

    def __init__(self, error_of: Callable[[str, str, str], str | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._error_of = error_of

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        ref = index.data(ReferencesModel.ReferenceRole)
        field = ReferencesModel.EDITABLE.get(index.column())
        if isinstance(editor, QLineEdit) and ref is not None and field is not None:

            def check(text: str) -> None:
                error = self._error_of(ref.key, field, text)
                mark_invalid(editor, error)

            editor.textEdited.connect(check)
        return editor
