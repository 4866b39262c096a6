"""The main window's changes to rows and comparisons, and acceptances.

Every change is pushed as an undoable command (:mod:`curator.gui.commands`)
or, for an acceptance, saved at once; each runs in one write transaction
(:meth:`RowActions.write`) where a refusal is shown and nothing is written.
After a change the window shows the rows as stored: one row is replaced
in the table and checked again at once; a change to the table's shape
(rows added, removed or moved) reads the comparison again.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QListWidget, QMessageBox, QTableView, QWidget

from curator.checks import Finding
from curator.errors import CuratorError
from curator.gui.commands import (
    DeleteComparisonCommand,
    DeleteRowCommand,
    DuplicateRowCommand,
    EditCommand,
    InsertRowCommand,
    MoveRowCommand,
    NewComparisonCommand,
)
from curator.review import AcceptedFinding, Row
from curator.store.browse import ComparisonSummary, comparison_outline
from curator.store.repository import load_acceptances

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from sqlalchemy import Connection

    from curator.gui.app import MainWindow
    from curator.gui.comparisons_model import ComparisonsModel
    from curator.gui.row_form import RowForm
    from curator.gui.rows_model import RowsModel
    from curator.store.database import Database

__all__ = ["RowActions"]


class RowActions:
    """Edit-menu actions of the main window (a mixin: it uses the window's models and widgets)."""

    path: Path
    db: Database
    who: str
    outline: list[ComparisonSummary]
    accepted: list[AcceptedFinding]
    undo_stack: QUndoStack
    rows_model: RowsModel
    rows_view: QTableView
    comparisons_model: ComparisonsModel
    row_form: RowForm
    findings_list: QListWidget

    def _window(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def _main(self) -> MainWindow:
        return cast("MainWindow", self)

    def write(self, change: Callable[[Any], object]) -> tuple[bool, object]:
        """Run ``change`` in one write transaction; a refusal is shown, and nothing is written."""
        try:
            return True, self._write_raising(change)
        except CuratorError as exc:
            QMessageBox.warning(self._window(), "Curator — not saved", str(exc))
            return False, None

    def _write_raising(self, change: Callable[[Any], object]) -> object:
        if self.db.readonly:
            raise CuratorError(f"{self.path}: the file is read-only; nothing can be saved")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a whole comparison takes seconds
        try:
            with self.db.session() as session:
                return change(session)
        finally:
            QApplication.restoreOverrideCursor()

    def _edit_requested(self, comparison: str, position: int, name: str, old: str, new: str) -> None:
        self.undo_stack.push(EditCommand(self._main(), comparison, position, name, old, new))

    def _edit_rejected(self, message: str) -> None:
        self.statusBar().showMessage(f"Not saved: {message}", 10_000)

    def apply_edit(self, comparison: str, position: int, name: str, text: str) -> bool:
        """Save one field (its own transaction, audited), then show the row as stored."""
        from curator.store.edits import set_row_field

        ok, row = self.write(lambda session: set_row_field(session, comparison, position, name, text, self.who))
        if not ok:
            return False
        assert isinstance(row, Row)
        if self.rows_model.comparison_key != comparison:
            self.select_row(comparison, position)
        was = self.rows_model.row_at(position).status
        self.rows_model.replace_row(position, row)
        if row.status != was:  # the verified counts may have changed
            self._refresh_outline_counts()
        if self._current_position() != position:
            self.select_row(comparison, position)  # shows the row in the form
        else:
            self._row_selected(self.rows_view.currentIndex())  # the form shows it as stored, with its states
        self._recheck_row(comparison, position, row)
        return True

    def _refresh_outline_counts(self) -> None:
        with self._connect() as conn:
            outline = comparison_outline(conn)
        if [c.key for c in outline] == [c.key for c in self.outline]:
            self.outline = outline
            self.comparisons_model.update_counts(outline)
            self._show_status()

    def rows_changed(self, comparison: str | None, position: int = 0) -> None:
        """After rows or comparisons were added, removed or moved: read the
        outline again and show ``comparison`` (the first when None), on ``position``."""
        with self._connect() as conn:
            self.outline = comparison_outline(conn)
            self.accepted = load_acceptances(conn)
        self._select_comparison_keeping(comparison, max(0, position))
        self.check_all()

    def comparisons_changed(self, key: str | None) -> None:
        """After a comparison was added or removed: show the list again, on ``key``."""
        self.rows_changed(key)

    def _require_comparison(self) -> str | None:
        key = self.rows_model.comparison_key
        if key is None:
            self.statusBar().showMessage("Select or create a comparison first", 5_000)
        return key

    def new_row(self) -> None:
        from curator.store.rows import new_row

        key = self._require_comparison()
        if key is None:
            return
        current = self._current_position()
        position = self.rows_model.row_count() if current is None else current + 1
        self.undo_stack.push(InsertRowCommand(self._main(), key, position, new_row(self.who)))
        self.select_row(key, position, 0)
        self.rows_view.setFocus()

    def duplicate_row(self) -> None:
        key, position = self.rows_model.comparison_key, self._current_position()
        if key is not None and position is not None:
            self.undo_stack.push(DuplicateRowCommand(self._main(), key, position))

    def delete_row(self, *, confirm: bool = True) -> None:
        key, position = self.rows_model.comparison_key, self._current_position()
        if key is None or position is None:
            return
        row = self.rows_model.row_at(position)
        if confirm:
            answer = QMessageBox.question(
                self._window(),
                "Delete row",
                f"Delete row {position} “{row.endpoint}” of {key}?\nUndo (Ctrl+Z) brings it back.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.undo_stack.push(DeleteRowCommand(self._main(), key, position))

    def move_row(self, step: int) -> None:
        key, position = self.rows_model.comparison_key, self._current_position()
        if key is None or position is None:
            return
        to = position + step
        if not 0 <= to < self.rows_model.row_count():
            return
        self.undo_stack.push(MoveRowCommand(self._main(), key, position, to))

    def new_comparison(self, fields: tuple[str, str, str, str] | None = None) -> None:
        if fields is None:
            asked: list[str] = []
            for label, hint in (
                ("Key (short, unique)", "pime-vs-tcs"),
                ("Title", ""),
                ("Intervention", ""),
                ("Comparator", ""),
            ):
                text, ok = QInputDialog.getText(self._window(), "New comparison", label, text=hint if not asked else "")
                if not ok:
                    return
                asked.append(text.strip())
            fields = (asked[0], asked[1], asked[2], asked[3])
        self.undo_stack.push(NewComparisonCommand(self._main(), *fields))

    def delete_comparison(self, *, confirm: bool = True) -> None:
        key = self._require_comparison()
        if key is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self._window(),
                "Delete comparison",
                f"Delete the comparison {key} with its {self.rows_model.row_count()} rows?\n"
                "Undo (Ctrl+Z) brings it back.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.undo_stack.push(DeleteComparisonCommand(self._main(), key))

    def _accept_current(self) -> None:
        item = self.row_form.findings.currentItem() or self.findings_list.currentItem()
        if item is None:
            self.statusBar().showMessage("Select a finding to accept", 5_000)
            return
        self.accept_finding(item.data(Qt.ItemDataRole.UserRole))

    def accept_finding(self, finding: Finding, reason: str | None = None) -> bool:
        """Accept a finding with a reason (stored with its fingerprint, audited)."""
        from curator.checks.accept import accept
        from curator.store.repository import save_acceptances

        if reason is None:
            reason, ok = QInputDialog.getText(
                self._window(), "Accept finding", f"{finding.severity}: {finding.message}\n\nWhy is this acceptable?"
            )
            if not ok:
                return False
        if not reason.strip():
            QMessageBox.warning(self._window(), "Curator — not accepted", "A reason is needed to accept a finding.")
            return False
        acceptance = accept(finding, reason.strip(), by=self.who)
        ok, _n = self.write(lambda session: save_acceptances(session, [acceptance], self.who))
        if ok:
            with self._connect() as conn:
                self.accepted = load_acceptances(conn)
            self.check_all()
            self.statusBar().showMessage(f"Accepted {finding.locator}", 5_000)
        return ok

    if TYPE_CHECKING:  # provided by the window

        def statusBar(self) -> Any: ...  # noqa: N802 - the window's

        def _connect(self) -> AbstractContextManager[Connection]: ...

        def select_row(self, comparison: str, position: int, column: int = 0) -> None: ...

        def _current_position(self) -> int | None: ...

        def _row_selected(self, current: QModelIndex, previous: QModelIndex | None = None) -> None: ...

        def _select_comparison_keeping(self, key: str | None, position: int | None) -> None: ...

        def _show_status(self) -> None: ...

        def _recheck_row(self, comparison: str, position: int, row: Row) -> None: ...

        def check_all(self) -> None: ...
