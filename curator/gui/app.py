"""The main window: browse a review's comparisons, rows and findings.

Editing, undo, verification and the file menu come with the desktop-app
issue; this window already shows a review the way a reviewer reads it: the
comparisons on the left (with row, verified and finding counts), the
selected comparison as a table in the centre (filter with Ctrl+F, sort by
any column), and its findings below.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from curator import __version__
from curator.checks import Finding, run_checks, split_accepted
from curator.errors import CuratorError
from curator.gui.comparisons_model import ComparisonsModel
from curator.gui.references_view import ReferencesView
from curator.gui.row_form import RowForm
from curator.gui.rows_model import RowsModel
from curator.review import Review

__all__ = ["MainWindow", "run", "window_title"]


def window_title(review: Review) -> str:
    return f"Curator — {review.title or 'Untitled review'}"


class MainWindow(QMainWindow):
    """Comparisons on the left, the selected table in the centre, findings below."""

    def __init__(self, review: Review, path: Path, who: str = "curator") -> None:
        super().__init__()
        self.review = review
        self.path = path
        self.who = who
        self.setWindowTitle(window_title(review))
        self.findings: list[Finding] = split_accepted(run_checks(review), review.accepted_findings)[0]

        self.comparisons_model = ComparisonsModel(review.comparisons, self.findings, self)
        self.comparisons_view = QTableView()
        self.comparisons_view.setModel(self.comparisons_model)
        self.comparisons_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.comparisons_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.comparisons_view.verticalHeader().setVisible(False)
        self.comparisons_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, self.comparisons_model.columnCount()):
            self.comparisons_view.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.comparisons_view.setWordWrap(True)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter rows by endpoint, population, citation or status (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.rows_model = RowsModel(self)
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_model)
        header = self.rows_view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the table's own order first
        header.setSortIndicatorShown(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.rows_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.rows_view.setSortingEnabled(True)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.setAlternatingRowColors(True)
        self.rows_view.setWordWrap(True)
        vertical = self.rows_view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(44)
        for col, width in enumerate((190, 140, 140, 170, 220, 80, 140, 64, 90)):
            self.rows_view.setColumnWidth(col, width)

        self.findings_label = QLabel()
        self.findings_list = QListWidget()
        self.findings_list.setWordWrap(True)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.filter_edit)
        centre_layout.addWidget(self.rows_view)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.findings_label)
        bottom_layout.addWidget(self.findings_list)
        self.row_form = RowForm()
        self.row_form.edit_requested.connect(self._edit_requested)
        table_and_form = QSplitter(Qt.Orientation.Horizontal)
        table_and_form.addWidget(centre)
        table_and_form.addWidget(self.row_form)
        table_and_form.setSizes([700, 310])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(table_and_form)
        right.addWidget(bottom)
        right.setSizes([420, 160])
        self.references_view = ReferencesView(self._write, who)
        self.references_view.set_review(review)
        self.references_view.changed.connect(self.reload)
        self.tabs = QTabWidget()
        self.tabs.addTab(right, "Comparison table")
        self.tabs.addTab(self.references_view, f"References ({len(review.references)})")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.comparisons_view)
        self.splitter.addWidget(self.tabs)
        self.splitter.setSizes([330, 1010])
        self.setCentralWidget(self.splitter)

        self.filter_edit.textChanged.connect(self.rows_model.set_filter)
        self.undo_stack = QUndoStack(self)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        self.addActions([self.undo_action, self.redo_action])
        self.rows_view.selectionModel().currentRowChanged.connect(self._row_selected)
        self.find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self.find_shortcut.activated.connect(self._focus_filter)
        self.comparisons_view.selectionModel().selectionChanged.connect(self._comparison_selected)
        self.findings_list.itemActivated.connect(self._finding_activated)
        self.findings_list.itemClicked.connect(self._finding_activated)

        self._show_status()
        self.resize(1340, 640)
        if review.comparisons:
            self.comparisons_view.selectRow(0)

    def _show_status(self) -> None:
        review = self.review
        counts = review.counts()
        status = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
        self.statusBar().showMessage(
            f"{self.who}  ·  {self.path}  ·  {len(review.references)} references  ·  {review.row_count} rows"
            + (f" ({status})" if status else "")
            + f"  ·  {len(self.findings)} open findings"
        )

    def _write(self, change: Callable[[Any], object]) -> object:
        """Run ``change`` with a write session on the review's database (one transaction)."""
        from curator.store.database import open_database

        with open_database(self.path, create=False) as db, db.session() as session:
            return change(session)

    def reload(self) -> None:
        """Read the review again from its database and show it."""
        from curator.store.database import open_database
        from curator.store.repository import load_review

        with open_database(self.path, create=False) as db, db.session(write=False) as session:
            self.review = load_review(session)
        self.findings = split_accepted(run_checks(self.review), self.review.accepted_findings)[0]
        selected = self.comparisons_view.currentIndex().row()
        self.comparisons_model.set_comparisons(self.review.comparisons, self.findings)
        self.references_view.set_review(self.review)
        self.tabs.setTabText(1, f"References ({len(self.review.references)})")
        if self.review.comparisons:
            self.comparisons_view.selectRow(max(0, min(selected, len(self.review.comparisons) - 1)))
        self._show_status()

    def _row_selected(self, current: Any, _previous: Any = None) -> None:
        if not current.isValid():
            self.row_form.show_row(None, -1, None)
            return
        row = self.rows_model.data(current, RowsModel.RowRole)
        position = self.rows_model.data(current, RowsModel.PositionRole)
        self.row_form.show_row(self.rows_model.comparison, position, row)

    def _edit_requested(self, comparison: str, position: int, name: str, old: str, new: str) -> None:
        self.undo_stack.push(EditCommand(self, comparison, position, name, old, new))

    def apply_edit(self, comparison: str, position: int, name: str, text: str) -> bool:
        """Save one field (its own transaction, audited), then show the review as stored."""
        from curator.store.edits import set_row_field

        try:
            self._write(lambda session: set_row_field(session, comparison, position, name, text, self.who))
        except CuratorError as exc:
            QMessageBox.warning(self, "Curator — not saved", str(exc))
            return False
        self.reload()
        self.select_row(comparison, position)
        return True

    def select_row(self, comparison: str, position: int) -> None:
        keys = [c.key for c in self.review.comparisons]
        if comparison in keys:
            self.comparisons_view.selectRow(keys.index(comparison))
            view_row = self.rows_model.view_row(position)
            if view_row is not None:
                self.rows_view.setCurrentIndex(self.rows_model.index(view_row, 0))

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _comparison_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        comparison = self.comparisons_model.data(indexes[0], ComparisonsModel.ObjectRole) if indexes else None
        self.rows_model.set_comparison(comparison, self.findings)
        self.rows_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.findings_list.clear()
        mine = [f for f in self.findings if comparison is not None and f.comparison == comparison.key]
        for finding in mine:
            item = QListWidgetItem(
                f"{finding.severity.upper()}  row {finding.row} · {finding.endpoint}: {finding.message}"
            )
            item.setData(Qt.ItemDataRole.UserRole, finding)
            self.findings_list.addItem(item)
        self.findings_label.setText(f"<b>Findings</b> in this comparison: {len(mine)}")

    def _finding_activated(self, item: QListWidgetItem) -> None:
        """Select the cell a finding is about."""
        from curator.formats.display import column_of

        finding: Finding = item.data(Qt.ItemDataRole.UserRole)
        if finding.row is None:
            return
        view_row = self.rows_model.view_row(finding.row)
        if view_row is None:  # filtered out: show it
            self.filter_edit.clear()
            view_row = self.rows_model.view_row(finding.row)
        if view_row is not None:
            index = self.rows_model.index(view_row, column_of(finding.field))
            self.rows_view.setCurrentIndex(index)
            self.rows_view.scrollTo(index)


class EditCommand(QUndoCommand):
    """One field's change; undo puts the old text back (also saved and audited)."""

    def __init__(self, window: MainWindow, comparison: str, position: int, name: str, old: str, new: str) -> None:
        super().__init__(f"change {name} of {comparison}[{position}]")
        self.window, self.comparison, self.position = window, comparison, position
        self.name, self.old, self.new = name, old, new

    def redo(self) -> None:
        if not self.window.apply_edit(self.comparison, self.position, self.name, self.new):
            self.setObsolete(True)

    def undo(self) -> None:
        self.window.apply_edit(self.comparison, self.position, self.name, self.old)


def run(review: Review, path: Path, *, who: str = "curator", screenshot: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Curator")
    app.setApplicationVersion(__version__)
    window = MainWindow(review, path, who)
    window.show()
    if screenshot is not None:
        app.processEvents()
        if not window.grab().save(str(screenshot)):
            from curator.errors import CuratorError

            raise CuratorError(f"{screenshot}: cannot write the picture")
        window.close()
        return 0
    return app.exec()
