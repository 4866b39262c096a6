"""A comparison's endpoint rows as a Qt table model (a thin adapter).

The rows come from a :class:`curator.services.RowSource`: in memory, or
read from the database a block at a time, so a 100,000-row comparison shows
its first screen at once. Filtering and sorting happen here, on a list of
visible row positions, not in a ``QSortFilterProxyModel``: measured on
100,000 rows, a proxy with a view attached takes 1.8 s to filter and 15.6 s
to sort, a list of positions 0.02 s and 0.03 s.

Cells are editable: each column edits its main field (the Endpoint column
the endpoint, Effect the estimate), except Status, which is shown greyed
and never typed: it follows the verifications of the row's fields (the edit
use case refuses it too). An arm's cell takes what a paper prints there
(:mod:`curator.arm_entry`): the value, events/n (``95/267``) or both
(``35.6% (95/267)``), saved as one step. What is typed is checked by the one
validation path (:func:`curator.fields.parse`); a value that does not fit is
kept as a pending value (:class:`~curator.gui.state.PendingValues`, shared
with the row form): the cell shows it, marked, with the reason as its
tooltip, until it is corrected or abandoned (Escape in the row form).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from curator.arm_entry import typed_fields
from curator.checks import Finding
from curator.fields import texts as field_texts
from curator.formats.display import TABLE_COLUMNS, TABLE_EDIT_FIELDS, column_of, row_texts
from curator.gui.finding_marks import brush, icon, worst
from curator.gui.state import PendingValues
from curator.naming import Arms, field_label, field_place
from curator.review import Comparison, Row
from curator.services import DERIVED_FIELDS, ComparisonSummary, MemoryRows, RowSource, ordered

__all__ = ["RowsModel", "EDIT_FIELDS"]

Index = QModelIndex | QPersistentModelIndex
_INVALID_BRUSH = QBrush(QColor("#FF9999"))
_READ_ONLY_BRUSH = QBrush(QColor("#595959"))
_DERIVED_TIP = "follows the verifications of the row's fields, not typed; verify them instead (Review > Verify mode)"
#: The field a cell of each column edits in place.
EDIT_FIELDS: tuple[str, ...] = TABLE_EDIT_FIELDS

#: The fields whose pending values mark a cell of each column.
_COLUMN_FIELDS: tuple[tuple[str, ...], ...] = tuple(
    tuple(name for name in field_texts(Row(endpoint="")) if column_of(name) == column)
    for column in range(len(TABLE_COLUMNS))
)

#: Called with (comparison key, position, {field: (old text, new text)}) for a valid edit.
EditHandler = Callable[[str, int, dict[str, tuple[str, str]]], None]


class RowsModel(QAbstractTableModel):
    """The rows of one comparison, filtered and sorted by the model itself."""

    RowRole = Qt.ItemDataRole.UserRole + 1  # the Row object
    PositionRole = Qt.ItemDataRole.UserRole + 2  # its position in the comparison
    FindingsRole = Qt.ItemDataRole.UserRole + 3  # its open findings
    FieldRole = Qt.ItemDataRole.UserRole + 4  # the field the cell edits

    def __init__(self, parent: Any = None, pending: PendingValues | None = None) -> None:
        super().__init__(parent)
        #: Typed text that does not fit, shared with the row form.
        self.pending = pending if pending is not None else PendingValues(self)
        self.pending.changed.connect(self._pending_changed)
        self._summary: ComparisonSummary | None = None
        self._source: RowSource = MemoryRows(())
        self._findings: dict[int, list[Finding]] = {}
        self._visible: list[int] = []
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._cache: dict[int, list[str]] = {}
        self._headers: list[str] = [h.strip("{}").capitalize() for h, _f in TABLE_COLUMNS]
        self.edit_handler: EditHandler | None = None
        self.rejected: Callable[[str], None] | None = None

    # -- content ---------------------------------------------------------------

    def set_comparison(self, comparison: Comparison | None, findings: Sequence[Finding] = ()) -> None:
        """Show a comparison held in memory."""
        if comparison is None:
            self.set_source(None, MemoryRows(()), findings)
        else:
            self.set_source(ComparisonSummary.of(comparison), MemoryRows(comparison.rows), findings)

    def set_source(
        self, summary: ComparisonSummary | None, source: RowSource, findings: Sequence[Finding] = ()
    ) -> None:
        """Show the rows of ``source`` as the comparison ``summary``."""
        self.pending.clear_all()  # positions may have moved
        self.beginResetModel()
        self._summary = summary
        self._source = source
        self._cache.clear()
        self._set_findings(findings)
        self._headers = [
            h.format(intervention=summary.intervention, comparator=summary.comparator)
            if summary is not None
            else h.strip("{}").capitalize()
            for h, _f in TABLE_COLUMNS
        ]
        self._visible = self._compute_visible()
        self.endResetModel()

    def _set_findings(self, findings: Sequence[Finding]) -> None:
        self._findings = {}
        key = self._summary.key if self._summary is not None else None
        for finding in findings:
            if key is not None and finding.comparison == key and finding.row is not None:
                self._findings.setdefault(finding.row, []).append(finding)

    def set_findings(self, findings: Sequence[Finding]) -> None:
        """Mark the cells of new findings (the rows stay as they are)."""
        self._set_findings(findings)
        if self._visible:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._visible) - 1, len(TABLE_COLUMNS) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DisplayRole],
            )

    def replace_row(self, position: int, row: Row) -> None:
        """Show ``row`` (as stored after an edit) at ``position``."""
        self._source.replace(position, row)
        self._cache.pop(position, None)
        view_row = self.view_row(position)
        if view_row is not None:
            self.dataChanged.emit(self.index(view_row, 0), self.index(view_row, len(TABLE_COLUMNS) - 1))

    @property
    def summary(self) -> ComparisonSummary | None:
        return self._summary

    @property
    def comparison_key(self) -> str | None:
        return self._summary.key if self._summary is not None else None

    def row_count(self) -> int:
        """Rows in the comparison, shown or filtered out."""
        return len(self._source)

    def row_at(self, position: int) -> Row:
        return self._source.row(position)

    def position(self, view_row: int) -> int:
        """The row's position in the comparison for a row of the view."""
        return self._visible[view_row]

    def view_row(self, position: int) -> int | None:
        """The view's row showing the comparison's row at ``position`` (None if filtered out)."""
        try:
            return self._visible.index(position)
        except ValueError:
            return None

    # -- filter and sort -----------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Show rows whose endpoint, population, citations or status contain
        every word of ``text`` (ignoring case)."""
        text = " ".join(text.split()).casefold()
        if text == self._filter:
            return
        narrower = bool(self._filter) and text.startswith(self._filter)
        self.beginResetModel()
        if narrower:
            # Typing on: the rows shown now are the only candidates, already in order.
            self._visible = self._matching(self._visible, text.split())
            self._filter = text
        else:
            self._filter = text
            self._visible = self._compute_visible()
        self.endResetModel()

    def _compute_visible(self) -> list[int]:
        source = self._source
        if self._filter:
            visible = self._matching(range(len(source)), self._filter.split())
        else:
            visible = list(range(len(source)))
        if self._sort is not None:
            column, order = self._sort
            visible = ordered(visible, source.sort_keys(column), order == Qt.SortOrder.DescendingOrder)
        return visible

    def _matching(self, candidates: Iterable[int], words: list[str]) -> list[int]:
        hay = self._source.haystacks()
        found = list(candidates)
        for word in words:
            found = [i for i in found if word in hay[i]]
        return found

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; column -1 restores the comparison's own order."""
        if column >= len(TABLE_COLUMNS):
            return
        wanted = (column, order) if column >= 0 else None
        if wanted == self._sort:
            return  # already in that order (the view asks twice)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_positions = [(index, self._visible[index.row()], index.column()) for index in old]
        self._sort = wanted
        self._visible = self._compute_visible()
        where = {position: view_row for view_row, position in enumerate(self._visible)}
        self.changePersistentIndexList(
            old,
            [
                self.index(where[position], col) if position in where else QModelIndex()
                for _index, position, col in old_positions
            ],
        )
        self.layoutChanged.emit()

    # -- Qt model ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TABLE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and EDIT_FIELDS[index.column()] not in DERIVED_FIELDS:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _found(self, position: int, column: int) -> list[Finding]:
        return [f for f in self._findings.get(position, ()) if column_of(f.field) == column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        position = self._visible[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            pending = self.pending.get(self.comparison_key, position, EDIT_FIELDS[column])
            if pending is not None:
                return pending[0]
            texts = self._cache.get(position)
            if texts is None:
                texts = self._cache[position] = row_texts(self._source.row(position))
            return texts[column]
        if role == Qt.ItemDataRole.EditRole:
            pending = self.pending.get(self.comparison_key, position, EDIT_FIELDS[column])
            if pending is not None:
                return pending[0]
            return field_texts(self._source.row(position))[EDIT_FIELDS[column]]
        if role == Qt.ItemDataRole.ToolTipRole:
            reasons = self._pending_reasons(position, column)
            if reasons:
                return "\n".join(f"Not saved: {reason}" for reason in reasons)
            found = self._found(position, column)
            if found:
                tip = "\n".join(f"{f.severity}: {f.message}" for f in found)
            elif EDIT_FIELDS[column] in DERIVED_FIELDS:
                tip = f"{self.data(index, Qt.ItemDataRole.DisplayRole)}: {_DERIVED_TIP}"
            else:
                tip = self.data(index, Qt.ItemDataRole.DisplayRole)
            place = self._source.row(position).evidence.get(EDIT_FIELDS[column])
            if place is not None:  # the value was read from the paper: where
                tip = f"{tip}\nRead from p. {place.page}" + (f": “{place.text}”" if place.text else "")
            return tip
        if role == Qt.ItemDataRole.ForegroundRole and EDIT_FIELDS[column] in DERIVED_FIELDS:
            return _READ_ONLY_BRUSH
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._pending_reasons(position, column):
                return _INVALID_BRUSH
            found = self._found(position, column)
            if found:
                return brush(worst(found) or "info")
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            found = self._found(position, column)
            if found:
                return icon(worst(found))
            return None
        if role == self.RowRole:
            return self._source.row(position)
        if role == self.PositionRole:
            return position
        if role == self.FindingsRole:
            return list(self._findings.get(position, []))
        if role == self.FieldRole:
            return EDIT_FIELDS[column]
        return None

    def _pending_reasons(self, position: int, column: int) -> list[str]:
        """Why the pending values of the fields a cell shows do not fit (the form's too)."""
        pending = self.pending.of_row(self.comparison_key, position)
        return [pending[name][1] for name in _COLUMN_FIELDS[column] if name in pending]

    def _pending_changed(self, comparison: str, position: int, name: str) -> None:
        if comparison != self.comparison_key:
            return
        view_row = self.view_row(position)
        if view_row is not None:
            index = self.index(view_row, column_of(name))
            self.dataChanged.emit(index, index)

    def changes_of(self, index: Index, text: str) -> dict[str, tuple[str, str]]:
        """The fields ``text`` typed into the cell at ``index`` sets: name -> (old text, new text).
        ``ValueError`` with the reason (naming the field) when it does not fit."""
        name = EDIT_FIELDS[index.column()]
        row = self._source.row(self._visible[index.row()])
        try:
            typed = typed_fields(name, text, measure=row.measure, unit=row.unit)
        except ValueError as exc:
            raise NotFitting(f"{field_label(name, self._arms())}: {exc}", str(exc)) from None
        old = field_texts(row)
        return {field: (old[field], new) for field, new in typed.items()}

    def error_of(self, index: Index, text: str) -> str | None:
        """Why ``text`` cannot go into the cell at ``index`` (None if it can)."""
        try:
            self.changes_of(index, text)
        except ValueError as exc:
            return str(exc)
        return None

    def _arms(self) -> Arms | None:
        summary = self._summary
        return None if summary is None else Arms(summary.intervention, summary.comparator)

    def _place(self, position: int, name: str) -> str:
        """The cell's field in people's words: ``Pimecrolimus arm: n in row 3 (Itch) of pime-vs-tcs``."""
        assert self._summary is not None
        endpoint = self._source.row(position).endpoint
        return field_place(self._summary.key, position, name, endpoint, self._arms())

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for a typed value to be saved; keep a value that does not fit, pending and marked."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._summary is None:
            return False
        key = self._summary.key
        position, column = self._visible[index.row()], index.column()
        name = EDIT_FIELDS[column]
        if name in DERIVED_FIELDS:  # shown, not typed: it follows the fields' verifications
            if self.rejected is not None:
                self.rejected(f"{self._place(position, name)}: {_DERIVED_TIP}")
            return False
        text = "" if value is None else str(value)
        try:
            changes = self.changes_of(index, text)
        except ValueError as exc:
            self.pending.set(key, position, name, text, str(exc))
            if self.rejected is not None:
                self.rejected(f"{self._place(position, name)}: {getattr(exc, 'reason', exc)}")
            return False
        self.pending.clear(key, position, name)
        changed = {field: (old, new) for field, (old, new) in changes.items() if old != new}
        if changed and self.edit_handler is not None:
            self.edit_handler(key, position, changed)
        return True

    def discard_pending(self, index: Index) -> None:
        """Forget a kept value that did not fit (the stored one shows again)."""
        if index.isValid():
            self.pending.clear(self.comparison_key, self._visible[index.row()], EDIT_FIELDS[index.column()])


class NotFitting(ValueError):
    """A typed value that does not fit: the message names the field, ``reason`` is why alone."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason
